"""Small text rules every source kind shares: dates, 文号, traditional characters, clean text.

    parse_date("2024年04月06日 16:40") == date(2024, 4, 6)      # also 2024-4-6, 2024.04.06, 二〇二四年四月六日
    normalise_doc_no("开政办发[2016]87号") == "开政办发〔2016〕87号"
    is_traditional("漢臺區全面推進政務公開")  → True
"""
from __future__ import annotations

import functools
import re
import unicodedata
from datetime import date

# -- dates --------------------------------------------------------------------------------------
_SEP = r"\s*[年\-./／－]\s*"
_DATE_RE = re.compile(r"(?<!\d)((?:19|20)\d{2})" + _SEP + r"(\d{1,2})\s*[月\-./／－]\s*(\d{1,2})(?!\d)\s*日?")
_CN_DIGITS = {"〇": 0, "零": 0, "○": 0, "Ｏ": 0, "O": 0, "0": 0, "一": 1, "二": 2, "三": 3, "四": 4, "五": 5,
              "六": 6, "七": 7, "八": 8, "九": 9}
_CN_DATE_RE = re.compile(r"([〇零○Ｏ一二三四五六七八九]{4})年([一二三四五六七八九十]{1,3})月([一二三四五六七八九十]{1,3})日")
_TIME = r"(?:\s*(?:\d{1,2}[:：]\d{2}(?:[:：]\d{2})?))?"
# a line that is only a date (the date under a signature)
_ONLY_DATE_RE = re.compile(r"^\s*(?:" + _DATE_RE.pattern + r"|" + _CN_DATE_RE.pattern + r")" + _TIME + r"\s*$")
_COMPACT_RE = re.compile(r"^\s*((?:19|20)\d{2})(\d{1,2})(\d{1,2})\s*日?\s*$")


def _make(y: int, m: int, d: int) -> date | None:
    try:
        return date(y, m, d)
    except ValueError:
        return None


def _cn_number(s: str) -> int:
    if s == "十":
        return 10
    if s.startswith("十"):
        return 10 + _CN_DIGITS[s[1]]
    if s.endswith("十"):
        return _CN_DIGITS[s[0]] * 10
    if "十" in s:
        a, b = s.split("十")
        return _CN_DIGITS[a] * 10 + _CN_DIGITS[b]
    return _CN_DIGITS[s]


def parse_date(text: str) -> date | None:
    """The first date written in `text`, in any form portals and documents use; None if there is none."""
    if not text:
        return None
    text = unicodedata.normalize("NFKC", text[:200])
    m = _DATE_RE.search(text)
    if m:
        return _make(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    m = _CN_DATE_RE.search(text)
    if m:
        try:
            y = int("".join(str(_CN_DIGITS[c]) for c in m.group(1)))
            return _make(y, _cn_number(m.group(2)), _cn_number(m.group(3)))
        except (KeyError, ValueError):
            return None
    m = re.fullmatch(r"\s*((?:19|20)\d{2})(\d{2})(\d{2})\s*", text)
    if m:
        return _make(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    return None


def date_line(text: str) -> date | None:
    """The date when `text` is nothing but a date (as under a signature); also a capture that lost
    its 年月日 (`2015618` → 2015-06-18) when only one reading is a real date."""
    if len(text) > 40:
        return None
    t = unicodedata.normalize("NFKC", text).strip()
    if _ONLY_DATE_RE.match(t):
        return parse_date(t)
    m = _COMPACT_RE.match(t)
    if m:
        y, rest = m.group(1), t.strip().rstrip("日")[4:]
        readings = {d for i in (1, 2) if 0 < i < len(rest)
                    for d in [_make(int(y), int(rest[:i]), int(rest[i:]))] if d and len(rest[i:]) <= 2}
        if len(readings) == 1:
            return readings.pop()
    return None


# -- 文号 -----------------------------------------------------------------------------------------
_DOC_NO_RE = re.compile(r"([\u4e00-\u9fffA-Za-z]{1,16}?)\s*[\[【(（〔［{｛]\s*((?:19|20)\d{2})\s*[\]】)）〕］}｝]\s*(\d{1,5})\s*([号號])")
DOC_NO_LINE_RE = re.compile(r"^\s*" + _DOC_NO_RE.pattern + r"\s*$")


def normalise_doc_no(text: str) -> str:
    """开政办发[2016]87号, 开政办发【2016】87号, 开政办发(2016)87号 → 开政办发〔2016〕87号."""
    text = unicodedata.normalize("NFKC", text).strip() if text else ""
    text = text.replace("〔", "〔")
    m = _DOC_NO_RE.search(text)
    if not m:
        return text
    return f"{m.group(1)}〔{m.group(2)}〕{m.group(3)}{m.group(4)}"


# -- traditional characters ---------------------------------------------------------------------
@functools.lru_cache(maxsize=1)
def _t2s():
    try:
        import opencc
        return opencc.OpenCC("t2s")
    except Exception:          # (the package is a dependency; without it nothing is traditional)
        return None


def to_simplified(text: str) -> str:
    conv = _t2s()
    return conv.convert(text) if conv and text else text


@functools.lru_cache(maxsize=65536)
def _traditional_char(c: str) -> bool:
    return to_simplified(c) != c


def is_traditional(text: str) -> bool:
    """True when a fair share of the Chinese characters are traditional forms (a sample is enough;
    each character is looked up once a process)."""
    sample = [c for c in text[:20000] if "\u4e00" <= c <= "\u9fff"][:1500]
    if len(sample) < 4:
        return False
    changed = sum(1 for c in sample if _traditional_char(c))
    return changed >= max(2, len(sample) // 40)


# -- clean text ----------------------------------------------------------------------------------
_CONTROL_RE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufeff\ufffe\uffff\u200b\u200e\u200f\u2028\u2029]")
_SPACES_RE = re.compile(r"[ \t\u00a0\u3000\u2002\u2003\u2009]+")


def clean(text: str) -> str:
    """No control or invisible characters; runs of blanks (including full-width and no-break spaces)
    as one space; trimmed."""
    text = _CONTROL_RE.sub("", text)
    text = re.sub(r"[\ud800-\udfff]", "", text)
    return _SPACES_RE.sub(" ", text).strip()


def squash(text: str) -> str:
    """Without any spaces: for comparing labels and names (`索 引 号` = `索引号`)."""
    return "".join(text.split())


_HTMLISH_RE = re.compile(r"<(?=[A-Za-z/!?])")
_ENTITY_RE = re.compile(r"&(?=#?\w+;)")


def md_escape(text: str) -> str:
    """Text that Markdown shows as written: no raw HTML tags, no entity, no heading or quote marker
    at the start of a line."""
    text = _ENTITY_RE.sub("&amp;", text)
    text = _HTMLISH_RE.sub("&lt;", text)
    if text and text[0] in "#>":
        text = "\\" + text
    return text
