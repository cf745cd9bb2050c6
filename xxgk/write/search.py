"""The search index: Pagefind (extended build) over copies of the entry pages and the plain pages.

Everything the search page shows comes from the index itself: the published pages carry Pagefind
filters (type, agency, topic, year, validity), the date to sort by and the result's fields (title,
索引号, 文号, agency, date, validity) as `data-pagefind-*` attributes, so the search page downloads
no whole-catalogue file (SPEC 6): only the runtime, each part's small metadata, the index chunks a
query needs and the fragments of the results it shows.

Steps, called by the pipeline after rendering (the pages are then in `writer.staging`):

1. (The search page's folding table is an asset: search_data.fold_js.)
2. Each page is copied into a scratch folder (same relative path, so result URLs match;
   /dev/shm when it has room), with its character pairs in a hidden meta field; the published page
   stays without them.
3. Pagefind's output is not deterministic (its filter files change from run to run), so a part is
   indexed again only when one of its pages changed: each part's digest (of its pages' record
   keys: what each page was made from) is kept in the SITE's `.cache/search/` (never in the
   output), with a fingerprint of the folder it produced. When both still match the published
   folder, `writer.keep_tree()` reuses that part unchanged; editing one entry re-indexes one part.
4. Pagefind runs as one language (`--force-language`), so zh-Hant entries share the index. A large
   site is indexed in parts of at most PART_PAGES pages (`pagefind/part-N/`), two at a time (each
   Pagefind run needs about 1 GB, measured with the pairs: 2,000 pages 1.23 GB; XXGK_SEARCH_JOBS=1
   runs one at a time);
   the search page loads ONE Pagefind runtime (the first part's pagefind.js and WebAssembly) and
   merges the other parts into it (`mergeIndex`). Pagefind drops the query pieces an index does
   not know, so search.js keeps only the results that every piece finds on its own.
5. `pagefind/xxgk-search.json` names the bundles (the parts, and the overlay below with the result
   ids it replaces); the search page reads it first. Each part's map of result ids to pages is kept
   in the state (never published) to know those ids.
6. A command-line build resumed after bodies were edited (incremental/resume.py) does not index
   a whole part again (about 5 s for 1,250 pages): `resumed_index` indexes the pages edited since
   the last full build into one more, small bundle, `pagefind/part-edits/` (the overlay), and
   names those pages' old result ids in xxgk-search.json (`stale`), so the search page finds them
   only as they are now. xxgk-search.json names the overlay (`"overlay": "pagefind/part-edits/"`).
   The state names the overlaid pages. The next full build publishes no overlay and indexes their parts again
   (their pages' keys changed, so the parts' digests did).
"""
from __future__ import annotations

import gzip
import hashlib
import json
import re
import os
import shutil
import subprocess
import tempfile
import threading
import time
from pathlib import Path

from ..parallel import env_count, forked
from ..timing import lap
from .published import output_tag
from .pagefind_service import LANGUAGE, SearchIndexError, pagefind_executable, start_service
from . import search_data
from ..attachments.index import RECORD, attachment_records

