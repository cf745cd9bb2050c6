"""The computed validity status of an entry as of a date (SPEC 3.2).

Dates are inclusive days: valid_from and a repeal or amendment date are the first day of the new
status; valid_until is the last valid day. The first repeal or expiry that has happened is
final; before one, an amendment makes the entry `amended`.
"""
from __future__ import annotations

from datetime import date, timedelta

from ..model import Entry

FINAL = ("repealed", "expired")


def compute(e: Entry, entries: dict[str, Entry], as_of: date) -> None:
    events: list[tuple[date | None, str, str | None]] = []
    for rid in e.repealed_by:
        r = entries.get(rid)
        if r is not None:
            events.append((r.valid_from or r.published, "repealed", rid))
    for rid in e.amended_by:
        r = entries.get(rid)
        if r is not None:
            events.append((r.valid_from or r.published, "amended", rid))
    if e.valid_until and e.valid_until < date.max:     # 9999-12-31: valid for good (no day after it)
        events.append((e.valid_until + timedelta(days=1), "expired", None))
    if e.validity in ("repealed", "amended", "expired"):
        events.append((e.status_date, e.validity, None))
    happened = [ev for ev in events if ev[0] is None or ev[0] <= as_of]
    key = lambda ev: (ev[0] or date.min, ev[2] or "")  # noqa: E731 - unknown dates count as earliest
    final = sorted((ev for ev in happened if ev[1] in FINAL), key=key)
    amended = sorted((ev for ev in happened if ev[1] == "amended"), key=key)
    if final:
        e.status_since, e.status, e.status_cause = final[0]
    elif e.valid_from and as_of < e.valid_from:
        e.status, e.status_since, e.status_cause = "pending", e.published, None
    elif amended:
        e.status_since, e.status, e.status_cause = amended[0]
    else:
        e.status, e.status_since, e.status_cause = "effective", e.valid_from or e.published, None


def compute_all(entries: dict[str, Entry], as_of: date) -> None:
    for e in entries.values():
        if e.type != "pages":
            compute(e, entries, as_of)
