"""Generate one synthetic disclosure corpus and write it in five shapes.

The same N entries (policies, interpretations, annual reports; about 3 KB of Chinese each, with
Markdown tables, lists and footnotes; relations: newer policies repeal or amend older ones;
several agencies; topics from the State Council taxonomy; years 2010–2025) are written as:

- an xxgk site folder (site_config.yaml + content/…, like tests/fixtures/basic),
- a Hugo site with a minimal theme of its own (one page per entry, paginated listings by topic,
  agency, year, type and validity at 20 a page, Pagefind attributes on the entry pages),
- a MkDocs project (default theme, one page per entry, a short nav),
- a Pelican project (one article per entry, category = topic, author = agency, tags = keywords),
- an Eleventy project (Markdown entries with front matter, Nunjucks layouts, the same pages and
  paginated listings as the Hugo theme).

Deterministic: the same N and seed give byte-identical files.
"""
from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

AS_OF = date(2026, 1, 1)
PAGE_SIZE = 20

# (key, name, 统一社会信用代码) — the first part of each 索引号
AGENCIES = [
    ("xzf", "示例县人民政府", "11330000MB1234567X"),
    ("czj", "示例县财政局", "11330000MB7654321Y"),
    ("fgj", "示例县发展和改革局", "11330000MB2345678A"),
    ("jyj", "示例县教育局", "11330000MB3456789B"),
    ("wjj", "示例县卫生健康局", "11330000MB4567890C"),
    ("zjj", "示例县住房和城乡建设局", "11330000MB5678901D"),
    ("nyj", "示例县农业农村局", "11330000MB6789012E"),
    ("sjj", "示例县市场监督管理局", "11330000MB7890123F"),
    ("rsj", "示例县人力资源和社会保障局", "11330000MB8901234G"),
    ("mzj", "示例县民政局", "11330000MB9012345H"),
]
AGENCY_ABBR = {"xzf": "示政", "czj": "示财", "fgj": "示发改", "jyj": "示教", "wjj": "示卫健",
               "zjj": "示建", "nyj": "示农", "sjj": "示市监", "rsj": "示人社", "mzj": "示民"}

# Copied from the State Council 主题分类 (reference/topic_taxonomy_gov_cn.yaml): the ones used here.
TOPICS = [
    "综合政务/政务公开", "综合政务/应急管理", "综合政务/电子政务", "综合政务/信访",
    "国民经济管理、国有资产监管/宏观经济", "国民经济管理、国有资产监管/统计", "国民经济管理、国有资产监管/物价",
    "财政、金融、审计/财政", "财政、金融、审计/税务", "财政、金融、审计/审计", "财政、金融、审计/社会信用体系建设",
    "国土资源、能源/土地", "国土资源、能源/水资源", "农业、林业、水利/农业、畜牧业、渔业", "农业、林业、水利/林业",
    "农业、林业、水利/水利", "工业、交通/公路", "商贸、海关、旅游/旅游", "市场监管、安全生产监管/食品药品监管",
    "市场监管、安全生产监管/安全生产监管", "城乡建设、环境保护/城乡建设（含住房）",
    "城乡建设、环境保护/环境监测、保护与治理", "科技、教育/教育", "科技、教育/科技", "卫生、体育/卫生",
    "卫生、体育/体育", "劳动、人事、监察/劳动就业", "劳动、人事、监察/社会保障", "民政、扶贫、救灾/社会福利",
    "民政、扶贫、救灾/减灾救灾", "民政、扶贫、救灾/扶贫", "公安、安全、司法/司法",
]
AGENCY_TOPICS = {
    "xzf": TOPICS[:7], "czj": TOPICS[7:11], "fgj": TOPICS[4:7] + TOPICS[11:13], "jyj": TOPICS[22:24],
    "wjj": TOPICS[24:26], "zjj": TOPICS[20:22] + TOPICS[11:12], "nyj": TOPICS[13:17], "sjj": TOPICS[18:20],
    "rsj": TOPICS[26:28], "mzj": TOPICS[28:32],
}
YEARS = list(range(2010, 2026))
FORMS = ["text", "graphic", "video", "qa", "interview"]
VALIDITY_ZH = {"effective": "有效", "amended": "已修改", "repealed": "已废止", "expired": "已失效"}
TYPE_ZH = {"policies": "政策文件", "interpretations": "政策解读", "reports": "年度报告"}

SUBJECTS = ["各乡镇人民政府", "县政府各部门", "各有关单位", "各级财政部门", "各行业主管部门", "各街道办事处",
            "县直各单位", "各村（社区）", "相关企业", "各学校", "各医疗卫生机构", "各级领导干部"]
