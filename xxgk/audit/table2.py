"""Table 二 第二十条第（一）项 of a 2021-format annual report, counted from the catalogue.

For a report of agencies A and year Y, among the published policies of A whose `kind` is `rule`
(规章) or `normative` (行政规范性文件):

- 本年制发件数: published in Y;
- 本年废止件数: repealed in Y (their status on 31 December of Y is `repealed`, since a day in Y);
- 现行有效件数: in force on 31 December of Y (published by then; status `effective` or `amended`
  on that day: an amended document is still in force, an expired, repealed or not yet effective
  one is not).

A report that leaves the two rows out of `stats.active_disclosure` gets them filled in at build
(and its page says they were computed); a report that states them is compared, and a difference
is a warning at build and a finding of `audit` (rule report-table-2) naming both numbers and the
entries counted — once the catalogue holds any document of that kind for the report's agencies
(before that it does not know the number). This runs in the link stage, after validity (pipeline.load_and_check).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from ..link.validity import status_at
from ..model import Entry

ROWS = {"rules": ("rule", "规章"), "normative_documents": ("normative", "行政规范性文件")}
COLUMNS = ("本年制发件数", "本年废止件数", "现行有效件数")
IN_FORCE = ("effective", "amended")


@dataclass
class Table2:
    """What the catalogue holds for one report: per row, the counted entry ids of each column."""
    year: int
    counted: dict[str, list[list[str]]] = field(default_factory=dict)   # row key → [ids] per column
    filled: list[str] = field(default_factory=list)                      # rows the report left out
    stated: dict[str, list[int]] = field(default_factory=dict)           # rows the report states
    known: set[str] = field(default_factory=set)    # rows whose kind the agencies' entries use at all

    def numbers(self, key: str) -> list[int]:
        return [len(ids) for ids in self.counted[key]]

    @property
    def differences(self) -> list[str]:
        # (a catalogue with no entry of that kind for the agencies, in any year, does not know the number:
        # a site that has not started writing `kind` is not told its every report is wrong)
        return [k for k in ROWS if k in self.stated and k in self.known and self.stated[k] != self.numbers(k)]

    def key(self) -> tuple:
        """What the report's page and exports show of it (for their keys in render/site.py)."""
        return (self.year, sorted(self.filled), [(k, self.numbers(k)) for k in ROWS])


def count(report: Entry, by_agency: dict[str, list[Entry]], entries: dict[str, Entry]) -> Table2:
    year = report.year
    dec31 = date(year, 12, 31)
    t = Table2(year)
    seen: set[str] = set()
    pool = []
    for a in report.agencies:
        for e in by_agency.get(a, ()):
            if e.id not in seen:
                seen.add(e.id)
                pool.append(e)
    pool.sort(key=lambda e: e.id)
    for key, (kind, _label) in ROWS.items():
        issued, repealed, in_force = [], [], []
        for e in pool:
            if e.kind == kind:
                t.known.add(key)
            if e.kind != kind or e.published is None or e.published > dec31:
                continue
            if e.published.year == year:
                issued.append(e.id)
            status, since, _cause = status_at(e, entries, dec31)
            if status == "repealed" and since is not None and since.year == year:
                repealed.append(e.id)
            if status in IN_FORCE:
                in_force.append(e.id)
        t.counted[key] = [issued, repealed, in_force]
    return t


def fill(entries: dict[str, Entry], diags=None) -> None:
    """Count table 二 for every 2021-format report; fill the rows it left out; warn where it differs."""
    reports = [e for e in entries.values() if e.type == "reports" and e.format == "2021" and e.stats and e.year]
    if not reports:
        return
    by_agency: dict[str, list[Entry]] = {}
    for e in entries.values():
        if e.type == "policies" and e.kind in ("rule", "normative"):
            for a in e.agencies:
                by_agency.setdefault(a, []).append(e)
    for r in reports:
        t = count(r, by_agency, entries)
        act = r.stats.get("active_disclosure") if isinstance(r.stats, dict) else None
        if not isinstance(act, dict):
            continue
        new_act = dict(act)                      # (a new dict: the checked original may be kept by the cache)
        for key in ROWS:
            if act.get(key) is None:
                t.filled.append(key)
                new_act[key] = t.numbers(key)
            else:
                t.stated[key] = list(act[key])
        r.stats = {**r.stats, "active_disclosure": new_act}
        r.table2 = t
        if diags is not None:
            for key in t.differences:
                diags.warning(r.path, line_of(r, key), f"stats.active_disclosure.{key}", difference_message(r, t, key),
                              code="table-2")


def line_of(r: Entry, key: str) -> int:
    try:
        return int(r.line_of(("stats", "active_disclosure", key)))
    except Exception:       # a line is a convenience
        return 1


def difference_message(r: Entry, t: Table2, key: str) -> str:
    """Both numbers of each column that differs, and the entries the catalogue counted."""
    _kind, label = ROWS[key]
    stated, counted = t.stated[key], t.numbers(key)
    parts = []
    for i, col in enumerate(COLUMNS):
        if stated[i] != counted[i]:
            ids = t.counted[key][i]
            parts.append(f"{col}报告填 {stated[i]}，目录统计为 {counted[i]}"
                         f"（{'、'.join(ids) if ids else '没有条目'}）")
    return (f"{t.year}年度报告表二第二十条第（一）项“{label}”与目录不符：" + "；".join(parts)
            + f"。目录按 kind: {ROWS[key][0]} 的政策文件统计；请核对报告数字或条目的 kind、发布日期和有效性")
