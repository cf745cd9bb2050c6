"""Policy kinds (SPEC 10): kind, reg_no and the default validity of normative documents, on entry pages,
in the `kind` catalogue axis and in catalogue.json / catalogue.csv."""
from __future__ import annotations

import csv
import io
import json

from audit_sites import policy, site
from helpers import run_build

P = "content/policies/"


def _build(tmp_path, as_of: str, extra: str = "normative_validity_years: 5\n"):
    s = site(tmp_path, {P + "n1.md": policy(1, kind="normative", published="2019-03-01", reg_no="XZFG-2019-001"),
                        P + "n2.md": policy(2, kind="normative", published="2020-02-29"),
                        P + "n3.md": policy(3, kind="normative", published="2019-03-01", valid_until="2030-12-31"),
                        P + "r1.md": policy(4, kind="rule", published="2021-01-01"),
                        P + "o1.md": policy(5, published="2021-01-01")}, extra)
    out = tmp_path / "out"
    r = run_build("build", "--site", str(s), "--output", str(out), "--as-of", as_of, "--no-search")
    assert r.returncode == 0, r.stderr
    return out


def test_normative_validity_years_makes_documents_expire(tmp_path):
    out = _build(tmp_path, "2024-03-01")
    records = {e["id"]: e for e in json.loads((out / "catalogue.json").read_text(encoding="utf-8"))["entries"]}
    # 5 years from 2019-03-01: valid to 2024-02-29, expired from 2024-03-01; from 29 February: to 28 February
    assert (records["n1"]["valid_until"], records["n1"]["validity"], records["n1"]["validity_since"]) == (
        "2024-02-29", "expired", "2024-03-01")
    assert (records["n2"]["valid_until"], records["n2"]["validity"]) == ("2025-02-28", "effective")
    assert (records["n3"]["valid_until"], records["n3"]["validity"]) == ("2030-12-31", "effective")
    assert records["o1"]["valid_until"] is None                 # only normative documents get the default
    assert [records[k]["kind"] for k in ("n1", "r1", "o1")] == ["normative", "rule", "other"]
    assert records["n1"]["reg_no"] == "XZFG-2019-001" and records["r1"]["reg_no"] is None
    page = (out / "policies" / "n1.html").read_text(encoding="utf-8")
    assert 'data-validity="expired"' in page
    assert ('<tr><th scope="row">文件类别</th><td>行政规范性文件</td><th scope="row">有效期至</th>'
            '<td>2024-02-29（按规范性文件默认有效期推算）</td></tr>') in page
    assert '<tr><th scope="row">统一登记号</th><td colspan="3">XZFG-2019-001</td></tr>' in page
    assert "<td>2030-12-31</td>" in (out / "policies" / "n3.html").read_text(encoding="utf-8")


def test_without_the_key_no_default(tmp_path):
    out = _build(tmp_path, "2024-03-01", extra="")
    records = {e["id"]: e for e in json.loads((out / "catalogue.json").read_text(encoding="utf-8"))["entries"]}
    assert (records["n1"]["valid_until"], records["n1"]["validity"]) == (None, "effective")


def test_catalogue_columns_and_kind_axis(tmp_path):
    out = _build(tmp_path, "2024-03-01")
    data = json.loads((out / "catalogue.json").read_text(encoding="utf-8"))
    rows = list(csv.reader(io.StringIO((out / "catalogue.csv").read_text(encoding="utf-8-sig"))))
    assert rows[0] == list(data["entries"][0])                  # the same columns in the same order
    assert rows[0][-3:] == ["kind", "reg_no", "valid_until"]
    by_id = {r[0]: r for r in rows[1:]}
    assert by_id["n1"][-3:] == ["normative", "XZFG-2019-001", "2024-02-29"]
    assert by_id["o1"][-3:] == ["other", "", ""]
    for slug, label, ids in (("rule", "规章", ["r1"]), ("normative", "行政规范性文件", ["n1", "n2", "n3"]),
                             ("other", "其他文件", ["o1"])):
        listing = (out / "catalogue" / "kind" / f"{slug}.html").read_text(encoding="utf-8")
        assert label in listing
        assert sorted(i for i in ("n1", "n2", "n3", "r1", "o1") if f"policies/{i}.html" in listing) == ids
    index = (out / "catalogue" / "index.html").read_text(encoding="utf-8")
    assert index.index("kind/rule.html") < index.index("kind/normative.html") < index.index("kind/other.html")