BUNDLE_DIR = "pagefind"
PART_PAGES = 1500      # measured: ~620 KB a page with the character pairs → ≤ ~1 GB a part
PAGE_MAP = "xxgk-search.json"           # the bundles, for the search page (see step 5)
OVERLAY = f"{BUNDLE_DIR}/part-edits"   # the pages edited since the last full build (see resumed_index)
OVERLAY_MOST = 200                     # more than this: the full build indexes their parts again
NON_EXTENDED = "Indexing Chinese in non-extended mode"
SCHEME = "xxgk-search-6"   # bump when the copies, the Pagefind call or the files kept change
# Pagefind's ready-made search interfaces: the search page uses pagefind.js (and its worker and wasm)
# through its own search.js, so these ~420 KB are not published in each part (mirrors copy less)
UNUSED_BUNDLE_FILES = ("pagefind-ui.js", "pagefind-ui.css", "pagefind-modular-ui.js", "pagefind-modular-ui.css",
                       "pagefind-component-ui.js", "pagefind-component-ui.css", "pagefind-highlight.js")


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
    bundles = bundles_of(len(parts))

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
    kept_parts = state.get("parts", {}) if state.get("scheme") == SCHEME else {}
    new_state: dict = {"scheme": SCHEME, "parts": {}}
    figures = {"pages": len(pages), "parts": len(parts), "reindexed": 0, "seconds": 0.0}
    page_map: dict[str, str] = {}
    start = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="xxgk-search-", dir=_scratch()) as tmp:
        todo = []
        for n, (part, bundle) in enumerate(zip(parts, bundles), 1):
            rel_dir = bundle.rstrip("/")
            h = hashlib.sha256(f"{SCHEME}\n{exe.stat().st_size}\n{LANGUAGE}\n{bundle}\n{len(parts)}\n".encode())
            for url in part:
                key = page_keys.get(url)
                if key is None:    # no record of what the page was made from: its bytes, then
                    key = hashlib.sha256(writer.read_bytes(url)).hexdigest()
                h.update(f"{url}\0{key}\0{langs.get(url, '')}\n".encode())
            digest = h.hexdigest()
            old = kept_parts.get(rel_dir)
            published = writer.out / rel_dir
            if (old and old.get("digest") == digest and published.is_dir()
                    and old.get("fingerprint") == _fingerprint(published, skip=PAGE_MAP)
                    and _keep_part(writer, rel_dir, single=len(parts) == 1)):
                page_map.update(old.get("page_map", {}))
                new_state["parts"][rel_dir] = old
                continue
            todo.append((n, part, rel_dir, digest))
        if todo and renderer is not None:
            renderer.release()                              # nothing below needs the entries
        # each part to index again, in its own worker (two at a time): copies of its pages with their
        # character pairs in a scratch folder (in memory when /dev/shm allows), then Pagefind, which
        # writes the part straight into the staging folder, then the part's page map
        writer.before_fork()
        tasks = []
        for n, part, rel_dir, _digest in todo:
            items = []
            for url in part:
                staged = writer.staging / url
                items.append((str(staged if staged.is_file() else writer.out / url), url, langs.get(url, "")))
            target = writer.staging / rel_dir
            target.parent.mkdir(parents=True, exist_ok=True)
            tasks.append((str(exe), str(Path(tmp) / f"site-{n}"), items, str(target), str(site_dir), str(n)))
        jobs = env_count("XXGK_SEARCH_JOBS") or min(2, os.cpu_count() or 1)
        for (n, part, rel_dir, digest), part_map in zip(todo, _index_parts(tasks, jobs)):
            page_map.update(part_map)
            writer.add_tree(rel_dir)
            figures["reindexed"] += 1
            new_state["parts"][rel_dir] = {"digest": digest, "page_map": part_map, "fingerprint": None}
    lap("search: parts indexed")
    new_state["newest"] = newest = [dates.get(part[0], "") for part in parts]
    writer.write(f"{BUNDLE_DIR}/{PAGE_MAP}", bundles_json(bundles, newest), "search index")
    figures["seconds"] = round(time.monotonic() - start, 2)
    writer.after_publish(lambda: _finish_state(writer.out, state_file, new_state))
    return figures


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
        if not published.is_dir() or part.get("fingerprint") != _fingerprint(published, skip=PAGE_MAP):
            return None
    overlay = resumed_index(site_dir, writer.out, {url: (writer.read_bytes(url), langs.get(url, "")) for url in edited},
                            writer.read_bytes, service, state=state)
    if isinstance(overlay, str):
        return None
    overlay.finish()
    for rel_dir in recorded:
        _keep_part(writer, rel_dir, single=len(recorded) == 1)
    for rel, data in overlay.files.items():
        writer.write(rel, data, "search index")
    writer.after_publish(overlay.save_state)
    lap("search: overlay")
    return {"pages": len(langs), "parts": len(recorded), "reindexed": 0, "overlay": len(overlay.pages)}


def bundles_json(bundles: list[str], newest: list[str], overlay: str | None = None, stale: list[str] = (),
                 dates: dict[str, str] | None = None) -> str:
    """xxgk-search.json: the bundles the search page loads (the first one's runtime, the others
    merged into it) with each one's newest date (the parts hold the pages newest first: see
    split_parts), the overlay, the result ids of the parts that it replaces, and its results' dates."""
    data: dict = {"bundles": bundles, "newest": newest}
    if overlay:
        data.update(overlay=overlay, stale=sorted(stale), dates=dict(sorted((dates or {}).items())))
    return json.dumps(data, ensure_ascii=True, separators=(",", ":"))


def first_bundle(pages: int) -> str:
    """The bundle whose runtime the search page loads, for a site of `pages` indexed pages: named in
    search.html, so the page starts loading the index without waiting for xxgk-search.json."""
    part_pages = env_count("XXGK_SEARCH_PART_PAGES") or PART_PAGES
    return bundles_of(len(split_parts(list(range(pages)), part_pages)))[0]


def bundles_of(parts: int) -> list[str]:
    """The bundles a full build publishes for a site indexed in `parts` parts."""
    return [f"{BUNDLE_DIR}/"] if parts == 1 else [f"{BUNDLE_DIR}/part-{n}/" for n in range(1, parts + 1)]


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
        self.bundles = bundles_of(len(state["parts"]))
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
    if sorted(parts) != sorted(b.rstrip("/") for b in bundles_of(len(parts))):
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


