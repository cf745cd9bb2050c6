"""The search index for readers on disk (`pack`): Pagefind's own index and runtime as classic scripts.

Opened from disk (file://), browsers refuse `fetch()` and module scripts, but load classic
`<script src>`. So the `pack` zip carries, beside `site/`, a folder `offline-search/` with:

- `pagefind.js`: the very runtime of the published index (pagefind/pagefind.js), turned into a
  classic script: its `export {…}` becomes `window.XXGK_PAGEFIND = {…}`, its two `import.meta.url`
  (used only when no basePath is given; search.js always gives one) become `undefined`, and the
  whole runs with `fetch` bound to search.js's `XXGK_OFFLINE_FETCH`, which answers each request
  from the script below;
- `pagefind/<path>.js` for every file of the index: `XXGK_PF_FILE("pagefind/<path>", "<base64>")`.

The online site is untouched (`site/` stays byte for byte the build, and its SHA256SUMS verify), so
online readers download nothing more; offline, the same index answers the same queries with the
same results. Measured in the zip at 10,000 entries: see bench/RESULTS.md (search, offline).
"""
from __future__ import annotations

import base64
import re
from pathlib import Path

FOLDER = "offline-search"
_EXPORT = re.compile(r"export\s*\{([^}]*)\}\s*;?\s*$")


class OfflineSearchError(Exception):
    pass


def classic_runtime(module_js: str) -> str:
    """pagefind.js (an ES module) as a classic script defining window.XXGK_PAGEFIND."""
    m = _EXPORT.search(module_js)
    if m is None or "import(" in module_js:
        raise OfflineSearchError("pagefind.js 的格式与预期不同（找不到末尾的 export），无法生成离线搜索")
    names = [n.strip() for n in m.group(1).split(",") if n.strip()]
    body = module_js[:m.start()].replace("import.meta.url", "(void 0)")
    exports = ",".join(f"{n}:{n}" for n in names)
    return ("/* Pagefind's runtime as a classic script, for search from disk (xxgk/write/offline_search.py). */\n"
            "(function(fetch){\n" + body + f"\nwindow.XXGK_PAGEFIND={{{exports}}};\n}})(window.XXGK_OFFLINE_FETCH);\n")


def file_script(rel: str, data: bytes) -> bytes:
    """One file of the index as a classic script handing its bytes to search.js."""
    return f'XXGK_PF_FILE("{rel}","{base64.b64encode(data).decode("ascii")}");\n'.encode("ascii")


def offline_files(site_out: Path) -> dict[str, bytes]:
    """name in the zip → bytes, for every file of the published index (none: the site has no index)."""
    index = Path(site_out) / "pagefind"
    if not (index / "xxgk-search.json").is_file():
        return {}
    runtime = next((p for p in sorted(index.rglob("pagefind.js"))), None)
    if runtime is None:
        return {}
    out = {f"{FOLDER}/pagefind.js": classic_runtime(runtime.read_text(encoding="utf-8")).encode("utf-8")}
    for p in sorted(index.rglob("*")):
        if p.is_file() and p.name not in ("pagefind.js", "pagefind-worker.js"):
            rel = p.relative_to(site_out).as_posix()
            out[f"{FOLDER}/{rel}.js"] = file_script(rel, p.read_bytes())
    return out
