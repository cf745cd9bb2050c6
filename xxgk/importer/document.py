"""Reading a document's own parts from its blocks: the page furniture and the metadata block left
out, the title (never the red 发文机关标志 header), the 文号 line, the signature and the date under
it, 公开属性 lines, and which lines are headings."""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from . import furniture, metadata, tables
from .blocks import Block, Para, Table, heading_like, numbering_level
from .normalize import DOC_NO_LINE_RE, date_line, normalise_doc_no, to_simplified

TOP = 20                  # the title, 文号 and header are among the first blocks
_NOTICE_RE = re.compile(r"印[发發]\s*[<《〈](.{2,80}?)[>》〉]\s*的?(?:通知|函|决定)$")
_DOC_KIND = r"(?:要点|方案|报告|办法|规定|意见|细则|计划|安排|规划|规则|制度|决定|通知|公告|通告|目录|指南|清单|标准|纲要)"
_NAMED_RE = re.compile(r"(?:编制|印发|制定|现将|发布)\s*[《<〈]([^》>〉]{4,80}?" + _DOC_KIND + r")[》>〉]")
_DISCLOSURE_RE = re.compile(r"^[（(]\s*此件\s*(公开发布|主动公开|依申请公开|不予公开|删减后公开)\s*[）)]$")
_ISSUER_RE = re.compile(r"(办公室|办公厅|人民政府|政府|委员会|局|委|办|厅|院)(文件)?$")
_RED_HEADER_RE = re.compile(r"^(.{2,40}?)\s*文件$")
_FOOTNOTE_RE = re.compile(r"^(抄送|抄报|主送|印发|签发人)[:：]|\d{1,2}\s*日\s*印发$")


@dataclass
class Parts:
    blocks: list[tuple[Block, int]] = field(default_factory=list)   # the body: (block, heading level)
    meta: dict[str, str] = field(default_factory=dict)
    title: str | None = None
    doc_no: str | None = None
    written: date | None = None
    signers: list[str] = field(default_factory=list)     # names under the text (or in a red header)
    header_names: list[str] = field(default_factory=list)
    disclosure: str | None = None


def _take_meta(blocks: list[Block], meta_lines: list[str]) -> tuple[list[Block], dict[str, str], int]:
    """Metadata lines among the first blocks (and those a reader found in a table) → fields; also
    where the block ended (the title of a page comes after its metadata block)."""
    head = [(i, b) for i, b in enumerate(blocks[:120]) if isinstance(b, Para) and b.text.strip()]
    lines = list(meta_lines) + [b.text for _i, b in head]
    found, used = metadata.parse_lines(lines, limit=len(meta_lines) + 80)
    drop = {head[k - len(meta_lines)][0] for k in used if k >= len(meta_lines)}
    if drop:                  # before the block: the column's name, a breadcrumb (page furniture)
        first = min(drop)
        drop |= {i for i in range(first) if isinstance(blocks[i], Para) and len(blocks[i].text.strip()) <= 30}
    kept = [b for i, b in enumerate(blocks) if i not in drop]
    after = 0
    if drop:                  # the end of the first run of metadata lines
        last = min(drop)
        while last + 1 in drop:
            last += 1
        after = sum(1 for i in range(last + 1) if i not in drop)
        if len(drop) < 2 and last > 12:
            after = 0                                    # one stray label line far down is not a block
    return kept, found, after


def _is_title_candidate(p: Para) -> bool:
    t = p.text.strip()
    return (2 <= len(t) <= 80 and not re.search(r"[。；;！？]$", t) and not re.search(r"[，,。]", t[:-1])
            and not numbering_level(t) and date_line(t) is None and not t.endswith(("：", ":")))


def find_title(blocks: list[Block], parts: Parts, word: bool, start: int = 0) -> tuple[int, int] | None:
    """Index of the title block(s) start; sets parts.title. Word documents: a centred or larger line
    after the header and 文号; text: the first short line before the first long paragraph."""
    for i, b in enumerate(blocks[:TOP]):                 # a page's own heading (h1, h2) is its title
        if isinstance(b, Para) and b.heading in (1, 2) and _is_title_candidate(b) and not word:
            parts.title = b.text.strip()
            return i, i
    for i in range(start, min(len(blocks), start + TOP)):
        b = blocks[i]
        if isinstance(b, Table):
            return None
        t = b.text.strip()
        if not t or b.blank or t[0] in "-•·*●◆■":
            continue
        if b.red or _RED_HEADER_RE.match(t) and (b.red or b.larger):
            continue
        if DOC_NO_LINE_RE.match(t) or _FOOTNOTE_RE.search(t):
            continue
        if len(t) > 80 or re.search(r"[。；]", t):
            return None                                   # the text began: no title line
        if not _is_title_candidate(b):
            continue
        if word and not (b.center or b.larger or b.bold or b.heading):
            continue
        if _ISSUER_RE.search(to_simplified(t)) and len(t) <= 30 and not _NOTICE_RE.search(t) and not word:
            parts.header_names.append(t)                  # 中共…委办公室 / …人民政府办公室 above the title
            continue
        title, end = t, i
        if word:                                         # a long title set on two centred lines
            while end + 1 < len(blocks) and isinstance(blocks[end + 1], Para):
                nxt = blocks[end + 1]
                if nxt.text.strip() and nxt.center and nxt.larger == b.larger and nxt.bold == b.bold \
                        and _is_title_candidate(nxt) and len(title) + len(nxt.text) <= 100:
                    title += nxt.text.strip()
                    end += 1
                else:
                    break
        parts.title = title
        return i, end
    return None


