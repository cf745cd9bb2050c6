"""Personal data that must be de-identified before publication (SPEC 3.5).

Three kinds are found:

* ``id_card``   18-digit resident ID numbers (GB 11643-1999): region code starting 1-6 or 8, a real
  birth date between 1900 and 2099, a 3-digit sequence and the ISO 7064 MOD 11-2 check digit
  (``X`` in either case). Only numbers with the right check digit are reported.
* ``mobile``    mainland mobile numbers ``1[3-9]`` + 9 digits, written as one run or 3-4-4 with a
  space or hyphen, optionally with a ``+86`` / ``0086`` / ``86`` prefix.
* ``bank_card`` 16-19 digits passing the Luhn check, written as one run or in groups of four with a
  single space or hyphen (the last group may be 1-3 digits for 17-19 digit cards).

A number is only a number when it stands alone: it is bounded by characters that are neither
digits nor ASCII letters nor ``_`` (so a 16-digit window of a 20-digit run, a run inside a
统一社会信用代码 or 索引号 like ``11330000MB1234567X/2017-00001`` is not a hit), and it is not one
segment of a longer code joined by ``-``, ``/`` or ``.`` (``20240925-203618-472``, decimals), nor
one group of a longer grouped number. A contiguous 17-digit run that reads as a timestamp
``YYYYMMDDhhmmssSSS`` is not taken for a card.

Fullwidth digits (and fullwidth ``Ｘ``, ``＋``, ``－``, ideographic space) are matched as their ASCII
forms without copying the text, so offsets are always offsets into the text as given.

Where two kinds claim overlapping text, an ID number wins over a card number, a card number over a
mobile number. Each hit carries a masked form; the full number is never repeated.
"""
from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass
from datetime import date

__all__ = ["PersonalDataHit", "find_personal_data"]

LABELS = {"id_card": "居民身份证号码", "mobile": "手机号码", "bank_card": "银行卡号"}

# Character classes over the text as written (ASCII and fullwidth forms).
_D = "[0-9\uff10-\uff19]"                      # a digit
_X = "[0-9\uff10-\uff19Xx\uff38\uff58]"        # the ID check character
_SEP = "[ \\-\u3000\uff0d]"                    # a group separator
_WORD = "0-9\uff10-\uff19A-Za-z\uff21-\uff3a\uff41-\uff5a_\uff3f"  # what may not touch a number
# Every pattern starts with a character class (so the regex engine can skip quickly to candidate
# characters); the left boundary is checked just after the first character, the right one at the end.
_LEFT = f"(?<![{_WORD}][\\s\\S])"
_AFTER = f"(?![{_WORD}])"
_JOINERS = frozenset("-/.\uff0d\uff0f\uff0e")  # digit<joiner>number: a segment of a longer code
_SEPS = frozenset(" -\u3000\uff0d")
_WORD_CHAR = re.compile(f"[{_WORD}]")

_ID_RE = re.compile(f"[1-68\uff11-\uff16\uff18]{_LEFT}{_D}{{16}}{_X}{_AFTER}")
_CARD_RE = re.compile(
    f"{_D}{_LEFT}(?:{_D}{{15,18}}|{_D}{{3}}({_SEP}){_D}{{4}}\\1{_D}{{4}}\\1{_D}{{4}}(?:\\1{_D}{{1,3}})?){_AFTER}"
)
# The number itself; its left side (bare, or after a +86 / 0086 / 86 prefix) is checked in Python.
_MOBILE_RE = re.compile(f"[1\uff11][3-9\uff13-\uff19]{_D}(?:{_D}{{8}}|({_SEP}){_D}{{4}}\\1{_D}{{4}}){_AFTER}")

_TO_ASCII = str.maketrans("０１２３４５６７８９Ｘｘ＋－\u3000", "0123456789Xx+- ")
_NON_DIGIT = re.compile(r"[^0-9]")
_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK = "10X98765432"


@dataclass(frozen=True)
class PersonalDataHit:
    start: int   # character offset in the scanned text
    end: int
    kind: str    # 'id_card' | 'mobile' | 'bank_card'
    label: str   # '居民身份证号码' | '手机号码' | '银行卡号'
    masked: str  # e.g. 110105********123X, 138****5678, 6222 **** **** 1234


def _is_digit(c: str) -> bool:
    return "0" <= c <= "9" or "\uff10" <= c <= "\uff19"


def _stands_alone(text: str, start: int, end: int, sep: str | None = None) -> bool:
    """False when the match is one segment of a longer joined code or one group of a longer number."""
    joiners = _JOINERS | {sep} if sep else _JOINERS
    if start >= 2 and text[start - 1] in joiners and _is_digit(text[start - 2]):
        return False
    if end + 1 < len(text) and text[end] in joiners and _is_digit(text[end + 1]):
        return False
    return True


