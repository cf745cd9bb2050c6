"""Issue 26 (1): an interpretation carries the state of the policies it interprets; a report has no
validity row; a long page repeats the marking for a reader who jumps into the middle."""
from __future__ import annotations

import csv
import io
import json
import re
from datetime import date

import pytest

from inspection_site import build_site
from xxgk.diagnostics import Diagnostics
from xxgk.link import relations, validity
from xxgk.model import Entry


@pytest.fixture(scope="module")
def out(tmp_path_factory):
    return build_site(tmp_path_factory.mktemp("validity26"))


def body_validity(out, rel: str) -> str:
    return re.search(r'<body[^>]*data-validity="([a-z]+)"', (out / rel).read_text(encoding="utf-8")).group(1)


def test_interpretation_of_a_repealed_policy_is_repealed_with_a_banner(out):
    page = (out / "interpretations/old-rules-explained.html").read_text(encoding="utf-8")
    assert body_validity(out, "interpretations/old-rules-explained.html") == "repealed"
    mark = re.search(r'<div class="validity-mark validity-repealed" role="note".*?</div>', page, re.S).group(0)
    assert "本解读所解读的政策" in mark and 'href="../policies/old-rules.html"' in mark
    assert "自 2022-03-01 起已废止" in mark and "本解读随之不再适用" in mark
    # the metadata block says so too
    assert '<span class="status status-repealed">已废止</span>' in page


def test_interpretation_of_an_expired_policy_is_expired(out):
    page = (out / "interpretations/short-lived-explained.html").read_text(encoding="utf-8")
    assert body_validity(out, "interpretations/short-lived-explained.html") == "expired"
    assert "自 2021-01-01 起已失效" in page and 'href="../policies/short-lived.html"' in page


def test_interpretation_of_an_amended_policy_stays_effective_with_a_note(out):
    page = (out / "interpretations/amended-rules-explained.html").read_text(encoding="utf-8")
    assert body_validity(out, "interpretations/amended-rules-explained.html") == "effective"
    note = re.search(r'<div class="validity-mark validity-amended interpreted-note".*?</div>', page, re.S).group(0)
    assert "自 2023-06-01 起已修改" in note and "本解读针对修改前的文本" in note
    assert 'href="../policies/amended-rules.html"' in note


def test_interpretation_of_policies_of_which_one_still_stands_stays_effective(out):
    page = (out / "interpretations/both-explained.html").read_text(encoding="utf-8")
    assert body_validity(out, "interpretations/both-explained.html") == "effective"
    assert "收费管理办法（2015年）</a>自 2022-03-01 起已废止，本解读中有关该政策的内容不再适用" in page


def test_computed_status_reaches_catalogue_exports_listings_and_filters(out):
    records = {r["id"]: r for r in json.loads((out / "catalogue.json").read_text(encoding="utf-8"))["entries"]}
    assert (records["old-rules-explained"]["validity"], records["old-rules-explained"]["validity_since"]) == \
        ("repealed", "2022-03-01")
    assert records["short-lived-explained"]["validity"] == "expired"
    assert records["amended-rules-explained"]["validity"] == "effective"
    rows = {r["id"]: r for r in csv.DictReader(io.StringIO((out / "catalogue.csv").read_text(encoding="utf-8-sig")))}
    assert rows["old-rules-explained"]["validity"] == "repealed"
    assert "interpretations/old-rules-explained.html" in (out / "catalogue/validity/repealed.html").read_text(encoding="utf-8")
    assert "interpretations/old-rules-explained.html" not in \
        (out / "catalogue/validity/effective.html").read_text(encoding="utf-8")
    page = (out / "interpretations/old-rules-explained.html").read_text(encoding="utf-8")
    assert 'data-pagefind-filter="validity:已废止"' in page        # the search filter


def test_a_long_page_repeats_the_marking_hidden_from_screen_readers(out):
    page = (out / "interpretations/old-rules-explained.html").read_text(encoding="utf-8")
    sticky = re.findall(r'<p class="validity-sticky[^"]*"([^>]*)>([^<]*)</p>', page)
    assert len(sticky) == 1
    attrs, text = sticky[0]
    assert 'aria-hidden="true"' in attrs and "data-pagefind-ignore" in attrs
    assert "已废止" in text and "2022-03-01" in text
    # before the body, so it sticks while the body scrolls (the browser test checks it stays in view)
    assert page.index("validity-sticky") < page.index('<div class="body">')
    effective = (out / "policies/new-rules.html").read_text(encoding="utf-8")
    assert "validity-sticky" not in effective


