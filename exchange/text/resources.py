"""Access to the package's data files (dictionaries, stopwords)."""

from collections.abc import Iterator
from pathlib import Path

DATA_DIR = Path(__file__).with_name("data")


def read_entries(name: str, data_dir: Path | None = None) -> Iterator[str]:
    """Non-blank lines of a data file with `#` comments removed."""
    path = (data_dir or DATA_DIR) / name
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            entry = line.split("#", 1)[0].strip()
            if entry:
                yield entry
