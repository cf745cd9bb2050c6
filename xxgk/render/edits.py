"""Builds after only bodies were edited: serve's kept renderer (incremental/warm.py) and the
command line's renderer resumed from a snapshot (incremental/resume.py) put the edited bodies' new
digests into the keys; the exports showing a changed summary are made again."""
from __future__ import annotations

from datetime import date
from pathlib import Path
from ..config.site import SiteConfig
from ..link.catalogue import LISTED_TYPES
from ..model import Entry
from . import exports
from .bodies import Bodies, body_key
from .environment import make_env
from .plan import Job, KnownDigests, summaries_key



class BodyEdits:
    """(a part of render.site.SiteRenderer)"""

    def bodies_edited(self, edited: list[Entry]) -> None:
        """Only these entries' bodies changed since the last build made this renderer (serve keeps it;
        see incremental/warm.py): their new body digests go into the kept keys, plan and caches."""
        where = {j.path: i for i, j in enumerate(self.jobs)}
        for new in edited:
            e = self.entries[new.id]
            e.body_digest, e.links = new.body_digest, list(new.links)
            self.edig[e.id] = self.entry_digest(e)
            self.bodies.edited(e)
            self.jobs[where[e.url]] = self.entry_job(e)
        summaries = self.__dict__.get("_summaries")
        if summaries is None:
            return
        # the summaries shown by the exports: only a summary taken from an edited body can change
        if self.summaries_edited([self.entries[n.id] for n in edited], summaries):
            for name in ("_summary_key", "_pieces"):
                self.__dict__.pop(name, None)

    def summaries_edited(self, entries: list[Entry], summaries) -> dict[str, tuple]:
        """Put into `summaries` what summaries() gives for these entries after their bodies were edited;
        return those that changed: id → (old, new)."""
        derived = self.bodies.summaries([e.id for e in entries if not e.summary and e.is_public_body])
        changed = {}
        for e in entries:
            old, new = summaries.get(e.id), e.summary or derived.get(e.id) or None
            if new != old:
                changed[e.id] = (old, new)
                summaries[e.id] = new
        return changed

    def kept_parts(self) -> dict:
        """What an entry's page is made from besides the entries (after write_all): for `resumed`."""
        return {"files": self.files, "assets": self.assets, "nav": self.nav, "templates": self.templates.known(),
                "chrome": self.chrome, "base": self.base, "published": self.published, "mdig": self.mdig,
                "edig": self.edig, "all_listed": self.all_listed,
                "feeds": [(f["url"], f["title"], f["shown"]) for f in self.feeds()]}

    @classmethod
    def resumed(cls, site_dir: Path, config: SiteConfig, as_of: date, kept: dict, entries, summaries):
        """A renderer of entry pages only, made from what a full build kept (`kept_parts`), the linked
        entries (a mapping that may load them as asked) and the summaries its exports showed."""
        self = cls.__new__(cls)
        self.site_dir, self.config, self.as_of, self.entries = site_dir, config, as_of, entries
        self.cache_dir, self.remember = site_dir / ".cache", False
        self.env = make_env(site_dir)
        self.files, self.assets, self._nav = kept["files"], kept["assets"], kept["nav"]
        self.templates = KnownDigests(kept["templates"])
        self.chrome, self.base, self.published = kept["chrome"], kept["base"], kept["published"]
        self.mdig, self.edig, self._summaries = kept["mdig"], kept["edig"], summaries
        self.all_listed, self._feeds = kept["all_listed"], kept["feeds"]
        self.summary_changes: dict[str, tuple] = {}     # see edited_pages
        self.listed_changes: dict[str, tuple] = {}      # see resumed_exports
        return self

    def edited_pages(self, edited: list[Entry]) -> list[Job]:
        """(resumed) The pages of these entries, whose bodies alone were edited, with their new digests.
        The summaries the exports show that changed with them go into `summary_changes` (id → old, new)
        and the summaries (see resumed_exports)."""
        entries, replaced, made_from = [], [], {}
        for new in edited:
            e = self.entries[new.id]
            made_from[e.id] = self.entry_job(e).key                # the published page's key
            if e.is_public_body:
                replaced.append(body_key(e, self.published))     # the cache forgets the old body
            e.body_digest, e.links = new.body_digest, list(new.links)
            self.edig[e.id] = self.entry_digest(e)
            entries.append(e)
        self.bodies = Bodies({e.id: e for e in entries}, self.published, self.cache_dir, workers=1,
                             site_dir=self.site_dir)
        self.bodies.replacing(replaced)
        self.summary_changes = self.summaries_edited([e for e in entries if e.type in LISTED_TYPES],
                                                     self._summaries)     # (the exports show only theirs)
        jobs = [self.entry_job(e) for e in entries]
        return [j for j in jobs if j.key != made_from[j.entry.id]]     # (a file saved unchanged: nothing to do)

    def resumed_exports(self, listed: tuple[list, list, list, list]) -> list[tuple[Job, bytes | str]]:
        """(resumed) The exports showing the summaries in `summary_changes`, made as a full build makes
        them (plan.Planning.catalogue_export_jobs, feed_job): catalogue.json and catalogue.csv from each
        listed entry's pieces as the last build kept them, the edited entries' made again; the feeds
        showing them. `listed`: every listed entry's id, summary, JSON line and CSV row, in catalogue
        order, as the last build showed them (lists this changes). What changed goes into
        `listed_changes` (id → summary, line, row) for the snapshot's delta."""
        ids, summaries, lines, rows = listed
        at = {eid: i for i, eid in enumerate(ids)}
        for eid, (_old, new) in self.summary_changes.items():
            i = at[eid]
            summaries[i] = new
            lines[i], rows[i] = exports.entry_pieces(self.entries[eid], self.config, new)
            self.listed_changes[eid] = (new, lines[i], rows[i])
        self._summary_key, self._pieces = summaries_key(summaries), (lines, rows)
        jobs = self.catalogue_export_jobs()
        jobs += [self.feed_job(url, title, shown, self._summaries) for url, title, shown in self._feeds
                 if any(eid in self.summary_changes for eid in shown)]
        return [(j, j.make()) for j in jobs]