VERBS = ["认真贯彻落实", "进一步加强", "切实做好", "统筹推进", "全面深化", "持续优化", "严格规范", "加快完善",
         "扎实开展", "着力提升", "稳步推进", "依法做好", "大力推动", "深入实施", "积极探索"]
OBJECTS = ["政务公开工作", "预算管理制度", "营商环境建设", "行政审批改革", "基层治理体系", "公共服务供给",
           "生态环境保护", "安全生产责任制", "乡村振兴战略", "就业创业服务", "社会保障体系", "义务教育均衡发展",
           "医疗卫生服务", "食品安全监管", "城乡规划管理", "农田水利建设", "三公经费管理", "行政复议工作",
           "政府信息公开目录", "数字政府建设", "住房保障工作", "应急管理能力", "信用体系建设", "统计数据质量",
           "森林防火工作", "养老服务体系", "困难群众救助", "重大项目建设", "政府采购监管", "国有资产管理"]
MANNERS = ["坚持问题导向", "按照职责分工", "结合本地实际", "依照有关法律法规", "围绕年度目标任务", "以群众满意为标准",
           "在县委县政府统一领导下", "根据上级部署要求", "本着公开透明的原则", "坚持试点先行"]
RESULTS = ["确保各项任务落到实处", "不断提高人民群众的获得感", "形成长效工作机制", "切实保障公民合法权益",
           "推动经济社会高质量发展", "提升依法行政水平", "增强政府公信力", "实现应公开尽公开",
           "及时回应社会关切", "营造良好的发展环境", "筑牢安全发展底线"]
HEADINGS = ["总则", "指导思想", "工作目标", "主要任务", "保障措施", "职责分工", "实施步骤", "监督检查", "附则"]
NUMERALS = "一二三四五六七八九十"
TABLE_ROWS = ["一般公共预算收入", "政府性基金收入", "教育支出", "社会保障和就业支出", "卫生健康支出",
              "农林水支出", "城乡社区支出", "节能环保支出", "交通运输支出", "住房保障支出", "一般公共服务支出"]
KEYWORDS = ["预算", "公开", "政务", "营商环境", "行政复议", "三公经费", "乡村振兴", "教育", "医疗", "养老",
            "就业", "社保", "安全生产", "环境保护", "住房", "水利", "林业", "统计", "审计", "税收", "信用",
            "应急", "救助", "扶贫", "规划", "交通", "旅游", "食品安全", "价格", "土地"]


@dataclass
class Entry:
    id: str
    type: str               # policies / interpretations / reports
    title: str
    index_no: str
    agency: str
    published: date
    body: str
    topic: str | None = None
    doc_no: str | None = None
    written: date | None = None
    keywords: list[str] = field(default_factory=list)
    valid_until: date | None = None
    repeals: str | None = None
    amends: str | None = None
    interprets: str | None = None
    form: str | None = None
    year: int | None = None
    validity: str = "effective"     # as of AS_OF, for the peers' validity listing


def _sentence(rng: random.Random) -> str:
    return (f"{rng.choice(MANNERS)}，{rng.choice(SUBJECTS)}要{rng.choice(VERBS)}{rng.choice(OBJECTS)}，"
            f"{rng.choice(VERBS)}{rng.choice(OBJECTS)}，{rng.choice(RESULTS)}。")


def _table(rng: random.Random, year: int) -> str:
    rows = rng.sample(TABLE_ROWS, rng.randint(4, 7))
    lines = [f"| 项目 | {year}年预算数（万元） | {year - 1}年执行数（万元） | 增长（%） |", "|---|---:|---:|---:|"]
    for r in rows:
        a = rng.randint(100, 90000) + rng.randint(0, 99) / 100
        b = a * rng.uniform(0.8, 1.1)
        lines.append(f"| {r} | {a:.2f} | {b:.2f} | {(a / b - 1) * 100:.1f} |")
    return "\n".join(lines)


def _body(rng: random.Random, year: int, target_bytes: int, links: list[str]) -> str:
    parts: list[str] = []
    n = 0
    table_done = False
    while len("\n\n".join(parts).encode()) < target_bytes:
        parts.append(f"## {NUMERALS[n % 10]}、{HEADINGS[n % len(HEADINGS)]}")
        parts.append("".join(_sentence(rng) for _ in range(rng.randint(2, 4))))
        if n == 1 and not table_done:
            parts.append(_table(rng, year))
            table_done = True
        elif n % 3 == 2:
            parts.append("\n".join(f"{i}. {_sentence(rng)}" for i in range(1, rng.randint(3, 5))))
        n += 1
    if links:
        parts.append("相关文件：" + "、".join(links) + "。")
    parts.append(f"本文件由{rng.choice(SUBJECTS)}负责解释[^1]。\n\n[^1]: 自印发之日起施行。")
    return "\n\n".join(parts) + "\n"


