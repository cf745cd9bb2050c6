#!/usr/bin/env python3
"""Search for the public (SPEC 6, issue 24): what a reader downloads, and how long they wait, on a slow link.

    python bench/search_transfer.py                       # 10,000 entries, 4 queries, 3 runs each, pack
    python bench/search_transfer.py --entries 100000 --queries 工作,doc_no --no-pack
    python bench/search_transfer.py --entries 50 --queries 预算 --runs 1 --no-pack     # smoke

Makes an N-entry synthetic site (bench/corpus.py), builds it (`build.py build`, wall time and the
peak RSS of its largest process), serves the output with gzip for text files (as nginx with gzip on
does; Pagefind's own files are compressed already), then in real Chromium (fresh context for each
query, cache disabled, CDP network emulation: 150 ms latency, 200,000 bytes/s down and up =
1.6 Mbit/s) opens search.html?q=QUERY and measures, until the first result (`#search-results li`):

  bytes     the sum of Network.loadingFinished encodedDataLength (every response at its
            transferred, compressed size, headers included)
  requests  the responses finished by then
  seconds   from the start of the navigation to the first result, in the page's own clock
            (a MutationObserver, as tests/search/test_transfer.py)

and the same bytes once the search has finished (body[data-search-state=done]: for a 文号/索引号,
the resembling entries after the exact one). Queries: words as given; `doc_no` and `index_no` stand
for the whole 文号 / 索引号 of an entry taken from OUT/catalogue.json. Each query runs --runs times;
the table shows the median (by time; bytes and requests of that run, their range beside).
Also: the size of OUT/pagefind, the number of index parts (xxgk-search.json "bundles"), and unless
--no-pack the `pack` zip and its offline-search/ folder. Prints Markdown tables.
"""
from __future__ import annotations

import argparse
import gzip
import http.server
import json
import mimetypes
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import zipfile
from functools import lru_cache
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "bench"))

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
SLOW = {"offline": False, "latency": 150, "downloadThroughput": 200_000, "uploadThroughput": 200_000}
TEXT = (".html", ".js", ".css", ".json", ".xml", ".csv", ".txt")
DEFAULT_QUERIES = "工作,预算,doc_no,index_no"
LAUNCH_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
               "--disable-component-update", "--no-first-run", "--disable-sync"]


@lru_cache(maxsize=256)
def _gzipped(path: str, mtime_ns: int) -> bytes:
    return gzip.compress(Path(path).read_bytes(), 6)


class GzipHandler(http.server.SimpleHTTPRequestHandler):
    """Static files; text compressed with gzip when the browser accepts it (Pagefind's own files are
    compressed already), as nginx with gzip on does. (tests/search/test_transfer.py; here the
    compressed bytes are kept, so repeated runs do not spend the shared CPU on gzip; the test serves with it too.)"""

    def log_message(self, *args):
        pass

    def do_GET(self):
        path = Path(self.directory) / urllib.parse.unquote(urllib.parse.urlparse(self.path).path).lstrip("/")
        if path.is_dir():
            path = path / "index.html"
        if not path.is_file():
            self.send_error(404)
            return
        gz = path.suffix in TEXT and "gzip" in self.headers.get("Accept-Encoding", "")
        data = _gzipped(str(path), path.stat().st_mtime_ns) if gz else path.read_bytes()
        self.send_response(200)
        self.send_header("Content-Type", mimetypes.guess_type(path.name)[0] or "application/octet-stream")
        if gz:
            self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)


# the moment the first result is in the page, in the page's own clock (0: the navigation started)
FIRST_RESULT_CLOCK = """new MutationObserver((_, obs) => {
    if (document.querySelector('#search-results li')) { window.__firstResult = performance.now(); obs.disconnect(); }
}).observe(document, {childList: true, subtree: true});"""


