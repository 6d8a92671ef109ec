"""Saved models load back identical; stale files are refused."""
from __future__ import annotations

import gzip
import json
import zipfile

import pytest

from exchange.matching import EngineConfig
from exchange.matching.persist import ModelVersionError, load, read_version, save

from tests.matching.conftest import fit_test, make_doc


@pytest.fixture
def model_and_needs(filler):
    needs = [make_doc("N-1", "máy sấy cà phê", kind="need", field="nong-nghiep", trl=6, price_max=10**8),
             make_doc("N-2", "nuoi tom the chan trang", kind="need")]
    offers = [make_doc("O-1", "máy sấy cà phê hạt bơm nhiệt", field="nong-nghiep", trl=7, price_min=9 * 10**7, keywords=("sấy",))]
    return fit_test([*filler, *offers, *needs]), needs


def test_save_then_load_ranks_identically(tmp_path, model_and_needs):
    model, needs = model_and_needs
    path = tmp_path / "model.gz"
    save(model, path)
    loaded = load(path, pipeline_version="test", config=EngineConfig())
    assert loaded.version == model.version == read_version(path)
    for need in needs:
        assert loaded.rank(need, "offer", 5) == model.rank(need, "offer", 5)


def test_save_leaves_no_temporary_file(tmp_path, model_and_needs):
    save(model_and_needs[0], tmp_path / "model.gz")
    assert [p.name for p in tmp_path.iterdir()] == ["model.gz"]


def test_load_refuses_another_text_pipeline(tmp_path, model_and_needs):
    save(model_and_needs[0], tmp_path / "model.gz")
    with pytest.raises(ModelVersionError, match="text pipeline"):
        load(tmp_path / "model.gz", pipeline_version="other")


def test_load_refuses_another_engine_config(tmp_path, model_and_needs):
    save(model_and_needs[0], tmp_path / "model.gz")
    with pytest.raises(ModelVersionError, match="engine config"):
        load(tmp_path / "model.gz", config=EngineConfig(shortlist=7))


def test_load_refuses_another_model_format(tmp_path, model_and_needs):
    path = tmp_path / "model.gz"
    save(model_and_needs[0], path)
    with zipfile.ZipFile(path) as zf:
        members = {name: zf.read(name) for name in zf.namelist()}
    meta = json.loads(members["meta.json"])
    meta["format"] = 999
    members["meta.json"] = json.dumps(meta).encode()
    with zipfile.ZipFile(path, "w") as zf:
        for name, data in members.items():
            zf.writestr(name, data)
    with pytest.raises(ModelVersionError, match="format"):
        load(path)


def test_load_refuses_a_gzipped_json_model_of_the_first_format(tmp_path):
    path = tmp_path / "model.json.gz"
    path.write_bytes(gzip.compress(json.dumps({"format": 1, "version": "m1-x"}).encode()))
    with pytest.raises(ModelVersionError, match="format"):
        load(path)
    with pytest.raises(ModelVersionError, match="format"):
        read_version(path)


def test_loaded_model_keeps_documents_vocabularies_and_matrix(tmp_path, model_and_needs):
    model = model_and_needs[0]
    save(model, tmp_path / "model.gz")
    loaded = load(tmp_path / "model.gz")
    assert loaded.docs == model.docs
    assert [vs.terms for vs in loaded.space.views] == [vs.terms for vs in model.space.views]
    assert (loaded.full != model.full).nnz == 0
    assert loaded.corpus.fuzz_texts == model.corpus.fuzz_texts
    assert loaded.classes == model.classes and loaded.classes.exact
    assert loaded.accent_map == model.accent_map


def test_version_names_format_pipeline_and_config(model_and_needs):
    model = model_and_needs[0]
    assert model.version.startswith("m1-test-") and model.version.endswith(EngineConfig().digest())
