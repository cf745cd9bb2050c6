"""The search index's overlay: the pages edited since the last full build, indexed into one small bundle.

A command-line build resumed after bodies were edited (incremental/resume.py) does not index
a whole part again (about 5 s for 1,250 pages): `resumed_index` indexes the pages edited since
the last full build into one more, small bundle, `pagefind/part-edits/` (the overlay), and
names those pages' old result ids in xxgk-search.json (`stale`), so the search page finds them
only as they are now. xxgk-search.json names the overlay (`"overlay": "pagefind/part-edits/"`).
The state names the overlaid pages. The next full build publishes no overlay and indexes their parts again
(their pages' keys changed, so the parts' digests did).

serve's quick rebuild does the same through search.index(edited=…) (`_overlaid`), on the Pagefind
service it keeps running. The full build's parts: search.py; the bundles' layout and record:
search_bundles.py.
"""
from __future__ import annotations

import re
import shutil
import tempfile
import threading
from pathlib import Path

from ..timing import lap
from .pagefind_service import SearchIndexError, start_service
from . import search_data
from .search_bundles import (BUNDLE_DIR, PAGE_MAP, SCHEME, UNUSED_BUNDLE_FILES, _fingerprint, _keep_part, _page_map,
                             _page_of, _read_state, _scratch, _slim_fragments, _write_state, bundles_json, INDEX_BUNDLE,
                             state_path)

OVERLAY = f"{BUNDLE_DIR}/part-edits"   # the pages edited since the last full build (see resumed_index)
OVERLAY_MOST = 200                     # more than this: the full build indexes their parts again


def _overlaid(writer, site_dir: Path, bundles: list[str], edited: list[str], langs: dict, service) -> dict | None:
    """A build after only bodies were edited: every part is kept as published and the pages edited
    since the last full build go into the overlay, as a resumed command-line build does
    (resumed_index). Measured at 10,000 entries: a part indexed again costs about 5 s, the overlay of
    one page on a warmed-up service a few milliseconds. None when the published parts are not the
    ones recorded, or there is nothing to overlay: then the parts whose pages changed are indexed again."""
    state = _read_state(state_path(site_dir, writer.out))
    recorded = state.get("parts", {}) if state.get("scheme") == SCHEME else {}
    if sorted(recorded) != sorted(b.rstrip("/") for b in bundles) or not (edited or state.get("overlay")):
        return None
    for rel_dir, part in recorded.items():
        published = writer.out / rel_dir
        if _untouched(writer, rel_dir, part.get("fingerprint")):
            continue
        if not published.is_dir() or part.get("fingerprint") != _fingerprint(published, skip=PAGE_MAP):
            return None
        if writer.watch is not None and writer.watch.tree is not None:     # (events from now on are seen)
            writer.watch.memo[rel_dir] = part["fingerprint"]
    overlay = resumed_index(site_dir, writer.out, {url: (writer.read_bytes(url), langs.get(url, "")) for url in edited},
                            writer.read_bytes, service, state=state)
    if isinstance(overlay, str):
        return None
    overlay.finish()
    for rel_dir in recorded:
        _keep_part(writer, rel_dir)
    for rel, data in overlay.files.items():
        writer.write(rel, data, "search index")
    writer.after_publish(overlay.save_state)
    lap("search: overlay")
    return {"pages": len(langs), "parts": len(recorded), "reindexed": 0, "overlay": len(overlay.pages)}


def _untouched(writer, rel_dir: str, fingerprint: str | None) -> bool:
    """serve: this process found the part's folder with this fingerprint, and no event has named a file
    of it since (write/watch.py), so walking it again would find the same. Measured at 10,000 entries
    with search, a save: the 9 parts' walk (11,000 files) 0.16 s → 0."""
    return (fingerprint is not None and writer.watch is not None and writer.watch.memo.get(rel_dir) == fingerprint
            and writer.untouched(rel_dir, lambda rel: rel.rpartition("/")[2] == PAGE_MAP))


