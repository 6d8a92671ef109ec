"""`exchange suggest` and `exchange evaluate`: the contracts of DESIGN.md."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

SHARED_EVAL = Path(__file__).resolve().parents[3] / "shared" / "eval"
OFFERS = [
    {"ref": "O-A", "kind": "offer", "title": "Hệ thống sấy lạnh bơm nhiệt cho nông sản",
     "description": "Sấy chuối, xoài bằng bơm nhiệt tiết kiệm điện năng 40%."},
    {"ref": "O-B", "kind": "offer", "title": "Máy bóc vỏ hạt điều tự động",
     "description": "Bóc vỏ hạt điều năng suất 300 kg/giờ."},
    {"ref": "O-C", "kind": "offer", "title": "Quy trình nuôi tôm thẻ tuần hoàn",
     "description": "Nuôi tôm thẻ chân trắng trong nhà màng, tuần hoàn nước."},
]
NEEDS = [
    {"ref": "N-1", "kind": "need", "title": "Can may say chuoi tiet kiem dien",
     "description": "Nha toi say chuoi bang cui, ton cong, muon may say dung dien it."},
    {"ref": "N-2", "kind": "need", "title": "...", "description": "và của những"},
]


def write(path: Path, rows: list[dict]) -> Path:
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    return path


@pytest.fixture
def imported(runner, tmp_path):
    runner("import", str(write(tmp_path / "o.jsonl", OFFERS)))
    runner("import", str(write(tmp_path / "n.jsonl", NEEDS)))


def lines(output: str) -> list[dict]:
    return [json.loads(line) for line in output.splitlines() if line.strip()]


def test_suggest_all_needs_prints_one_line_per_need_even_when_empty(runner, imported):
    rows = lines(runner("suggest", "--all-needs", "--format", "jsonl").output)
    assert [r["need"] for r in rows] == ["N-1", "N-2"]
    assert rows[1]["matches"] == []


def test_suggest_ranks_the_right_offer_first_with_vietnamese_reasons(runner, imported):
    row = lines(runner("suggest", "--need", "N-1", "--format", "jsonl").output)[0]
    assert row["matches"][0]["offer"] == "O-A"
    assert any("sấy" in reason for reason in row["matches"][0]["reasons"])
    scores = [m["score"] for m in row["matches"]]
    assert scores == sorted(scores, reverse=True) and all(0 <= s <= 1 for s in scores)


def test_suggest_prints_exactly_top_k_without_threshold(runner, imported):
    row = lines(runner("suggest", "--need", "N-1", "--top", "2").output)[0]
    assert len(row["matches"]) == 2


def test_suggest_covers_listings_of_every_status(runner, imported):
    # imported without --publish: every listing is only submitted, yet ranked
    row = lines(runner("suggest", "--need", "N-1").output)[0]
    assert {m["offer"] for m in row["matches"]} == {"O-A", "O-B", "O-C"}


def test_suggest_with_an_unknown_need_says_so(runner, imported):
    result = runner("suggest", "--need", "N-404")
    assert result.exit_code != 0 and "N-404" in result.output


def test_suggest_needs_exactly_one_selector(runner, imported):
    assert runner("suggest").exit_code != 0
    assert runner("suggest", "--all-needs", "--need", "N-1").exit_code != 0


def test_evaluate_prints_the_four_metrics_with_counts(runner):
    dev = SHARED_EVAL / "dev"
    result = runner("evaluate", str(dev / "offers.jsonl"), str(dev / "needs.jsonl"), str(dev / "qrels.jsonl"),
                    "--json")
    metrics = json.loads(result.output)
    assert metrics["needs"] == 80 and metrics["answerable"] == 68
    assert metrics["MRR@10"] > 0.70 and metrics["Recall@5"] > 0.90  # above the strong baseline


def test_evaluate_agrees_with_score_py_on_the_same_suggestions(runner, tmp_path):
    import importlib.util
    spec = importlib.util.spec_from_file_location("score", SHARED_EVAL / "score.py")
    score = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(score)
    dev = SHARED_EVAL / "dev"
    runner("import", str(dev / "offers.jsonl"))
    runner("import", str(dev / "needs.jsonl"))
    rows = lines(runner("suggest", "--all-needs", "--format", "jsonl").output)
    ours = json.loads(runner("evaluate", str(dev / "offers.jsonl"), str(dev / "needs.jsonl"),
                             str(dev / "qrels.jsonl"), "--json").output)
    theirs = score.score(score.read_jsonl(dev / "qrels.jsonl"), rows)
    assert {k: ours[k] for k in theirs} == theirs


def test_evaluate_with_a_malformed_judgement_file_names_the_line(runner, tmp_path):
    dev = SHARED_EVAL / "dev"
    qrels = tmp_path / "q.jsonl"
    qrels.write_text('{"need": "DN-001", "relevant": {}}\nkhông phải JSON\n', encoding="utf-8")
    result = runner("evaluate", str(dev / "offers.jsonl"), str(dev / "needs.jsonl"), str(qrels))
    assert result.exit_code != 0
    assert "không hợp lệ" in result.output and "Dòng 2" in result.output


def test_evaluate_with_a_bad_listing_file_lists_the_bad_rows(runner, tmp_path):
    dev = SHARED_EVAL / "dev"
    bad = write(tmp_path / "o.jsonl", [{"ref": "X", "kind": "offer", "title": "", "description": "x"}])
    result = runner("evaluate", str(bad), str(dev / "needs.jsonl"), str(dev / "qrels.jsonl"))
    assert result.exit_code != 0 and "Dòng 1, cột 'title'" in result.output
