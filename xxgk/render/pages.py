"""What each page shows: the context every template gets (navigation, footer, assets) and the
context of an entry page, a listing and a report."""
from __future__ import annotations

from ..link.catalogue import AXES, LISTED_TYPES
from ..model import FORM_LABELS, TYPE_LABELS, Entry
from .bodies import derive_summary
from . import inspection


FOOTER_PAGES = (("about", "关于本站"), ("privacy", "隐私安全"), ("accessibility", "无障碍说明"))


GUIDE_PAGE = "guide"


APPLY_ANCHOR = "apply"    # the guide's section on 依申请公开 ({#apply} on its heading)


def site_root_path(base_url: str | None) -> str | None:
    """The path the site is served under at its address: "/" for https://xxgk.example.gov.cn/,
    "/xxgk/" for https://example.gov.cn/xxgk; None without an address."""
    if not base_url:
        return None
    from urllib.parse import urlsplit
    path = urlsplit(base_url).path or "/"
    return path if path.endswith("/") else path + "/"



class PageContexts:
    """(a part of render.site.SiteRenderer)"""

    @property
    def nav(self) -> dict:
        """What every page shows of the whole site: its navigation and footer links (made once)."""
        if "_nav" not in self.__dict__:
            page_ids = {e.id for e in self.pages}
            footer_links = [{"title": t, "url": f"pages/{pid}.html"} for pid, t in FOOTER_PAGES if pid in page_ids]
            footer_links += [{"title": "站点地图", "url": "sitemap.html"}, {"title": "订阅", "url": "feed.xml"}]
            main_nav = [{"title": "首页", "url": "index.html"}, {"title": "主动公开目录", "url": "catalogue/index.html"}]
            main_nav += [{"title": TYPE_LABELS[t],
                          "url": "reports/index.html" if t == "reports" else f"catalogue/type/{t}.html"}
                         for t in LISTED_TYPES if any(v.slug == t for v in self.views["type"])]
            if GUIDE_PAGE in page_ids:
                main_nav.append({"title": "信息公开指南", "url": f"pages/{GUIDE_PAGE}.html"})
                # 依申请公开: how to apply, the section of the guide (its heading's anchor, see content/pages/guide.md)
                main_nav.append({"title": "依申请公开", "url": f"pages/{GUIDE_PAGE}.html#{APPLY_ANCHOR}"})
            main_nav.append({"title": "搜索", "url": "search.html"})
            self._nav = {"main_nav": main_nav, "footer_links": footer_links,
                         "guide_url": f"pages/{GUIDE_PAGE}.html" if GUIDE_PAGE in page_ids else None}
        return self._nav

    def base_context(self, page_path: str, page_lang: str | None = None) -> dict:
        return {
            "site": self.config, "root": "../" * page_path.count("/"), "page_path": page_path, "current": page_path,
            "assets": self.assets, "page_lang": page_lang or self.config.lang, "chrome_lang": self.config.lang,
            "main_lang": None, **self.nav,
            "description": None, "value": None, "crumbs": [], "children": [], "report_tables": None,
            "meta_tags": None, "footer_marks": inspection.footer_links(self.config.footer),
        }

    def render(self, template: str, page_path: str, **ctx) -> str:
        context = self.base_context(page_path, ctx.pop("page_lang", None))
        context.update(ctx)
        if context["meta_tags"] is None:
            column, kind = inspection.column_of(page_path, context.get("view"))
            context["meta_tags"] = inspection.page_meta(self.config, page_path, column, kind)
        return self.env.get_template(template).render(context)

    def axes(self) -> list[dict]:
        out = []
        for axis, label in AXES.items():
            views = self.views[axis]
            if views:
                out.append({"axis": axis, "label": label, "views": views,
                            "parent_labels": {v.slug: v.label for v in views if not v.parent}})
        return out

    def entry_meta(self, e: Entry) -> dict:
        topic = self.config.topics.get(e.topic) if e.topic else None
        return {"agency_names": [self.config.agencies[a].name for a in e.agencies],
                "topic_label": topic.path.replace("/", " / ") if topic else None,
                "form_label": FORM_LABELS.get(e.form or "", "")}

    def render_entry(self, e: Entry, body_html: str) -> str:
        get = lambda ids: [self.entries[i] for i in ids if i in self.entries]  # noqa: E731
        relations = [
            {"label": "政策解读", "entries": get(e.interpreted_by)},
            {"label": "解读的政策", "entries": get(e.interprets)},
            {"label": "本文件废止了", "entries": get(e.repeals)},
            {"label": "本文件被以下文件废止", "entries": get(e.repealed_by)},
            {"label": "本文件修改了", "entries": get(e.amends)},
            {"label": "本文件被以下文件修改", "entries": get(e.amended_by)},
        ]
        type_view = f"catalogue/type/{e.type}.html"
        crumbs = [{"title": "首页", "url": "index.html"}, {"title": "主动公开目录", "url": "catalogue/index.html"},
                  {"title": e.type_label, "url": type_view}, {"title": e.title, "url": None}]
        report_tables = None
        if e.type == "reports" and e.format == "2021" and e.stats:
            report_tables = True
        meta = self.entry_meta(e)
        summary = e.summary or (derive_summary(body_html) if e.is_public_body else None)
        meta_tags = inspection.page_meta(self.config, e.url, e.type_label, e.type_label, e, meta["agency_names"],
                                         summary)
        if report_tables is not None:
            body_html = self.report_body_html(e, body_html, report_tables)
        return self.render("entry.html", e.url, entry=e, meta=meta, body_html=body_html,
                           cause=self.entries.get(e.status_cause) if e.status_cause else None,
                           relations=relations, relations_interprets=get(e.interprets), crumbs=crumbs,
                           page_lang=e.lang, report_tables=report_tables,
                           description=inspection.description(summary), meta_tags=meta_tags,
                           report_data=[f"reports/{e.id}.json", f"reports/{e.id}.csv"] if report_tables else None)

    def report_body_html(self, e: Entry, body_html: str, _tables) -> str:
        from .. import annual2021
        tables = annual2021.render_tables(self.env, e.stats)
        if e.table2 is not None and e.table2.filled:         # the page says which numbers the catalogue gave
            tables = {**tables, "二": tables["二"] + self.render("components/table2_note.html", e.url, entry=e,
                                                               table2=e.table2)}
        # the chart of how applications were handled follows the table it is drawn from
        with_chart = {**tables, "三": tables["三"] + annual2021.report_chart_svg(e.id, e.stats)}
        return annual2021.insert_tables(body_html, with_chart)

    def render_listing(self, axis, v, n, path, pages, children, parent, page_entries) -> str:
        crumbs = [{"title": "首页", "url": "index.html"},
                  {"title": "主动公开目录", "url": "catalogue/index.html"},
                  {"title": AXES[axis], "url": f"catalogue/index.html#axis-{axis}"}]
        if parent:
            crumbs.append({"title": parent.label, "url": parent.url})
        crumbs.append({"title": v.label + (f"（第{n}页）" if n > 1 else ""), "url": None})
        return self.render("listing.html", path, view=v, axis_label=AXES[axis], page_entries=page_entries,
                           pages=pages, number=n, crumbs=crumbs, children=children)
