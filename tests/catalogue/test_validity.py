"""Validity as of a date: every transition around its boundary days, and relation completion."""
from __future__ import annotations

from datetime import date, timedelta

import pytest

from xxgk.diagnostics import Diagnostics
from xxgk.link import relations, validity
from xxgk.model import Entry

D = date.fromisoformat


def make(id_, **kw) -> Entry:
    e = Entry(id=id_, type=kw.pop("type", "policies"), path=f"content/policies/{id_}.md", line_of=lambda p: 1,
              body="", body_line=1, digest="")
    e.title = id_
    e.published = D(kw.pop("published", "2020-01-01"))
    for k, v in kw.items():
        setattr(e, k, D(v) if k in ("valid_from", "valid_until", "status_date") else v)
    e.written_fields = frozenset(kw)
    return e


def status(entries, id_, day):
    d = {e.id: e for e in entries}
    diags = Diagnostics()
    relations.complete(d, set(d), diags)
    assert not diags.failed(), diags.sorted()
    validity.compute_all(d, D(day))
    return d[id_].status, d[id_].status_since and d[id_].status_since.isoformat(), d[id_].status_cause


def test_effective_by_default_since_published():
    assert status([make("a")], "a", "2020-01-01") == ("effective", "2020-01-01", None)


@pytest.mark.parametrize("day, expected", [
    ("2020-02-29", ("pending", "2020-01-01", None)),   # the day before valid_from
    ("2020-03-01", ("effective", "2020-03-01", None)),  # valid_from is the first effective day
])
def test_pending_until_valid_from(day, expected):
    assert status([make("a", valid_from="2020-03-01")], "a", day) == expected


@pytest.mark.parametrize("day, expected", [
    ("2020-12-31", ("effective", "2020-01-01", None)),  # valid_until is the last valid day
    ("2021-01-01", ("expired", "2021-01-01", None)),    # expired from the day after
])
def test_expiry_boundary(day, expected):
    assert status([make("a", valid_until="2020-12-31")], "a", day) == expected


@pytest.mark.parametrize("side", ["repeals", "repealed_by"])
@pytest.mark.parametrize("day, expected", [
    ("2021-01-31", ("effective", "2020-01-01", None)),
    ("2021-02-01", ("repealed", "2021-02-01", "new")),
])
def test_repeal_from_either_side_takes_effect_on_valid_from(side, day, expected):
    old = make("old")
    new = make("new", published="2021-01-10", valid_from="2021-02-01")
    if side == "repeals":
        new.repeals = ["old"]
    else:
        old.repealed_by = ["new"]
    assert status([old, new], "old", day) == expected
    # the other side is completed
    assert old.repealed_by == ["new"] and new.repeals == ["old"]


def test_repeal_without_valid_from_uses_published():
    old, new = make("old"), make("new", published="2021-01-10", repeals=["old"])
    assert status([old, new], "old", "2021-01-09")[0] == "effective"
    assert status([make("old"), make("new", published="2021-01-10", repeals=["old"])], "old", "2021-01-10") == \
        ("repealed", "2021-01-10", "new")


def test_amended_then_repealed_then_expiry_is_not_final_over_repeal():
    entries = lambda: [make("a", valid_until="2023-06-30"),  # noqa: E731
                       make("m", published="2021-05-01", amends=["a"]),
                       make("r", published="2022-03-01", repeals=["a"])]
    assert status(entries(), "a", "2021-04-30")[0] == "effective"
    assert status(entries(), "a", "2021-05-01") == ("amended", "2021-05-01", "m")
    assert status(entries(), "a", "2022-02-28") == ("amended", "2021-05-01", "m")
    assert status(entries(), "a", "2022-03-01") == ("repealed", "2022-03-01", "r")
    assert status(entries(), "a", "2024-01-01") == ("repealed", "2022-03-01", "r")  # first final event wins


def test_expiry_before_repeal_is_final():
    entries = [make("a", valid_until="2021-12-31"), make("r", published="2022-03-01", repeals=["a"])]
    assert status(entries, "a", "2023-01-01") == ("expired", "2022-01-01", None)


def test_stated_status_with_date():
    assert status([make("a", validity="repealed", status_date="2022-01-01")], "a", "2021-12-31")[0] == "effective"
    assert status([make("a", validity="repealed", status_date="2022-01-01")], "a", "2022-01-01") == \
        ("repealed", "2022-01-01", None)


def test_stated_status_without_date_applies_with_unknown_since():
    assert status([make("a", validity="expired")], "a", "2020-01-02") == ("expired", None, None)


def test_repealed_before_it_took_effect():
    entries = [make("a", valid_from="2021-01-01"), make("r", published="2020-06-01", repeals=["a"])]
    assert status(entries, "a", "2020-07-01") == ("repealed", "2020-06-01", "r")


def test_interpretations_are_listed_on_the_policy():
    p = make("p")
    i = make("i", type="interpretations", interprets=["p"])
    status([p, i], "p", "2020-01-01")
    assert p.interpreted_by == ["i"]


def test_missing_validity_never_contradicts():
    old, new = make("old"), make("new", repeals=["old"])
    assert status([old, new], "old", "2020-01-01")[0] == "repealed"
