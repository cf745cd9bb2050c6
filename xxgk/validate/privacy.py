"""Personal data that must be de-identified before publication (SPEC 3.5).

18-digit resident ID numbers with a valid GB 11643 check digit, mainland mobile numbers, bank
card numbers passing the Luhn check. Hits carry a masked form; the full number is never repeated.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

_FULLWIDTH = str.maketrans("０１２３４５６７８９Ｘｘ", "0123456789Xx")
_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_RE = re.compile(r"(?<![0-9A-Za-z])([1-68]\d{5})(\d{4})(\d{2})(\d{2})(\d{3})([0-9Xx])(?![0-9A-Za-z])")
_MOBILE_RE = re.compile(r"(?<![0-9A-Za-z/-])(?:\+?86[ -]?)?(1[3-9]\d)[ -]?(\d{4})[ -]?(\d{4})(?![0-9A-Za-z-])")
_CARD_RE = re.compile(r"(?<![0-9A-Za-z/-])(\d{4}(?:[ -]?\d{4}){2}[ -]?\d{4,7})(?![0-9A-Za-z-])")


@dataclass(frozen=True)
class PersonalDataHit:
    start: int
    end: int
    kind: str
    label: str
    masked: str


def _id_valid(m: re.Match) -> bool:
    try:
        born = date(int(m.group(2)), int(m.group(3)), int(m.group(4)))
    except ValueError:
        return False
    if not 1900 <= born.year <= 2099:
        return False
    digits = m.group(0)[:17]
    return "10X98765432"[sum(int(d) * w for d, w in zip(digits, _WEIGHTS)) % 11] == m.group(6).upper()


def _luhn(digits: str) -> bool:
    total = 0
    for i, d in enumerate(reversed(digits)):
        n = int(d)
        if i % 2:
            n = n * 2 - 9 if n > 4 else n * 2
        total += n
    return total % 10 == 0


def find_personal_data(text: str) -> list[PersonalDataHit]:
    if not any(c.isdigit() for c in text):
        return []
    norm = text.translate(_FULLWIDTH)  # same length: offsets stay valid
    hits: list[PersonalDataHit] = []
    for m in _ID_RE.finditer(norm):
        if _id_valid(m):
            s = m.group(0)
            hits.append(PersonalDataHit(m.start(), m.end(), "id_card", "居民身份证号码", s[:6] + "*" * 8 + s[-4:]))
    taken = [(h.start, h.end) for h in hits]
    free = lambda a, b: all(b <= s or a >= e for s, e in taken)  # noqa: E731
    for m in _CARD_RE.finditer(norm):
        digits = re.sub(r"\D", "", m.group(1))
        if 16 <= len(digits) <= 19 and _luhn(digits) and free(m.start(), m.end()):
            hits.append(PersonalDataHit(m.start(), m.end(), "bank_card", "银行卡号",
                                        digits[:4] + " **** **** " + digits[-4:]))
            taken.append((m.start(), m.end()))
    for m in _MOBILE_RE.finditer(norm):
        if free(m.start(), m.end()):
            hits.append(PersonalDataHit(m.start(), m.end(), "mobile", "手机号码", f"{m.group(1)}****{m.group(3)}"))
    return sorted(hits, key=lambda h: h.start)
