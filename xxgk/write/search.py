"""The search index: Pagefind (extended build) over copies of the entry pages, plus `search-data.js`.

Steps, called by the pipeline after rendering (the entry pages are then in `writer.staging`):

1. `search-data.js` (see search_data.py) is written through the writer: the catalogue records and
   the traditional ⇄ simplified tables, for search.js and for the from-disk fallback.
2. Each entry page is copied into a temporary folder (same relative path, so result URLs match),
   with its character pairs in a hidden meta field; the published page stays without them.
3. Pagefind's output is not deterministic (its filter files change from run to run), so it runs
   only when the indexed copies changed: a digest of them is kept in the SITE's `.cache/search/`
   (never in the output), with a fingerprint of the `pagefind/` folder it produced. When both
   still match the published folder, `writer.keep_tree("pagefind")` reuses it unchanged.
4. Pagefind runs as one language (`--force-language`), so zh-Hant entries share the index. A large
   site is indexed in parts of at most PART_PAGES pages (`pagefind/part-N/`), one after the
   other, so no indexing step needs more than ~1 GB (measured with the pairs: 2,000 pages 1.23 GB);
   the search page searches each part with its own pagefind.js and merges the results (not
   `mergeIndex`: Pagefind drops query pieces an index does not know, so a merged search lets a
   part that lacks one piece return pages with only the others).
5. `pagefind/xxgk-pages.json` maps each Pagefind result id to its page, so the search page can
   merge, de-duplicate, count and sort results without downloading every result's fragment.
"""
from __future__ import annotations

import gzip
import hashlib
import json
import os
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

from ..diagnostics import UsageError
from . import search_data

BUNDLE_DIR = "pagefind"
LANGUAGE = "zh-cn"
PART_PAGES = 1500      # measured: ~620 KB a page with the character pairs → ≤ ~1 GB a part
PAGE_MAP = "xxgk-pages.json"
NON_EXTENDED = "Indexing Chinese in non-extended mode"
SCHEME = "xxgk-search-3"   # bump when the copies or the Pagefind call change


class SearchIndexError(UsageError):
    """The search index could not be built (the environment, not the content): exit status 2."""


def pagefind_executable() -> Path:
    try:
        import pagefind_bin_extended
    except ImportError as exc:
        raise SearchIndexError("没有安装 Pagefind 扩展版（中文分词需要它）：pip install pagefind-bin-extended==1.5.2") from exc
    exe = Path(pagefind_bin_extended.get_executable())
    if exe.name != "pagefind_extended" and not exe.name.startswith("pagefind_extended"):
        raise SearchIndexError(f"{exe} 不是 Pagefind 扩展版（pagefind_extended），中文搜索会失效")
    return exe


def index(writer, pages, site_dir, diags, renderer=None, rendered=None, part_pages: int | None = None,
          full_text: bool = True) -> dict:
    """Write search-data.js and the Pagefind index (or keep the published one). Returns figures.

    With full_text=False (build --no-search) only search-data.js is written, naming no index, so
    the search page uses its catalogue search instead of pointing at a missing file."""
    part_pages = part_pages or int(os.environ.get("XXGK_SEARCH_PART_PAGES", PART_PAGES))
    pages = sorted(pages)
    langs = {e.url: e.lang for e in renderer.listed} if renderer is not None else {}
    parts = [pages[i:i + part_pages] for i in range(0, len(pages), part_pages)] or [[]]
    bundles = [f"{BUNDLE_DIR}/"] if len(parts) == 1 else [f"{BUNDLE_DIR}/part-{n}/" for n in range(1, len(parts) + 1)]

    records = search_data.entry_records(renderer, rendered.summaries) if renderer is not None else []
    writer.write("search-data.js", search_data.search_data_js(records, bundles if full_text else []), "search index")
    if not full_text:
        return {}

    exe = pagefind_executable()
    with tempfile.TemporaryDirectory(prefix="xxgk-search-") as tmp:
        # the copies go straight to disk (a large site's copies would not fit well in memory)
        h = hashlib.sha256(f"{SCHEME}\n{exe.stat().st_size}\n{LANGUAGE}\n{bundles}\n".encode())
        for n, part in enumerate(parts, 1):
            for url in part:
                copy = search_data.index_copy((writer.staging / url).read_text(encoding="utf-8"), langs.get(url, ""))
                data = copy.encode("utf-8")
                h.update(f"{url}\n{hashlib.sha256(data).hexdigest()}\n".encode())
                p = Path(tmp) / f"site-{n}" / url
                p.parent.mkdir(parents=True, exist_ok=True)
                p.write_bytes(data)
        digest = h.hexdigest()

        state_file = _state_file(site_dir, writer.out)
        state = _read_state(state_file)
        published = writer.out / BUNDLE_DIR
        if (pages and state.get("digest") == digest and published.is_dir()
                and state.get("fingerprint") == _fingerprint(published) and writer.keep_tree(BUNDLE_DIR)):
            return {"kept": True, "pages": len(pages), "parts": len(parts)}

        figures = {"kept": False, "pages": len(pages), "parts": len(parts), "seconds": 0.0}
        if not pages:
            return figures
        start = time.monotonic()
        dest_root = writer.staging / BUNDLE_DIR
        page_map: dict[str, str] = {}
        for n, bundle in enumerate(bundles, 1):   # one part after the other: memory is per part
            out = Path(tmp) / f"bundle-{n}"
            _run_pagefind(exe, Path(tmp) / f"site-{n}", out)
            page_map.update(_page_map(out))
            target = writer.staging / bundle
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.move(str(out), str(target))
            shutil.rmtree(Path(tmp) / f"site-{n}")
    (dest_root / PAGE_MAP).write_text(json.dumps(page_map, ensure_ascii=True, sort_keys=True, separators=(",", ":")),
                                      encoding="utf-8")
    writer.add_tree(BUNDLE_DIR)
    figures["seconds"] = round(time.monotonic() - start, 2)
    figures["bytes"] = sum(p.stat().st_size for p in dest_root.rglob("*") if p.is_file())
    _write_state(state_file, {"digest": digest, "fingerprint": _fingerprint(dest_root), "figures": figures})
    return figures


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


def _state_file(site_dir: Path, out: Path) -> Path:
    key = hashlib.sha256(str(Path(out).absolute()).encode()).hexdigest()[:16]
    return Path(site_dir) / ".cache" / "search" / f"{key}.json"


def _read_state(path: Path) -> dict:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


def _write_state(path: Path, state: dict) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(".tmp")
        tmp.write_text(json.dumps(state, indent=1), encoding="utf-8")
        os.replace(tmp, path)
    except OSError:
        pass   # a read-only site folder only costs a re-index next time


def _fingerprint(folder: Path) -> str:
    """Names, sizes and modification times of a bundle folder (hard links keep them across the swap)."""
    h = hashlib.sha256()
    for p in sorted(folder.rglob("*")):
        if p.is_file():
            st = p.stat()
            h.update(f"{p.relative_to(folder).as_posix()}\0{st.st_size}\0{st.st_mtime_ns}\n".encode())
    return h.hexdigest()
