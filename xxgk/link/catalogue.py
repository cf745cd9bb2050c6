"""The 主动公开目录: entries indexed by topic, agency, year, type and validity, paginated."""
from __future__ import annotations

from dataclasses import dataclass, field

from ..config.site import SiteConfig
from ..model import KIND_LABELS, STATUS_LABELS, STATUS_ORDER, TYPE_LABELS, Entry

AXES = {"topic": "按主题分类", "agency": "按发文机关", "year": "按年份", "type": "按信息类别", "validity": "按有效性",
        "kind": "按文件类别"}
LISTED_TYPES = ("policies", "interpretations", "reports")
SEARCHED_TYPES = LISTED_TYPES + ("pages",)    # the plain pages too: 政府信息公开指南 tells how to apply


@dataclass
class View:
    axis: str
    slug: str
    label: str
    entries: list[Entry] = field(default_factory=list)
    parent: str | None = None   # topic views: the 一级 slug of a 二级 view

    def page_paths(self, page_size: int) -> list[str]:
        n = max(1, -(-len(self.entries) // page_size))
        return [f"catalogue/{self.axis}/{self.slug}.html" if i == 1 else f"catalogue/{self.axis}/{self.slug}-{i}.html"
                for i in range(1, n + 1)]

    @property
    def url(self) -> str:
        return f"catalogue/{self.axis}/{self.slug}.html"


def sort_key(e: Entry):
    return (-e.published.toordinal(), e.index_no or "", e.id)


def build_views(entries: list[Entry], config: SiteConfig) -> dict[str, list[View]]:
    listed = sorted((e for e in entries if e.type in LISTED_TYPES), key=sort_key)
    views: dict[str, dict[str, View]] = {axis: {} for axis in AXES}

    def add(axis: str, slug: str, label: str, e: Entry, parent: str | None = None):
        v = views[axis].get(slug)
        if v is None:
            v = views[axis][slug] = View(axis, slug, label, parent=parent)
        if not v.entries or v.entries[-1] is not e:
            v.entries.append(e)

    for e in listed:
        if e.topic:
            t = config.topics[e.topic]
            if t.parent:
                p = config.topics[t.parent]
                add("topic", p.slug, p.name, e)
                add("topic", t.slug, t.name, e, parent=p.slug)
            else:
                add("topic", t.slug, t.name, e)
        for key in e.agencies:
            add("agency", key, config.agencies[key].name, e)
        years = {e.published.year}
        if e.type == "reports" and e.year:
            years.add(e.year)
        for y in sorted(years):
            add("year", str(y), f"{y}年", e)
        add("type", e.type, TYPE_LABELS[e.type], e)
        add("validity", e.status, STATUS_LABELS[e.status], e)
        if e.kind:                                     # policies: 规章, 行政规范性文件, 其他文件 (SPEC 10)
            add("kind", e.kind, KIND_LABELS[e.kind], e)

    for axis in ("year",):  # a report listed under its year may be out of date order
        for v in views[axis].values():
            v.entries.sort(key=sort_key)
    order = {
        "topic": lambda v: v.slug,
        "agency": lambda v: [a.key for a in config.agency_list].index(v.slug),
        "year": lambda v: -int(v.slug),
        "type": lambda v: LISTED_TYPES.index(v.slug),
        "validity": lambda v: STATUS_ORDER.index(v.slug),
        "kind": lambda v: list(KIND_LABELS).index(v.slug),
    }
    return {axis: sorted(vs.values(), key=order[axis]) for axis, vs in views.items()}
