"""Settings: one declared list, all documented, production refuses to serve without a secret."""
from __future__ import annotations

import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from exchange.config import SETTINGS, Config
from exchange.web.app import create_app

README = Path(__file__).resolve().parents[1] / "README.md"


@pytest.mark.parametrize("setting", SETTINGS, ids=lambda s: s.name)
def test_every_setting_is_documented_in_the_readme(setting):
    assert re.search(rf"`{setting.env_var}`", README.read_text(encoding="utf-8"))


def test_defaults_put_everything_in_the_instance_folder(tmp_path):
    cfg = Config.from_env(environ={"EXCHANGE_INSTANCE_DIR": str(tmp_path)})
    assert cfg.env == "development"
    assert cfg.database_url == f"sqlite:///{tmp_path / 'exchange.db'}"
    assert cfg.index_dir == tmp_path / "index" and cfg.secret_key is None


def test_unknown_environment_is_refused():
    with pytest.raises(ValueError, match="EXCHANGE_ENV"):
        Config.from_env(environ={"EXCHANGE_ENV": "staging"})


def test_serving_in_production_without_a_secret_key_is_refused(tmp_path):
    cfg = Config.from_env(environ={"EXCHANGE_ENV": "production", "EXCHANGE_INSTANCE_DIR": str(tmp_path)})
    with pytest.raises(RuntimeError, match="EXCHANGE_SECRET_KEY"):
        create_app(cfg, serving=True)


def test_serving_in_production_with_a_secret_key_works(tmp_path):
    cfg = Config.from_env(environ={"EXCHANGE_ENV": "production", "EXCHANGE_SECRET_KEY": "k" * 40,
                                   "EXCHANGE_INSTANCE_DIR": str(tmp_path)})
    assert create_app(cfg, serving=True).config["SECRET_KEY"] == "k" * 40


def test_cli_commands_in_production_work_without_a_secret_key(tmp_path, monkeypatch):
    from exchange.cli import main

    monkeypatch.setenv("EXCHANGE_ENV", "production")
    monkeypatch.setenv("EXCHANGE_INSTANCE_DIR", str(tmp_path))
    monkeypatch.delenv("EXCHANGE_SECRET_KEY", raising=False)
    monkeypatch.delenv("EXCHANGE_DATABASE_URL", raising=False)
    result = CliRunner().invoke(main, ["init-db"])
    assert result.exit_code == 0, result.output
    refused = CliRunner().invoke(main, ["run"])
    assert refused.exit_code != 0 and "EXCHANGE_SECRET_KEY" in refused.output


def test_development_without_a_key_gets_a_random_one_per_process(tmp_path):
    cfg = Config.from_env(environ={"EXCHANGE_INSTANCE_DIR": str(tmp_path)})
    first, second = create_app(cfg), create_app(cfg)
    assert first.config["SECRET_KEY"] and first.config["SECRET_KEY"] != second.config["SECRET_KEY"]
