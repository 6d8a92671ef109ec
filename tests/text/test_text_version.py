import shutil
import subprocess
import sys

import pytest

import exchange.text
from exchange.text.resources import DATA_DIR
from exchange.text.version import compute_version, pipeline_version


@pytest.fixture
def data_copy(tmp_path):
    target = tmp_path / "data"
    shutil.copytree(DATA_DIR, target)
    return target


def test_pipeline_version_is_a_short_stable_hash():
    assert pipeline_version() == exchange.text.PIPELINE_VERSION == compute_version(DATA_DIR)
    assert len(pipeline_version()) == 12


def test_version_changes_when_a_data_file_changes(data_copy):
    before = compute_version(data_copy)
    with (data_copy / "compounds.txt").open("a", encoding="utf-8") as handle:
        handle.write("máy gặt đập liên hợp\n")
    assert compute_version(data_copy) != before


def test_version_changes_when_a_data_file_is_added(data_copy):
    before = compute_version(data_copy)
    (data_copy / "synonyms.tsv").write_text("bơm nhiệt\theat pump\n", encoding="utf-8")
    assert compute_version(data_copy) != before


def test_version_changes_with_the_code_version(data_copy):
    assert compute_version(data_copy, code_version="x") != compute_version(data_copy)


def test_version_is_the_same_for_identical_data(data_copy):
    assert compute_version(data_copy) == compute_version(DATA_DIR)


def test_importing_the_package_loads_neither_underthesea_nor_web_or_database_code():
    code = "import sys, exchange.text; print(sorted(m for m in ('underthesea', 'flask', 'sqlalchemy') if m in sys.modules))"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "[]"
