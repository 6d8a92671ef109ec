"""The `exchange` command through Flask's CLI runner."""
from __future__ import annotations

import json
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from exchange.accounts.passwords import verify_password
from exchange.accounts.users import find_user
from exchange.models import Expert, Listing, ListingStatus, Plan, PlanActivity
from exchange.schema import head_revision

SHARED_DEV = Path(__file__).resolve().parents[2] / "shared" / "eval" / "dev"


def test_init_db_reports_the_schema_revision(runner):
    result = runner("init-db")
    assert result.exit_code == 0
    assert f"Cơ sở dữ liệu ở phiên bản {head_revision()}" in result.output


def test_import_then_reimport_changes_nothing(runner, committed, tmp_path):
    path = tmp_path / "a.jsonl"
    path.write_text(json.dumps({"ref": "Z-1", "kind": "offer", "title": "Máy sấy", "description": "Sấy lúa"},
                               ensure_ascii=False) + "\n", encoding="utf-8")
    first = runner("import", str(path), "--publish")
    second = runner("import", str(path))
    assert "1 mới" in first.output and "1 không đổi" in second.output
    with Session(committed) as session:
        assert session.scalar(select(Listing.status).where(Listing.ref == "Z-1")) is ListingStatus.published


def test_import_of_a_bad_file_exits_non_zero_and_names_the_rows(runner, committed, tmp_path):
    path = tmp_path / "a.jsonl"
    path.write_text('{"ref": "Z-1", "kind": "offer", "title": "", "description": "x"}\n', encoding="utf-8")
    result = runner("import", str(path))
    assert result.exit_code == 1
    assert "Dòng 1, cột 'title'" in result.output
    with Session(committed) as session:
        assert session.scalar(select(func.count()).select_from(Listing)) == 0


def test_import_as_an_unknown_user_is_refused(runner, tmp_path):
    path = tmp_path / "a.jsonl"
    path.write_text('{"ref": "Z-1", "kind": "offer", "title": "a", "description": "b"}\n', encoding="utf-8")
    result = runner("import", str(path), "--as", "ai.do@example.vn")
    assert result.exit_code != 0 and "Không có tài khoản" in result.output


def test_dev_set_imports_and_a_second_run_changes_nothing(runner):
    offers, needs = SHARED_DEV / "offers.jsonl", SHARED_DEV / "needs.jsonl"
    assert "115 mới" in runner("import", str(offers)).output
    assert "80 mới" in runner("import", str(needs)).output
    assert "115 không đổi" in runner("import", str(offers)).output


def test_user_add_reads_the_password_from_stdin(runner, committed):
    result = runner("user", "add", "canbo2@so.vn", "--role", "staff", "--password-stdin",
                    input="mat-khau-rat-dai\n")
    assert result.exit_code == 0, result.output
    with Session(committed) as session:
        assert verify_password(find_user(session, "canbo2@so.vn").password_hash, "mat-khau-rat-dai")


def test_user_add_with_a_short_password_is_refused_in_vietnamese(runner, committed):
    result = runner("user", "add", "a@so.vn", "--role", "broker", "--password-stdin", input="ngan\n")
    assert result.exit_code != 0 and "Mật khẩu phải có ít nhất" in result.output
    with Session(committed) as session:
        assert find_user(session, "a@so.vn") is None


def test_demo_loads_everything_and_is_repeatable(runner, committed):
    first = runner("demo")
    assert first.exit_code == 0, first.output
    assert "demo-canbo" in first.output
    second = runner("demo")
    assert "0 mới, 0 cập nhật" in second.output
    with Session(committed) as session:
        published = session.scalar(select(func.count()).select_from(Listing)
                                   .where(Listing.status == ListingStatus.published))
        assert published >= 40
        assert session.scalar(select(func.count()).select_from(Expert)) >= 15
        codes = set(session.scalars(select(PlanActivity.code).join(Plan).where(Plan.year == 2024)))
        assert {"1", "5", "7", "7.1", "7.4", "10"} <= codes


