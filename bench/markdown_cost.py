"""What one Markdown body costs: bare Python-Markdown versus our BodyRenderer, and where the time goes.

    python bench/markdown_cost.py [--n 2000] [--work /tmp/h2] [--site DIR] [--repeat 3]
                                  [--dump FILE] [--compare FILE] [--profile N]

Single process. Makes (once) a synthetic xxgk site of N entries with bench/corpus.py under WORK,
loads its bodies the way a build does (or those of --site), then times per body:

(a) bare ``markdown.Markdown(extensions=EXTENSIONS + ["toc"]).convert`` with ``reset()`` between bodies;
(b) ``BodyRenderer(published).render(path, body)`` — and breaks (b) down by phase: preprocessors,
    block parser, each treeprocessor (ours marked), serializer, each postprocessor, nh3 sanitising,
    and the rest (reset, toc tokens, glue).

--dump writes every body's (html, toc) as JSON; --compare checks the current output against such a
file byte for byte (to prove a speed-up changed nothing). --profile N prints the N top cProfile
lines of (b).
"""
from __future__ import annotations

import argparse
import gc
import io
import json
import pstats
import sys
import time
from collections import defaultdict
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# bench/profile.py would shadow the standard library's profile (which cProfile imports)
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != ROOT / "bench"]
sys.path.insert(0, str(ROOT))

import markdown  # noqa: E402

from xxgk.render import markdown as ours  # noqa: E402
from xxgk.render import sanitize  # noqa: E402

clock = time.process_time    # CPU time: other processes on the machine do not count
OUR_PROCESSORS = {"xxgk-links", "xxgk-structure", "xxgk-post"}


def corpus_site(n: int, work: Path) -> Path:
    site = work / f"n{n}" / "xxgk"
    if not (site / "site_config.yaml").exists():
        import importlib.util
        spec = importlib.util.spec_from_file_location("bench_corpus", ROOT / "bench" / "corpus.py")
        corpus = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(corpus)
        corpus.write_xxgk(corpus.make_entries(n), site)
    return site


def load_items(site: Path) -> tuple[list[tuple[str, str]], set[str]]:
    """(entry path, body) of every published body, as SiteRenderer.write_all passes them."""
    from xxgk.diagnostics import Diagnostics
    from xxgk.incremental.entries import EntryCache
    from xxgk.pipeline import load_and_check
    _config, entries, _as_of, _files = load_and_check(site, date(2026, 11, 23), Diagnostics(), EntryCache(None))
    published = {f"{e.type}/{e.id}" for e in entries.values()}
    from xxgk.load.source import body_of           # checked entries no longer hold their body text
    items = [(e.path, e.body if e.body is not None else body_of(site, e.path, e.body_digest))
             for e in sorted(entries.values(), key=lambda e: (e.type, e.id)) if e.is_public_body]
    return items, published


def bare_md() -> markdown.Markdown:
    return markdown.Markdown(extensions=list(ours.EXTENSIONS) + ["toc"], output_format="html")


def time_bare(items, repeat: int) -> float:
    md = bare_md()
    best = float("inf")
    for _ in range(repeat):
        gc.collect()
        t = clock()
        for _path, body in items:
            md.reset()
            md.convert(body)
        best = min(best, clock() - t)
    return best


def time_ours(items, published, repeat: int) -> float:
    r = ours.BodyRenderer(published)
    best = float("inf")
    for _ in range(repeat):
        gc.collect()
        t = clock()
        for path, body in items:
            r.render(path, body)
        best = min(best, clock() - t)
    return best


class _Timed:
    """Wraps a callable and adds its CPU time to totals[name]; a call made from within another timed
    call (toc runs the serializer and prettify, say) counts for the outer one only."""

    active = 0

    def __init__(self, fn, name, totals, outer=False):
        self.fn, self.name, self.totals, self.outer = fn, name, totals, outer

    def __call__(self, *a, **kw):
        if _Timed.active:
            return self.fn(*a, **kw)
        _Timed.active += not self.outer
        t = clock()
        try:
            return self.fn(*a, **kw)
        finally:
            self.totals[self.name] += clock() - t
            _Timed.active -= not self.outer


