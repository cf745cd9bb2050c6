"""The personal-data scan of SPEC 3.5 over an attachment's pieces (formats.Extracted).

Found, each with its place in the file and the number masked (validate/privacy.py masks it):
- every number within one piece (a PDF page, a paragraph, a cell, a text file by line);
- resident ID numbers broken over two lines (a PDF line wrap: the digits on either side of a line
  break are joined) and split over neighbouring cells of one table or sheet row (the row's cells
  joined). Only ID numbers are looked for in joined text: their check digit keeps a join of two
  unrelated numbers from being taken for one; mobile and card numbers have no such guard.

What cannot be checked is said as a warning: a 16–19 digit whole number stored as a
floating-point number by a spreadsheet (or written to CSV as `1.10105E+17`) has lost its last
digits, so whether it was an ID or card number cannot be told.
"""
from __future__ import annotations

import re

from ..validate.privacy import find_personal_data

MAX_HITS = 200        # kept per file; the rest are counted

_THREE_DIGITS = re.compile(r"[0-9\uff10-\uff19]{3}")
_WRAP = re.compile(r"(?<=[0-9])[ \t\u3000]*\r?\n[ \t\u3000]*(?=[0-9Xx])")
_SCI = re.compile(r"[-+]?(\d)(?:\.(\d+))?[eE]\+?(\d+)")


def _line_where(where: str, text: str, offset: int) -> str:
    return where if where else f"第 {text.count(chr(10), 0, offset) + 1} 行"


def scan(pieces: list) -> tuple[list, int]:
    """(hits, how many more were found beyond MAX_HITS); a hit: (kind, label, masked, where, how)
    where `how` is "" or says the number was split (跨行 / 跨单元格)."""
    hits: list = []
    more = 0

    def keep(hit, where, how=""):
        nonlocal more
        if len(hits) >= MAX_HITS:
            more += 1
        else:
            hits.append((hit.kind, hit.label, hit.masked, where, how))

    for where, text, _row in pieces:
        if not _THREE_DIGITS.search(text):        # every number looked for has a run of 3 digits (quick)
            continue
        found = find_personal_data(text)
        for hit in found:
            keep(hit, _line_where(where, text, hit.start))
        if "\n" in text:                                    # an ID number broken over two lines
            seen = {h.masked for h in found}
            joined = _WRAP.sub("", text)
            if joined != text:
                for hit in find_personal_data(joined):
                    if hit.kind == "id_card" and hit.masked not in seen:
                        keep(hit, where or "", "号码被拆成两行")
    # an ID number split over neighbouring cells of one row
    i = 0
    while i < len(pieces):
        row = pieces[i][2]
        j = i + 1
        while j < len(pieces) and row is not None and pieces[j][2] == row:
            j += 1
        group = pieces[i:j]
        done = set()
        for k in range(len(group) - 1):          # two or three neighbouring cells
            for n in (2, 3):
                if k + n > len(group):
                    break
                parts = [t.strip() for _w, t, _r in group[k:k + n]]
                if not all(a[-1:].isdigit() and b[:1].isdigit() for a, b in zip(parts, parts[1:])):
                    break                        # cells that cannot hold two parts of one number
                joined = "".join(parts)
                ends = [sum(len(p) for p in parts[:m + 1]) for m in range(n)]
                for hit in find_personal_data(joined):
                    if hit.kind != "id_card" or hit.start >= ends[0] or hit.end <= ends[-2]:
                        continue                 # not from the first cell to the last: found elsewhere
                    where = _span(group[k][0], group[k + n - 1][0])
                    if (hit.masked, where) not in done:
                        done.add((hit.masked, where))
                        keep(hit, where, "号码被拆在相邻的单元格中")
        i = j
    return hits, more


def _span(first: str, last: str) -> str:
    """名单!C7 + 名单!D7 → 名单!C7:D7; otherwise “A 至 B”."""
    if "!" in first and "!" in last and first.rsplit("!", 1)[0] == last.rsplit("!", 1)[0]:
        return f"{first}:{last.rsplit('!', 1)[1]}"
    return f"{first} 至 {last}"


def lost_digits(where: str, value: str) -> tuple[str, str, str] | None:
    """A note for a long whole number a spreadsheet stored as a floating-point number (`value`: its
    digits, or `1.10105E+17` as CSV has it): (code, where, message), or None when it is not 16–19
    digits long (no ID or card number)."""
    m = _SCI.fullmatch(value.strip())
    if m:
        digits = m.group(1) + (m.group(2) or "")
        length = int(m.group(3)) + 1
    else:
        digits = value.strip().lstrip("-+")
        length = len(digits)
    if not 16 <= length <= 19:
        return None
    masked = digits[:6] + "*" * (length - 6)
    return ("lost-digits", where,
            f"{where} 是一个以数字格式保存的 {length} 位数“{masked}”：电子表格只保留 15 位有效数字，末尾几位已经丢失，"
            "无法核对它是否为居民身份证号码或银行卡号。若是，发布前须去标识化；请把该列设为“文本”格式后重新填写核对")
