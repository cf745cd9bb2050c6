"""Golden output of the fixture site: `python tests/golden.py --update` regenerates it.

The fixture site tests/fixtures/basic is built with a fixed --as-of and compared file by file
with tests/golden/basic/ (the search index is left out: Pagefind's output is not deterministic).
"""
from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SITE = REPO / "tests" / "fixtures" / "basic"
GOLDEN = REPO / "tests" / "golden" / "basic"
AS_OF = "2024-01-01"
SKIP = ("pagefind/",)


def build_fixture(out: Path) -> None:
    r = subprocess.run([sys.executable, str(REPO / "build.py"), "build", "--site", str(SITE), "--output", str(out),
                        "--as-of", AS_OF], capture_output=True, text=True)
    if r.returncode != 0:
        raise SystemExit(r.stderr)


def files(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*"))
            if p.is_file() and not p.relative_to(root).as_posix().startswith(SKIP)}


def update() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "output"
        build_fixture(out)
        if GOLDEN.exists():
            shutil.rmtree(GOLDEN)
        for rel, data in files(out).items():
            if rel == "SHA256SUMS":  # lists pagefind files too
                continue
            dest = GOLDEN / rel
            dest.parent.mkdir(parents=True, exist_ok=True)
            dest.write_bytes(data)
    print(f"golden output written to {GOLDEN.relative_to(REPO)}")


if __name__ == "__main__":
    if "--update" not in sys.argv:
        raise SystemExit("usage: python tests/golden.py --update")
    update()