def test_a_report_has_no_validity_row(tmp_path):
    from helpers import run_build
    out = tmp_path / "out"
    r = run_build("build", "--output", str(out), "--no-search", "--as-of", "2026-11-23")
    assert r.returncode == 0, r.stderr
    for f in (out / "reports").glob("*.html"):
        text = f.read_text(encoding="utf-8")
        if "data-entry-id" in text:
            table = re.search(r'<table class="meta".*?</table>', text, re.S).group(0)
            assert "有效性" not in table, f.name
    # a 2021-format report's page links its own numbers (issue 26 (7))
    linked = 0
    for f in (out / "reports").glob("*.json"):
        page = (out / "reports" / f"{f.stem}.html").read_text(encoding="utf-8")
        m = re.search(r'<p class="report-data">本报告的统计数据：<a href="../reports/([^"]+)\.json" type="application/json">JSON</a>、'
                      r'<a href="../reports/([^"]+)\.csv" type="text/csv">CSV</a>', page)
        assert m and m.group(1) == m.group(2) == f.stem and (out / "reports" / f"{f.stem}.csv").is_file(), f.stem
        linked += 1
    assert linked >= 2
    policy = next((out / "policies").glob("*.html")).read_text(encoding="utf-8")
    assert "有效性" in re.search(r'<table class="meta".*?</table>', policy, re.S).group(0)


def _entry(id_, type_="policies", **kw) -> Entry:
    e = Entry(id=id_, type=type_, path=f"content/{type_}/{id_}.md", line_of=lambda p: 1, body="", body_line=1, digest="")
    e.published = kw.pop("published", date(2020, 1, 1))
    for k, v in kw.items():
        setattr(e, k, v)
    return e


def test_an_interpretations_own_earlier_repeal_stays_final():
    """follow_interpreted runs after every policy's status is known, and never overrides an ended entry."""
    d = {"p": _entry("p", repealed_by=["q"]), "q": _entry("q", published=date(2024, 1, 1)),
         "i": _entry("i", "interpretations", interprets=["p"], validity="repealed", status_date=date(2021, 5, 1))}
    relations.complete(d, set(d), Diagnostics())
    validity.compute_all(d, date(2026, 1, 1))
    assert (d["i"].status, d["i"].status_since, d["i"].status_cause) == ("repealed", date(2021, 5, 1), None)
    # and the order of the entries does not matter: the interpretation first, its policy after
    d2 = {"i": _entry("i", "interpretations", interprets=["p"]), "p": _entry("p", repealed_by=["q"]),
          "q": _entry("q", published=date(2024, 1, 1))}
    relations.complete(d2, set(d2), Diagnostics())
    validity.compute_all(d2, date(2026, 1, 1))
    assert (d2["i"].status, d2["i"].status_since, d2["i"].status_cause) == ("repealed", date(2024, 1, 1), "p")


def test_repealing_the_policy_in_a_later_build_renders_the_interpretation_again(tmp_path):
    """The incremental keys (meta_digest) include what the interpretation now shows of its policy."""
    from inspection_site import AS_OF, CONFIG_26, files
    from helpers import run_build
    from sitemaker import make_site, policy
    site = make_site(tmp_path / "site", files(), CONFIG_26)
    out = tmp_path / "out"
    args = ("build", "--site", str(site), "--output", str(out), "--as-of", AS_OF, "--no-search")
    assert run_build(*args).returncode == 0
    page = out / "interpretations/amended-rules-explained.html"
    assert 'data-validity="effective"' in page.read_text(encoding="utf-8")
    (site / "content/policies/repealer.md").write_text(
        policy(9, title="废止预算管理办法的决定", published="2024-02-01", repeals="amended-rules"), encoding="utf-8")
    r = run_build(*args)
    assert r.returncode == 0, r.stderr
    text = page.read_text(encoding="utf-8")
    assert 'data-validity="repealed"' in text and "自 2024-02-01 起已废止" in text
    assert "interpretations/amended-rules-explained.html" in (out / "catalogue/validity/repealed.html").read_text(
        encoding="utf-8")
