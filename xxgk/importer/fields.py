"""From what was read to the entry's fields (SPEC 9): which type it is, the metadata mapped to
front matter, and what could not be found (written as TODO)."""
from __future__ import annotations

import re
from pathlib import Path

from . import annual
from .blocks import Table, to_markdown
from .document import Parts, read_parts
from .matching import AgencyMatcher, match_topic
from .model import Draft, Extracted
from .normalize import clean, is_traditional, normalise_doc_no, parse_date

VALIDITY = (("废止", "repealed"), ("失效", "expired"), ("修改", "amended"), ("修订", "amended"), ("有效", None))
_INTERPRETATION_RE = re.compile(r"解读|答记者问|图解|一图读懂|问答")
_REPORT_RE = re.compile(r"年度报告|年报")
_ATTACHMENT_LINE_RE = re.compile(r"^附\s*件\s*\d*\s*[:：]?$")
_QUOTED_RE = re.compile(r"[《<〈]([^》>〉]{2,80})[》>〉]")
# what a person must fill in when the source does not say, per type
TODO_FIELDS = {
    "policy": ("title", "index_no", "agency", "topic", "doc_no", "written", "published"),
    "interpretation": ("title", "index_no", "agency", "published", "interprets"),
    "report": ("title", "index_no", "agency", "published", "year"),
}
LABEL = {"title": "标题", "index_no": "索引号", "agency": "发文机关", "topic": "主题分类", "doc_no": "发文字号",
         "written": "成文日期", "published": "发布日期", "year": "报告年度", "interprets": "所解读的政策"}


class Context:
    """What every source of one run shares: the config, the options, the entries already there."""

    def __init__(self, config, type_: str = "auto", agency: str | None = None, titles: dict | None = None):
        self.config = config
        self.type = type_
        self.agency = agency
        self.matcher = AgencyMatcher(config.agency_list)
        self.titles = titles or {}          # title → id of existing entries (interpretations link to them)


def _agencies(parts: Parts, ctx: Context) -> tuple[list[str], str | None]:
    """Agency keys: from the metadata block, the signature, the red header, else --agency."""
    seen = []
    for source in ([parts.meta.get("agency", "")], parts.signers, parts.header_names, [parts.meta.get("source", "")]):
        for text in source:
            for key in ctx.matcher.match_all(text or ""):
                if key not in seen:
                    seen.append(key)
        if seen:
            return seen, None
    if ctx.agency:
        return [ctx.agency], None
    named = parts.meta.get("agency") or (parts.signers[0] if parts.signers else "") or \
        (parts.header_names[0] if parts.header_names else "")
    return [], named or None


def _type(ctx: Context, title: str, has_stats: bool) -> str:
    if ctx.type != "auto":
        return ctx.type
    if has_stats or _REPORT_RE.search(title or ""):
        return "report"
    if _INTERPRETATION_RE.search(title or ""):
        return "interpretation"
    return "policy"


def build_draft(source: Path, ex: Extracted, ctx: Context) -> Draft:
    parts = read_parts(ex.blocks, ex.meta_lines, word=ex.kind == "docx")
    meta = parts.meta
    title = clean(meta.get("title") or "") or parts.title or (ex.title_hints[0] if ex.title_hints else "")
    tables = [b for b, _l in parts.blocks if isinstance(b, Table)]
    stats, stat_lines, used = (None, {}, [])
    if ctx.type in ("auto", "report") and tables:
        stats, stat_lines, used = annual.stats_from_tables(tables)
    type_ = _type(ctx, title, stats is not None)
    d = Draft(source=source, type=type_)
    f = d.fields
    f["title"] = title
    f["index_no"] = clean(meta.get("index_no", "")).replace(" ", "")
    keys, named = _agencies(parts, ctx)
    f["agency"] = keys
    if named and not keys:
        d.todo["agency"] = f"原文的发文机关为“{named}”，不是 site_config.yaml 中的机构：请写机构代号，或在配置中添加该机构"
    if type_ == "policy" or meta.get("topic"):
        topic = match_topic(meta.get("topic", ""), ctx.config.topics)
        f["topic"] = topic
        if meta.get("topic") and not topic:
            d.todo["topic"] = f"原文的主题分类为“{clean(meta['topic'])}”，不是本站的主题分类：请改写为本站的分类"
    doc_no = meta.get("doc_no") or parts.doc_no
    f["doc_no"] = normalise_doc_no(doc_no) if doc_no else None
    written = parts.written or parse_date(meta.get("written") or "")
    published = parse_date(meta.get("published") or "") or parse_date(meta.get("written_or_published") or "")
    if not written and meta.get("written_or_published"):
        written = parse_date(meta["written_or_published"])
    f["written"] = written
    f["published"] = published
    kw = meta.get("keywords", "")
    f["keywords"] = [k for k in re.split(r"[\s,，;；、]+", kw) if k][:20] if kw else []
    text_sample = title + " " + " ".join(b.text for b, _l in parts.blocks[:60] if not isinstance(b, Table))
    traditional = is_traditional(text_sample)
    if traditional and ctx.config.lang != "zh-Hant":
        f["lang"] = "zh-Hant"
    elif not traditional and ctx.config.lang == "zh-Hant" and text_sample.strip():
        f["lang"] = "zh-Hans"
    disclosure = parts.disclosure
    if "依申请" in meta.get("disclosure", ""):
        disclosure = "依申请公开"
    if disclosure == "依申请公开":
        f["disclosure"] = disclosure
    for word, status in VALIDITY:
        if word in meta.get("validity", ""):
            if status:
                f["validity"] = status
            break
    for key in ("valid_from", "valid_until"):
        value = parse_date(meta.get(key) or "")
        if value:
            f[key] = value
    if type_ == "interpretation":
        quoted = _QUOTED_RE.findall(title)
        f["interprets"] = next((ctx.titles[q] for q in quoted if q in ctx.titles), None)
        f["form"] = "graphic" if re.search(r"图解|一图读懂", title) else "qa" if "问答" in title else "text"
    if type_ == "report":
        m = re.search(r"((?:19|20)\d{2})\s*年(?:度)?", title)
        f["year"] = int(m.group(1)) if m else None
        f["format"] = "2021" if stats is not None else "free"
        if stats is not None:
            f["stats"] = stats
            for p in annual.check(stats, stat_lines):
                d.problems.append((p.line, p.field, p.message))
    body = [(b, lvl) for b, lvl in parts.blocks if not any(b is u for u in used)
            and not (ex.attachments and not isinstance(b, Table) and _ATTACHMENT_LINE_RE.match(b.text.strip()))]
    d.body = to_markdown(body)
    d.attachments = list(ex.attachments)
    if ex.missing:
        d.notes.append("附件文件不在网页旁边，未复制：" + "、".join(dict.fromkeys(ex.missing))[:300])
    for name in TODO_FIELDS[type_]:
        if f.get(name) in (None, "", []) and name not in d.todo:
            d.todo[name] = f"原文中没有找到{LABEL[name]}，请填写"
    return d
