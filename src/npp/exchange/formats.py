"""Files <-> rows of cells: CSV, JSON and XLSX (including the HTCDS Excel toolkit v2.0).

Readers give each row as ``{field name: cell}`` with the row's number in the file (the
header is row 1; the toolkit's hidden name row and its label row are rows 1 and 2) and check
the header once. Writers take checked records. CSV cells that a spreadsheet would run as a
formula get a leading apostrophe on the way out; the reader takes exactly that apostrophe
off again, so every value survives the round trip (``'`` + ``'=x`` is how ``'=x`` itself is
written).
"""

from __future__ import annotations

import csv
import io
import json
import re
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from npp.exchange.mapping import mapping
from npp.exchange.records import Record, RowProblem, resolve_columns
from npp.exchange.standard import _key, standard

__all__ = [
    "FORMATS",
    "FileError",
    "Table",
    "format_of",
    "guard",
    "read_file",
    "unguard",
    "write_records",
]

FORMATS = ("csv", "json", "xlsx")
_FORMULA = "=+-@\t\r"
_NUMBER = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$")


class FileError(ValueError):
    """The file cannot be used at all (exit 2): not CSV/JSON/XLSX, no header, no field."""


@dataclass
class Table:
    """The rows of a file, with the number of each in the file, and header findings."""

    rows: list[dict[str, Any]] = field(default_factory=list)
    numbers: list[int] = field(default_factory=list)
    problems: list[RowProblem] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def format_of(name: str) -> str:
    suffix = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if suffix in {"xlsx", "xlsm"}:
        return "xlsx"
    if suffix in FORMATS:
        return suffix
    raise FileError(f"{name!r}: the file must end in .csv, .json or .xlsx")


# --------------------------------------------------------------------------- formula guard


def _stripped(cell: str) -> bool:
    """Would the reader take a leading apostrophe off this cell?"""
    if len(cell) < 2 or cell[0] != "'":
        return False
    rest = cell[1:]
    return (rest[0] in _FORMULA and not _NUMBER.match(rest)) or _stripped(rest)


def guard(value: str) -> str:
    """Keep a spreadsheet from running a cell as a formula; reversible by :func:`unguard`."""
    if value and ((value[0] in _FORMULA and not _NUMBER.match(value)) or _stripped(value)):
        return "'" + value
    return value


def unguard(cell: str) -> str:
    return cell[1:] if _stripped(cell) else cell


# --------------------------------------------------------------------------- reading


def read_file(data: bytes, name: str) -> Table:
    """Read ``data`` as the format its name says; :class:`FileError` if it cannot be used."""
    fmt = format_of(name)
    if fmt == "xlsx":
        return _read_xlsx(data)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise FileError(f"not UTF-8 text (byte {exc.start})") from None
    return _read_json(text) if fmt == "json" else _read_csv(text)


def _table(headers: list[str], rows: Iterable[tuple[int, dict[str, Any]]], labels: Any) -> Table:
    cols = resolve_columns(headers, labels)
    if not any(cols.fields.values()):
        raise FileError("no field of HTCDS v2.0 (or npp_) in the header row")
    table = Table(problems=list(cols.problems), warnings=list(cols.warnings))
    for n, raw in rows:
        row = {name: v for h, v in raw.items() if (name := cols.fields.get(h))}
        if all(v in (None, "", []) for v in row.values()):
            continue  # an empty row (the toolkit numbers 1,000 of them)
        table.rows.append(row)
        table.numbers.append(n)
    return table


def _read_csv(text: str) -> Table:
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        headers = next(reader)
    except StopIteration:
        raise FileError("the file is empty") from None
    except csv.Error as exc:
        raise FileError(f"not CSV: {exc}") from None
    if not any(h.strip() for h in headers):
        raise FileError("the file has no header row")

    def rows() -> Iterator[tuple[int, dict[str, Any]]]:
        try:
            for i, cells in enumerate(reader):
                if len(cells) > len(headers):
                    raise FileError(f"row {i + 2}: more values than columns")
                yield (
                    i + 2,
                    {
                        h: unguard(c) if c[:1] == "'" else c
                        for h, c in zip(headers, cells, strict=False)
                        if c
                    },
                )
        except csv.Error as exc:
            raise FileError(f"not CSV: {exc}") from None

    return _table(headers, rows(), None)


def _read_json(text: str) -> Table:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise FileError(f"not valid JSON: {exc.msg} at line {exc.lineno}") from None
    if isinstance(data, dict) and isinstance(data.get("records"), list):
        data = data["records"]
    if not isinstance(data, list) or not all(isinstance(r, dict) for r in data):
        raise FileError("JSON must be an array of objects, one per record")
    headers: dict[str, None] = {}
    for r in data:
        headers.update(dict.fromkeys(str(k) for k in r))
    if not headers:
        raise FileError("the JSON array has no records")
    return _table(list(headers), ((i + 1, r) for i, r in enumerate(data)), None)


