"""Table 二 第二十条第（一）项 from the catalogue: counted across the year boundary (issued, repealed,
expired, amended, not yet in force, next year's), filled in at build when the report leaves it out
(and the page says so), a warning at build and an audit finding when the report states other numbers,
and incremental builds that follow the counted entries."""
from __future__ import annotations

import json
import shutil

from audit_sites import audit, policy, report, site, texts
from helpers import run_build

P = "content/policies/"
N = "normative"
POLICIES = {
    "a": policy(1, kind=N, published="2023-03-01"),                             # issued, in force
    "b": policy(2, kind=N, published="2022-05-01"),                             # repealed by c in 2023
    "c": policy(3, kind=N, published="2023-06-01", repeals="b"),                # issued, in force
    "d": policy(4, kind=N, published="2021-01-01", valid_until="2023-08-31"),   # expired in 2023: neither
    "e": policy(5, kind=N, published="2020-01-01"),                             # amended by f: still in force
    "f": policy(6, kind=N, published="2023-09-01", amends="e"),                 # issued, in force
    "g": policy(7, kind=N, published="2023-12-20", valid_from="2024-01-01"),    # issued, not yet in force
    "h": policy(8, kind=N, published="2024-01-05"),                             # next year: not counted
    "i": policy(9, kind=N, published="2022-01-01"),                             # repealed in 2024: in force
    "j": policy(10, kind=N, published="2024-02-01", repeals="i"),
    "k": policy(11, kind="rule", published="2023-04-01"),                       # 规章
    "l": policy(12, kind=N, published="2023-05-01", agency="czj"),              # another agency
    "m": policy(13, published="2023-05-01"),                                    # kind: other
    "n": policy(14, kind=N, published="2023-02-01"),                            # issued and repealed in 2023
    "o": policy(15, published="2023-10-01", repeals="n"),
}
FILES = {P + f"{k}.md": v for k, v in POLICIES.items()}
FILES["content/reports/r2023.md"] = report(1, 2023, "2024-01-20")                     # rows left out
FILES["content/reports/r2023c.md"] = report(2, 2023, "2024-01-22", agency="czj", rules="[0, 0, 0]",
                                            normative="[2, 0, 2]")                     # rows stated, one differs
AS_OF = "2024-06-01"


def test_counted_across_the_year_boundary(tmp_path):
    from xxgk.diagnostics import Diagnostics
    from xxgk.pipeline import load_and_check
    from datetime import date
    s = site(tmp_path, FILES)
    _c, entries, _d, _f = load_and_check(s, date(2024, 6, 1), Diagnostics())
    t = entries["r2023"].table2
    assert t.counted == {"rules": [["k"], [], ["k"]],
                         "normative_documents": [["a", "c", "f", "g", "n"], ["b", "n"], ["a", "c", "e", "f", "i"]]}
    assert t.filled == ["rules", "normative_documents"]
    assert entries["r2023"].stats["active_disclosure"]["normative_documents"] == [5, 2, 5]
    assert entries["r2023"].stats["active_disclosure"]["rules"] == [1, 0, 1]
    assert entries["r2023c"].table2.differences == ["normative_documents"]   # (its 规章 row: no 规章 of czj at all)


def test_build_fills_and_warns(tmp_path):
    s = site(tmp_path, FILES)
    out = tmp_path / "out"
    r = run_build("build", "--site", str(s), "--output", str(out), "--as-of", AS_OF, "--no-search")
    assert r.returncode == 0, r.stderr
    line = FILES["content/reports/r2023c.md"].splitlines().index("    normative_documents: [2, 0, 2]") + 1
    assert (f"content/reports/r2023c.md:{line}: stats.active_disclosure.normative_documents: 警告：2023年度报告表二第二十条"
            "第（一）项“行政规范性文件”与目录不符：本年制发件数报告填 2，目录统计为 1（l）；现行有效件数报告填 2，目录统计为 1（l）。"
            "目录按 kind: normative 的政策文件统计；请核对报告数字或条目的 kind、发布日期和有效性") in r.stderr.splitlines()
    data = json.loads((out / "reports" / "r2023.json").read_text(encoding="utf-8"))
    assert data["stats"]["active_disclosure"]["normative_documents"] == [5, 2, 5]
    assert data["stats"]["active_disclosure"]["rules"] == [1, 0, 1]
    page = (out / "reports" / "r2023.html").read_text(encoding="utf-8")
    assert "由本站目录中2023年的文件统计得出" in page
    assert "“规章”和“行政规范性文件”的本年制发件数、本年废止件数、现行有效件数未在报告中填写" in page
    assert "由本站目录中" not in (out / "reports" / "r2023c.html").read_text(encoding="utf-8")
    # --strict: the warning fails the build (CI); the office's worklist alone never does
    strict = run_build("check", "--site", str(s), "--as-of", AS_OF, "--strict")
    assert strict.returncode == 1


def test_audit_names_both_numbers(tmp_path):
    s = site(tmp_path, FILES)
    findings, _ = audit(s, AS_OF, rules=["report-table-2"])
    line = FILES["content/reports/r2023c.md"].splitlines().index("    normative_documents: [2, 0, 2]") + 1
    assert texts(findings) == [
        f"content/reports/r2023c.md:{line}: report-table-2: 年度报告格式（国办公开办函〔2021〕30号）表二第二十条第（一）项："
        "2023年度报告表二第二十条第（一）项“行政规范性文件”与目录不符：本年制发件数报告填 2，目录统计为 1（l）；"
        "现行有效件数报告填 2，目录统计为 1（l）。目录按 kind: normative 的政策文件统计；请核对报告数字或条目的 kind、发布日期和有效性"]


def _files(out):
    return {p.relative_to(out).as_posix(): p.read_bytes() for p in sorted(out.rglob("*"))
            if p.is_file() and "pagefind" not in p.parts}


def test_incremental_build_follows_the_counted_entries(tmp_path):
    """A counted policy's front matter edited: the report's page and exports change as in a clean build."""
    s = site(tmp_path, FILES)
    out = tmp_path / "out"
    assert run_build("build", "--site", str(s), "--output", str(out), "--as-of", AS_OF, "--no-search").returncode == 0
    before = (out / "reports" / "r2023.json").read_bytes()
    (s / P / "a.md").write_text(policy(1, kind="other", published="2023-03-01"), encoding="utf-8")
    assert run_build("build", "--site", str(s), "--output", str(out), "--as-of", AS_OF, "--no-search").returncode == 0
    assert (out / "reports" / "r2023.json").read_bytes() != before
    clean_site = tmp_path / "clean"
    shutil.copytree(s, clean_site, ignore=shutil.ignore_patterns(".cache", "output"))
    clean = tmp_path / "clean-out"
    assert run_build("build", "--site", str(clean_site), "--output", str(clean), "--as-of", AS_OF,
                     "--no-search").returncode == 0
    got, want = _files(out), _files(clean)
    got.pop("SHA256SUMS", None), want.pop("SHA256SUMS", None)
    assert sorted(got) == sorted(want)
    assert [k for k in got if got[k] != want[k] and not k.startswith(".")] == []
