"""The search index: Pagefind (extended build) over copies of the entry pages and the plain pages.

Everything the search page shows comes from the index itself: the published pages carry Pagefind
filters (type, agency, topic, year, validity), the date to sort by and the result's fields (title,
索引号, 文号, agency, date, validity) as `data-pagefind-*` attributes, so the search page downloads
no whole-catalogue file (SPEC 6): only the runtime, the index's metadata, the index chunks a
query needs and the fragments of the results it shows.

Steps, called by the pipeline after rendering (the pages are then in `writer.staging`):

1. (The search page's folding table is an asset: search_data.fold_parts.)
2. Each page is copied into a scratch folder (same relative path, so result URLs match;
   /dev/shm when it has room), with its character pairs in a hidden meta field; the published page
   stays without them.
3. Pagefind's output is not deterministic (its filter files change from run to run), so a part is
   indexed again only when one of its pages changed: each part's digest (of its pages' record
   keys: what each page was made from) is kept in the SITE's `.cache/search/` (never in the
   output), and the part Pagefind made in a folder named by it beside (`parts_store`). Editing one
   entry re-indexes one part.
4. Pagefind runs as one language (`--force-language`), so zh-Hant entries share the index. A large
   site is indexed in parts of at most PART_PAGES pages, two at a time (each Pagefind run needs
   about 1 GB, measured with the pairs: 2,000 pages 1.23 GB; XXGK_SEARCH_JOBS=1 runs one at a time).
5. The parts are published merged into ONE Pagefind bundle, `pagefind/` (search_merge.py): a query
   then costs one metadata file and one index chunk a word, not one of each a part (at 10,000
   entries, 8 parts: figures in bench/RESULTS.md, session 13). It is made again only when a part
   was; else the published one is kept (its digest and fingerprint in the state).
   `pagefind/xxgk-search.json` names the bundle (and the overlay below with the result ids it
   replaces); the search page reads it first. The map of result ids to pages is kept in the state.
6. Pages edited since the last full build (serve's quick rebuild, the command line's resumed build)
   go into an overlay bundle instead of their parts being indexed again: search_overlay.py.

Here: `index`, the full build's parts and the bundle made of them. The bundles' layout, their record
in `.cache/search/` and Pagefind's run over a folder of index copies: search_bundles.py; the merge:
search_merge.py.
"""
from __future__ import annotations

import hashlib
import os
import shutil
import tempfile
import time
from pathlib import Path

from ..parallel import env_count, forked
from ..timing import lap
from .pagefind_service import LANGUAGE, pagefind_executable
from . import search_data
from ..attachments.index import attachment_records
from .search_bundles import (BUNDLE_DIR, PART_PAGES, PAGE_MAP, SCHEME, UNUSED_BUNDLE_FILES, _fingerprint, _keep_part,
                             _page_map, _read_state, _run_pagefind, _scratch, _slim_fragments, _write_state,
                             INDEX_BUNDLE, bundles_json, parts_store, split_parts, state_path)
from .search_merge import merge
from .search_overlay import _overlaid


