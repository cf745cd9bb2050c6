"""A report's numbers as data: JSON and CSV per report, every report's figures in one CSV, and back."""
from __future__ import annotations

import csv
import io
import json
import re
from datetime import date, datetime
from typing import Any, Iterable, Iterator

from ..render.exports import csv_safe
from .numbers import fmt, iter_figures, normalise
from .schema import (ACTIVE_LISTS, ACTIVE_ROWS, APPLICANT_COLUMNS, APPLICATION_ITEMS, CORP_GROUP, REFERENCE,
                     REVIEW_COLUMNS, REVIEW_ROWS)


# -- exports --------------------------------------------------------------------------------------------
CSV_COLUMNS = ("report_id", "agency", "year", "table", "row", "column", "value")


def _jsonable(value: Any) -> Any:
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    if isinstance(value, (list, tuple)):
        return [_jsonable(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    return value


def _labels() -> dict:
    rows, columns = {}, {}
    for key, (b, label, cols) in ACTIVE_ROWS.items():
        rows[f"active_disclosure.{key}"] = f"{REFERENCE['table_2_active_disclosure'][b]['block']} {label}"
        columns[f"active_disclosure.{key}"] = list(cols)
    for item in APPLICATION_ITEMS:
        for leaf, leaf_label in item.leaves or ((None, None),):
            k = f"applications.{item.key}" + (f".{leaf}" if leaf else "")
            rows[k] = item.full_label + (f" {leaf_label}" if leaf else "")
    columns["applications"] = [c if i in (0, 6) else f"{CORP_GROUP} / {c}" for i, c in enumerate(APPLICANT_COLUMNS)]
    for key, (group, sub) in REVIEW_ROWS.items():
        rows[f"review_litigation.{key}"] = group if sub is None else f"{group} {sub}"
    columns["review_litigation"] = list(REVIEW_COLUMNS)
    return {"sections": dict(zip(("active_disclosure", "applications", "review_litigation"),
                                 REFERENCE["sections"][1:4])),
            "rows": rows, "columns": columns, "units": {"active_disclosure.fees": "万元", "*": "件"}}


def export_json(report_meta: dict, normalised: Any) -> str:
    """reports/<id>.json: {"report": meta (in the caller's order), "stats": the normalised numbers
    (in the order of the official tables), "labels": what each key and column means}."""
    stats = normalise(normalised)
    doc = {"report": _jsonable(report_meta), "format": "2021", "stats": stats, "labels": _labels()}
    return json.dumps(doc, ensure_ascii=False, indent=1) + "\n"


def _agency_text(agency: Any) -> str:
    return ";".join(agency) if isinstance(agency, (list, tuple)) else ("" if agency is None else str(agency))


def _rows_for(report_id: str, agency: Any, year: Any, stats: Any) -> Iterator[list[str]]:
    for _path, table, row, col, value in iter_figures(normalise(stats)):
        # (an agency name is the one text an editor writes here: neutralised like catalogue.csv's cells)
        yield [report_id, csv_safe(_agency_text(agency)), "" if year is None else str(year), table, row, col, fmt(value)]


def _csv(rows: Iterable[list[str]]) -> str:
    buf = io.StringIO()
    w = csv.writer(buf)      # \r\n line ends, the csv module's default
    w.writerow(CSV_COLUMNS)
    w.writerows(rows)
    return "\ufeff" + buf.getvalue()


def export_csv(report_meta: dict, normalised: Any) -> str:
    """reports/<id>.csv: one line per figure (long format, the columns of figures.csv), UTF-8 with BOM."""
    rid = str(report_meta.get("id") or report_meta.get("report_id") or "")
    return _csv(_rows_for(rid, report_meta.get("agency"), report_meta.get("year"), normalised))


def figures_csv(reports: list[dict]) -> str:
    """reports/figures.csv: every report's figures in one long table. Each item is
    {'report_id' (or 'id'), 'agency', 'year', 'stats'}; ordered by agency, year, report id."""
    items = sorted(reports, key=lambda r: (_agency_text(r.get("agency")), int(r.get("year") or 0),
                                           str(r.get("report_id") or r.get("id") or "")))
    rows: list[list[str]] = []
    for r in items:
        rows.extend(_rows_for(str(r.get("report_id") or r.get("id") or ""), r.get("agency"), r.get("year"),
                              r["stats"]))
    return _csv(rows)


def _empty_stats() -> dict:
    act = {k: ([0] * len(cols) if k in ACTIVE_LISTS else 0) for k, (_b, _l, cols) in ACTIVE_ROWS.items()}
    app = {i.key: ({k: [0] * 7 for k, _ in i.leaves} if i.leaves else [0] * 7) for i in APPLICATION_ITEMS}
    return {"active_disclosure": act, "applications": app,
            "review_litigation": {k: [0] * len(REVIEW_COLUMNS) for k in REVIEW_ROWS}}


def parse_figures_csv(text: str) -> dict[str, dict]:
    """The inverse of export_csv / figures_csv: {report id: normalised stats}."""
    where = {(t, r, c): path for path, t, r, c, _v in iter_figures(_empty_stats())}
    out: dict[str, dict] = {}
    reader = csv.reader(io.StringIO(text.lstrip("\ufeff"), newline=""))
    header = next(reader)
    if tuple(header) != CSV_COLUMNS:
        raise ValueError(f"unexpected columns {header}")
    for rid, _agency, _year, table, row, col, value in reader:
        stats = out.setdefault(rid, _empty_stats())
        path = where[(table, row, col)]
        target = stats
        for p in path[:-1]:
            target = target[p]
        number: int | float = int(value) if re.fullmatch(r"\d+", value) else float(value)
        target[path[-1]] = number
    return out
