"""The computed validity status of an entry as of a date (SPEC 3.2).

Dates are inclusive days: valid_from and a repeal or amendment date are the first day of the new
status; valid_until is the last valid day. The first repeal or expiry that has happened is
final; before one, an amendment makes the entry `amended`.

An interpretation carries the state of the policies it interprets (follow_interpreted): once every
policy it interprets is repealed or expired, so is the interpretation, from the day the last of them
ended, caused by that policy. An amended policy leaves its interpretation `effective` (it may still
explain the parts that stand); the interpretation's page says that the policy was amended after it
(templates/components/validity_marking.html, `interpreted_notes`).
"""
from __future__ import annotations

from datetime import date, timedelta

from ..model import Entry

FINAL = ("repealed", "expired")


def compute(e: Entry, entries: dict[str, Entry], as_of: date) -> None:
    e.status, e.status_since, e.status_cause = status_at(e, entries, as_of)


def status_at(e: Entry, entries: dict[str, Entry], as_of: date) -> tuple[str, date | None, str | None]:
    """(status, since, cause) of an entry as of a date (also for days other than the build's: the
    annual report's table 二 counts what was in force on 31 December). A normative document's
    valid_until may come from normative_validity_years (validate/fields.py)."""
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
        since, status, cause = final[0]
        return status, since, cause
    if e.valid_from and as_of < e.valid_from:
        return "pending", e.published, None
    if amended:
        since, status, cause = amended[0]
        return status, since, cause
    return "effective", e.valid_from or e.published, None


def compute_all(entries: dict[str, Entry], as_of: date) -> None:
    for e in entries.values():
        if e.type != "pages":
            compute(e, entries, as_of)
    follow_interpreted(entries)


def follow_interpreted(entries: dict[str, Entry]) -> None:
    """After every policy's status is known: an interpretation whose policies have all been repealed
    or have expired takes the status of the last of them to end (its own repeal or expiry, if earlier,
    stays final)."""
    for e in entries.values():
        if e.type != "interpretations" or not e.interprets or e.status in FINAL:
            continue
        policies = [entries[p] for p in e.interprets if p in entries]
        if policies and all(p.status in FINAL for p in policies):
            last = max(policies, key=lambda p: (p.status_since or date.min, p.id))
            e.status, e.status_since, e.status_cause = last.status, last.status_since, last.id
