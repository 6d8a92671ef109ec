"""Save and load a fitted model: one versioned zip file (JSON metadata + numpy arrays), written atomically.

The file holds the documents, every input of the fit (config, synonyms, stopwords, accent
map) and its results (vocabularies, idf, the TF-IDF matrix, per-document facts), so loading
neither re-segments nor re-fits.
"""
from __future__ import annotations

import dataclasses
import json
import os
import tempfile
import zipfile
from pathlib import Path

import numpy as np
import scipy.sparse as sp

from exchange.text.classes import parse_classes
from exchange.text.synonyms import parse_synonyms

from exchange.matching.accents import AccentMap
from exchange.matching.model import MatchModel, assemble
from exchange.matching.types import EngineConfig, MatchDoc, Tokens
from exchange.matching.vectors import Corpus, Space, ViewSpace

# Layout of the file (MODEL_FORMAT, in the version, is about what the model ranks).
FILE_FORMAT = 3
META = "meta.json"
# The large JSON parts live apart, so reading the version stays cheap.
PARTS = "parts.json"
ARRAYS = ("data", "indices", "indptr", "accented", "restored")
DOC_FIELDS = ("key", "kind", "field", "title", "trl", "price_min", "price_max", "locality")


class ModelVersionError(ValueError):
    """The model file was written by another format, text pipeline or engine config."""


def _docs_json(docs: tuple[MatchDoc, ...]) -> tuple[dict, dict[str, np.ndarray]]:
    """Documents as columns of plain values, and their tokens as ids into the distinct tokens."""
    # Ids, so that loading makes one string object per distinct token, not one per occurrence.
    columns: dict = {name: [getattr(d, name) for d in docs] for name in DOC_FIELDS}
    columns["keywords"] = [list(d.keywords) for d in docs]
    fields = [f for d in docs for f in (d.tokens.title, d.tokens.keywords, d.tokens.description)]
    vocab: dict[str, int] = {}
    ids = np.fromiter((vocab.setdefault(t, len(vocab)) for f in fields for t in f), np.int32)
    columns["token_vocab"] = list(vocab)
    return columns, {"token_ids": ids, "token_lengths": np.asarray([len(f) for f in fields], np.int64)}


def _docs_from_json(columns: dict, arrays: dict[str, np.ndarray]) -> tuple[MatchDoc, ...]:
    """Inverse of _docs_json."""
    vocab = columns["token_vocab"]
    tokens = [vocab[i] for i in arrays["token_ids"].tolist()]
    bounds = np.concatenate([[0], np.cumsum(arrays["token_lengths"])]).tolist()
    fields = [tuple(tokens[a:b]) for a, b in zip(bounds, bounds[1:])]
    rows = zip(*(columns[name] for name in DOC_FIELDS), columns["keywords"])
    return tuple(MatchDoc(**dict(zip(DOC_FIELDS, row[:-1])), keywords=tuple(row[-1]),
                          tokens=Tokens(*fields[3 * i:3 * i + 3])) for i, row in enumerate(rows))


def _config_from_json(data: dict) -> EngineConfig:
    """EngineConfig from its asdict() form (tuples come back as lists)."""
    fixed = {k: tuple(tuple(x) if isinstance(x, list) else x for x in v) if isinstance(v, list) else v for k, v in data.items()}
    return EngineConfig(**fixed)


def _meta(model: MatchModel) -> dict:
    """Format, versions and config: what loading checks first."""
    return {"format": FILE_FORMAT, "version": model.version, "pipeline_version": model.pipeline_version,
            "config": dataclasses.asdict(model.config)}


def _parts(model: MatchModel, docs: dict) -> dict:
    """Everything else but the arrays, as JSON."""
    return {
        "synonyms": ["\t".join(g) for g in model.synonyms.groups],
        "classes": ["\t".join(line) for line in model.classes.lines],
        "stopwords": sorted(model.stopwords), "docs": docs,
        "accent_map": None if model.accent_map is None else _accent_json(model.accent_map),
        "views": [{"view": vs.view, "offset": vs.offset, "terms": list(vs.terms)} for vs in model.space.views],
        "width": model.space.width, "fuzz_texts": list(model.corpus.fuzz_texts),
    }


def _accent_json(amap: AccentMap) -> dict:
    """The accent map's counts and compound words, as JSON."""
    return {"unigrams": amap.unigrams, "bigrams": [[a, b, n] for (a, b), n in amap.bigrams.items()],
            "words": sorted(" ".join(w) for w in amap.words)}


def _accent_from_json(data: dict) -> AccentMap:
    """An accent map from its JSON form."""
    return AccentMap(data["unigrams"], {(a, b): n for a, b, n in data["bigrams"]},
                     frozenset(tuple(w.split()) for w in data["words"]))


