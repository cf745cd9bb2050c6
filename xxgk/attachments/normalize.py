"""Fold the compatibility characters PDF text extraction often yields, before scanning and indexing.

NFKC maps Kangxi radicals (U+2F00–U+2FD5, e.g. U+2F64 ⽤ → 用), CJK compatibility ideographs,
full-width letters and digits and ligatures (ﬁ → fi). It leaves the CJK Radicals Supplement
(U+2E80–U+2EFF) alone, although PDF fonts use some of them for ordinary characters (⻔ for 门):
those are folded with a small table. Invisible characters (zero-width space, soft hyphen, BOM)
are removed, so that they cannot split a word or an ID number.
"""
from __future__ import annotations

import re
import unicodedata

# CJK Radicals Supplement characters that stand for an ordinary simplified character in PDF fonts
_SUPPLEMENT = {
    "\u2ea0": "民", "\u2eb2": "罒", "\u2ec4": "西", "\u2ec5": "见",
    "\u2ec6": "角", "\u2ec8": "讠", "\u2ec9": "贝", "\u2ecb": "车", "\u2ecf": "阝", "\u2ed3": "长",
    "\u2ed4": "门", "\u2ed7": "雨", "\u2edb": "风", "\u2edc": "飞", "\u2edd": "食", "\u2ee0": "饣",
    "\u2ee2": "马", "\u2ee3": "骨", "\u2ee4": "鬼", "\u2ee5": "鱼", "\u2ee6": "鸟", "\u2ee7": "卤",
    "\u2ee8": "麦", "\u2ee9": "黄", "\u2eea": "黾", "\u2eeb": "斉", "\u2eec": "齐", "\u2eed": "歯",
    "\u2eee": "齿", "\u2ef0": "龙", "\u2ef2": "亀", "\u2ef3": "龟",
}
_INVISIBLE = re.compile("[\u00ad\u200b-\u200d\u2060\ufeff]")
_TABLE = str.maketrans(_SUPPLEMENT)


def normalize(text: str) -> str:
    """The text as a reader sees it, in ordinary characters."""
    if not text:
        return ""
    if text.isascii():
        return text
    text = _INVISIBLE.sub("", text).translate(_TABLE)
    return unicodedata.normalize("NFKC", text)
