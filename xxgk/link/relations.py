"""Relations between entries: stated from either side, completed on the other, checked."""
from __future__ import annotations

from ..config.options import did_you_mean
from ..diagnostics import Diagnostics
from ..model import Entry

INVERSE = {"repeals": "repealed_by", "repealed_by": "repeals", "amends": "amended_by", "amended_by": "amends"}
VERB = {"repeals": "废止", "repealed_by": "废止", "amends": "修改", "amended_by": "修改"}


def where(e: Entry, key: str) -> str:
    return f"{e.path}:{e.line_of((key,))}"


def complete(entries: dict[str, Entry], known_ids: set[str], diags: Diagnostics) -> None:
    """Resolve ids, fill the inverse side, detect dangling ids, contradictions and cycles.

    `entries` are the entries being published; `known_ids` also holds ids of entries that exist
    but are not public yet (scheduled), which are valid targets but have no effect.
    """
    # 1. every id must exist; interpretations must point at policies
    for e in entries.values():
        for key in ("repeals", "repealed_by", "amends", "amended_by", "interprets"):
            if not getattr(e, key):
                continue
            kept = []
            targets = getattr(e, key)
            for i, target in enumerate(targets):
                # the line is looked up only for a message (a lookup re-reads the front matter's YAML)
                line = lambda: e.line_of((key, i)) if len(targets) > 1 else e.line_of((key,))  # noqa: E731
                if target == e.id:
                    diags.error(e.path, line(), key, f"条目不能{'解读' if key == 'interprets' else VERB[key]}自己", code="self")
                elif target not in known_ids:
                    diags.error(e.path, line(), key, f"找不到编号为“{target}”的条目{did_you_mean(target, known_ids - {e.id})}",
                                code="dangling")
                elif target in entries and entries[target].type == "pages":
                    diags.error(e.path, line(), key, f"“{target}”是页面（content/pages），不能作为关系的对象", code="page-rel")
                elif key == "interprets" and target in entries and entries[target].type != "policies":
                    diags.error(e.path, line(), key, f"解读的对象应是政策文件，“{target}”是{entries[target].type_label}"
                                f"（{entries[target].path}:1）", code="interprets-type")
                else:
                    kept.append(target)
            setattr(e, key, kept)
    # 2. complete the other side
    for e in list(entries.values()):
        for key in ("repeals", "repealed_by", "amends", "amended_by"):
            for target in getattr(e, key):
                t = entries.get(target)
                if t is not None and e.id not in getattr(t, INVERSE[key]):
                    getattr(t, INVERSE[key]).append(e.id)
        for target in e.interprets:
            t = entries.get(target)
            if t is not None and e.id not in t.interpreted_by:
                t.interpreted_by.append(e.id)
    for e in entries.values():
        for key in ("repeals", "repealed_by", "amends", "amended_by", "interpreted_by"):
            if getattr(e, key):
                setattr(e, key, sorted(set(getattr(e, key))))
    # 3. an explicit `validity: effective` contradicts a repeal or amendment
    for e in entries.values():
        if e.validity != "effective":
            continue
        for key in ("repealed_by", "amended_by"):
            for other_id in getattr(e, key):
                other = entries[other_id]
                inv = INVERSE[key]
                source = (where(other, inv) if e.id in (other.__dict__.get(inv) or []) and inv in other.written_fields
                          else where(e, key))
                diags.error(e.path, e.line_of(("validity",)), "validity",
                            f"写明 validity: effective（有效），但本文件已被 {other.path} 所{VERB[key]}（见 {source}）；"
                            f"请删去 validity 一行或改为 {'repealed' if key == 'repealed_by' else 'amended'}",
                            code="contradiction")
    # 4. cycles: newer → older through repeals/amends
    graph = {e.id: sorted(set(e.repeals) | set(e.amends)) for e in entries.values() if e.repeals or e.amends}
    state: dict[str, int] = {}
    reported: set[frozenset] = set()

    def visit(start: str) -> None:
        stack = [(start, iter(graph.get(start, [])))]
        path = [start]
        state[start] = 1
        while stack:
            node, it = stack[-1]
            nxt = next(it, None)
            if nxt is None:
                state[node] = 2
                stack.pop()
                path.pop()
                continue
            if nxt not in graph:
                continue
            if state.get(nxt) == 1:
                cycle = path[path.index(nxt):]
                key = frozenset(cycle)
                if key not in reported:
                    reported.add(key)
                    first = entries[cycle[0]]
                    others = " → ".join(f"{entries[c].path}:1" for c in cycle[1:]) or "自己"
                    field_ = "repeals" if cycle[1 % len(cycle)] in first.repeals else "amends"
                    diags.error(first.path, first.line_of((field_,)), field_,
                                f"废止/修改关系构成循环：本文件 → {others} → 本文件；请检查哪一方写反了", code="cycle")
            elif state.get(nxt) is None:
                state[nxt] = 1
                path.append(nxt)
                stack.append((nxt, iter(graph.get(nxt, []))))

    for node in sorted(graph):
        if node not in state:
            visit(node)
