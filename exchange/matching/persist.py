"""Save and load a fitted model: one versioned, gzipped JSON file, written atomically.

The file holds the documents and every input of the fit (config, synonyms, stopwords,
accent map), so loading rebuilds exactly the same model without re-segmenting text.
"""
from __future__ import annotations

import dataclasses
import gzip
import json
import os
import tempfile
from pathlib import Path

from exchange.text.synonyms import parse_synonyms

from exchange.matching.accents import AccentMap
from exchange.matching.model import MODEL_FORMAT, MatchModel, build_model
from exchange.matching.types import EngineConfig, MatchDoc, Tokens


class ModelVersionError(ValueError):
    """The model file was written by another format, text pipeline or engine config."""


def _doc_json(doc: MatchDoc) -> dict:
    """A document as plain JSON."""
    data = {f.name: getattr(doc, f.name) for f in dataclasses.fields(doc) if f.name != "tokens"}
    data["tokens"] = [list(doc.tokens.title), list(doc.tokens.keywords), list(doc.tokens.description)]
    return data


def _doc_from_json(data: dict) -> MatchDoc:
    """Inverse of _doc_json."""
    tokens = Tokens(*(tuple(t) for t in data.pop("tokens")))
    data["keywords"] = tuple(data["keywords"])
    return MatchDoc(tokens=tokens, **data)


def _config_from_json(data: dict) -> EngineConfig:
    """EngineConfig from its asdict() form (tuples come back as lists)."""
    fixed = {k: tuple(tuple(x) if isinstance(x, list) else x for x in v) if isinstance(v, list) else v for k, v in data.items()}
    return EngineConfig(**fixed)


def save(model: MatchModel, path: str | os.PathLike) -> None:
    """Write the model to `path` atomically (temporary file in the same folder, then rename)."""
    payload = {
        "format": MODEL_FORMAT, "version": model.version, "pipeline_version": model.pipeline_version,
        "config": dataclasses.asdict(model.config), "synonyms": ["\t".join(g) for g in model.synonyms.groups],
        "stopwords": sorted(model.stopwords), "docs": [_doc_json(d) for d in model.docs],
        "accent_map": None if model.accent_map is None else [[list(k), v] for k, v in model.accent_map.forms.items()],
    }
    target = Path(path)
    fd, tmp = tempfile.mkstemp(prefix=target.name + ".", suffix=".tmp", dir=target.parent)
    try:
        with os.fdopen(fd, "wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", mtime=0) as fh:
            fh.write(json.dumps(payload, ensure_ascii=False).encode("utf-8"))
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def read_version(path: str | os.PathLike) -> str:
    """The version string stored in a model file."""
    return _read(path)["version"]


def _read(path: str | os.PathLike) -> dict:
    """The raw payload of a model file."""
    with gzip.open(path, "rb") as fh:
        return json.loads(fh.read().decode("utf-8"))


def load(path: str | os.PathLike, *, pipeline_version: str | None = None,
         config: EngineConfig | None = None) -> MatchModel:
    """Read a model; raise ModelVersionError when it does not match the running code."""
    payload = _read(path)
    if payload.get("format") != MODEL_FORMAT:
        raise ModelVersionError(f"model format {payload.get('format')}, expected {MODEL_FORMAT}")
    if pipeline_version is not None and payload["pipeline_version"] != pipeline_version:
        raise ModelVersionError(f"text pipeline {payload['pipeline_version']}, expected {pipeline_version}")
    stored = _config_from_json(payload["config"])
    if config is not None and stored.digest() != config.digest():
        raise ModelVersionError(f"engine config {stored.digest()}, expected {config.digest()}")
    synonyms = parse_synonyms(payload["synonyms"])
    stopwords = frozenset(payload["stopwords"])
    amap = None if payload["accent_map"] is None else AccentMap({tuple(k): v for k, v in payload["accent_map"]})
    docs = tuple(_doc_from_json(d) for d in payload["docs"])
    model = build_model(docs, stored, synonyms, stopwords, payload["pipeline_version"], amap)
    if model.version != payload["version"]:
        raise ModelVersionError(f"model version {model.version}, file says {payload['version']}")
    return model
