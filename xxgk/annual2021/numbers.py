"""A checked report's numbers: normalised stats, fixed formatting, and every figure in table order."""
from __future__ import annotations

from decimal import Decimal
from typing import Any, Iterator

from .checks import check_stats
from .schema import (ACTIVE_ROWS, APPLICANT_COLUMNS, APPLICATION_ITEMS, CORP_GROUP, PARTS, REFERENCE, REVIEW_COLUMNS,
                     REVIEW_ROWS, SECTION_OF_PART)


# -- numbers ---------------------------------------------------------------------------------------
def normalise(stats: Any) -> dict:
    """The normalised stats (idempotent); ValueError when they have errors."""
    out, problems = check_stats(stats, lambda path: 1)
    if out is None:
        raise ValueError("annual report stats have errors: " + "; ".join(p.message for p in problems[:3]))
    return out


def fmt(value: Any) -> str:
    """Fixed formatting of a figure: integers as they are, amounts without exponent or trailing zeros."""
    if isinstance(value, bool):
        raise TypeError(value)
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        text = format(Decimal(repr(value)), "f")
        if "." in text:
            text = text.rstrip("0").rstrip(".")
        return text
    raise TypeError(value)


def _num(x: float) -> str:
    """A coordinate: at most one decimal, no '-0', no trailing '.0'."""
    text = f"{x:.1f}"
    if text.endswith(".0"):
        text = text[:-2]
    return "0" if text in ("-0", "-0.0") else text


def _pct(part: int, whole: int) -> str:
    return f"{100 * part / whole:.1f}%" if whole else "—"


# -- figures: one (table, row, column, value) per cell, in table order ------------------------------
def iter_figures(stats: dict) -> Iterator[tuple[tuple, str, str, str, Any]]:
    """(key path inside stats, table label, row label, column label, value) for every cell."""
    t2, t3, t4 = (SECTION_OF_PART[p] for p in PARTS)
    blocks = REFERENCE["table_2_active_disclosure"]
    act = stats["active_disclosure"]
    for key, (b, label, columns) in ACTIVE_ROWS.items():
        row = f"{blocks[b]['block']} / {label}"
        if isinstance(act[key], list):
            for i, col in enumerate(columns):
                yield ("active_disclosure", key, i), t2, row, col, act[key][i]
        else:
            yield ("active_disclosure", key), t2, row, columns[0], act[key]
    app = stats["applications"]
    cols = [c if i in (0, 6) else f"{CORP_GROUP} / {c}" for i, c in enumerate(APPLICANT_COLUMNS)]
    for item in APPLICATION_ITEMS:
        prefix = f"{item.parent} / " if item.parent else ""
        leaves = item.leaves or ((None, None),)
        for leaf, leaf_label in leaves:
            values = app[item.key][leaf] if leaf else app[item.key]
            row = prefix + item.label + (f" / {leaf_label}" if leaf else "")
            path = ("applications", item.key) + ((leaf,) if leaf else ())
            for i, col in enumerate(cols):
                yield (*path, i), t3, row, col, values[i]
    rl = stats["review_litigation"]
    for key, (group, sub) in REVIEW_ROWS.items():
        row = group if sub is None else f"{group} / {sub}"
        for i, col in enumerate(REVIEW_COLUMNS):
            yield ("review_litigation", key, i), t4, row, col, rl[key][i]