def on_slow_link(context, page) -> tuple[dict, dict]:
    """`page` with an empty cache on the slow link, the first-result clock installed; returns (urls,
    sizes): request id → URL as requests go out, → transferred size as responses finish.
    (tests/search/test_transfer.py uses it too.)"""
    cdp = context.new_cdp_session(page)
    cdp.send("Network.enable")
    cdp.send("Network.setCacheDisabled", {"cacheDisabled": True})
    cdp.send("Network.emulateNetworkConditions", SLOW)
    urls, sizes = {}, {}
    cdp.on("Network.requestWillBeSent", lambda e: urls.__setitem__(e["requestId"], e["request"]["url"]))
    cdp.on("Network.loadingFinished", lambda e: sizes.__setitem__(e["requestId"], e["encodedDataLength"]))
    page.add_init_script(FIRST_RESULT_CLOCK)
    return urls, sizes


def first_results(browser, url: str) -> dict:
    """Open `url` with an empty cache on the slow link; what came until the first result and until done."""
    context = browser.new_context()
    try:
        page = context.new_page()
        urls, sizes = on_slow_link(context, page)
        page.goto(url)
        page.wait_for_selector("#search-results li", timeout=180_000)
        first = dict(sizes)                                         # what came before the first results
        sent = len(urls)
        page.wait_for_selector("body[data-search-state=done]", timeout=180_000)
        seconds = page.evaluate("window.__firstResult") / 1000      # from the start of the navigation
        status = page.inner_text("#search-status")
        top = page.locator("#search-results li h2 a").first.get_attribute("href")
        done = dict(sizes)
    finally:
        context.close()
    files = sorted(((urllib.parse.urlparse(urls.get(k, k)).path, v) for k, v in first.items()), key=lambda kv: -kv[1])
    return {"seconds": round(seconds, 3), "bytes": sum(first.values()), "requests": len(first), "sent": sent,
            "bytes_done": sum(done.values()), "requests_done": len(done), "files": files, "status": status,
            "top": top}


def kind(path: str) -> str:
    """What a transferred file is, for the breakdown: Pagefind's file types, else the extension."""
    name = path.rsplit("/", 1)[-1]
    if name.startswith("wasm.") and name.endswith(".pagefind"):
        return "wasm"
    if name == "pagefind-entry.json":
        return "pagefind-entry.json"
    ext = name.rsplit(".", 1)[-1] if "." in name else name
    return ext


def breakdown(files: list[tuple[str, int]]) -> str:
    by: dict[str, list[int]] = {}
    for path, size in files:
        by.setdefault(kind(path), []).append(size)
    rows = sorted(by.items(), key=lambda kv: -sum(kv[1]))
    return ", ".join(f"{k} {kb(sum(v))} ({len(v)})" for k, v in rows)


def tree_size(path: Path) -> tuple[int, int]:
    files = [p for p in path.rglob("*") if p.is_file()]
    return sum(p.stat().st_size for p in files), len(files)


def kb(n: float) -> str:
    return f"{n / 1000:,.1f} KB"


def build(site: Path, out: Path, env: dict) -> dict:
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.monotonic()
    r = subprocess.run([sys.executable, str(REPO / "build.py"), "build", "--site", str(site), "--output", str(out),
                        "--as-of", "2026-01-01"], capture_output=True, text=True, env=env)
    wall = time.monotonic() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if r.returncode != 0:
        raise SystemExit(f"build failed ({r.returncode}):\n{r.stderr[-3000:]}")
    return {"wall": wall, "cpu": after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime,
            "maxrss_mb": after.ru_maxrss / 1024,    # the largest single process of the tree (kB → MB)
            "summary": ([l for l in (r.stdout + "\n" + r.stderr).splitlines() if l.strip()] or [""])[-1]}