def breakdown(items, published) -> tuple[float, dict[str, float]]:
    """One instrumented pass of (b): total seconds and seconds per phase."""
    totals: dict[str, float] = defaultdict(float)
    r = ours.BodyRenderer(published)
    md = r.md
    for reg, kind in ((md.preprocessors, "pre"), (md.treeprocessors, "tree"), (md.postprocessors, "post")):
        for name in list(reg._data):
            proc = reg._data[name]
            tag = " (ours)" if name in OUR_PROCESSORS else ""
            proc.run = _Timed(proc.run, f"{kind}:{name}{tag}", totals)
    md.parser.parseDocument = _Timed(md.parser.parseDocument, "block parser", totals)
    md.serializer = _Timed(md.serializer, "serializer", totals)
    # sanitising: wherever BodyRenderer looks it up
    patched = []
    for mod, attr in ((sanitize, "clean_html"), (ours, "clean_html"), (ours, "_clean")):
        fn = getattr(mod, attr, None)
        if fn is not None and not isinstance(fn, _Timed):
            patched.append((mod, attr, fn))
            setattr(mod, attr, _Timed(fn, "nh3 sanitise", totals))
    if hasattr(r, "_clean"):
        r._clean = _Timed(r._clean, "nh3 sanitise", totals)
    convert = md.convert
    md.convert = _Timed(convert, "_convert", totals, outer=True)
    try:
        gc.collect()
        t = clock()
        for path, body in items:
            r.render(path, body)
        total = clock() - t
    finally:
        for mod, attr, fn in patched:
            setattr(mod, attr, fn)
    conv = totals.pop("_convert")
    phases = sum(totals.values()) - totals.get("nh3 sanitise", 0.0)
    totals["convert: glue (split, strip top-level tags)"] = conv - phases
    totals["rest (reset, toc tokens, render glue)"] = total - conv - totals.get("nh3 sanitise", 0.0)
    return total, dict(totals)


def outputs(items, published) -> dict[str, list]:
    r = ours.BodyRenderer(published)
    return {path: list(r.render(path, body)) for path, body in items}


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--n", type=int, default=2000)
    ap.add_argument("--work", type=Path, default=Path("/tmp/h2"))
    ap.add_argument("--site", type=Path, help="use this xxgk site's bodies instead of a synthetic corpus")
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--dump", type=Path)
    ap.add_argument("--compare", type=Path)
    ap.add_argument("--profile", type=int, default=0)
    ap.add_argument("--no-time", action="store_true")
    args = ap.parse_args(argv)

    site = args.site or corpus_site(args.n, args.work)
    items, published = load_items(site)
    size = sum(len(b.encode()) for _p, b in items) / max(1, len(items))
    print(f"{len(items)} bodies from {site}, mean {size:.0f} bytes")

    status = 0
    if args.dump or args.compare:
        got = json.loads(json.dumps(outputs(items, published), ensure_ascii=False))
        if args.dump:
            args.dump.write_text(json.dumps(got, ensure_ascii=False), encoding="utf-8")
            print(f"wrote {len(got)} outputs to {args.dump}")
        if args.compare:
            want = json.loads(args.compare.read_text(encoding="utf-8"))
            diff = [p for p in want.keys() | got.keys() if want.get(p) != got.get(p)]
            print(f"compare with {args.compare}: {len(want) - len(diff)}/{len(want)} identical")
            for p in sorted(diff)[:5]:
                w, g = want.get(p), got.get(p)
                print(f"  DIFF {p}")
                if w and g:
                    i = next((k for k, (x, y) in enumerate(zip(w[0], g[0])) if x != y), min(len(w[0]), len(g[0])))
                    print(f"    old …{w[0][max(0, i - 60):i + 60]!r}\n    new …{g[0][max(0, i - 60):i + 60]!r}")
                    if w[1] != g[1]:
                        print("    toc differs")
            status = 1 if diff else 0

    if not args.no_time:
        n = len(items)
        a = time_bare(items, args.repeat)
        b = time_ours(items, published, args.repeat)
        print(f"(a) bare Python-Markdown convert : {a / n * 1000:7.3f} ms/body")
        print(f"(b) BodyRenderer.render           : {b / n * 1000:7.3f} ms/body  ({b / a:.2f}× (a))")
        total, parts = breakdown(items, published)
        print(f"(b) instrumented once             : {total / n * 1000:7.3f} ms/body")
        for name, s in sorted(parts.items(), key=lambda kv: -kv[1]):
            print(f"    {name:48s} {s / n * 1000:7.3f} ms  {s / total * 100:5.1f} %")

    if args.profile:
        import cProfile
        r = ours.BodyRenderer(published)
        prof = cProfile.Profile()
        prof.enable()
        for path, body in items:
            r.render(path, body)
        prof.disable()
        out = io.StringIO()
        pstats.Stats(prof, stream=out).sort_stats("tottime").print_stats(args.profile)
        print(out.getvalue())
    return status


if __name__ == "__main__":
    sys.exit(main())