def _free_left(text: str, i: int) -> bool:
    return i == 0 or not _WORD_CHAR.match(text, i - 1)


def _mobile_start(text: str, i: int) -> int:
    """Where a mobile number found at `i` starts, counting a +86 / 0086 / 86 prefix (with an optional
    separator); -1 when it is glued to other digits or letters."""
    j = i - 1 if i and text[i - 1] in _SEPS else i
    if j >= 2 and text[j - 2:j].translate(_TO_ASCII) == "86":
        k = j - 2
        if k >= 1 and text[k - 1] in "+\uff0b":
            k -= 1
        elif k >= 2 and text[k - 2:k].translate(_TO_ASCII) == "00":
            k -= 2
        if _free_left(text, k):
            return k
    return i if _free_left(text, i) else -1


def _valid_id(s: str) -> bool:
    """`s`: 18 ASCII characters, 17 digits and a check character."""
    if s[0] not in "1234568":
        return False
    try:
        born = date(int(s[6:10]), int(s[10:12]), int(s[12:14]))
    except ValueError:
        return False
    if not 1900 <= born.year <= 2099:
        return False
    return _ID_CHECK[sum(int(d) * w for d, w in zip(s, _ID_WEIGHTS)) % 11] == s[17].upper()


def _luhn(digits: str) -> bool:
    total = 0
    for i, ch in enumerate(reversed(digits)):
        n = ord(ch) - 48
        if i % 2:
            n = n * 2 - 9 if n > 4 else n * 2
        total += n
    return total % 10 == 0


def _looks_like_timestamp(digits: str) -> bool:
    """YYYYMMDDhhmmssSSS (17 digits), as written by cameras, scanners and log files."""
    if len(digits) != 17:
        return False
    try:
        date(int(digits[0:4]), int(digits[4:6]), int(digits[6:8]))
    except ValueError:
        return False
    return (1900 <= int(digits[0:4]) <= 2099 and int(digits[8:10]) < 24 and int(digits[10:12]) < 60
            and int(digits[12:14]) < 60)


def _mask_id(s: str) -> str:
    return s[:6] + "*" * 8 + s[14:17] + s[17].upper()


def _mask_mobile(digits: str) -> str:
    return digits[:3] + "****" + digits[7:]


def _mask_card(digits: str) -> str:
    stars = "*" * (len(digits) - 8)
    groups = [stars[i:i + 4] for i in range(0, len(stars), 4)]
    return " ".join([digits[:4], *groups, digits[-4:]])


def find_personal_data(text: str) -> list[PersonalDataHit]:
    """Every resident ID number, mobile number and bank card number in `text`, sorted by start,
    non-overlapping; offsets are into `text` as given."""
    if not text:
        return []
    found: list[PersonalDataHit] = []   # in precedence order: ID numbers, cards, mobiles

    for m in _ID_RE.finditer(text):
        s = m.group().translate(_TO_ASCII)
        if _valid_id(s) and _stands_alone(text, m.start(), m.end()):
            found.append(PersonalDataHit(m.start(), m.end(), "id_card", LABELS["id_card"], _mask_id(s)))

    for m in _CARD_RE.finditer(text):
        if not _stands_alone(text, m.start(), m.end(), m.group(1)):
            continue
        digits = _NON_DIGIT.sub("", m.group().translate(_TO_ASCII))
        if m.group(1) is None and _looks_like_timestamp(digits):
            continue
        if _luhn(digits):
            found.append(PersonalDataHit(m.start(), m.end(), "bank_card", LABELS["bank_card"], _mask_card(digits)))

    for m in _MOBILE_RE.finditer(text):
        start = _mobile_start(text, m.start())
        if start < 0 or not _stands_alone(text, start, m.end(), m.group(1)):
            continue
        digits = _NON_DIGIT.sub("", m.group().translate(_TO_ASCII))
        found.append(PersonalDataHit(start, m.end(), "mobile", LABELS["mobile"], _mask_mobile(digits)))

    # Keep earlier (higher-precedence) hits; drop any later hit overlapping one already kept.
    kept: list[PersonalDataHit] = []   # sorted by start, non-overlapping
    starts: list[int] = []
    for hit in found:
        i = bisect_right(starts, hit.start)
        if i and kept[i - 1].end > hit.start:
            continue
        if i < len(kept) and kept[i].start < hit.end:
            continue
        kept.insert(i, hit)
        starts.insert(i, hit.start)
    return kept