def pack(site: Path, out: Path, env: dict) -> dict:
    start = time.monotonic()
    r = subprocess.run([sys.executable, str(REPO / "build.py"), "pack", "--site", str(site), "--output", str(out),
                        "--as-of", "2026-01-01"], capture_output=True, text=True, env=env)
    wall = time.monotonic() - start
    if r.returncode != 0:
        raise SystemExit(f"pack failed ({r.returncode}):\n{r.stderr[-3000:]}")
    zpath = Path(r.stdout.strip().splitlines()[-1])
    with zipfile.ZipFile(zpath) as zf:
        offline = [i for i in zf.infolist() if i.filename.startswith("offline-search/") and not i.is_dir()]
        site_files = [i for i in zf.infolist() if i.filename.startswith("site/") and not i.is_dir()]
    out_ = {"wall": wall, "zip": zpath.stat().st_size, "path": str(zpath),
            "offline_files": len(offline), "offline_zipped": sum(i.compress_size for i in offline),
            "offline_raw": sum(i.file_size for i in offline),
            "site_zipped": sum(i.compress_size for i in site_files)}
    zpath.unlink()
    return out_


def resolve_queries(spec: str, out: Path) -> list[tuple[str, str]]:
    """[(label, query)]: doc_no / index_no → a whole 文号 / 索引号 from the catalogue (the middle entry
    that has one, so it is neither the newest nor the oldest); anything else is the query itself."""
    entries = None
    queries = []
    for word in [w.strip() for w in spec.split(",") if w.strip()]:
        if word in ("doc_no", "index_no"):
            if entries is None:
                entries = json.loads((out / "catalogue.json").read_text(encoding="utf-8"))["entries"]
            having = [e for e in entries if e.get(word)]
            if not having:
                raise SystemExit(f"no entry with a {word} in the catalogue")
            queries.append(({"doc_no": "文号", "index_no": "索引号"}[word], having[len(having) // 2][word]))
        else:
            queries.append(("word", word))
    return queries


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--entries", type=int, default=10_000)
    ap.add_argument("--queries", default=DEFAULT_QUERIES,
                    help=f"comma-separated; doc_no / index_no = a whole 文号 / 索引号 (default {DEFAULT_QUERIES})")
    ap.add_argument("--runs", type=int, default=3, help="runs of each query (median reported)")
    ap.add_argument("--keep", type=Path, help="work in this folder and keep it (site/, out/); default: a temporary one")
    ap.add_argument("--reuse", action="store_true", help="with --keep: use the site and output already there")
    ap.add_argument("--no-pack", action="store_true", help="skip the pack zip")
    args = ap.parse_args(argv)

    work = args.keep.absolute() if args.keep else Path(tempfile.mkdtemp(prefix="search-transfer-"))
    site, out = work / "site", work / "out"
    env = dict(os.environ)
    commit = subprocess.run(["git", "-C", str(REPO), "rev-parse", "--short", "HEAD"], capture_output=True,
                            text=True).stdout.strip()
    print(f"# search transfer: {args.entries:,} entries, commit {commit}, "
          f"{time.strftime('%Y-%m-%d %H:%M:%S UTC', time.gmtime())}", flush=True)
    try:
        built = None
        if not (args.reuse and (out / "pagefind").is_dir()):
            shutil.rmtree(site, ignore_errors=True)
            shutil.rmtree(out, ignore_errors=True)
            import corpus
            t = time.monotonic()
            corpus.write_xxgk(corpus.make_entries(args.entries), site)
            print(f"site made in {time.monotonic() - t:.1f} s: {site}", flush=True)
            built = build(site, out, env)
            print(f"built in {built['wall']:.1f} s wall, {built['cpu']:.1f} s CPU, peak RSS (largest process) "
                  f"{built['maxrss_mb']:,.0f} MB: {built['summary']}", flush=True)
        pf_bytes, pf_files = tree_size(out / "pagefind")
        out_bytes, out_files = tree_size(out)
        bundles = json.loads((out / "pagefind" / "xxgk-search.json").read_text(encoding="utf-8"))["bundles"]
        queries = resolve_queries(args.queries, out)

        httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), lambda *a: GzipHandler(*a, directory=str(out)))
        threading.Thread(target=httpd.serve_forever, daemon=True).start()
        base = f"http://127.0.0.1:{httpd.server_address[1]}/"
        results: dict[tuple[str, str], list[dict]] = {}
        from playwright.sync_api import sync_playwright
        try:
            with sync_playwright() as p:
                browser = p.chromium.launch(executable_path=CHROMIUM, args=LAUNCH_ARGS)
                for run in range(args.runs):                       # queries alternate within each round
                    for label, q in queries:
                        r = first_results(browser, base + "search.html?" + urllib.parse.urlencode({"q": q}))
                        results.setdefault((label, q), []).append(r)
                        print(f"run {run + 1} {label} {q}: {r['bytes']:,} B in {r['requests']} responses "
                              f"({r['sent']} sent), first result {r['seconds']:.2f} s; done: {r['bytes_done']:,} B "
                              f"in {r['requests_done']}; first {r['top']}; {r['status']}", flush=True)
                browser.close()
        finally:
            httpd.shutdown()
            httpd.server_close()
        packed = None if args.no_pack else pack(site, out, env)

        print(f"\n## {args.entries:,} entries (commit {commit}; 1.6 Mbit/s, 150 ms, cache off, gzip; "
              f"median of {args.runs})\n")
        print("| query | bytes to first result | requests | first result | bytes when done (requests) | "
              "range: bytes / seconds |")
        print("|---|---:|---:|---:|---:|---|")
        for (label, q), rs in results.items():
            med = sorted(rs, key=lambda r: r["seconds"])[len(rs) // 2]
            bs, ss = [r["bytes"] for r in rs], [r["seconds"] for r in rs]
            name = q if label == "word" else f"{label} `{q}`"
            print(f"| {name} | {kb(statistics.median(bs))} | {med['requests']} | {statistics.median(ss):.2f} s | "
                  f"{kb(med['bytes_done'])} ({med['requests_done']}) | "
                  f"{kb(min(bs))}–{kb(max(bs))} / {min(ss):.2f}–{max(ss):.2f} s |")
        print("\n### Largest files before the first result (the median run)\n")
        print("| query | 5 largest (transferred bytes) |\n|---|---|")
        for (label, q), rs in results.items():
            med = sorted(rs, key=lambda r: r["seconds"])[len(rs) // 2]
            name = q if label == "word" else f"{label} `{q}`"
            print(f"| {name} | " + ", ".join(f"`{p}` {kb(b)}" for p, b in med["files"][:5]) + " |")
        print("\n### Bytes before the first result by kind of file (the median run; count in brackets)\n")
        print("| query | by kind |\n|---|---|")
        for (label, q), rs in results.items():
            med = sorted(rs, key=lambda r: r["seconds"])[len(rs) // 2]
            name = q if label == "word" else f"{label} `{q}`"
            print(f"| {name} | {breakdown(med['files'])} |")
        print("\n### Site\n")
        print("| what | figure |\n|---|---:|")
        if built:
            print(f"| build (`build.py build`, with search) | {built['wall']:.1f} s wall, {built['cpu']:.1f} s CPU |")
            print(f"| build peak RSS (largest process) | {built['maxrss_mb']:,.0f} MB |")
        print(f"| output folder | {out_bytes / 1e6:,.1f} MB in {out_files:,} files |")
        print(f"| pagefind/ | {pf_bytes / 1e6:,.1f} MB in {pf_files:,} files |")
        print(f"| index parts (xxgk-search.json bundles) | {len(bundles)} |")
        if packed:
            print(f"| pack (build no-op + zip) | {packed['wall']:.1f} s |")
            print(f"| pack zip | {packed['zip'] / 1e6:,.1f} MB (site/ {packed['site_zipped'] / 1e6:,.1f} MB) |")
            print(f"| offline-search/ in the zip | {packed['offline_zipped'] / 1e6:,.1f} MB compressed, "
                  f"{packed['offline_raw'] / 1e6:,.1f} MB unpacked, {packed['offline_files']:,} files |")
        if args.keep:
            print(f"\nkept: {work}")
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
