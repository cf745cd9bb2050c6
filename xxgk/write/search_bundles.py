"""The search index's bundles: their layout, Pagefind run to make one, and their record in `.cache/search/`.

- Layout: a site is indexed in parts of at most PART_PAGES pages (`split_parts`), kept in the site's
  .cache (`parts_store`) and published merged into one bundle, INDEX_BUNDLE (search_merge.py), beside
  the overlay `pagefind/part-edits/` at times; `pagefind/xxgk-search.json` names them for the search
  page (`bundles_json`).
- Pagefind's run over a folder of index copies (`_run_pagefind`, extended mode or an error), the
  bundle then slimmed (`_slim_fragments`) and read (`_page_map`: result ids to pages).
- The record (`state_path`): each part's digest and page map ("cached"), and the published bundle's
  digest, page map and fingerprint ("parts"), kept in the SITE's `.cache/search/` (never in the output).
Used by the full build's parts (search.py) and the overlay for edited pages (search_overlay.py).
"""
from __future__ import annotations

import gzip
import hashlib
import json
import os
import subprocess
from pathlib import Path

from ..atomic import write_whole
from .published import output_tag
from .pagefind_service import LANGUAGE, SearchIndexError
from ..attachments.index import RECORD

BUNDLE_DIR = "pagefind"
PART_PAGES = 1500      # measured: ~620 KB a page with the character pairs → ≤ ~1 GB a part
PAGE_MAP = "xxgk-search.json"           # the bundles, for the search page (see search.py, step 5)
# The bundle a full build publishes, however many parts the site was indexed in (search_merge.py);
# named in search.html, so the page starts loading its runtime without waiting for xxgk-search.json
INDEX_BUNDLE = f"{BUNDLE_DIR}/"
NON_EXTENDED = "Indexing Chinese in non-extended mode"
SCHEME = "xxgk-search-7"   # bump when the copies, the Pagefind call or the files kept change
# Pagefind's ready-made search interfaces: the search page uses pagefind.js (and its worker and wasm)
# through its own search.js, so these ~420 KB are not published in each part (mirrors copy less)
UNUSED_BUNDLE_FILES = ("pagefind-ui.js", "pagefind-ui.css", "pagefind-modular-ui.js", "pagefind-modular-ui.css",
                       "pagefind-component-ui.js", "pagefind-component-ui.css", "pagefind-highlight.js")


def split_parts(pages: list[str], most: int) -> list[list[str]]:
    """At most `most` pages a part, in an even number of parts of equal size (two Pagefind runs at a
    time then finish together: 10,000 pages in 8 parts of 1,251, not 6 of 1,500 and one of 1,004).
    Depends only on the pages, never on the machine, so every machine publishes the same layout.
    The pages come newest first, so the parts are in date order, and laid end to end (oldest first)
    their date orders are the merged index's (search_merge.py)."""
    n = -(-len(pages) // most)
    if n <= 1:
        return [pages]
    n += n % 2
    size = -(-len(pages) // n)
    return [pages[i:i + size] for i in range(0, len(pages), size)]


def bundles_json(bundles: list[str], newest: list[str], overlay: str | None = None, stale: list[str] = (),
                 dates: dict[str, str] | None = None) -> str:
    """xxgk-search.json: the bundles the search page loads (the first one's runtime, the others
    merged into it) with each one's newest date (the parts hold the pages newest first: see
    split_parts), the overlay, the result ids of the parts that it replaces, and its results' dates."""
    data: dict = {"bundles": bundles, "newest": newest}
    if overlay:
        data.update(overlay=overlay, stale=sorted(stale), dates=dict(sorted((dates or {}).items())))
    return json.dumps(data, ensure_ascii=True, separators=(",", ":"))


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


def parts_store(state_file: Path) -> Path:
    """Where the parts Pagefind made are kept between builds, each in a folder named by its digest
    (search.py): beside the state, in the site's .cache/search/ (never in the output)."""
    return state_file.with_suffix(".parts")


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
        write_whole(path, json.dumps(state, separators=(",", ":")))   # (indented: 10 times slower)
    except OSError:
        pass   # a read-only site folder only costs a re-index next time


def _fingerprint(folder: Path, skip: str = "") -> str:
    """Names, sizes and modification times of a bundle folder (hard links keep them across the swap).
    Another part's folder inside it (a site indexed in parts) is left out.

    Every save in `serve` checks each published part with it (search_overlay._overlaid): a walk with
    os.scandir and plain strings, in the order pathlib's sorted rglob gave (by path components), so
    a recorded fingerprint stays valid. Measured on the 10,000-entry corpus (9 bundles, 11,000
    files), machine loaded: 0.85–1.34 s with Path.rglob, is_file and stat per file, 0.14 s this way
    (bench/RESULTS.md, session 12)."""
    found = []

    def walk(path: str, prefix: str) -> None:
        with os.scandir(path) as it:
            for e in it:
                rel = prefix + e.name
                if not prefix and e.name.startswith("part-"):
                    continue
                if e.is_dir(follow_symlinks=False):
                    walk(e.path, rel + "/")
                elif e.is_file() and e.name != skip:
                    st = e.stat()
                    found.append((rel.split("/"), rel, st.st_size, st.st_mtime_ns))

    try:
        walk(os.fspath(folder), "")
    except OSError:
        return ""
    h = hashlib.sha256()
    for _parts, rel, size, mtime in sorted(found):
        h.update(f"{rel}\0{size}\0{mtime}\n".encode())
    return h.hexdigest()


def _keep_part(writer, rel_dir: str) -> bool:
    """Reuse the published bundle `rel_dir` (not xxgk-search.json in it, nor the overlay folder)."""
    return writer.keep_tree(rel_dir, skip={f"{rel_dir}/{PAGE_MAP}"})