def index(writer, pages, site_dir, diags, renderer=None, rendered=None, part_pages: int | None = None,
          full_text: bool = True, edited: list[str] | None = None, service=None) -> dict:
    """Write the Pagefind index, re-indexing only the parts whose pages changed.

    With full_text=False (build --no-search) no index is written (nor xxgk-search.json: the search
    page then says that the site has no search index and offers the catalogue).
    `edited`: the caller knows that only these pages' bodies changed since the last build (serve's
    quick rebuild): they go into the overlay (see `_overlaid`), on Pagefind's `service` if given."""
    part_pages = part_pages or env_count("XXGK_SEARCH_PART_PAGES") or PART_PAGES
    dates = {e.url: e.published.isoformat() for e in renderer.listed} if renderer is not None else {}
    pages = sorted(sorted(pages), key=lambda url: dates.get(url, ""), reverse=True)   # (see split_parts)
    page_keys = getattr(rendered, "keys", {}) or {}
    parts = split_parts(pages, part_pages)
    bundles = [INDEX_BUNDLE]

    if not full_text or not pages:
        return {"pages": len(pages), "parts": 0}
    langs = {e.url: e.lang for e in [*renderer.listed, *renderer.pages]} if renderer is not None else {}

    if edited is not None:
        figures = _overlaid(writer, site_dir, bundles, edited, langs, service)
        if figures is not None:
            return figures
    exe = pagefind_executable()
    state_file = state_path(site_dir, writer.out)
    state = _read_state(state_file)
    current = state.get("scheme") == SCHEME
    cached = state.get("cached", {}) if current else {}
    store = parts_store(state_file)
    new_state: dict = {"scheme": SCHEME, "cached": {}, "parts": {}}
    figures = {"pages": len(pages), "parts": len(parts), "reindexed": 0, "seconds": 0.0}
    start = time.monotonic()
    todo, digests = [], []
    head = f"{SCHEME}\n{exe.stat().st_size}\n{LANGUAGE}\n{len(parts)}\n".encode()
    for n, part in enumerate(parts, 1):
        h = hashlib.sha256(head)
        for url in part:
            key = page_keys.get(url)
            if key is None:    # no record of what the page was made from: its bytes, then
                key = hashlib.sha256(writer.read_bytes(url)).hexdigest()
            h.update(f"{url}\0{key}\0{langs.get(url, '')}\n".encode())
        digest = h.hexdigest()
        digests.append(digest)
        old = cached.get(f"part-{n}")
        if (store / digest / "pagefind.js").is_file():      # (complete: renamed into place when made)
            page_map = old["page_map"] if old and old.get("digest") == digest else _page_map(store / digest)
            new_state["cached"][f"part-{n}"] = {"digest": digest, "page_map": page_map}
        else:
            todo.append((n, part, digest))
    # the one bundle published: made again only when a part was (or it is not as recorded)
    combined = hashlib.sha256("\n".join(digests).encode()).hexdigest()
    published = writer.out / BUNDLE_DIR
    old = state.get("parts", {}).get(BUNDLE_DIR) if current else None
    keep = (not todo and old and old.get("digest") == combined and published.is_dir()
            and old.get("fingerprint") == _fingerprint(published, skip=PAGE_MAP)
            and _keep_part(writer, BUNDLE_DIR))
    if todo and renderer is not None:
        renderer.release()                              # nothing below needs the entries
    if todo:
        # each part to index again, in its own worker (two at a time): copies of its pages with their
        # character pairs in a scratch folder (in memory when /dev/shm allows), then Pagefind, which
        # writes the part into the site's .cache/search/ (parts_store), then the part's page map
        writer.before_fork()
        try:
            store.mkdir(parents=True, exist_ok=True)
        except OSError:          # a site folder that cannot be written: the parts last this build only
            store = Path(tempfile.mkdtemp(prefix="xxgk-parts-", dir=_scratch()))
            writer.after_publish(lambda: shutil.rmtree(store, ignore_errors=True))
        with tempfile.TemporaryDirectory(prefix="xxgk-search-", dir=_scratch()) as tmp:
            tasks = []
            for n, part, digest in todo:
                items = []
                for url in part:
                    staged = writer.staging / url
                    items.append((str(staged if staged.is_file() else writer.out / url), url, langs.get(url, "")))
                shutil.rmtree(store / f"{digest}.tmp", ignore_errors=True)
                tasks.append((str(exe), str(Path(tmp) / f"site-{n}"), items, str(store / f"{digest}.tmp"),
                              str(site_dir), "1"))
            jobs = env_count("XXGK_SEARCH_JOBS") or min(2, os.cpu_count() or 1)
            for (n, part, digest), part_map in zip(todo, _index_parts(tasks, jobs)):
                os.replace(store / f"{digest}.tmp", store / digest)
                figures["reindexed"] += 1
                new_state["cached"][f"part-{n}"] = {"digest": digest, "page_map": part_map}
        lap("search: parts indexed")
    page_map: dict[str, str] = {}
    for n in range(1, len(parts) + 1):
        page_map.update(new_state["cached"][f"part-{n}"]["page_map"])
    if keep:
        new_state["parts"][BUNDLE_DIR] = old
    else:
        shutil.rmtree(writer.staging / BUNDLE_DIR, ignore_errors=True)
        figures["merged"] = merge([store / d for d in digests], writer.staging / BUNDLE_DIR)
        writer.add_tree(BUNDLE_DIR)
        new_state["parts"][BUNDLE_DIR] = {"digest": combined, "page_map": page_map, "fingerprint": None}
        lap("search: one index made of the parts")
    new_state["newest"] = newest = [dates.get(pages[0], "")]
    writer.write(f"{BUNDLE_DIR}/{PAGE_MAP}", bundles_json(bundles, newest), "search index")
    figures["seconds"] = round(time.monotonic() - start, 2)
    writer.after_publish(lambda: _finish_state(writer.out, state_file, new_state))
    return figures


def _index_part(tasks: list, i: int) -> dict[str, str]:
    """One part: its index copies, Pagefind over them, the copies removed; returns its page map."""
    exe, site, items, target, site_dir, part = tasks[i]
    made = set()
    for src, url, lang in items:
        page = Path(src).read_text(encoding="utf-8")
        dst = Path(site) / url
        if dst.parent not in made:
            dst.parent.mkdir(parents=True, exist_ok=True)
            made.add(dst.parent)
        dst.write_text(search_data.index_copy(page, part), encoding="utf-8")
        for record_url, record in attachment_records(url, page, site_dir):   # (xxgk/attachments/index.py)
            (Path(site) / record_url).write_text(search_data.index_copy(record, part), encoding="utf-8")
    _run_pagefind(Path(exe), Path(site), Path(target))
    shutil.rmtree(site, ignore_errors=True)
    for name in UNUSED_BUNDLE_FILES:
        Path(target, name).unlink(missing_ok=True)
    _slim_fragments(Path(target))
    return _page_map(Path(target))


def _index_parts(tasks: list, jobs: int) -> list[dict[str, str]]:
    """The parts, `jobs` at a time in worker processes forked from this one (each Pagefind run is one
    busy core and ~0.9 GB; XXGK_SEARCH_JOBS=1 runs one at a time, in this process)."""
    import multiprocessing as mp
    if jobs <= 1 or len(tasks) <= 1 or "fork" not in mp.get_all_start_methods():
        return [_index_part(tasks, i) for i in range(len(tasks))]
    with forked(_index_part, tasks, min(jobs, len(tasks))) as run:
        return list(run(range(len(tasks))))


def _finish_state(out: Path, state_file: Path, state: dict) -> None:
    """After publishing: remember the published bundle (names, sizes, mtimes); forget the parts
    no longer used."""
    for rel_dir, part in state["parts"].items():
        part["fingerprint"] = _fingerprint(out / rel_dir, skip=PAGE_MAP)
    _write_state(state_file, state)
    keep = {part["digest"] for part in state["cached"].values()}
    try:
        for old in parts_store(state_file).iterdir():
            if old.name not in keep:
                shutil.rmtree(old, ignore_errors=True)
    except OSError:
        pass
