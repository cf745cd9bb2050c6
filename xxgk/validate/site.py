"""Checks across the whole site: every entry's fields, duplicates, links, personal data, raw HTML."""
from __future__ import annotations

import bisect
import hashlib
import posixpath
import re
from dataclasses import dataclass, field
from datetime import date

from ..config.site import SiteConfig
from ..diagnostics import Diagnostics
from ..load.source import RawEntry
from ..model import BODY_PLACEHOLDER, Entry
from .fields import validate_entry

# Markdown links and reference definitions whose target ends in .md (no scheme)
# (a title stops at "]" or a line end, a label at a line end: each try scans to the next one, not to
# the end of the body, so `](a.md "` × 120,000 is linear)
MD_LINK_RE = re.compile(r"\]\(\s*<?(?P<a>[^()\s<>]+?\.md)(?:#[^()\s>]*)?>?(?:\s+[\"'(][^)\]\n]*)?\)"
                        r"|^[ \t]{0,3}\[[^\]\n]+\]:\s*<?(?P<b>\S+?\.md)(?:#\S*)?>?(?:\s|$)"
                        r"|href=[\"'](?P<c>[^\"'#?]+?\.md)(?:#[^\"']*)?[\"']", re.M)


def resolve_md_link(entry_path: str, href: str) -> str | None:
    """content/policies/a.md + ../interpretations/b.md → 'interpretations/b'; None if outside content/."""
    if re.match(r"^[a-zA-Z][a-zA-Z0-9+.-]*:", href) or href.startswith("/"):
        return None
    base = posixpath.dirname(entry_path)
    target = posixpath.normpath(posixpath.join(base, href))
    if not target.startswith("content/"):
        return None
    return target[len("content/"):-3]


_FENCE_LINE = re.compile(r"^(```|~~~)[^\n]*$", re.M)
_INLINE_CODE = re.compile(r"`[^`\n]+`")


def _code_spans(body: str) -> list[tuple[int, int]]:
    """Fenced blocks (a ``` or ~~~ line to the next line starting with the same three marks) and
    inline `code`, sorted, not overlapping; one linear pass each."""
    spans, open_at, fence = [], None, ""
    for m in _FENCE_LINE.finditer(body):
        if open_at is None:
            open_at, fence = m.start(), m.group(1)
        elif m.group(1) == fence:
            spans.append((open_at, m.end()))
            open_at = None
    out, i = [], 0
    for m in _INLINE_CODE.finditer(body):
        while i < len(spans) and spans[i][1] <= m.start():
            out.append(spans[i])
            i += 1
        if i < len(spans) and spans[i][0] <= m.start():
            continue                      # inside a fenced block
        out.append((m.start(), m.end()))
    return out + spans[i:]


def md_links(body: str):
    """(offset, href) of every link to a .md file in a Markdown body, outside code."""
    code_spans = _code_spans(body)
    starts = [a for a, _b in code_spans]
    for m in MD_LINK_RE.finditer(body):
        i = bisect.bisect_right(starts, m.start()) - 1
        if i >= 0 and code_spans[i][0] <= m.start() < code_spans[i][1]:
            continue
        yield m.start(), m.group("a") or m.group("b") or m.group("c")


@dataclass
class Checked:
    """What the per-file checks made of one content file: its entry (None when unusable), its own
    messages and the entries its body links to. Depends only on the file's bytes, the config and
    the attachments it names (`attachments`: rel → (size, digest), or None when missing) — so it can be kept
    between builds (incremental/entries.py) and reused while those are unchanged."""
    id: str
    type: str
    entry: Entry | None
    diagnostics: list = field(default_factory=list)
    stats_diagnostics: list = field(default_factory=list)   # only reported when the entry is published now
    links: list = field(default_factory=list)                # (line, href, target or None)
    attachments: dict = field(default_factory=dict)
    parsed: bool = True                                      # False: the file could not be read as an entry


class _Recording(dict):
    """The attachments dict, recording each lookup (a dependency is recorded where it is read)."""

    def __init__(self, real: dict):
        super().__init__()
        self.real, self.seen = real, {}

    def get(self, key, default=None):
        att = self.real.get(key)
        self.seen[key] = att.key if att is not None else None
        return att if att is not None else default