def split_parts(pages: list[str], most: int) -> list[list[str]]:
    """At most `most` pages a part, in an even number of parts of equal size (two Pagefind runs at a
    time then finish together: 10,000 pages in 8 parts of 1,251, not 6 of 1,500 and one of 1,004).
    Depends only on the pages, never on the machine, so every machine publishes the same layout.
    The pages come newest first, so the parts are in date order: Pagefind sorts by date within an
    index but a merged search orders by score, so for newest first search.js asks each part in turn
    (each page's copy carries the filter `part:N`: index_copy)."""
    n = -(-len(pages) // most)
    if n <= 1:
        return [pages]
    n += n % 2
    size = -(-len(pages) // n)
    return [pages[i:i + size] for i in range(0, len(pages), size)]


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


def _scratch() -> str | None:
    """Where the index copies go: /dev/shm (memory) when there is room — creating ten thousand small
    files there costs a fraction of what it costs on most disks, for Pagefind too — else the default."""
    try:
        st = os.statvfs("/dev/shm")
        if os.access("/dev/shm", os.W_OK) and st.f_bavail * st.f_frsize > 1 << 30:
            return "/dev/shm"
    except OSError:
        pass
    return None


def _keep_part(writer, rel_dir: str, single: bool) -> bool:
    if not single:
        return writer.keep_tree(rel_dir)
    return writer.keep_tree(rel_dir, skip={f"{rel_dir}/{PAGE_MAP}"})


def _finish_state(out: Path, state_file: Path, state: dict) -> None:
    """After publishing: remember each part's folder as published (names, sizes, mtimes)."""
    for rel_dir, part in state["parts"].items():
        part["fingerprint"] = _fingerprint(out / rel_dir, skip=PAGE_MAP)
    _write_state(state_file, state)


def _run_pagefind(exe: Path, site: Path, out: Path) -> None:
    cmd = [str(exe), "--site", str(site), "--output-path", str(out), "--force-language", LANGUAGE]
    try:
        r = subprocess.run(cmd, capture_output=True, text=True, timeout=3600)
    except OSError as exc:
        raise SearchIndexError(f"无法运行 Pagefind（{exe}）：{exc}") from exc
    log = (r.stdout or "") + (r.stderr or "")
    if NON_EXTENDED in log:
        raise SearchIndexError("Pagefind 没有以扩展模式运行（输出了 “Indexing Chinese in non-extended mode”），"
                               "中文搜索将无法按词查找；请安装 pagefind-bin-extended==1.5.2")
    if r.returncode != 0 or not (out / "pagefind.js").is_file():
        raise SearchIndexError(f"Pagefind 建立搜索索引失败（退出码 {r.returncode}）：\n{log.strip()[-2000:]}")


def _slim_fragments(bundle: Path) -> None:
    """Take the character pairs out of each result's fragment: they are there to be matched (the index
    holds them), never shown, and they were ~40 % of what the search page downloads for each result
    shown (measured on the 2,000-entry corpus: 3.9 KB a fragment before, 2.4 KB after). A fragment is
    read only for display (its name, referenced by the index, stays)."""
    for f in (bundle / "fragment").glob("*.pf_fragment"):
        raw = gzip.decompress(f.read_bytes())
        head = b"pagefind_dcd" if raw.startswith(b"pagefind_dcd") else b""
        data = json.loads(raw[len(head):].decode("utf-8"))
        if data.get("meta", {}).pop("pairs", None) is None:
            continue
        body = head + json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
        f.write_bytes(gzip.compress(body, 9, mtime=0))


def _page_of(url: str) -> str:
    """The page a result belongs to: an attachment's record (attachments/index.py) to its entry's page."""
    at = url.find(RECORD)
    return url if at < 0 else url[:at] + ".html"


def _page_map(bundle: Path) -> dict[str, str]:
    """Pagefind result id (the fragment's file name) → the page's URL relative to the site root."""
    out = {}
    for f in sorted((bundle / "fragment").glob("*.pf_fragment")):
        raw = gzip.decompress(f.read_bytes())
        if raw.startswith(b"pagefind_dcd"):
            raw = raw[len(b"pagefind_dcd"):]
        url = json.loads(raw.decode("utf-8"))["url"]
        out[f.name[:-len(".pf_fragment")]] = url.lstrip("/")
    return out


def state_path(site_dir: Path, out: Path) -> Path:
    """Where the search parts' record for the output folder `out` is kept (in the site's .cache)."""
    return Path(site_dir) / ".cache" / "search" / f"{output_tag(Path(out).absolute(), 16)}.json"


def _read_state(path: Path) -> dict:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


def _write_state(path: Path, state: dict) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(".tmp")
        tmp.write_text(json.dumps(state, separators=(",", ":")), encoding="utf-8")   # (indented: 10 times slower)
        os.replace(tmp, path)
    except OSError:
        pass   # a read-only site folder only costs a re-index next time


def _fingerprint(folder: Path, skip: str = "") -> str:
    """Names, sizes and modification times of a bundle folder (hard links keep them across the swap).
    Another part's folder inside it (a site indexed in parts) is left out."""
    h = hashlib.sha256()
    for p in sorted(folder.rglob("*")):
        if p.is_file() and p.name != skip and not p.relative_to(folder).as_posix().startswith("part-"):
            st = p.stat()
            h.update(f"{p.relative_to(folder).as_posix()}\0{st.st_size}\0{st.st_mtime_ns}\n".encode())
    return h.hexdigest()
