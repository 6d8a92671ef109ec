"""Matching from the command line: suggest, evaluate."""
from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import click
from flask.cli import with_appcontext

from exchange.brokering.batch import suggestion_rows
from exchange.brokering.evaluation import evaluate_files
from exchange.cli_commands.common import fail, read_only, transaction
from exchange.errors import DomainError
from exchange.listings.tokens import refresh_stale_tokens
from exchange.text.datacheck import check_data

METRICS = (("MRR@10", "answerable"), ("Recall@5", "answerable"), ("nDCG@10", "answerable"),
           ("abstain-AUC", None))


def _text_row(row: dict[str, Any]) -> str:
    if not row["matches"]:
        return f"{row['need']}: không có gợi ý"
    lines = [f"{row['need']}:"]
    for rank, m in enumerate(row["matches"], 1):
        lines.append(f"  {rank:2}. {m['offer']}  {m['score']:.2f}  {' | '.join(m['reasons'])}")
    return "\n".join(lines)


@click.command("suggest")
@click.option("--all-needs", is_flag=True, help="mọi nhu cầu trong cơ sở dữ liệu")
@click.option("--need", "need_refs", multiple=True, metavar="REF", help="mã nhu cầu (có thể lặp lại)")
@click.option("--top", "top_k", type=click.IntRange(1, 1000), default=10, show_default=True)
@click.option("--format", "fmt", type=click.Choice(["jsonl", "text"]), default=None,
              help="mặc định: text trên màn hình, jsonl khi chuyển hướng")
@with_appcontext
def suggest_command(all_needs: bool, need_refs: tuple[str, ...], top_k: int, fmt: str | None) -> None:
    """Xếp hạng lại các công nghệ chào bán cho từng nhu cầu (mọi tin, mọi trạng thái)."""
    if all_needs == bool(need_refs):
        raise click.UsageError("Chọn đúng một trong --all-needs hoặc --need REF.")
    fmt = fmt or ("text" if sys.stdout.isatty() else "jsonl")
    with transaction() as session:
        refresh_stale_tokens(session)
    try:
        with read_only() as session:
            rows = suggestion_rows(session, top_k=top_k, need_refs=None if all_needs else list(need_refs))
    except DomainError as exc:
        raise fail(exc) from None
    for row in rows:
        click.echo(json.dumps(row, ensure_ascii=False) if fmt == "jsonl" else _text_row(row))


@click.command("evaluate")
@click.argument("offers", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.argument("needs", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.argument("qrels", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="in kết quả dạng JSON")
def evaluate_command(offers: Path, needs: Path, qrels: Path, as_json: bool) -> None:
    """Đo chất lượng gợi ý trên một bộ dữ liệu đã chấm (MRR@10, Recall@5, nDCG@10, abstain-AUC)."""
    try:
        result = evaluate_files(offers, needs, qrels)
    except DomainError as exc:
        raise fail(exc) from None
    if as_json:
        click.echo(json.dumps(result, ensure_ascii=False))
        return
    for name, base in METRICS:
        behind = (f"{result['answerable']} needs" if base else
                  f"{result['answerable']} answerable × {result['needs'] - result['answerable']} without answer")
        click.echo(f"{name:12} {result[name]}   ({behind})")
    click.echo(f"{'top-1 score':12} answerable {result['mean-top1-answerable']}, "
               f"unanswerable {result['mean-top1-unanswerable']}")


@click.command("data-check")
def data_check_command() -> None:
    """Kiểm tra tệp từ đồng nghĩa và tệp lớp đối tượng (synonyms.tsv, classes.tsv) mà cán bộ sửa."""
    problems = check_data()
    for problem in problems:
        click.echo(str(problem))
    if problems:
        raise click.ClickException(f"{len(problems)} dòng cần sửa trong tệp dữ liệu gợi ý; "
                                   "sửa xong chạy `exchange reindex`.")
    click.echo("Tệp từ đồng nghĩa và tệp lớp đối tượng không có lỗi.")


COMMANDS = (suggest_command, evaluate_command, data_check_command)
