"""The disclosure rules `audit` checks (SPEC section 10), each a function of the linked entries.

Every finding has a level:
- `overdue` 已逾期: the rule is broken as of the date (a document published after its deadline, an
  interpretation or report still missing after its deadline, a required field missing …);
- `due` 即将到期: a deadline falls within `--within` days of the date (an interpretation or report not
  yet due, a document about to lapse, an agency about to go quiet for `stale_days`).
`audit` exits 1 on any overdue finding, and with --strict also on findings coming due.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

from ..config.site import CONFIG_FILE, SiteConfig
from ..model import Entry
from .table2 import difference_message, line_of as table2_line
from .workdays import Calendar

RULES = ("timely", "interpretation", "report-due", "report-table-2", "expiring", "normative", "stale")
RULE_LABELS = {"timely": "及时公开", "interpretation": "政策解读", "report-due": "年度报告按时发布",
               "report-table-2": "年度报告表二与目录一致", "expiring": "即将到期的文件（清理）",
               "normative": "行政规范性文件登记号和有效期", "stale": "机构长期未更新"}
LEVELS = {"overdue": "已逾期", "due": "即将到期"}
TIMELY_DAYS = 20                     # 条例 第二十六条
SOURCES = {
    "timely": "条例第二十六条",
    "interpretation": "政策解读要求",
    "report-due": "条例第五十条",
    "report-table-2": "年度报告格式（国办公开办函〔2021〕30号）表二第二十条第（一）项",
    "expiring": "文件清理要求",
    "normative": "行政规范性文件管理",
    "stale": "主动公开动态更新要求",
}
LISTED = ("policies", "interpretations", "reports")


@dataclass
class Finding:
    rule: str
    level: str                   # overdue | due
    path: str
    line: int
    message: str                 # in Chinese, starting with the rule's source
    due: date | None = None      # the deadline (sorting by urgency)
    agencies: tuple = ()         # agency keys
    entry: str | None = None     # entry id

    def text(self) -> str:
        return f"{self.path}:{self.line}: {self.rule}: {self.message}"

    def record(self, config: SiteConfig) -> dict:
        return {"rule": self.rule, "level": self.level, "path": self.path, "line": self.line,
                "entry": self.entry, "agency": [config.agencies[a].name for a in self.agencies if a in config.agencies],
                "due": self.due.isoformat() if self.due else None, "source": SOURCES[self.rule],
                "message": self.message}


def urgency(f: Finding):
    """Overdue first, the longest overdue first; then what comes due soonest."""
    return (0 if f.level == "overdue" else 1, f.due or date.min, f.path, f.line, f.rule, f.message)


class Audit:
    def __init__(self, site_dir: Path, config: SiteConfig, entries: dict[str, Entry], as_of: date, within: int = 90):
        self.site_dir, self.config, self.entries, self.as_of, self.within = site_dir, config, entries, as_of, within
        self.cal = Calendar()
        self.listed = sorted((e for e in entries.values() if e.type in LISTED and e.published), key=lambda e: e.id)
        self.findings: list[Finding] = []
        self._config_lines = None

    # -- helpers --------------------------------------------------------------------------------
    def add(self, rule, level, e: Entry | None, key, message, due=None, agencies=(), path=None, line=None):
        if e is not None:
            path = e.path
            line = line or _line(e, key)
            agencies = agencies or tuple(e.agencies)
        self.findings.append(Finding(rule, level, path, line or 1, f"{SOURCES[rule]}：{message}{self._guess_note(due)}",
                                     due, tuple(agencies), e.id if e is not None else None))

    def _guess_note(self, due: date | None) -> str:
        if due is not None and due.year in self.cal.guessed:
            return f"（节假日日历尚无 {due.year} 年的安排，该年只按周末计算工作日）"
        return ""

    def agency_line(self, key: str) -> tuple[str, int]:
        """site_config.yaml and the line of an agency (report-due, stale name the config)."""
        if self._config_lines is None:
            from ..load import yamltext
            try:
                text = (self.site_dir / CONFIG_FILE).read_bytes().decode("utf-8-sig").replace("\r\n", "\n")
                self._config_lines = yamltext.parse(text, 1)[1]
            except Exception:     # (the config was read once already: a line is a convenience)
                self._config_lines = lambda path: 1
        i = [a.key for a in self.config.agency_list].index(key)
        return CONFIG_FILE, int(self._config_lines(("agencies", i)))

    def name(self, key: str) -> str:
        return self.config.agencies[key].name

    def run(self, rules=RULES) -> list[Finding]:
        for rule in rules:
            getattr(self, "rule_" + rule.replace("-", "_"))()
        return sorted(self.findings, key=urgency)

    # -- the rules ------------------------------------------------------------------------------
    def rule_timely(self):
        """条例 第二十六条: published within 20 working days of written."""
        for e in self.listed:
            if e.written is None or (e.published - e.written).days <= TIMELY_DAYS:   # (N working days span ≥ N days)
                continue
            deadline = self.cal.add_workdays(e.written, TIMELY_DAYS)
            if e.published > deadline:
                late = self._late(deadline, e.published)
                self.add("timely", "overdue", e, "published",
                         f"应自成文日期 {e.written} 起 {TIMELY_DAYS} 个工作日内公开，即不晚于 {deadline}；"
                         f"发布日期 {e.published}，逾期{late}", due=deadline)

    def _late(self, deadline: date, day: date) -> str:
        if (day - deadline).days > 400:
            return f" {(day - deadline).days} 天"
        return f" {self.cal.workdays_between(deadline, day)} 个工作日"

    def rule_interpretation(self):
        """解读 within interpretation_days working days of the policy; a normative document without one."""
        n = self.config.interpretation_days
        interpreted: set[str] = set()
        for i in self.listed:
            if i.type != "interpretations":
                continue
            for pid in i.interprets:
                p = self.entries.get(pid)
                if p is None or p.published is None:
                    continue
                interpreted.add(pid)
                if (i.published - p.published).days <= n:       # (in time whatever the calendar)
                    continue
                deadline = self.cal.add_workdays(p.published, n)
                if i.published > deadline:
                    self.add("interpretation", "overdue", i, "published",
                             f"政策解读应在政策发布后 {n} 个工作日内发布（谁起草、谁解读）：{p.path} 发布于 {p.published}，"
                             f"解读应不晚于 {deadline}；本解读发布于 {i.published}，逾期{self._late(deadline, i.published)}",
                             due=deadline)
        for p in self.listed:
            if p.type != "policies" or p.kind != "normative" or p.id in interpreted or p.interpreted_by:
                continue
            if p.status in ("repealed", "expired"):
                continue
            deadline = self.cal.add_workdays(p.published, n)
            if self.as_of > deadline:
                self.add("interpretation", "overdue", p, "published",
                         f"行政规范性文件没有政策解读：应在发布（{p.published}）后 {n} 个工作日内、即不晚于 {deadline} "
                         f"发布解读（谁起草、谁解读），在 content/interpretations/ 中新建并写 interprets: {p.id}",
                         due=deadline)
            elif (deadline - self.as_of).days <= self.within:
                self.add("interpretation", "due", p, "published",
                         f"行政规范性文件尚无政策解读：请在 {deadline} 前（发布后第 {n} 个工作日）发布解读，"
                         f"解读写 interprets: {p.id}", due=deadline)

    def rule_report_due(self):
        """条例 第五十条: each agency's report for the year before, by 31 January."""
        reports: dict[str, dict[int, list[Entry]]] = {}
        for r in self.listed:
            if r.type == "reports" and r.year:
                for a in r.agencies:
                    reports.setdefault(a, {}).setdefault(r.year, []).append(r)
        keys = self.config.report_agencies if self.config.report_agencies is not None else [
            a.key for a in self.config.agency_list if a.key in reports]
        latest_due = self.as_of.year - 1        # the report whose deadline is (about) 31 January of as_of's year
        for key in keys:
            have = reports.get(key, {})
            first = min(have) if have else latest_due
            for year in range(first, latest_due + 1):
                deadline = self.cal.deadline_on(date(year + 1, 1, 31))      # (a holiday: the next working day)
                moved = f"（1月31日是节假日，顺延至 {deadline}）" if deadline != date(year + 1, 1, 31) else ""
                got = have.get(year)
                if got:
                    r = min(got, key=lambda r: r.published)
                    if r.published > deadline:
                        self.add("report-due", "overdue", r, "published",
                                 f"{self.name(key)} {year} 年度政府信息公开工作年度报告应于 {deadline} 前公布{moved}，"
                                 f"发布日期 {r.published}，逾期 {(r.published - deadline).days} 天",
                                 due=deadline, agencies=(key,))
                    continue
                path, line = self.agency_line(key)
                level = "overdue" if self.as_of > deadline else "due"
                if level == "due" and (deadline - self.as_of).days > self.within:
                    continue
                self.add("report-due", level, None, None,
                         f"{self.name(key)} {year} 年度政府信息公开工作年度报告应于 {deadline} 前公布{moved}，目录中没有"
                         f"（content/reports/ 中 agency: {key}、year: {year} 的报告）", due=deadline, agencies=(key,),
                         path=path, line=line)

    def rule_report_table_2(self):
        """A 2021 report's 第二十条第（一）项 numbers agree with the catalogue (audit/table2.py)."""
        for r in self.listed:
            t = r.table2
            if r.type != "reports" or t is None:
                continue
            for key in t.differences:
                message = difference_message(r, t, key)
                self.add("report-table-2", "overdue", r, None, message, due=date(t.year + 1, 1, 31),
                         line=table2_line(r, key))

    def rule_expiring(self):
        """Documents whose valid_until falls within --within days: the list reviewed before they lapse (清理)."""
        for e in self.listed:
            if e.valid_until is None or e.status in ("repealed", "expired"):
                continue
            days = (e.valid_until - self.as_of).days
            if 0 <= days <= self.within:
                how = "（按规范性文件默认有效期推算）" if e.valid_until_default else ""
                self.add("expiring", "due", e, "valid_until",
                         f"有效期至 {e.valid_until}{how}，还有 {days} 天到期：请在到期前评估，需继续施行的重新发布或修改"
                         f"有效期，到期后本站自动标注为已失效", due=e.valid_until)

    def rule_normative(self):
        """A normative document without valid_until (with normative_validity_years) or reg_no (with reg_no_pattern)."""
        years, pattern = self.config.normative_validity_years, self.config.reg_no_pattern
        if not years and not pattern:
            return
        for e in self.listed:
            if e.type != "policies" or e.kind != "normative" or e.status in ("repealed", "expired"):
                continue
            if years and e.valid_until_default:
                self.add("normative", "overdue", e, "kind",
                         f"行政规范性文件没有写 valid_until（有效期至）：本站按 normative_validity_years: {years} "
                         f"推算为 {e.valid_until}；请按文件写明有效期", due=e.published)
            if pattern and not e.reg_no:
                self.add("normative", "overdue", e, "kind",
                         "行政规范性文件没有写 reg_no（统一登记号）：请按登记机关给出的号码填写", due=e.published)
            elif pattern and not pattern.match(e.reg_no):
                self.add("normative", "overdue", e, "reg_no",
                         f"统一登记号“{e.reg_no}”不符合 site_config.yaml 中 reg_no_pattern 规定的格式"
                         f"（{pattern.pattern}）", due=e.published)

    def rule_stale(self):
        """An agency with no entry published in the last stale_days days."""
        days = self.config.stale_days
        last: dict[str, date] = {}
        for e in self.listed:
            for a in e.agencies:
                if e.published > last.get(a, date.min):
                    last[a] = e.published
        for a in self.config.agency_list:
            path, line = None, None
            since = last.get(a.key)
            if since is None:
                path, line = self.agency_line(a.key)
                self.add("stale", "overdue", None, None, f"{a.name}在目录中没有发布过任何信息", agencies=(a.key,),
                         path=path, line=line)
                continue
            deadline = since + timedelta(days=days)
            if self.as_of > deadline:
                level = "overdue"
            elif (deadline - self.as_of).days <= self.within:
                level = "due"
            else:
                continue
            path, line = self.agency_line(a.key)
            gap = (self.as_of - since).days
            self.add("stale", level, None, None,
                     f"{a.name}最近一次发布信息是 {since}，已 {gap} 天没有发布新信息"
                     + (f"（超过 stale_days: {days}）" if level == "overdue" else f"，{deadline} 后将超过 {days} 天"),
                     due=deadline, agencies=(a.key,), path=path, line=line)


def _line(e: Entry, key) -> int:
    if not key:
        return 1
    try:
        return int(e.line_of((key,)))
    except Exception:       # a line is a convenience
        return 1