def make_entries(n: int, seed: int = 20260101, body_bytes: int = 3000) -> list[Entry]:
    """N entries in publication order: ~85 % policies, ~12 % interpretations, ~3 % reports."""
    rng = random.Random(seed)
    start, end = date(2010, 1, 4), date(2025, 12, 20)
    span = (end - start).days
    serial: dict[tuple[str, int], int] = {}
    entries: list[Entry] = []
    policies_by_agency: dict[str, list[int]] = {a[0]: [] for a in AGENCIES}
    touched: set[int] = set()          # policies already repealed or amended (one relation each)
    reported: set[tuple[str, int]] = set()
    codes = {k: c for k, _, c in AGENCIES}
    names = {k: nm for k, nm, _ in AGENCIES}
    for i in range(n):
        pub = start + timedelta(days=span * i // max(n, 1))
        agency = rng.choice(AGENCIES)[0]
        y = pub.year
        serial[(agency, y)] = serial.get((agency, y), 0) + 1
        index_no = f"{codes[agency]}/{y}-{serial[(agency, y)]:05d}"
        kind = rng.random()
        own = policies_by_agency[agency]
        if kind < 0.03 and (agency, y - 1) not in reported and y > 2010:
            reported.add((agency, y - 1))
            e = Entry(id=f"report-{agency}-{y - 1}", type="reports", index_no=index_no, agency=agency,
                      title=f"{names[agency]}{y - 1}年政府信息公开工作年度报告", published=pub, year=y - 1,
                      body=_body(rng, y - 1, body_bytes, []))
        elif kind < 0.15 and own:
            target = entries[rng.choice(own[-50:])]
            e = Entry(id=f"jd-{i:06d}", type="interpretations", index_no=index_no, agency=agency,
                      title=f"《{target.title}》政策解读", published=pub, interprets=target.id,
                      form=rng.choice(FORMS),
                      body=_body(rng, y, body_bytes, [f"[原文](../policies/{target.id}.md)"]))
        else:
            obj = rng.choice(OBJECTS)
            topic = rng.choice(AGENCY_TOPICS[agency])
            abbr = AGENCY_ABBR[agency]
            e = Entry(id=f"zc-{i:06d}", type="policies", index_no=index_no, agency=agency, topic=topic,
                      title=f"{names[agency]}关于{rng.choice(VERBS)}{obj}的实施意见（{y}年第{serial[(agency, y)]}号）",
                      doc_no=f"{abbr}发〔{y}〕{serial[(agency, y)]}号", published=pub,
                      written=pub - timedelta(days=rng.randint(0, 10)), keywords=rng.sample(KEYWORDS, 3),
                      body="")
            links = []
            r = rng.random()
            candidates = [j for j in own[-40:] if j not in touched]
            if candidates and r < 0.08:
                j = rng.choice(candidates)
                touched.add(j)
                e.repeals = entries[j].id
                entries[j].validity = "repealed"
                links.append(f"[原文件](../policies/{entries[j].id}.md)")
            elif candidates and r < 0.14:
                j = rng.choice(candidates)
                touched.add(j)
                e.amends = entries[j].id
                entries[j].validity = "amended"
                links.append(f"[被修改文件](../policies/{entries[j].id}.md)")
            elif r < 0.18:
                e.valid_until = pub + timedelta(days=rng.randint(365, 5 * 365))
                if e.valid_until < AS_OF:
                    e.validity = "expired"
            e.body = _body(rng, y, body_bytes, links)
            own.append(i)
        entries.append(e)
    return entries


# ---------------------------------------------------------------------------------------------
# xxgk

def _yaml_str(s: str) -> str:
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'


def write_xxgk(entries: list[Entry], root: Path) -> None:
    (root / "content").mkdir(parents=True, exist_ok=True)
    cfg = ["title: 示例县人民政府信息公开（基准测试）", "owner: 示例县人民政府办公室", "lang: zh-Hans",
           "timezone: Asia/Shanghai", "base_url: https://xxgk.example.gov.cn/",
           "index_no_pattern: '^[0-9A-Z]{9,18}/\\d{4}-\\d{5}$'", f"page_size: {PAGE_SIZE}", "agencies:"]
    for k, nm, c in AGENCIES:
        cfg += [f"  - key: {k}", f"    name: {nm}", f"    code: {c}"]
    cfg += ["footer:", "  contact: 示例县人民政府办公室 电话 0000-7654321", "  site_code: '3300000001'",
            "  icp: 示ICP备12345678号", "  police_record: 示公网安备33000002000099号", ""]
    (root / "site_config.yaml").write_text("\n".join(cfg), encoding="utf-8")
    for folder in ("policies", "interpretations", "reports", "pages"):
        (root / "content" / folder).mkdir(exist_ok=True)
    for pid, title, order in (("about", "关于本站", 1), ("privacy", "隐私安全", 2), ("accessibility", "无障碍说明", 3),
                              ("guide", "政府信息公开指南", 4)):
        (root / "content" / "pages" / f"{pid}.md").write_text(
            f"---\ntitle: {title}\nnav_order: {order}\n---\n本页为基准测试站点的{title}。\n", encoding="utf-8")
    for e in entries:
        fm = [f"title: {_yaml_str(e.title)}", f"index_no: {e.index_no}", f"agency: {e.agency}"]
        if e.topic:
            fm.append(f"topic: {e.topic}")
        if e.doc_no:
            fm.append(f"doc_no: {e.doc_no}")
        if e.written:
            fm.append(f"written: {e.written.isoformat()}")
        fm.append(f"published: {e.published.isoformat()}")
        if e.keywords:
            fm.append("keywords: [" + ", ".join(e.keywords) + "]")
        if e.valid_until:
            fm.append(f"valid_until: {e.valid_until.isoformat()}")
        if e.repeals:
            fm.append(f"repeals: {e.repeals}")
        if e.amends:
            fm.append(f"amends: {e.amends}")
        if e.interprets:
            fm += [f"interprets: {e.interprets}", f"form: {e.form}"]
        if e.year:
            fm += [f"year: {e.year}", "format: free"]
        (root / "content" / e.type / f"{e.id}.md").write_text("---\n" + "\n".join(fm) + "\n---\n" + e.body,
                                                             encoding="utf-8")


# ---------------------------------------------------------------------------------------------
# Hugo: a minimal theme of our own, the same pages and listings.
#
# Why Hugo used to take 50-80 s (80 s CPU) at 10,000 entries here instead of the issue's ~5 s: the
# nav in baseof.html did `{{ range site.Sections }}`. In Hugo 0.168 `site.Sections` is not cached:
# every call walks the whole page tree (O(N)), and baseof runs for each of the ~12,500 pages, so the
# build was O(N^2). Measured with `--templateMetrics` at 10,000 entries (loaded machine, CPU = user
# + sys): the original theme 73 s; the same with only that range removed 16 s; with
# `{{ len site.Sections }}` in its place still 82 s (the call itself is the cost, not the links);
# removing the `.GetTerms` cells instead changed nothing. Taxonomies with paginated term pages
# (2,400 pager pages), hasCJKLanguage, relativeURLs, footnotes and tables cost little (a theme
# with only `{{ .Content }}` and the taxonomies paginated: 13 s CPU). The nav links (sections and
# taxonomies) are therefore written out; no template ranges over site.Sections or site.Taxonomies
# on every page (index.html ranges over the three sections once).

HUGO_CONFIG = """baseURL = "https://xxgk.example.gov.cn/"
locale = "zh-CN"
title = "示例县人民政府信息公开（基准测试）"
theme = "bench"
hasCJKLanguage = true
relativeURLs = true
disableKinds = ["RSS", "sitemap", "robotsTXT"]

[pagination]
  pagerSize = {page_size}

[taxonomies]
  topic = "topics"
  agency = "agencies"
  year = "years"
  validity = "validities"

[params]
  owner = "示例县人民政府办公室"

[markup.goldmark.extensions]
  table = true
  footnote = true
"""

HUGO_LAYOUTS = {
    "_default/baseof.html": """<!DOCTYPE html>
<html lang="zh-CN">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{ .Title }} - {{ site.Title }}</title></head>
<body>
<a href="#main">跳到正文</a>
<header><a href="{{ "/" | relURL }}">{{ site.Title }}</a>
<nav data-pagefind-ignore><a href="{{ "/policies/" | relURL }}">政策文件</a> <a href="{{ "/interpretations/" | relURL }}">政策解读</a> <a href="{{ "/reports/" | relURL }}">年度报告</a> 
<a href="{{ "/topics/" | relURL }}">主题分类</a> <a href="{{ "/agencies/" | relURL }}">发布机构</a> <a href="{{ "/years/" | relURL }}">年份</a> <a href="{{ "/validities/" | relURL }}">有效性</a></nav>
</header>
<main id="main">{{ block "main" . }}{{ end }}</main>
<footer data-pagefind-ignore>主办单位：{{ site.Params.owner }}</footer>
</body>
</html>
""",
    "_default/single.html": """{{ define "main" }}
<nav aria-label="面包屑"><a href="{{ "/" | relURL }}">首页</a> › {{ with .CurrentSection }}<a href="{{ .RelPermalink }}">{{ .Title }}</a>{{ end }}</nav>
<article data-pagefind-body data-pagefind-filter="type:{{ .Section }}">
<table><caption>信息公开元数据</caption><tbody>
<tr><th>索引号</th><td>{{ .Params.index_no }}</td><th>主题分类</th><td>{{ range .GetTerms "topics" }}<a href="{{ .RelPermalink }}" data-pagefind-filter="topic">{{ .LinkTitle }}</a>{{ end }}</td></tr>
<tr><th>发文机关</th><td>{{ range .GetTerms "agencies" }}<a href="{{ .RelPermalink }}" data-pagefind-filter="agency">{{ .LinkTitle }}</a>{{ end }}</td><th>成文日期</th><td>{{ .Params.written }}</td></tr>
<tr><th>标题</th><td colspan="3">{{ .Title }}</td></tr>
<tr><th>发文字号</th><td>{{ .Params.doc_no }}</td><th>发布日期</th><td data-pagefind-sort="date">{{ .Date.Format "2006-01-02" }}</td></tr>
<tr><th>主题词</th><td>{{ delimit (.Params.keywords | default slice) "，" }}</td><th>有效性</th><td>{{ range .GetTerms "validities" }}<a href="{{ .RelPermalink }}" data-pagefind-filter="validity">{{ .LinkTitle }}</a>{{ end }}</td></tr>
{{ range .GetTerms "years" }}<tr hidden><td data-pagefind-filter="year">{{ .LinkTitle }}</td></tr>{{ end }}
</tbody></table>
<h1>{{ .Title }}</h1>
{{ .Content }}
</article>
{{ end }}
""",
    "_default/list.html": """{{ define "main" }}
<h1>{{ .Title }}</h1>
{{ $pager := .Paginate .Pages.ByDate.Reverse }}
<table><caption>{{ .Title }}（共 {{ len .Pages }} 条）</caption>
<thead><tr><th>索引号</th><th>标题</th><th>发文字号</th><th>发布日期</th><th>有效性</th></tr></thead><tbody>
{{ range $pager.Pages }}<tr><td>{{ .Params.index_no }}</td><td><a href="{{ .RelPermalink }}">{{ .Title }}</a></td><td>{{ .Params.doc_no }}</td><td>{{ .Date.Format "2006-01-02" }}</td><td>{{ delimit (.Params.validities | default slice) "" }}</td></tr>
{{ end }}</tbody></table>
<nav aria-label="分页">{{ with $pager.Prev }}<a href="{{ .URL }}">上一页</a>{{ end }} 第 {{ $pager.PageNumber }} / {{ $pager.TotalPages }} 页 {{ with $pager.Next }}<a href="{{ .URL }}">下一页</a>{{ end }}</nav>
{{ end }}
""",
    "_default/terms.html": """{{ define "main" }}
<h1>{{ .Title }}</h1>
<ul>{{ range .Data.Terms.Alphabetical }}<li><a href="{{ .Page.RelPermalink }}">{{ .Page.Title }}</a>（{{ .Count }}）</li>
{{ end }}</ul>
{{ end }}
""",
    "index.html": """{{ define "main" }}
<h1>{{ site.Title }}</h1>
{{ range site.Sections }}<section><h2><a href="{{ .RelPermalink }}">{{ .Title }}</a></h2><ul>
{{ range first 10 .Pages.ByDate.Reverse }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a> {{ .Date.Format "2006-01-02" }}</li>
{{ end }}</ul></section>{{ end }}
{{ end }}
""",
}


def write_hugo(entries: list[Entry], root: Path) -> None:
    (root / "content").mkdir(parents=True, exist_ok=True)
    (root / "hugo.toml").write_text(HUGO_CONFIG.replace("{page_size}", str(PAGE_SIZE)), encoding="utf-8")
    for rel, text in HUGO_LAYOUTS.items():
        p = root / "themes" / "bench" / "layouts" / rel
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text(text, encoding="utf-8")
    names = {k: nm for k, nm, _ in AGENCIES}
    for folder, title in TYPE_ZH.items():
        (root / "content" / folder).mkdir(exist_ok=True)
        (root / "content" / folder / "_index.md").write_text(f"---\ntitle: {title}\n---\n", encoding="utf-8")
    for e in entries:
        fm = [f"title: {_yaml_str(e.title)}", f"date: {e.published.isoformat()}", f"index_no: {e.index_no}",
              f"agencies: [{_yaml_str(names[e.agency])}]", f"years: ['{e.published.year}']",
              f"validities: [{VALIDITY_ZH[e.validity]}]"]
        if e.topic:
            fm.append(f"topics: [{_yaml_str(e.topic.replace('/', ' · '))}]")
        if e.doc_no:
            fm.append(f"doc_no: {e.doc_no}")
        if e.written:
            fm.append(f"written: '{e.written.isoformat()}'")
        if e.keywords:
            fm.append("keywords: [" + ", ".join(e.keywords) + "]")
        (root / "content" / e.type / f"{e.id}.md").write_text("---\n" + "\n".join(fm) + "\n---\n" + e.body,
                                                             encoding="utf-8")


# ---------------------------------------------------------------------------------------------
# MkDocs: default theme, one page per entry, a short nav (a nav of every page would make every
# page carry 10,000 links: quadratic output, not what anyone would publish)

def write_mkdocs(entries: list[Entry], root: Path) -> None:
    docs = root / "docs"
    docs.mkdir(parents=True, exist_ok=True)
    (root / "mkdocs.yml").write_text(
        "site_name: 示例县人民政府信息公开（基准测试）\n"
        "site_url: https://xxgk.example.gov.cn/\n"
        "use_directory_urls: false\n"
        "theme:\n  name: mkdocs\n  locale: zh_CN\n"
        "plugins: []\n"
        "markdown_extensions:\n  - tables\n  - footnotes\n  - attr_list\n  - toc\n"
        "nav:\n  - 首页: index.md\n"
        + "".join(f"  - {t}: {f}/index.md\n" for f, t in TYPE_ZH.items())
        + "validation:\n  omitted_files: ignore\n  not_found: ignore\n",
        encoding="utf-8")
    (docs / "index.md").write_text("# 示例县人民政府信息公开\n\n基准测试站点。\n", encoding="utf-8")
    names = {k: nm for k, nm, _ in AGENCIES}
    for folder, title in TYPE_ZH.items():
        (docs / folder).mkdir(exist_ok=True)
        (docs / folder / "index.md").write_text(f"# {title}\n", encoding="utf-8")
    for e in entries:
        meta = (f"| 索引号 | {e.index_no} | 主题分类 | {e.topic or ''} |\n|---|---|---|---|\n"
                f"| 发文机关 | {names[e.agency]} | 发布日期 | {e.published.isoformat()} |\n"
                f"| 发文字号 | {e.doc_no or ''} | 有效性 | {VALIDITY_ZH[e.validity]} |\n")
        (docs / e.type / f"{e.id}.md").write_text(f"# {e.title}\n\n{meta}\n{e.body}", encoding="utf-8")


# ---------------------------------------------------------------------------------------------
# Pelican: one article per entry; category = topic, author = agency, tags = keywords

def write_pelican(entries: list[Entry], root: Path) -> None:
    content = root / "content"
    content.mkdir(parents=True, exist_ok=True)
    (root / "pelicanconf.py").write_text(
        "AUTHOR = '示例县人民政府办公室'\nSITENAME = '示例县人民政府信息公开（基准测试）'\n"
        "SITEURL = 'https://xxgk.example.gov.cn'\nPATH = 'content'\nTIMEZONE = 'Asia/Shanghai'\n"
        "DEFAULT_LANG = 'zh'\nDEFAULT_PAGINATION = %d\nLOAD_CONTENT_CACHE = False\nCACHE_CONTENT = False\n"
        "ARTICLE_URL = '{slug}.html'\nARTICLE_SAVE_AS = '{slug}.html'\n" % PAGE_SIZE,
        encoding="utf-8")
    names = {k: nm for k, nm, _ in AGENCIES}
    for e in entries:
        cat = e.topic.replace("/", " · ") if e.topic else TYPE_ZH[e.type]
        head = [f"Title: {e.title}", f"Date: {e.published.isoformat()}", f"Category: {cat}",
                f"Author: {names[e.agency]}", f"Slug: {e.id}"]
        if e.keywords:
            head.append("Tags: " + ", ".join(e.keywords))
        (content / f"{e.id}.md").write_text("\n".join(head) + "\n\n" + e.body, encoding="utf-8")


# ---------------------------------------------------------------------------------------------
# Eleventy (11ty 3, Nunjucks layouts, markdown-it with tables and markdown-it-footnote): the same
# pages as the Hugo theme — one per entry with the metadata table, listings by type, topic, agency,
# year and validity at 20 a page (a collection of 20-entry chunks paginated one a page), a term
# index per taxonomy and a home page. Bodies are not run through a template engine
# (markdownTemplateEngine: false; Hugo does not template content either). The node packages are
# not in the corpus: bench/run.py links node_modules to its npm install (bench/work/node).

ELEVENTY_CONFIG = """import footnote from "markdown-it-footnote";

const TAXA = [
  ["types", "文件类型", (p) => p.data.type_zh],
  ["topics", "主题分类", (p) => p.data.topic],
  ["agencies", "发布机构", (p) => p.data.agency],
  ["years", "年份", (p) => String(p.date.getUTCFullYear())],
  ["validities", "有效性", (p) => p.data.validity],
];
const TYPE_SLUG = { "政策文件": "policies", "政策解读": "interpretations", "年度报告": "reports" };
const SIZE = {page_size};

export default function (eleventyConfig) {
  eleventyConfig.amendLibrary("md", (md) => md.use(footnote));
  eleventyConfig.addFilter("ymd", (d) => d.toISOString().slice(0, 10));
  eleventyConfig.addCollection("entries", (api) =>
    api.getFilteredByTag("entry").sort((a, b) => b.date - a.date));
  // every listing page: {url, title, items (20 entries), pageNumber, totalPages, prev, next}
  eleventyConfig.addCollection("listingPages", (api) => {
    const entries = api.getFilteredByTag("entry").sort((a, b) => b.date - a.date);
    const out = [];
    for (const [taxon, , key] of TAXA) {
      const groups = new Map();
      for (const p of entries) {
        const term = key(p);
        if (term === undefined || term === null || term === "") continue;
        if (!groups.has(term)) groups.set(term, []);
        groups.get(term).push(p);
      }
      let i = 0;
      for (const [term, items] of groups) {
        i += 1;
        const base = taxon === "types" ? `/${TYPE_SLUG[term]}/` : `/${taxon}/${i}/`;
        const total = Math.ceil(items.length / SIZE);
        for (let n = 0; n < total; n++) {
          const url = (k) => (k === 0 ? base : `${base}page/${k + 1}/`);
          out.push({ url: url(n), title: term, count: items.length, items: items.slice(n * SIZE, (n + 1) * SIZE),
                     pageNumber: n + 1, totalPages: total, prev: n > 0 ? url(n - 1) : null,
                     next: n + 1 < total ? url(n + 1) : null, taxon, first: n === 0 });
        }
      }
    }
    return out;
  });
  return {
    dir: { input: "content", includes: "_includes", output: "_site" },
    templateFormats: ["md", "njk"],
    markdownTemplateEngine: false,
    htmlTemplateEngine: "njk",
  };
}
"""

ELEVENTY_FILES = {
    "content/_includes/base.njk": """<!DOCTYPE html>
<html lang="zh-CN">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{ title }} - {{ site.title }}</title></head>
<body>
<a href="#main">跳到正文</a>
<header><a href="/">{{ site.title }}</a>
<nav data-pagefind-ignore><a href="/policies/">政策文件</a> <a href="/interpretations/">政策解读</a> <a href="/reports/">年度报告</a>
<a href="/topics/">主题分类</a> <a href="/agencies/">发布机构</a> <a href="/years/">年份</a> <a href="/validities/">有效性</a></nav>
</header>
<main id="main">{{ content | safe }}</main>
<footer data-pagefind-ignore>主办单位：{{ site.owner }}</footer>
</body>
</html>
""",
    "content/_includes/entry.njk": """---
layout: base.njk
---
<nav aria-label="面包屑"><a href="/">首页</a> › <a href="/{{ type }}/">{{ type_zh }}</a></nav>
<article data-pagefind-body data-pagefind-filter="type:{{ type }}">
<table><caption>信息公开元数据</caption><tbody>
<tr><th>索引号</th><td>{{ index_no }}</td><th>主题分类</th><td data-pagefind-filter="topic">{{ topic }}</td></tr>
<tr><th>发文机关</th><td data-pagefind-filter="agency">{{ agency }}</td><th>成文日期</th><td>{{ written }}</td></tr>
<tr><th>标题</th><td colspan="3">{{ title }}</td></tr>
<tr><th>发文字号</th><td>{{ doc_no }}</td><th>发布日期</th><td data-pagefind-sort="date">{{ page.date | ymd }}</td></tr>
<tr><th>主题词</th><td>{{ (keywords or []) | join("，") }}</td><th>有效性</th><td data-pagefind-filter="validity">{{ validity }}</td></tr>
</tbody></table>
<h1>{{ title }}</h1>
{{ content | safe }}
</article>
""",
    "content/content.11tydata.json": """{"layout": "entry.njk", "tags": ["entry"]}
""",
    "content/_data/site.json": """{"title": "示例县人民政府信息公开（基准测试）", "owner": "示例县人民政府办公室"}
""",
    "content/listing.njk": """---
pagination:
  data: collections.listingPages
  size: 1
  alias: lp
permalink: "{{ lp.url }}index.html"
layout: base.njk
eleventyComputed:
  title: "{{ lp.title }}"
eleventyExcludeFromCollections: true
---
<h1>{{ lp.title }}</h1>
<table><caption>{{ lp.title }}（共 {{ lp.count }} 条）</caption>
<thead><tr><th>索引号</th><th>标题</th><th>发文字号</th><th>发布日期</th><th>有效性</th></tr></thead><tbody>
{% for p in lp.items %}<tr><td>{{ p.data.index_no }}</td><td><a href="{{ p.url }}">{{ p.data.title }}</a></td><td>{{ p.data.doc_no }}</td><td>{{ p.date | ymd }}</td><td>{{ p.data.validity }}</td></tr>
{% endfor %}</tbody></table>
<nav aria-label="分页">{% if lp.prev %}<a href="{{ lp.prev }}">上一页</a>{% endif %} 第 {{ lp.pageNumber }} / {{ lp.totalPages }} 页 {% if lp.next %}<a href="{{ lp.next }}">下一页</a>{% endif %}</nav>
""",
    "content/terms.njk": """---
pagination:
  data: taxa
  size: 1
  alias: taxon
taxa: [["topics", "主题分类"], ["agencies", "发布机构"], ["years", "年份"], ["validities", "有效性"]]
permalink: "/{{ taxon[0] }}/index.html"
layout: base.njk
eleventyComputed:
  title: "{{ taxon[1] }}"
eleventyExcludeFromCollections: true
---
<h1>{{ taxon[1] }}</h1>
<ul>{% for lp in collections.listingPages %}{% if lp.taxon == taxon[0] and lp.first %}<li><a href="{{ lp.url }}">{{ lp.title }}</a>（{{ lp.count }}）</li>
{% endif %}{% endfor %}</ul>
""",
    "content/index.njk": """---
layout: base.njk
title: 首页
permalink: /index.html
eleventyExcludeFromCollections: true
---
<h1>{{ site.title }}</h1>
{% for slug, name in {"policies": "政策文件", "interpretations": "政策解读", "reports": "年度报告"} %}<section><h2><a href="/{{ slug }}/">{{ name }}</a></h2><ul>
{% set shown = 0 %}{% for p in collections.entries %}{% if p.data.type == slug and shown < 10 %}<li><a href="{{ p.url }}">{{ p.data.title }}</a> {{ p.date | ymd }}</li>
{% set shown = shown + 1 %}{% endif %}{% endfor %}</ul></section>{% endfor %}
""",
}


def write_eleventy(entries: list[Entry], root: Path) -> None:
    (root / "content").mkdir(parents=True, exist_ok=True)
    (root / "eleventy.config.mjs").write_text(ELEVENTY_CONFIG.replace("{page_size}", str(PAGE_SIZE)),
                                              encoding="utf-8")
    for rel, text in ELEVENTY_FILES.items():
        p = root / rel
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text(text, encoding="utf-8")
    names = {k: nm for k, nm, _ in AGENCIES}
    for folder in TYPE_ZH:
        (root / "content" / folder).mkdir(exist_ok=True)
    for e in entries:
        fm = [f"title: {_yaml_str(e.title)}", f"date: {e.published.isoformat()}", f"index_no: {e.index_no}",
              f"type: {e.type}", f"type_zh: {TYPE_ZH[e.type]}", f"agency: {_yaml_str(names[e.agency])}",
              f"validity: {VALIDITY_ZH[e.validity]}"]
        if e.topic:
            fm.append(f"topic: {_yaml_str(e.topic.replace('/', ' · '))}")
        if e.doc_no:
            fm.append(f"doc_no: {e.doc_no}")
        if e.written:
            fm.append(f"written: '{e.written.isoformat()}'")
        if e.keywords:
            fm.append("keywords: [" + ", ".join(e.keywords) + "]")
        (root / "content" / e.type / f"{e.id}.md").write_text("---\n" + "\n".join(fm) + "\n---\n" + e.body,
                                                             encoding="utf-8")


WRITERS = {"xxgk": write_xxgk, "hugo": write_hugo, "mkdocs": write_mkdocs, "pelican": write_pelican,
           "eleventy": write_eleventy}


def write_all(n: int, work: Path, tools: list[str] | None = None) -> dict[str, Path]:
    """Write the corpus for the given tools (default: all) under work/<tool>/."""
    entries = make_entries(n)
    dirs = {}
    for tool in tools or list(WRITERS):
        dirs[tool] = work / tool
        WRITERS[tool](entries, dirs[tool])
    return dirs


def summary(entries: list[Entry]) -> dict[str, int]:
    out: dict[str, int] = {}
    for e in entries:
        out[e.type] = out.get(e.type, 0) + 1
    out["repeals"] = sum(1 for e in entries if e.repeals)
    out["amends"] = sum(1 for e in entries if e.amends)
    out["bytes"] = sum(len(e.body.encode()) for e in entries)
    return out
