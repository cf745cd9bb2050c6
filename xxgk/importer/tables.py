"""Tables a text capture lost: rows written `a | b | c |` and tables flattened to one cell a line.

Pipe rows: a row with fewer cells than the widest continues the cells on its left from the row
above (they were merged cells, rowspans). A flattened table (the 瑞金 attachment: a header of
six cells, then 单位 / 数量 pairs three to a row, one cell per line, empty cells as blank lines)
is recognised by its shape: a width n for which the first row is all labels and every column
below it is all numbers or all text.
"""
from __future__ import annotations

import re

from .blocks import Block, Para, Table, is_number, numbering_level

_PIPE_RE = re.compile(r"\s\|\s|\s\|$|^\|\s")
CELL_MAX = 24            # a cell of a flattened table is a short line
MIN_ROWS = 3
MAX_RUN = 5000
_CAPTION_RE = re.compile(r"^附件\s*\d*[:：]?$|[表单录]$")           # bounded work on a hostile input


def _pipe_cells(text: str) -> list[str] | None:
    if text.count("|") < 2 or not _PIPE_RE.search(text):
        return None
    cells = [c.strip() for c in text.strip().strip("|").split("|")]
    return cells if len(cells) >= 2 else None


def _first_number(cells: list[str]) -> int | None:
    return next((i for i, c in enumerate(cells) if is_number(c)), None)


def _pipe_table(run: list[tuple[list[str], int]]) -> Table:
    """Rows with fewer cells continue the merged cells on their left from the row above. Where the
    rows have a number column (序号), a short row's leading cells go to the column whose cells have
    the same numbering (一、 / （一）), and the columns between start empty."""
    width = max(len(c) for c, _ in run)
    anchors = [_first_number(c) for c, _ in run if len(c) == width]
    anchor = max(set(anchors), key=anchors.count) if anchors and None not in anchors else None
    levels: list[set[int]] = [set() for _ in range(width)]
    for cells, _ in run:
        if len(cells) == width:
            for j, c in enumerate(cells):
                levels[j].add(numbering_level(c))
    rows, lines, above = [], [], [""] * width
    for cells, line in run:
        missing = width - len(cells)
        full = above[:missing] + cells
        a = _first_number(cells)
        if missing and anchor is not None and a is not None and 0 < a and a + missing == anchor:
            level = numbering_level(cells[0])
            j0 = next((j for j in range(anchor) if level and levels[j] == {level}), None)
            if j0 is not None and j0 + a <= anchor:
                full = above[:j0] + cells[:a] + [""] * (anchor - j0 - a) + cells[a:]
        rows.append(full)
        lines.append(line)
        above = full
    return Table(rows, row_lines=lines, line=run[0][1])


def pipe_tables(blocks: list[Block]) -> list[Block]:
    out: list[Block] = []
    run: list[tuple[list[str], int]] = []

    def flush():
        if len(run) >= 2:
            out.append(_pipe_table(run))
        else:
            out.extend(Para(" | ".join(c), line=ln) for c, ln in run)
        run.clear()

    for b in blocks:
        cells = _pipe_cells(b.text) if isinstance(b, Para) else None
        if cells is not None:
            run.append((cells, b.line))
            continue
        if isinstance(b, Para) and not b.text.strip() and run:
            continue                  # blank lines between rows
        flush()
        out.append(b)
    flush()
    return out


def _is_cell(p: Block) -> bool:
    return isinstance(p, Para) and (p.blank or (0 < len(p.text.strip()) <= CELL_MAX and not re.search(r"[。；;]", p.text)))


def _shape(cells: list[str], n: int) -> bool:
    """Does the sequence read as a table n wide: a header of labels, columns of one kind below it?"""
    if len(cells) < n * MIN_ROWS or n < 2:
        return False
    head = cells[:n]
    if any(not c or is_number(c) for c in head):
        return False
    kinds = [set() for _ in range(n)]
    for i, c in enumerate(cells[n:]):
        if c:
            kinds[i % n].add(is_number(c))
    return all(len(k) <= 1 for k in kinds) and any(k == {True} for k in kinds) and any(k == {False} for k in kinds)


def flattened_tables(blocks: list[Block]) -> list[Block]:
    out: list[Block] = []
    i = 0
    while i < len(blocks):
        j = i
        while j < len(blocks) and j - i < MAX_RUN and _is_cell(blocks[j]):
            j += 1
        if j == i:
            out.append(blocks[i])
            i += 1
            continue
        run = blocks[i:j]
        lead = 0
        while lead < len(run) and (run[lead].blank or _CAPTION_RE.search(run[lead].text.strip())):
            lead += 1
        found = None
        if len(run) - lead >= 2 * MIN_ROWS and sum(1 for p in run if is_number(p.text)) >= MIN_ROWS:
            cells = ["" if p.blank else p.text.strip() for p in run]
            for skip in range(lead, min(lead + 4, len(cells))):
                for n in range(2, 13):
                    if _shape(cells[skip:], n):
                        found = (skip, n)
                        break
                if found:
                    break
        if not found:
            out.extend(run)
            i = j
            continue
        skip, n = found
        out.extend(p for p in run[:skip] if not p.blank)
        cells = ["" if p.blank else p.text.strip() for p in run[skip:]]
        lines = [p.line for p in run[skip:]]
        while cells and not cells[-1]:
            cells.pop()
        cells += [""] * (-len(cells) % n)
        rows = [cells[k:k + n] for k in range(0, len(cells), n)]
        out.append(Table(rows, row_lines=[lines[min(k, len(lines) - 1)] for k in range(0, len(cells), n)],
                         line=lines[0]))
        i = j
    return out