def check_file(raw: RawEntry | None, id_: str, type_: str, config: SiteConfig, attachments: dict,
               diags: Diagnostics) -> Checked:
    """Every check that needs only this one file (after read_entry recorded its own problems)."""
    from . import privacy
    from .. import annual2021
    from ..render import sanitize_report
    from ..attachments.messages import check_attachments

    if raw is None:
        return Checked(id_, type_, None, parsed=False)
    seen = _Recording(attachments)
    e = validate_entry(raw, config, seen, diags)
    out = Checked(raw.id, raw.type, e, attachments=seen.seen)
    if e is None:
        return out
    e.body_digest = hashlib.sha256(e.body.encode("utf-8", "surrogatepass")).hexdigest()
    for offset, href in md_links(e.body):
        out.links.append((e.body_line + e.body.count("\n", 0, offset), href, resolve_md_link(e.path, href)))
    # personal data in title, summary and body
    level = "notice" if e.personal_data == "public_notice" else "error"
    for text, field_, base_line in ((e.title, "title", e.line_of(("title",))),
                                    (e.summary or "", "summary", e.line_of(("summary",))),
                                    (e.body, "-", e.body_line)):
        for hit in privacy.find_personal_data(text):
            line = base_line + text.count("\n", 0, hit.start)
            msg = (f"疑似{hit.label}“{hit.masked}”：发布前须去标识化（删除或部分遮盖）；"
                   "依法须公示的（如惩戒公示）请在元数据中写 personal_data: public_notice")
            diags.add(e.path, line, field_, msg, level, code="personal-data")
    # personal data and refused files in its attachments (SPEC 11: xxgk/attachments/)
    check_attachments(e, attachments, diags)
    # raw HTML that will be removed
    for line, desc in sanitize_report.find_unsafe_html(e.body):
        # (a description of something removed for layout or media says why itself)
        why = "" if "（" in desc else "（正文中的原始 HTML 不允许脚本、事件属性、iframe 和表单）"
        diags.warning(e.path, e.body_line + line - 1, "-", f"{desc}{why}", code="unsafe-html")
    at = e.body.find(BODY_PLACEHOLDER)
    if at >= 0:
        diags.warning(e.path, e.body_line + e.body.count("\n", 0, at), "-",
                      f"正文仍有占位文字“{BODY_PLACEHOLDER}”（new 和 init 写下的）：请换成正文", code="placeholder")
    if e.type == "reports" and e.format == "2021":
        stats = Diagnostics()
        normalised, problems = annual2021.check_stats(e.stats, lambda p, e=e: e.line_of(tuple(p)))
        for p in problems:
            stats.error(e.path, p.line, p.field, p.message, code="stats")
        e.stats = normalised
        out.stats_diagnostics = stats.items
    e.links = sorted({t for _l, _h, t in out.links if t})
    e.body = None     # checked: the text is read again only if its Markdown is rendered (load.source.body_of)
    return out


LINKED_FIELDS = ("repeals", "repealed_by", "amends", "amended_by", "interprets", "interpreted_by")


def _fresh(e: Entry) -> Entry:
    """A copy the link stage may complete (relations, validity) without touching the kept original."""
    c = object.__new__(Entry)            # copy.copy, without its generic (and 10× slower) protocol
    d = c.__dict__
    d.update(e.__dict__)
    for k in LINKED_FIELDS:
        d[k] = list(d[k])
    return c


def check_site(checked: list[Checked], as_of: date, diags: Diagnostics) -> tuple[dict[str, Entry], set[str]]:
    """The checks across files. Returns (published entries by id, ids of every entry file, including
    scheduled entries and files that have errors)."""
    entries: dict[str, Entry] = {}
    # a file that could not be read or parsed has its own error: what links to it or names it in a
    # relation is not told that it does not exist (a did-you-mean would even suggest breaking the link)
    all_ids = {c.id for c in checked}
    type_of = {c.id: c.type for c in checked}
    index_nos: dict[str, Entry] = {}
    for c in checked:
        e = c.entry
        if e is None:
            continue
        if e.index_no:
            other = index_nos.get(e.index_no)
            if other is not None:
                diags.error(e.path, e.line_of(("index_no",)), "index_no",
                            f"索引号“{e.index_no}”与 {other.path}:{other.line_of(('index_no',))} 重复：索引号必须唯一",
                            code="dup-index-no")
            else:
                index_nos[e.index_no] = e
        # links to other entries' source files
        for line, href, target in c.links:
            if target is None or "/" not in target:
                diags.error(e.path, line, "-", f"链接“{href}”指向 content 以外；链接其他条目请写作 ../policies/编号.md",
                            code="bad-link")
                continue
            t_type, t_id = target.split("/", 1)
            if type_of.get(t_id) != t_type:
                where_ = f"（它在 content/{type_of[t_id]}/ 中）" if t_id in type_of else ""
                diags.error(e.path, line, "-", f"链接的条目不存在：content/{target}.md{where_}", code="bad-link")
        # scheduled publication
        if e.published and e.published > as_of:
            diags.notice(e.path, e.line_of(("published",)), "published",
                         f"发布日期 {e.published} 晚于 {as_of}，本次构建暂不发布（定时发布）", code="scheduled")
            continue
        diags.extend(c.stats_diagnostics)
        entries[e.id] = _fresh(e)
    return entries, all_ids

