"""Listings from the command line: import, reindex."""
from __future__ import annotations

import sys
from contextlib import contextmanager
from pathlib import Path
from typing import Callable, Iterator

import click
from flask.cli import with_appcontext
from tqdm import tqdm

from exchange.brokering.live import rebuild_suggestions
from exchange.cli_commands.common import fail, read_only, resolve_actor, transaction
from exchange.listings.expiry import expire_listings
from exchange.listings.importing import ImportRejected, prepare_import, read_listing_file, write_rows
from exchange.listings.queries import count_searchable
from exchange.listings.tokens import count_stale_tokens, refresh_stale_tokens
from exchange.search import SearchUnavailable
from exchange.search.reindex import check_index, rebuild_index
from exchange.text.datacheck import check_data
from exchange.web.context import state

PROGRESS_FROM = 300  # rows; smaller files finish before a bar is worth drawing


@contextmanager
def progress_bar(total: int, label: str) -> Iterator[Callable[[int], None] | None]:
    """A progress callback drawing a bar on stderr for long jobs (None for short ones)."""
    if total < PROGRESS_FROM:
        yield None
        return
    with tqdm(total=total, desc=label, unit="tin", file=sys.stderr) as bar:
        yield lambda done: bar.update(done - bar.n)


@click.command("import")
@with_appcontext
@click.argument("file", type=click.Path(path_type=Path, dir_okay=False))
@click.option("--publish", is_flag=True, help="công bố ngay (mặc định: chờ duyệt)")
@click.option("--source", default="import", show_default=True, help="tên nguồn; (nguồn, loại, ref) là duy nhất")
@click.option("--as", "actor_email", metavar="EMAIL", help="tài khoản thực hiện (ghi vào nhật ký)")
def import_command(file: Path, publish: bool, source: str, actor_email: str | None) -> None:
    """Nhập tin từ .jsonl / .csv / .xlsx — tất cả hoặc không gì cả."""
    try:
        rows = read_listing_file(file)
        with read_only() as session, progress_bar(len(rows), "Tách từ") as progress:
            resolve_actor(session, actor_email)
            prepared = prepare_import(session, rows, source=source, progress=progress)
    except ImportRejected as exc:
        raise fail(exc) from None
    with transaction() as session:
        report = write_rows(session, prepared, source=source, publish=publish,
                            actor=resolve_actor(session, actor_email))
    click.echo(f"Đã nhập {report.total} tin từ {file.name}: {report.created} mới, {report.updated} cập nhật, "
               f"{report.unchanged} không đổi.")
    rebuild_after_import(publish)


def rebuild_after_import(published: bool) -> None:
    """Newly published listings change the live model and the suggestions (the index follows commits)."""
    if published:
        with transaction() as session:
            report = rebuild_suggestions(session, state().models, state().config.suggestions_top_k,
                                         state().config.match_threshold)
        click.echo(f"Đã cập nhật gợi ý cho {report.needs} nhu cầu.")


def rebuild_everything() -> None:
    """Re-segment stale token caches, rebuild the search index, refit the model and refresh suggestions."""
    st = state()
    for problem in check_data():  # what staff edited in the data files and the engine will skip
        click.echo(f"Cảnh báo: {problem}", err=True)
    with read_only() as session:
        stale = count_stale_tokens(session)
    with transaction() as session, progress_bar(stale, "Tách từ") as progress:
        refreshed = refresh_stale_tokens(session, progress)
    with read_only() as session, progress_bar(count_searchable(session), "Lập chỉ mục") as progress:
        generation = rebuild_index(session, st.config.index_dir / "search", progress)
    with transaction() as session:
        report = rebuild_suggestions(session, st.models, st.config.suggestions_top_k, st.config.match_threshold)
    click.echo(f"Tách từ lại {refreshed} hồ sơ; chỉ mục tìm kiếm mới: {generation}; "
               f"gợi ý cho {report.needs} nhu cầu ({report.matches} cặp, {report.experts} chuyên gia).")


@click.command("reindex")
@with_appcontext
def reindex_command() -> None:
    """Xây lại chỉ mục tìm kiếm và mô hình gợi ý từ cơ sở dữ liệu."""
    rebuild_everything()


@click.command("search-check")
@with_appcontext
def search_check_command() -> None:
    """Liệt kê tin thiếu trong chỉ mục, đã cũ, hoặc thừa (không còn công bố)."""
    try:
        with read_only() as session:
            check = check_index(session, state().search.get())
    except SearchUnavailable as exc:
        raise click.ClickException(f"{exc.message_vi} Chạy `exchange reindex`.") from None
    for label, keys in (("thiếu", check.missing), ("cũ", check.stale), ("thừa", check.extra)):
        for doc_type, doc_id in keys:
            click.echo(f"{label}\t{doc_type}\t{doc_id}")
    if not check.is_ok:
        raise click.ClickException(f"Chỉ mục lệch: {len(check.missing)} thiếu, {len(check.stale)} cũ, "
                                   f"{len(check.extra)} thừa. Chạy `exchange reindex`.")
    click.echo("Chỉ mục tìm kiếm khớp với cơ sở dữ liệu.")


@click.command("expire-listings")
@with_appcontext
@click.option("--as", "actor_email", metavar="EMAIL", help="tài khoản thực hiện (ghi vào nhật ký)")
def expire_listings_command(actor_email: str | None) -> None:
    """Cho hết hạn các tin quá hạn và báo trước 14 ngày (việc worker làm mỗi giờ)."""
    with transaction() as session:
        report = expire_listings(session, actor=resolve_actor(session, actor_email),
                                 timezone=state().config.timezone)
    click.echo(f"Đã cho hết hạn {report.expired} tin; đã báo sắp hết hạn {report.warned} tin. "
               "Gợi ý của các tin hết hạn được cập nhật bởi worker.")


COMMANDS = (import_command, reindex_command, search_check_command, expire_listings_command)