def _arrays(model: MatchModel) -> dict[str, np.ndarray]:
    """The matrix, per-document flags and each view's idf."""
    full = model.full
    arrays = {"data": full.data, "indices": full.indices, "indptr": full.indptr,
              "accented": model.corpus.accented, "restored": model.corpus.restored}
    arrays.update({f"idf_{vs.view}": vs.idf for vs in model.space.views})
    return arrays


def save(model: MatchModel, path: str | os.PathLike) -> None:
    """Write the model to `path` atomically (temporary file in the same folder, then rename)."""
    target = Path(path)
    fd, tmp = tempfile.mkstemp(prefix=target.name + ".", suffix=".tmp", dir=target.parent)
    try:
        docs, token_arrays = _docs_json(model.docs)
        with os.fdopen(fd, "wb") as raw, zipfile.ZipFile(raw, "w") as zf:
            for name, part in ((META, _meta(model)), (PARTS, _parts(model, docs))):
                text = json.dumps(part, ensure_ascii=False).encode("utf-8")
                zf.writestr(name, text, compress_type=zipfile.ZIP_DEFLATED, compresslevel=1)
            del docs
            for name, array in {**_arrays(model), **token_arrays}.items():
                with zf.open(f"{name}.npy", "w", force_zip64=True) as fh:
                    np.save(fh, np.ascontiguousarray(array), allow_pickle=False)
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _open(path: str | os.PathLike) -> zipfile.ZipFile:
    """The model file as a zip; files of older formats are refused as such."""
    if not zipfile.is_zipfile(path):
        raise ModelVersionError(f"model file format 1 or unknown (not a zip), expected {FILE_FORMAT}")
    return zipfile.ZipFile(path)


def _read_meta(zf: zipfile.ZipFile) -> dict:
    """The JSON part of an open model file, its format checked."""
    meta = json.loads(zf.read(META).decode("utf-8"))
    if meta.get("format") != FILE_FORMAT:
        raise ModelVersionError(f"model file format {meta.get('format')}, expected {FILE_FORMAT}")
    return meta


def read_version(path: str | os.PathLike) -> str:
    """The version string stored in a model file."""
    with _open(path) as zf:
        return _read_meta(zf)["version"]


def load(path: str | os.PathLike, *, pipeline_version: str | None = None,
         config: EngineConfig | None = None) -> MatchModel:
    """Read a model; raise ModelVersionError when it does not match the running code."""
    with _open(path) as zf:
        meta = _read_meta(zf)
        if pipeline_version is not None and meta["pipeline_version"] != pipeline_version:
            raise ModelVersionError(f"text pipeline {meta['pipeline_version']}, expected {pipeline_version}")
        stored = _config_from_json(meta["config"])
        if config is not None and stored.digest() != config.digest():
            raise ModelVersionError(f"engine config {stored.digest()}, expected {config.digest()}")
        meta.update(json.loads(zf.read(PARTS).decode("utf-8")))
        arrays = {name[:-4]: _read_array(zf, name) for name in zf.namelist() if name.endswith(".npy")}
    model = _model(meta, stored, arrays)
    if model.version != meta["version"]:
        raise ModelVersionError(f"model version {model.version}, file says {meta['version']}")
    return model


def _read_array(zf: zipfile.ZipFile, name: str) -> np.ndarray:
    """One stored array (read in chunks, without a second copy in memory)."""
    with zf.open(name) as fh:
        return np.load(fh, allow_pickle=False)


def _model(meta: dict, config: EngineConfig, arrays: dict[str, np.ndarray]) -> MatchModel:
    """Rebuild the model from the file's parts."""
    docs = _docs_from_json(meta["docs"], arrays)
    views = tuple(ViewSpace(v["view"], {t: i for i, t in enumerate(v["terms"])}, arrays[f"idf_{v['view']}"],
                            v["offset"], tuple(v["terms"])) for v in meta["views"])
    full = sp.csr_matrix((arrays["data"], arrays["indices"], arrays["indptr"]), shape=(len(docs), meta["width"]))
    corpus = Corpus(arrays["accented"], arrays["restored"], tuple(meta["fuzz_texts"]))
    amap = None if meta["accent_map"] is None else _accent_from_json(meta["accent_map"])
    synonyms = parse_synonyms(meta["synonyms"])
    return assemble(docs, corpus, Space(views, meta["width"]), full, config, synonyms,
                    frozenset(meta["stopwords"]), meta["pipeline_version"], amap,
                    classes=parse_classes(meta["classes"], synonyms))