def test_plan_show_prints_activities_and_targets(runner):
    runner("demo")
    result = runner("plan", "show", "--year", "2024")
    assert result.exit_code == 0
    assert "7.1." in result.output and "Sàn Giao dịch công nghệ" in result.output
    assert "300" in result.output


def test_plan_show_for_a_year_without_plan_says_so(runner):
    result = runner("plan", "show", "--year", "1999")
    assert result.exit_code != 0 and "Chưa có kế hoạch năm 1999" in result.output


def test_a_large_import_shows_progress(runner, tmp_path):
    rows = [{"ref": f"P-{i}", "kind": "offer", "title": f"Máy sấy số {i}", "description": "Sấy nông sản."}
            for i in range(320)]
    path = tmp_path / "big.jsonl"
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    result = runner("import", str(path))
    assert result.exit_code == 0
    assert "Tách từ" in result.output and "320/320" in result.output


def replace_data_file(monkeypatch, tmp_path, module, text: str) -> None:
    """Point a data module (exchange.text.synonyms or .classes) at a file holding `text`."""
    path = tmp_path / module.DATA_FILE.name
    path.write_text(text, encoding="utf-8")
    monkeypatch.setattr(module, "DATA_FILE", path)


def test_data_check_passes_on_the_bundled_files_and_names_bad_lines(runner, tmp_path, monkeypatch):
    from exchange.text import synonyms
    assert runner("data-check").exit_code == 0
    replace_data_file(monkeypatch, tmp_path, synonyms, "heo\tlợn\nbắp\n")
    result = runner("data-check")
    assert result.exit_code == 1
    assert "synonyms.tsv:2: nhóm chỉ có một từ ('bắp')" in result.output
    assert "1 dòng cần sửa" in result.output


def test_reindex_warns_about_skipped_lines_of_the_data_files(runner, tmp_path, monkeypatch):
    from exchange.text import classes
    replace_data_file(monkeypatch, tmp_path, classes, "cây\tlúa\n")
    result = runner("reindex")
    assert result.exit_code == 0
    assert "Cảnh báo: classes.tsv:1: một lớp cần tên lớp và ít nhất hai thành viên" in result.output


def test_user_add_creates_the_organization_on_first_use_with_its_type(runner, committed):
    result = runner("user", "add", "vien@khcn.vn", "--role", "enterprise", "--organization", "Viện Thử nghiệm Mới",
                    "--organization-type", "institute", "--password-stdin", input="mat-khau-rat-dai\n")
    assert result.exit_code == 0, result.output
    with Session(committed) as session:
        user = find_user(session, "vien@khcn.vn")
        assert user.organization.name == "Viện Thử nghiệm Mới" and user.organization.type.value == "institute"
        assert user.organization.is_verified


def test_user_add_joins_an_existing_organization_whatever_the_case_of_its_name(runner, committed):
    for email, name in (("a1@cty.vn", "Công ty Quế Việt"), ("a2@cty.vn", "CÔNG TY QUẾ VIỆT")):
        result = runner("user", "add", email, "--role", "enterprise", "--organization", name, "--password-stdin",
                        input="mat-khau-rat-dai\n")
        assert result.exit_code == 0, result.output
    with Session(committed) as session:
        assert find_user(session, "a1@cty.vn").organization_id == find_user(session, "a2@cty.vn").organization_id


def test_demo_refuses_to_run_in_production_and_writes_nothing(config, committed):
    from dataclasses import replace

    from exchange.cli import main
    from exchange.web.app import create_app

    app = create_app(replace(config, env="production"))
    result = app.test_cli_runner().invoke(main, ["demo"])
    app.extensions["exchange"].engine.dispose()
    assert result.exit_code != 0 and "production" in result.output
    with Session(committed) as session:
        assert session.scalar(select(func.count()).select_from(Listing)) == 0
