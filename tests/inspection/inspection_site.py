"""A small site for the SPEC 12 / issue 26 tests: policies in every state, interpretations of each, a
long repealed one, formula-like titles; built once a module with `build_site`."""
from __future__ import annotations

from pathlib import Path

from helpers import run_build
from sitemaker import CONFIG, entry, make_site, policy

AS_OF = "2026-11-23"
BASE = "https://xxgk.example.gov.cn/"
CONFIG_26 = CONFIG.replace("lang: zh-Hans\n", f"lang: zh-Hans\nbase_url: {BASE}\n") + """\
  site_code: '3300000001'
  icp: 示ICP备12345678号
  police_record: 示公网安备33000002000099号
  dzjg_logo: files/dzjg.png
  jiucuo_url: https://zfwzgl.www.gov.cn/exposure/jiucuo.html?site_code=3300000001
"""
LONG_BODY = "\n\n".join(f"## 第{i}部分\n\n" + "本段说明办法的具体规定。" * 40 for i in range(1, 13))


def interpretation(n: int, interprets: str, **fields) -> str:
    base = {"title": f"解读{n}", "index_no": f"11330000MB1234567X/2021-{n:05d}", "agency": "xzf",
            "published": "2021-01-01", "interprets": interprets}
    base.update(fields)
    return entry(base, fields.pop("body", "解读正文。"))


def files() -> dict:
    from helpers import REPO
    return {
        # old-rules (2015) repealed by new-rules from 2022-03-01; amended-rules amended by amend-2023
        "content/policies/old-rules.md": policy(1, title="收费管理办法（2015年）", doc_no="示政发〔2015〕56号",
                                                published="2015-01-01", body=LONG_BODY),
        "content/policies/new-rules.md": policy(2, title="收费管理办法（2022年）", published="2022-01-20",
                                                valid_from="2022-03-01", repeals="old-rules"),
        "content/policies/amended-rules.md": policy(3, title="预算管理办法", published="2019-01-01"),
        "content/policies/amend-2023.md": policy(4, title="关于修改预算管理办法的决定", published="2023-06-01",
                                                 amends="amended-rules"),
        "content/policies/short-lived.md": policy(5, title="临时措施", published="2020-01-01", valid_until="2020-12-31"),
        "content/policies/formula.md": policy(6, title="'=HYPERLINK(\"http://evil.example\",\"点我\")'",
                                              doc_no="'+示政发〔2020〕1号'", keywords="['@SUM(A1)', '-1+2']"),
        "content/interpretations/old-rules-explained.md": interpretation(
            1, "old-rules", published="2015-01-05", body=LONG_BODY),
        "content/interpretations/amended-rules-explained.md": interpretation(2, "amended-rules", published="2019-01-05"),
        "content/interpretations/short-lived-explained.md": interpretation(3, "short-lived", published="2020-01-05"),
        "content/interpretations/both-explained.md": interpretation(4, "[old-rules, new-rules]", published="2022-01-25"),
        "content/files/dzjg.png": (REPO / "content" / "files" / "dzjg-example.png").read_bytes(),
    }


def build_site(root: Path, extra: dict | None = None, config: str = CONFIG_26, *args: str) -> Path:
    site = make_site(root / "site", {**files(), **(extra or {})}, config)
    out = root / "out"
    r = run_build("build", "--site", str(site), "--output", str(out), "--as-of", AS_OF, "--no-search", *args)
    assert r.returncode == 0, r.stdout + r.stderr
    return out
