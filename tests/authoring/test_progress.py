"""Progress: shown on a terminal when a build is slow, never in CI logs or pipes."""
from __future__ import annotations

import io
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO / "tests"))
from helpers import FIXTURES, run_build  # noqa: E402

from xxgk import progress  # noqa: E402


class Tty(io.StringIO):
    def isatty(self):
        return True


def run_stage(stream, monkeypatch, delay: float, env: str | None = None) -> str:
    monkeypatch.setattr(progress, "DELAY", delay)
    monkeypatch.setattr(progress, "REDRAW", 0.0)
    if env is None:
        monkeypatch.delenv("XXGK_PROGRESS", raising=False)
    else:
        monkeypatch.setenv("XXGK_PROGRESS", env)
    progress.reset()
    with progress.stage("渲染页面", total=3, stream=stream) as p:
        for _ in range(3):
            p.advance()
    return stream.getvalue()


def test_terminal_and_slow_shows_progress_then_clears(monkeypatch):
    text = run_stage(Tty(), monkeypatch, delay=0.0)
    assert "渲染页面：3/3（100%）" in text
    assert text.endswith("\r\x1b[2K")          # the line is cleared when the stage ends


def test_quiet_when_fast_or_not_a_terminal_or_disabled(monkeypatch):
    assert run_stage(Tty(), monkeypatch, delay=60.0) == ""          # a fast build says nothing
    assert run_stage(io.StringIO(), monkeypatch, delay=0.0) == ""   # CI: not a terminal
    assert run_stage(Tty(), monkeypatch, delay=0.0, env="0") == ""
    assert "3/3" in run_stage(io.StringIO(), monkeypatch, delay=0.0, env="1")


def test_build_in_a_pipe_prints_no_progress(tmp_path):
    r = run_build("build", "--site", str(FIXTURES / "basic"), "--output", str(tmp_path / "out"), "--no-search",
                  "--as-of", "2024-01-01")
    assert r.returncode == 0, r.stderr
    assert "\r" not in r.stderr and "渲染页面" not in r.stderr