class Overlay:
    """What a resumed build publishes of the search index (see resumed_index): once `finish` returns,
    the overlay's files and xxgk-search.json. `bundles`: a full build's.

    Pagefind (`service`) indexes the index copies `copies` ((url, html) each) on a thread of its own
    from the start; `own`: the service was started for this overlay alone, and is closed with it."""

    def __init__(self, site_dir: Path, out: Path, state: dict, pages: dict[str, str],
                 copies: list[tuple[str, str]], service, own: bool):
        self.state_file = state_path(site_dir, out)
        self.state, self.pages = state, pages        # pages: url → lang, every page in the overlay now
        self.dates = {url: m.group(1) for url, page in copies if (m := _SORT_DATE.search(page))}
        self.bundles = [INDEX_BUNDLE]
        self.files: dict[str, bytes] = {}
        self._tmp = Path(tempfile.mkdtemp(prefix="xxgk-search-", dir=_scratch()))
        self._error: BaseException | None = None
        self._service = service if own else None

        def run():
            try:
                service.index(copies, self._tmp / "bundle")
            except BaseException as exc:        # (raised by finish, on the build's thread)
                self._error = exc
        self._thread = threading.Thread(target=run, name="xxgk-search-overlay", daemon=True)
        self._thread.start()

    def close(self) -> None:
        """Wait for Pagefind, then remove its scratch folder (and the service started here)."""
        self._thread.join()
        shutil.rmtree(self._tmp, ignore_errors=True)
        if self._service is not None:
            self._service.close()
            self._service = None

    def finish(self) -> None:
        """Wait for Pagefind; the overlay's files and xxgk-search.json naming the overlaid pages' old ids."""
        try:
            self._thread.join()
            if self._error is not None:
                raise SearchIndexError(f"搜索索引的补充部分没有建成：{self._error}")
            target = self._tmp / "bundle"
            if not (target / "pagefind.js").is_file():
                raise SearchIndexError("搜索索引的补充部分没有建成：Pagefind 没有写出 pagefind.js")
            for name in UNUSED_BUNDLE_FILES:
                (target / name).unlink(missing_ok=True)
            _slim_fragments(target)
            stale = [pid for part in self.state["parts"].values() for pid, url in part["page_map"].items()
                     if _page_of(url) in self.pages]
            for p in sorted(target.rglob("*")):
                if p.is_file():
                    self.files[f"{OVERLAY}/{p.relative_to(target).as_posix()}"] = p.read_bytes()
            dates = {pid: self.dates.get(_page_of(url), "") for pid, url in _page_map(target).items()}
            self.files[f"{BUNDLE_DIR}/{PAGE_MAP}"] = bundles_json(self.bundles, self.state.get("newest", []),
                                                                  f"{OVERLAY}/", stale, dates).encode()
        finally:
            self.close()

    def gone(self, published) -> list[str]:
        """The published files (`published`: their paths) of an earlier overlay that this one has not."""
        return sorted(rel for rel in published if rel.startswith(f"{OVERLAY}/") and rel not in self.files)

    def save_state(self) -> None:
        """Once published: the state names the overlaid pages (their parts are indexed again next full build)."""
        self.state["overlay"] = self.pages
        _write_state(self.state_file, self.state)


def resumed_index(site_dir: Path, out: Path, edited: dict[str, tuple[bytes, str]], read, service=None,
                  state: dict | None = None) -> "Overlay | str":
    """(resumed build) Start indexing the edited pages (`edited`: url → (page, lang)) and those edited
    since the last full build into the overlay bundle OVERLAY, on Pagefind's `service` (started ahead
    by the pipeline: see pagefind_service.py), while the build goes on; `Overlay.finish` waits for it.
    `read(url)`: a published page; `state`: the search state, when the caller has read it already.
    A str says why it cannot be done (then the build takes the full path)."""
    state = state if state is not None else _read_state(state_path(site_dir, out))
    parts = state.get("parts") if state.get("scheme") == SCHEME else None
    if not parts or any(p.get("fingerprint") is None or "page_map" not in p for p in parts.values()):
        return "the search index has no record of its parts"
    if sorted(parts) != [INDEX_BUNDLE.rstrip("/")]:
        return "the search index's parts are not the ones a full build makes"
    pages = {**state.get("overlay", {}), **{url: lang for url, (_page, lang) in edited.items()}}
    if len(pages) > OVERLAY_MOST:
        return f"more than {OVERLAY_MOST} pages edited since the last full build"
    copies = [(url, search_data.index_copy((edited[url][0] if url in edited else read(url)).decode("utf-8"), "edits"))
              for url in sorted(pages)]
    own = service is None
    if own and (service := start_service()) is None:
        return "Pagefind cannot be started"
    return Overlay(site_dir, out, state, pages, copies, service, own)


_SORT_DATE = re.compile(r'data-pagefind-sort="date:([0-9-]+)"')
