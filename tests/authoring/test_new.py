"""`python build.py new TYPE ID`: every type writes a file that `check` refuses until its TODOs are
filled, and accepts once they are; the next free 索引号; refusals of taken and invalid ids."""
from __future__ import annotations

import re
import shutil
import sys
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO / "tests"))
from helpers import FIXTURES, run_build  # noqa: E402

from xxgk.load.site import check_id  # noqa: E402

FOLDER = {"policy": "policies", "interpretation": "interpretations", "report": "reports", "page": "pages"}
TODAY = datetime.now(ZoneInfo("Asia/Shanghai")).date()
FILL = {
    "title": "title: 新建条目的标题",
    "topic": "topic: 财政、金融、审计/财政",
    "interprets": "interprets: budget-2019",
}


@pytest.fixture
def site(tmp_path) -> Path:
    return Path(shutil.copytree(FIXTURES / "basic", tmp_path / "site"))


def fill_todos(text: str) -> str:
    """What an editor does: replace each `key:   # TODO …` line with a value."""
    def repl(m):
        return FILL[m.group(1)]
    out = re.sub(r"^(\w+):\s*# TODO.*$", repl, text, flags=re.M)
    assert "# TODO" not in out
    return out.replace("TODO：在此填写正文（Markdown）。", "正文。")


@pytest.mark.parametrize("type_", list(FOLDER))
def test_new_entry_is_refused_until_filled_then_passes_check(site, type_):
    r = run_build("new", type_, "brand-new", "--site", str(site))
    assert r.returncode == 0, r.stderr
    path = site / "content" / FOLDER[type_] / "brand-new.md"
    assert path.is_file()
    text = path.read_text(encoding="utf-8")
    assert f"content/{FOLDER[type_]}/brand-new.md" in r.stdout

    from xxgk.validate.fields import ALLOWED
    keys = re.findall(r"^(\w+):", text.split("---")[1], flags=re.M)
    assert set(keys) == set(ALLOWED[FOLDER[type_]]) | ({"stats"} if type_ == "report" else set()), \
        "every field of the type is present"
    if type_ != "page":
        assert f"published: {TODAY.isoformat()}" in text
        assert f"index_no: '11330000MB1234567X/{TODAY.year}-00001'" in text

    # unfilled: check names every TODO field by its key, with the file and line
    r = run_build("check", "--site", str(site), "--as-of", TODAY.isoformat())
    assert r.returncode == 1
    todo_keys = re.findall(r"^(\w+):\s*# TODO", text, flags=re.M)
    assert "title" in todo_keys
    for key in todo_keys:
        line = next(i for i, l in enumerate(text.splitlines(), 1) if l.startswith(key + ":"))
        assert f"content/{FOLDER[type_]}/brand-new.md:{line}: {key}: " in r.stderr, r.stderr
    assert "Traceback" not in r.stderr

    path.write_text(fill_todos(text), encoding="utf-8")
    r = run_build("check", "--strict", "--site", str(site), "--as-of", TODAY.isoformat())
    assert r.returncode == 0, r.stderr


def test_next_free_index_no_of_the_agency_this_year(site):
    y = TODAY.year
    (site / "content/policies/this-year.md").write_text(
        f"---\ntitle: 今年\nindex_no: 11330000MB7654321Y/{y}-00041\nagency: czj\ntopic: 财政、金融、审计\n"
        f"published: {y}-01-01\n---\n正文\n", encoding="utf-8")
    (site / "content/policies/last-year.md").write_text(
        f"---\ntitle: 去年\nindex_no: 11330000MB7654321Y/{y - 1}-00099\nagency: czj\ntopic: 财政、金融、审计\n"
        f"published: {y - 1}-01-01\n---\n正文\n", encoding="utf-8")
    r = run_build("new", "policy", "next-one", "--site", str(site), "--agency", "czj")
    assert r.returncode == 0, r.stderr
    text = (site / "content/policies/next-one.md").read_text(encoding="utf-8")
    assert f"index_no: '11330000MB7654321Y/{y}-00042'" in text
    assert "agency: czj" in text
    # default agency: the first in the config, its own serials
    r = run_build("new", "report", "next-two", "--site", str(site))
    assert r.returncode == 0, r.stderr
    assert f"11330000MB1234567X/{y}-00001" in (site / "content/reports/next-two.md").read_text(encoding="utf-8")


def test_refuses_an_existing_id_in_any_folder(site):
    before = (site / "content/policies/budget-2019.md").read_bytes()
    r = run_build("new", "page", "budget-2019", "--site", str(site))
    assert r.returncode == 1
    assert "content/policies/budget-2019.md" in r.stderr
    assert not (site / "content/pages/budget-2019.md").exists()
    assert (site / "content/policies/budget-2019.md").read_bytes() == before


@pytest.mark.parametrize("bad", ["Budget", "预算", "a_b", "-lead", "zero\u200bwidth", "a b"])
def test_refuses_an_invalid_id_with_check_id_reason(site, bad):
    before = sorted(p.name for p in (site / "content").rglob("*"))
    r = run_build("new", "policy", "--site", str(site), "--", bad)   # "--": an id may start with "-"
    assert r.returncode == 1, r.stderr
    assert check_id(bad) in r.stderr
    assert "Traceback" not in r.stderr
    assert sorted(p.name for p in (site / "content").rglob("*")) == before


def test_unknown_agency_did_you_mean(site):
    r = run_build("new", "policy", "x-1", "--site", str(site), "--agency", "czz")
    assert r.returncode == 1
    assert "未知机构“czz”" in r.stderr and "是否想写“czj”" in r.stderr
    assert not (site / "content/policies/x-1.md").exists()