#: A workbook whose parts expand to more than this is refused before it is parsed (a zip
#: bomb: a few megabytes that expand to gigabytes). 100,000 records of every HTCDS field take
#: about a tenth of it.
MAX_XLSX_EXPANDED = 1024 * 1024 * 1024


def _read_xlsx(data: bytes) -> Table:
    """Read with calamine (Rust; about ten times openpyxl's speed: 100,000 rows in seconds).
    Its XML parser expands no entities, so no "billion laughs"; the zip is measured first.
    Calamine undoes the workbook's ``_xHHHH_`` escapes itself (``_x005F_`` is ``_``)."""
    import python_calamine

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            expanded = sum(i.file_size for i in z.infolist())
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise FileError(f"not an XLSX workbook: {exc}") from None
    if expanded > MAX_XLSX_EXPANDED:
        raise FileError(
            f"the workbook expands to {expanded // 2**20:,} MB; at most "
            f"{MAX_XLSX_EXPANDED // 2**20:,} MB is read (split the file, or export CSV)"
        )
    try:
        wb = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(data))
    except python_calamine.CalamineError as exc:
        raise FileError(f"not an XLSX workbook: {exc}") from None
    known = set(mapping().columns)
    for sheet in wb.sheet_names:
        try:
            cells = wb.get_sheet_by_name(sheet).to_python(skip_empty_area=False)
        except python_calamine.CalamineError as exc:
            raise FileError(f"sheet {sheet!r} cannot be read: {exc}") from None
        rows = iter(cells)
        first = next(rows, None)
        if not first:
            continue
        headers = [str(h).strip() if h is not None else "" for h in first]
        if not any(h in known or standard().field_by_header(h) for h in headers):
            continue
        second = next(rows, None) or ()
        names = [h or f"(column {i + 1})" for i, h in enumerate(headers)]
        labels: dict[str, str] = {}
        start = 2
        if _is_label_row(headers, second):
            labels = {n: str(v or "") for n, v in zip(names, second, strict=False)}
            start = 3
        else:
            rows = _chain(second, rows)
        body = (
            (start + i, {n: c for n, c in zip(names, cells, strict=False) if c != ""})
            for i, cells in enumerate(rows)
        )
        return _table(names, body, labels)
    raise FileError("no sheet has a header row of HTCDS v2.0 fields")


def _chain(first: Any, rest: Iterator[Any]) -> Iterator[Any]:
    if first:
        yield first
    yield from rest


def _is_label_row(headers: list[str], cells: Any) -> bool:
    """The toolkit's second row repeats each field's label under its name."""
    fields = standard().fields
    hits = 0
    for h, v in zip(headers, cells, strict=False):
        name = standard().field_by_header(h, str(v or ""))
        if name and v and _key(str(v)) == _key(fields[name].label):
            hits += 1
    return hits >= 2


# --------------------------------------------------------------------------- writing


def _json_value(name: str, value: Any) -> Any:
    m = mapping()
    kind = m.fields[name].field.kind if name in m.fields else m.extension[name].type
    if isinstance(value, list):
        return value
    if kind == "number":
        return int(value) if re.fullmatch(r"[+-]?\d+", value) else float(value)
    if kind in {"checkbox", "bool"}:
        return value == "true"
    if kind == "int":
        return int(value)
    return value


def _cell(value: Any) -> str:
    """A value in one CSV/XLSX cell: lists ``;``-joined, npp_ JSON fields as JSON."""
    if isinstance(value, list):
        if all(isinstance(v, str) for v in value):
            return ";".join(value)
        return json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    return str(value)


def write_records(records: Iterable[Record], columns: list[str], fmt: str, out: Any) -> int:
    """Write ``records`` to the binary stream ``out``; returns how many were written."""
    n = 0
    if fmt == "json":
        out.write(b"[")
        for rec in records:
            obj = {c: _json_value(c, rec[c]) for c in columns if c in rec}
            out.write((b",\n" if n else b"\n") + json.dumps(obj, ensure_ascii=False).encode())
            n += 1
        out.write(b"\n]\n")
        return n
    if fmt == "xlsx":
        return _write_xlsx(records, columns, out)
    text = io.TextIOWrapper(out, encoding="utf-8", newline="", write_through=True)
    w = csv.writer(text)
    w.writerow(columns)
    for rec in records:
        w.writerow([guard(_cell(rec[c])) if c in rec else "" for c in columns])
        n += 1
    text.flush()
    text.detach()
    return n


def _write_xlsx(records: Iterable[Record], columns: list[str], out: Any) -> int:
    import xlsxwriter

    wb = xlsxwriter.Workbook(out, {"constant_memory": True, "in_memory": False})
    ws = wb.add_worksheet("HTCDS")
    for j, c in enumerate(columns):
        ws.write_string(0, j, c)
    n = 0
    for rec in records:
        n += 1
        for j, c in enumerate(columns):
            if c in rec:
                ws.write_string(n, j, _cell(rec[c]))  # never a formula
    wb.close()
    return n