def _signature(blocks: list[Block], start: int, parts: Parts) -> None:
    """The first line that is only a date after the title: 成文日期; the short lines above it: the
    signing offices. A capture that lost 年月日 (`2015618`) is written back as 2015年6月18日."""
    for i in range(start, len(blocks)):
        b = blocks[i]
        if not isinstance(b, Para) or not b.text.strip():
            continue
        d = date_line(b.text)
        if d is None:
            continue
        parts.written = d
        if not re.search(r"[年月/.\-]", b.text):
            b.text = f"{d.year}年{d.month}月{d.day}日"
        k, names = i - 1, []
        while k >= start and len(names) < 3:
            p = blocks[k]
            if isinstance(p, Para) and p.text.strip():
                t = p.text.strip()
                if len(t) > 60 or re.search(r"[。；，,：:]", t):
                    break
                names.insert(0, t)
            elif isinstance(p, Table):
                break
            k -= 1
        parts.signers = names
        return


def heading_level(b: Para, word: bool) -> int:
    t = b.text.strip()
    if b.heading:
        return max(1, min(b.heading, 5))
    if b.list_kind or not heading_like(t):
        return 0
    level = numbering_level(t)
    if level:
        return level
    if word and (b.bold or b.larger or b.special_font) and not b.right:
        return 1 if b.center or b.larger else 2
    return 0


def read_parts(blocks: list[Block], meta_lines: list[str], word: bool = False) -> Parts:
    parts = Parts()
    blocks, parts.meta, meta_end = _take_meta(blocks, meta_lines)
    gone = {i for i, b in enumerate(blocks) if isinstance(b, Para) and furniture.is_furniture(b.text)}
    meta_end -= sum(1 for i in gone if i < meta_end)
    blocks = [b for i, b in enumerate(blocks) if i not in gone]
    blocks = tables.pipe_tables(blocks)
    blocks = tables.flattened_tables(blocks)
    skip: set[int] = set()
    # the red header and the 文号 line at the top
    for i, b in enumerate(blocks[:TOP]):
        if not isinstance(b, Para):
            continue
        t = b.text.strip()
        m = _RED_HEADER_RE.match(t)
        if b.red or (m and (b.larger or word)):
            skip.add(i)
            if t:
                parts.header_names.append(m.group(1) if m else t)
        elif DOC_NO_LINE_RE.match(t):
            parts.doc_no = parts.doc_no or normalise_doc_no(t)
            skip.add(i)
        elif word and _FOOTNOTE_RE.search(t) and i < 6:
            skip.add(i)
    found = find_title(blocks, parts, word, meta_end)
    t_at = found[0] if found else None
    notice_heading = None
    if found is not None:
        m = _NOTICE_RE.search(parts.title)
        if m:                                          # 关于印发《X》的通知: the document is X
            parts.title = m.group(1).strip()
            notice_heading = t_at
        else:
            skip.update(range(found[0], found[1] + 1))
    else:
        for b in blocks[:TOP]:
            if isinstance(b, Para) and len(b.text) > 40:
                m = _NAMED_RE.search(b.text)
                if m:
                    parts.title = m.group(1).strip()
                break
    _signature(blocks, (t_at or 0), parts)
    body: list[tuple[Block, int]] = []
    for i, b in enumerate(blocks):
        if i in skip:
            continue
        if isinstance(b, Table):
            body.append((b, 0))
            continue
        t = b.text.strip()
        m = _DISCLOSURE_RE.match(t)
        if m:
            parts.disclosure = "依申请公开" if m.group(1) in ("依申请公开", "不予公开") else "主动公开"
            continue
        if word and _FOOTNOTE_RE.search(t) and i > len(blocks) - 8:
            continue                                   # 版记: 抄送 … 印发
        body.append((b, 1 if i == notice_heading else heading_level(b, word)))
    parts.blocks = body
    return parts
