"""Reading listing files (.jsonl, .csv, .xlsx) into raw rows, each with the line or row it came from."""
from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

SUPPORTED = (".jsonl", ".csv", ".xlsx")


@dataclass(frozen=True)
class RawRow:
    """One raw record and where it stands in the file (1-based line, or spreadsheet row)."""

    line: int
    data: dict[str, Any]


class FileFormatError(Exception):
    """The file cannot be read at all, or some lines are not records; messages are Vietnamese."""

    def __init__(self, messages: list[str]) -> None:
        super().__init__("\n".join(messages))
        self.messages = messages


def read_rows(path: Path) -> list[RawRow]:
    """All records of a listing file; raises FileFormatError for unreadable files or lines."""
    suffix = path.suffix.lower()
    if suffix not in SUPPORTED:
        raise FileFormatError([f"Không hỗ trợ định dạng '{suffix or path.name}'; dùng .jsonl, .csv hoặc .xlsx"])
    try:
        if suffix == ".xlsx":
            return _read_xlsx(path)
        text = path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError:
        raise FileFormatError([f"Tệp {path.name} không phải UTF-8; hãy lưu lại với mã hóa UTF-8"]) from None
    except OSError as exc:
        raise FileFormatError([f"Không đọc được tệp {path}: {exc.strerror or exc}"]) from None
    return _read_jsonl(text) if suffix == ".jsonl" else _read_csv(text)


def _read_jsonl(text: str) -> list[RawRow]:
    rows, errors = [], []
    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        try:
            data = json.loads(line)
        except json.JSONDecodeError as exc:
            errors.append(f"Dòng {number}: không phải JSON hợp lệ ({exc.msg}, cột {exc.colno})")
            continue
        if not isinstance(data, dict):
            errors.append(f"Dòng {number}: mỗi dòng phải là một đối tượng JSON {{...}}")
            continue
        rows.append(RawRow(number, data))
    if errors:
        raise FileFormatError(errors)
    return rows


def _read_csv(text: str) -> list[RawRow]:
    reader = csv.DictReader(io.StringIO(text, newline=""))
    _check_header(reader.fieldnames)
    rows = []
    for data in reader:
        if None in data:
            raise FileFormatError([f"Dòng {reader.line_num}: nhiều giá trị hơn số cột của tiêu đề"])
        cleaned = {k.strip(): v for k, v in data.items() if v not in (None, "")}
        if cleaned:
            rows.append(RawRow(reader.line_num, cleaned))
    return rows


def _check_header(header: list[str] | None) -> None:
    if not header:
        raise FileFormatError(["Tệp trống hoặc thiếu dòng tiêu đề (tên cột)"])
    if any(not (h or "").strip() for h in header):
        raise FileFormatError(["Dòng tiêu đề có cột không tên"])


def _read_xlsx(path: Path) -> list[RawRow]:
    from openpyxl import load_workbook

    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many types for a broken file
        raise FileFormatError([f"Không mở được bảng tính {path.name}: {exc}"]) from None
    try:
        sheet = book.worksheets[0]
        rows_iter = sheet.iter_rows(values_only=True)
        header = [str(h).strip() if h is not None else "" for h in next(rows_iter, [])]
        _check_header(header)
        rows = []
        for number, values in enumerate(rows_iter, 2):
            data = {h: v for h, v in zip(header, values) if h and v not in (None, "")}
            if data:
                rows.append(RawRow(number, data))
        return rows
    finally:
        book.close()
