"""Version of the text pipeline: changes when code or any data file changes."""

import hashlib
import logging
from functools import cache
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

from exchange.text.resources import DATA_DIR

logger = logging.getLogger(__name__)

# Bump when segmentation or normalization code changes its output.
CODE_VERSION = "2"


def _underthesea_version() -> str:
    """Installed underthesea version: its model decides the segmentation."""
    try:
        return version("underthesea")
    except PackageNotFoundError:  # pragma: no cover - it is a hard dependency
        return "missing"


def compute_version(data_dir: Path, code_version: str = CODE_VERSION) -> str:
    """Short hash of the code version, underthesea's version and every file under data_dir."""
    digest = hashlib.sha256(f"{code_version}\0{_underthesea_version()}\0".encode())
    for path in sorted(p for p in data_dir.rglob("*") if p.is_file() and not p.name.startswith(".")):
        digest.update(path.relative_to(data_dir).as_posix().encode() + b"\0")
        digest.update(path.read_bytes() + b"\0")
    return digest.hexdigest()[:12]


@cache
def pipeline_version() -> str:
    """Version of the installed pipeline (cached for the life of the process)."""
    result = compute_version(DATA_DIR)
    logger.debug("text pipeline version %s", result)
    return result
