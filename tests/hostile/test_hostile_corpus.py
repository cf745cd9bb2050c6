"""The hostile corpus as hypothesis strategies: bodies built from the tokens that made Markdown,
the sanitiser or the link scan superlinear (repeated up to tens of thousands of times, mixed), and
front matter / config values from the hostile list. Every case must end in a clear outcome within
a CPU-time budget; an alarm turns a hang into a failure.

Default: a fixed, derandomized set (CI). A longer randomized run:

    XXGK_HYPOTHESIS_PROFILE=hostile-long [XXGK_HOSTILE_EXAMPLES=2000] python -m pytest tests/hostile/test_hostile_corpus.py -s
"""
from __future__ import annotations

import os
import signal
import time
from pathlib import Path

import pytest
from hostile_kit import BUDGET_SECONDS, build, built_template, copy_built, digests, set_field
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from xxgk import budget
from xxgk.diagnostics import ContentError
from xxgk.load.body_limits import problem
from xxgk.render.markdown import BodyRenderer
from xxgk.render.sanitize_report import find_unsafe_html
from xxgk.validate.site import md_links

settings.register_profile("hostile-ci", max_examples=60, derandomize=True, deadline=None, database=None,
                          suppress_health_check=list(HealthCheck))
settings.register_profile("hostile-long", max_examples=int(os.environ.get("XXGK_HOSTILE_EXAMPLES", "2000")), deadline=None, database=None,
                          suppress_health_check=list(HealthCheck))
PROFILE = os.environ.get("XXGK_HYPOTHESIS_PROFILE", "hostile-ci")
PROFILE = PROFILE if PROFILE.startswith("hostile") else "hostile-ci"
HANG = 90

TOKENS = ["[", "]", "![", "](", "](a.md \"", "[a](", "{", "}", "x{", "```a\n", "```\n", "~~~\n", "<a", "<", ">",
          "<div>", "</div>", "<p>a</p>\n\n", "<!--", "-->", "`", "``", "`a", "*", "**", "_", "\\", "&#", "&amp;",
          "  - ", "- ", "1. ", "> ", "\t", "    ", "\n", "\n\n", "|", "| a |", "#", "[^1]", "[^1]: x\n", "{: #a }",
          "<script>", "javascript:", "政府信息公开", "a", " "]
FIGURES = {"bodies": 0, "refused": 0, "rendered": 0, "stopped by the budget": 0, "builds": 0, "failures": 0}


class Hang(Exception):
    pass


def _alarm(signum, frame):
    raise Hang(f"more than {HANG} s")


@st.composite
def hostile_bodies(draw):
    parts = []
    for _ in range(draw(st.integers(1, 4))):
        token = draw(st.sampled_from(TOKENS))
        count = draw(st.sampled_from([1, 10, 100, 1000, 5000, 20000, 60000]))
        parts.append(token * count)
        if draw(st.booleans()):
            parts.append(draw(st.sampled_from(["\n", "\n\n", " ", "x"])))
    return "".join(parts)


RENDERER = None


def _renderer() -> BodyRenderer:
    global RENDERER
    if RENDERER is None:
        RENDERER = BodyRenderer({"policies/budget-2019"})
    return RENDERER


@settings.get_profile(PROFILE)
@given(body=hostile_bodies())
def test_every_hostile_body_is_refused_or_handled_within_budget(body):
    """As the generator does it: refused by the shape checks, or checked and rendered each within its
    CPU-time budget (xxgk/budget.py), which stops it with a clear error when spent."""
    FIGURES["bodies"] += 1
    old = signal.signal(signal.SIGALRM, _alarm)
    signal.alarm(HANG)
    start = time.process_time()
    seconds = budget.for_body(body)
    try:
        if problem(body) is not None:
            FIGURES["refused"] += 1
        else:
            try:
                with budget.within(seconds):           # (incremental/entries.py: the per-file checks)
                    list(md_links(body))
                    find_unsafe_html(body)
                _renderer().render("content/policies/x.md", body)     # (its own budget inside)
                FIGURES["rendered"] += 1
            except (budget.TooSlow, ContentError):
                FIGURES["stopped by the budget"] += 1
        spent = time.process_time() - start
    except BaseException:
        FIGURES["failures"] += 1
        raise
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, old)
    if spent >= 2 * seconds + 1:
        FIGURES["failures"] += 1
    assert spent < 2 * seconds + 1, f"{spent:.1f} s for {body[:60]!r}… ({len(body)} characters)"


HOSTILE_VALUES = ['"a\\x01b"', '"\\uFFFE"', '"\\ud800"', '"\\x7f"', '"²"', '"①"', '"١٢"', "9999-12-31", "0001-01-01",
                  "[]", "{}", "[[[[[[]]]]]]", "'" + "[" * 2000 + "'", "[" * 1200 + "]" * 1200, "x" * 5000,
                  "99999999999999999999999", "-1", "null", "~", "true", '"\\u202e"', "'<script>alert(1)</script>'",
                  "files/../../etc/passwd", "'javascript:alert(1)'", '"\\t\\n"', "!!binary aGVsbG8="]
FIELDS = ["title", "summary", "agency", "year", "nav_order", "valid_until", "valid_from", "keywords", "doc_no",
          "topic", "published", "validity_note", "attachments", "index_no"]
TARGETS = {"policy": "content/policies/budget-2019.md", "report": "content/reports/annual-2016.md",
           "page": "content/pages/about.md"}


@pytest.fixture(scope="module")
def template(tmp_path_factory) -> Path:
    return built_template(tmp_path_factory.mktemp("corpus"))


@settings(settings.get_profile(PROFILE), max_examples=max(10, settings.get_profile(PROFILE).max_examples // 3))
@given(target=st.sampled_from(sorted(TARGETS)), changes=st.lists(st.tuples(st.sampled_from(FIELDS),
                                                                             st.sampled_from(HOSTILE_VALUES)),
                                                                   min_size=1, max_size=3))
def test_hostile_front_matter_builds_or_is_refused_clearly(template, tmp_path_factory, target, changes):
    FIGURES["builds"] += 1
    site = copy_built(template, tmp_path_factory.mktemp("case") / "site")
    before = digests(site / "output")
    path = site / TARGETS[target]
    text = path.read_text(encoding="utf-8")
    for key, value in changes:
        text = set_field(text, key, value)
    path.write_text(text, encoding="utf-8")
    try:
        code, err, seconds = build(site)
        assert "Traceback" not in err, err
        assert code in (0, 1, 2), err
        assert seconds < BUDGET_SECONDS
        if code:
            assert digests(site / "output") == before
            assert any(line.startswith(("content/", "site_config.yaml", "错误：")) for line in err.splitlines()), err
    except BaseException:
        FIGURES["failures"] += 1
        raise


def teardown_module(module):
    print(f"\nhostile corpus ({PROFILE}): {FIGURES}")
