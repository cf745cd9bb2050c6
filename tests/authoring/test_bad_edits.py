"""Hostile and broken input: every case ends in a clear message or a correct build.

"Clear" means: exit 1 or 2 with `PATH:LINE: FIELD: message` lines on stderr and no Python
traceback, or exit 0 with a built site. Never a hang, never a file written outside the output
folder (the whole temp tree is compared before and after; only output/, the staging folders
beside it and .cache/ may change), never a byte of a file outside content/ published.

Property tests run a fixed, modest set of examples by default (derandomized, < 90 s in CI).
For a longer, randomized local run:

    XXGK_HYPOTHESIS_PROFILE=long python -m pytest tests/authoring/test_bad_edits.py

The builds run in-process (xxgk.cli.main, without the search index) so that hundreds of them
are cheap; an alarm turns a hang into a failure.
"""
from __future__ import annotations

import contextlib
import hashlib
import io
import os
import re
import shutil
import signal
import sys
import tempfile
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO / "tests"))
from helpers import FIXTURES  # noqa: E402

from xxgk.cli import main  # noqa: E402
from xxgk.validate.fields import FIELD_ZH  # noqa: E402

settings.register_profile("ci", max_examples=100, derandomize=True, deadline=None, database=None,
                          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
settings.register_profile("long", max_examples=1000, deadline=None,
                          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
PROFILE = os.environ.get("XXGK_HYPOTHESIS_PROFILE", "ci")
settings.load_profile(PROFILE)

HANG_SECONDS = 60
AS_OF = "2024-01-01"
DIAG = re.compile(r"^.+?:\d+: [^ ]+: .+")
TRAILER = re.compile(r"^(共 |（另有 |构建未完成|错误：)")
MAY_CHANGE = ("output", ".output.building", ".output.old", ".cache")
PASSWD = Path("/etc/passwd")
SECRET = PASSWD.read_bytes()[:64] if PASSWD.is_file() else b"root:x:0:0:"


class Hang(Exception):
    pass


def _alarm(signum, frame):
    raise Hang(f"no answer within {HANG_SECONDS} s")


def run_cli(*args: str) -> tuple[int, str]:
    """`python build.py ARGS` in this process: (exit status, stderr). An exception is a bug."""
    err, out = io.StringIO(), io.StringIO()
    old = signal.signal(signal.SIGALRM, _alarm)
    signal.alarm(HANG_SECONDS)
    try:
        with contextlib.redirect_stderr(err), contextlib.redirect_stdout(out):
            code = main(list(args))
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, old)
    return code, err.getvalue()


def snapshot(root: Path) -> dict[str, tuple]:
    """Every path below root (not following symlinks) with what it is, outside the folders a build may change."""
    out = {}
    for dirpath, dirnames, filenames in os.walk(root):
        rel_dir = Path(dirpath).relative_to(root)
        if rel_dir.parts[:1] == ("site",) and len(rel_dir.parts) == 1:
            dirnames[:] = [d for d in dirnames if d not in MAY_CHANGE]
        for name in dirnames + filenames:
            p = Path(dirpath) / name
            st_ = p.lstat()
            if p.is_symlink():
                out[str(p.relative_to(root))] = ("link", os.readlink(p))
            elif p.is_file():
                out[str(p.relative_to(root))] = ("file", st_.st_size, st_.st_mtime_ns,
                                                 hashlib.sha256(p.read_bytes()).hexdigest())
            else:
                out[str(p.relative_to(root))] = ("dir" if p.is_dir() else "other",)
    return out


def assert_clear(code: int, stderr: str, out: Path) -> None:
    assert "Traceback" not in stderr, stderr
    assert code in (0, 1, 2), (code, stderr)
    if code in (1, 2):
        lines = [line for line in stderr.splitlines() if line.strip()]
        diags = [line for line in lines if DIAG.match(line)]
        assert diags or any(line.startswith("错误：") for line in lines), stderr
        for line in lines:
            assert DIAG.match(line) or TRAILER.match(line), f"unclear line: {line!r}\n{stderr}"
    if code == 0:
        assert (out / "SHA256SUMS").is_file() and (out / "index.html").is_file()
    if out.is_dir():
        for p in out.rglob("*"):
            assert not p.is_symlink(), f"symlink published: {p}"
            if p.is_file() and p.stat().st_size >= len(SECRET):
                assert SECRET not in p.read_bytes(), f"{p} carries a file from outside content/"


@contextlib.contextmanager
def fresh_site():
    root = Path(tempfile.mkdtemp(prefix="xxgk-hostile-"))
    try:
        shutil.copytree(FIXTURES / "basic", root / "site", symlinks=True)
        yield root, root / "site"
    finally:
        shutil.rmtree(root, ignore_errors=True)


def build_and_judge(root: Path, site: Path, *extra: str) -> tuple[int, str]:
    before = snapshot(root)
    code, stderr = run_cli("build", "--site", str(site), "--as-of", AS_OF, "--no-search", *extra)
    assert_clear(code, stderr, site / "output")
    assert snapshot(root) == before, "a build changed files outside output/ and .cache/"
    leftovers = {p.name for p in site.iterdir()} & {".output.building", ".output.old"}
    assert not leftovers, leftovers
    return code, stderr


# -- strategies ---------------------------------------------------------------------------------
HOSTILE_TEXT = ["TODO", "", " ", "budget-2019", "czj", "xzf", "../../etc/passwd", "/etc/passwd", "files/../../x",
                "files/budget-2019.pdf", "C:\\Windows\\win.ini", "2021", "free", "effective", "repealed", "\u200b",
                "\ufeff", "2017-02-30", "2019-03-05", "0000-00-00", "99999-01-01", "财政、金融、审计/财政",
                "<script>alert(1)</script>", "javascript:alert(1)", "11330000MB1234567X/2019-00001",
                "110101199003074514", "13812345678", "a\u0000b", "\x1b[31m", "---", "%%", "{{ 1 }}", "{% raw %}"]
scalars = st.one_of(st.none(), st.booleans(), st.integers(min_value=-10 ** 30, max_value=10 ** 30),
                    st.floats(allow_nan=True, allow_infinity=True), st.text(max_size=12),
                    st.sampled_from(HOSTILE_TEXT), st.dates().map(str))
values = st.recursive(scalars, lambda c: st.lists(c, max_size=4) | st.dictionaries(
    st.one_of(st.text(max_size=6), st.sampled_from(["file", "title", "表格"])), c, max_size=3), max_leaves=10)
attachments = st.lists(st.one_of(values, st.fixed_dictionaries(
    {"file": st.sampled_from(HOSTILE_TEXT + ["files/link-out", "files/dir-out/passwd", "../files/budget-2019.pdf"]),
     "title": scalars})), max_size=3)
FIELDS = sorted(FIELD_ZH) + ["Title", "标题", "tittle", "index-no"]
BASE = {
    "policies": {"title": "标题", "index_no": "11330000MB1234567X/2020-09001", "agency": "xzf",
                 "topic": "财政、金融、审计/财政", "published": "2020-01-01"},
    "interpretations": {"title": "解读", "index_no": "11330000MB1234567X/2020-09001", "agency": "xzf",
                        "published": "2020-01-01", "interprets": "budget-2019"},
    "reports": {"title": "年报", "index_no": "11330000MB1234567X/2020-09001", "agency": "xzf",
                "published": "2020-01-01", "year": 2019},
    "pages": {"title": "页面"},
}
RAW_YAML = ["key: [unclosed", "title: {a: 1", ": x", "\ttitle: tab", "title: !!python/object/apply:os.system [true]",
            "title: !!binary aGVsbG8=", "x: &a [1]\ny: *a", "title: “中文引号”", "title：中文冒号",
            "a: &a [*a]", "'unterminated", "? [complex, key]\n: v", "title: !!set {a, b}", "<<: {title: x}",
            "- a list", "title: |\n  block", "title: >-\n folded", "日期: 2020-01-01", "title: @at",
            "title: `tick`", "1: numeric key", "null: x", "true: y", "[1, 2]: z"]
names = st.one_of(st.sampled_from(["fuzzed", "fuzzed-2", "budget-2019", "about"]),
                  st.text(st.characters(blacklist_characters="/\x00", blacklist_categories=("Cs",)),
                          min_size=1, max_size=20).filter(lambda s: s not in (".", "..") and len(s.encode()) < 200))


@st.composite
def entry_files(draw):
    type_ = draw(st.sampled_from(sorted(BASE)))
    data = dict(BASE[type_])
    for key, value in draw(st.dictionaries(st.sampled_from(FIELDS), values, max_size=5)).items():
        data[key] = value
    if draw(st.booleans()):
        data["attachments"] = draw(attachments)
    for key in draw(st.lists(st.sampled_from(sorted(data)), max_size=2)):
        data.pop(key, None)                                    # a required field missing
    try:
        front = yaml.safe_dump(data, allow_unicode=True, sort_keys=False)
    except (yaml.YAMLError, ValueError):
        front = "title: x\n"
    raw_lines = draw(st.lists(st.sampled_from(RAW_YAML), max_size=2))
    if raw_lines:
        lines = front.splitlines()
        at = draw(st.integers(0, len(lines)))
        front = "\n".join(lines[:at] + raw_lines + lines[at:]) + "\n"
    body = draw(st.one_of(st.text(max_size=200), st.sampled_from(["", "---\n---", "[原文](../policies/nope.md)",
                                                                   "<iframe src=x></iframe>", "{: #id .c }\n# H"])))
    text = f"---\n{front}---\n{body}\n"
    if draw(st.booleans()):
        text = text.replace("\n", draw(st.sampled_from(["\r\n", "\r"])))
    data_bytes = text.encode("utf-8")
    mangle = draw(st.sampled_from(["none", "none", "bom", "gb18030", "utf16", "truncate", "inject"]))
    if mangle == "bom":
        data_bytes = b"\xef\xbb\xbf" + data_bytes
    elif mangle == "gb18030":
        data_bytes = text.encode("gb18030", errors="replace")
    elif mangle == "utf16":
        data_bytes = text.encode("utf-16")
    elif mangle == "truncate":
        data_bytes = data_bytes[:draw(st.integers(0, len(data_bytes)))]
    elif mangle == "inject":
        at = draw(st.integers(0, len(data_bytes)))
        data_bytes = data_bytes[:at] + draw(st.binary(min_size=1, max_size=8)) + data_bytes[at:]
    name = draw(names)
    return type_, name, data_bytes


def install_escape_hatches(site: Path) -> None:
    """Symlinks that point outside content/: attachments entries may name them."""
    files = site / "content" / "files"
    if PASSWD.exists():
        (files / "link-out").symlink_to(PASSWD)
        (files / "dir-out").symlink_to(PASSWD.parent)


# -- property tests -------------------------------------------------------------------------------
@given(st.lists(entry_files(), min_size=1, max_size=3), st.booleans())
def test_fuzzed_entries_end_in_a_message_or_a_build(files, hatches):
    with fresh_site() as (root, site):
        if hatches:
            install_escape_hatches(site)
        for type_, name, data in files:
            p = site / "content" / type_ / f"{name}.md"
            p.write_bytes(data)
        code, stderr = build_and_judge(root, site)
        event(f"exit status {code}")
        if hatches and PASSWD.exists():      # the escape hatches themselves are always refused
            assert code == 1 and "content/files/link-out:1: -: " in stderr


TEXT_FIELDS = {"title": 1, "summary": 1, "doc_no": 1, "validity_note": 1, "keywords": 2}
odd_text = st.one_of(st.text(min_size=1, max_size=80), st.sampled_from(HOSTILE_TEXT[:-6]),
                     st.text(st.sampled_from("\u200b\u200d\ufeff\u202e<>&\"'`{}%#*_[]()!|\\:-\r\t 中文繁體"),
                             min_size=1, max_size=30))


@settings(max_examples=40 if PROFILE == "ci" else 1000)
@given(st.sampled_from(["policies", "interpretations", "reports"]),
       st.dictionaries(st.sampled_from(sorted(TEXT_FIELDS)), odd_text, min_size=1),
       st.text(max_size=400), st.booleans())
def test_odd_but_valid_text_builds(type_, fields, body, bom_crlf):
    """Entries of the right shape whose text is odd: they must build (or name the problem)."""
    data = dict(BASE[type_])
    for key, value in fields.items():
        data[key] = [value] if TEXT_FIELDS[key] == 2 else value
    text = f"---\n{yaml.safe_dump(data, allow_unicode=True, sort_keys=False)}---\n{body}\n"
    raw = text.encode("utf-8")
    if bom_crlf:
        raw = b"\xef\xbb\xbf" + raw.replace(b"\n", b"\r\n")
    with fresh_site() as (root, site):
        (site / "content" / type_ / "odd-text.md").write_bytes(raw)
        code, stderr = build_and_judge(root, site)
        event(f"exit status {code}")
        if code == 0:
            page = (site / "output" / type_ / "odd-text.html").read_text(encoding="utf-8")
            assert "<script>alert" not in page


@settings(max_examples=50 if PROFILE == "ci" else 500)
@given(st.binary(max_size=4096), st.sampled_from(["policies", "interpretations", "reports", "pages"]))
def test_random_bytes(data, type_):
    with fresh_site() as (root, site):
        (site / "content" / type_ / "random-bytes.md").write_bytes(data)
        code, _ = build_and_judge(root, site)
        event(f"exit status {code}")


@settings(max_examples=10 if PROFILE == "ci" else 200)
@given(st.sampled_from(["title", "owner", "lang", "timezone", "base_url", "index_no_pattern", "page_size",
                         "agencies", "topics", "footer", "unknown_key"]), values)
def test_wrong_config_values_are_usage_errors(key, value):
    with fresh_site() as (root, site):
        c = site / "site_config.yaml"
        data = yaml.safe_load(c.read_text(encoding="utf-8"))
        data[key] = value
        c.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
        before = snapshot(root)
        code, stderr = run_cli("build", "--site", str(site), "--as-of", AS_OF, "--no-search")
        assert_clear(code, stderr, site / "output")
        assert snapshot(root) == before


# -- named hostile cases ------------------------------------------------------------------------
def _write(site: Path, rel: str, data: bytes | str) -> Path:
    p = site / rel
    p.parent.mkdir(parents=True, exist_ok=True)
    p.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
    return p


POLICY = ("---\ntitle: 测试\nindex_no: 11330000MB1234567X/2020-09001\nagency: xzf\n"
          "topic: 财政、金融、审计/财政\npublished: 2020-01-01\n{extra}---\n{body}\n")

CASES = {
    "alias-bomb": ("content/policies/bomb.md", "---\na: &a [x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a]\n"
                   "c: &c [*b, *b, *b, *b, *b, *b]\nd: &d [*c, *c, *c, *c, *c, *c]\ne: [*d, *d, *d, *d, *d, *d]\n"
                   "title: t\n---\n", 1, "bomb.md:"),
    "self-reference": ("content/policies/selfref.md", "---\ntitle: &t [*t]\n---\n", 1, "selfref.md:"),
    "deep-flow": ("content/policies/deep.md", "---\ntitle: " + "[" * 5000 + "]" * 5000 + "\n---\n", 1, "deep.md:"),
    "deep-block": ("content/policies/deep2.md", "---\n" + "".join("  " * i + f"k{i}:\n" for i in range(300))
                   + "---\n", 1, "deep2.md:"),
    "many-keys": ("content/policies/wide.md", "---\n" + "".join(f"k{i}: {i}\n" for i in range(20000)) + "---\n",
                  1, "wide.md:"),
    "bom-crlf": ("content/policies/bom-crlf.md", b"\xef\xbb\xbf" + POLICY.format(extra="", body="正文").replace(
        "\n", "\r\n").encode(), 0, None),
    "zero-width-id": ("content/policies/bad\u200bid.md", POLICY.format(extra="", body="x"), 1, "看不见的字符"),
    "bom-in-id": ("content/policies/\ufeffbom.md", POLICY.format(extra="", body="x"), 1, "看不见的字符"),
    "fullwidth-id": ("content/policies/ｂｕｄｇｅｔ.md", POLICY.format(extra="", body="x"), 1, "非英文字符"),
    "gb18030": ("content/policies/gbk.md", POLICY.format(extra="", body="正文" * 50).encode("gb18030"), 1, "UTF-8"),
    "python-tag": ("content/policies/tag.md", POLICY.format(extra="summary: !!python/object/apply:os.system [id]\n",
                                                           body="x"), 1, "tag.md:"),
    "attachment-dotdot": ("content/policies/att1.md", POLICY.format(
        extra="attachments:\n  - file: ../../etc/passwd\n    title: x\n", body="x"), 1, "att1.md:"),
    "attachment-files-dotdot": ("content/policies/att2.md", POLICY.format(
        extra="attachments:\n  - file: files/../../../../etc/passwd\n", body="x"), 1, "att2.md:"),
    "attachment-absolute": ("content/policies/att3.md", POLICY.format(
        extra="attachments:\n  - file: /etc/passwd\n", body="x"), 1, "att3.md:"),
    "attachment-backslash": ("content/policies/att4.md", POLICY.format(
        extra="attachments:\n  - file: files\\..\\..\\etc\\passwd\n", body="x"), 1, "att4.md:"),
    "body-link-outside": ("content/policies/link.md", POLICY.format(
        extra="", body="[x](../../../../etc/passwd) ![y](/etc/passwd) [z](../policies/../../site_config.yaml)"), None,
        None),
    "empty-file": ("content/policies/empty.md", b"", 1, "empty.md:1: -: "),
    "only-dashes": ("content/policies/dashes.md", "---\n", 1, "dashes.md:1: -: "),
    "front-matter-list": ("content/policies/list.md", "---\n- a\n- b\n---\n", 1, "list.md:"),
    "nul-bytes": ("content/policies/nul.md", b"---\ntitle: a\x00b\n---\n", 1, "nul.md:"),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_named_case(case):
    rel, data, want, text = CASES[case]
    with fresh_site() as (root, site):
        _write(site, rel, data)
        code, stderr = build_and_judge(root, site)
        if want is not None:
            assert code == want, stderr
        if text:
            assert text in stderr, stderr


def test_ten_megabyte_body():
    body = ("这是很长的正文，用来检查十兆字节的条目能否在合理时间内构建。" * 40 + "\n\n") * 4400
    assert len(body.encode()) > 10_000_000
    with fresh_site() as (root, site):
        _write(site, "content/policies/huge.md", POLICY.format(extra="", body=body))
        code, stderr = build_and_judge(root, site)
        assert code == 0, stderr
        assert (site / "output/policies/huge.html").stat().st_size > 10_000_000


@pytest.mark.skipif(not PASSWD.exists(), reason="needs /etc/passwd as the outside file")
@pytest.mark.parametrize("where", ["content/files/passwd.pdf", "content/policies/passwd.md",
                                   "content/files/sub/etc", "content/policies/sub", "content/pages"])
def test_symlinks_out_of_content_are_refused(where):
    with fresh_site() as (root, site):
        link = site / where
        if link.exists():
            shutil.rmtree(link)
        link.parent.mkdir(parents=True, exist_ok=True)
        target = PASSWD.parent if where.endswith(("etc", "sub", "pages")) else PASSWD
        link.symlink_to(target)
        if where == "content/files/passwd.pdf":
            _write(site, "content/policies/uses-it.md", POLICY.format(
                extra="attachments:\n  - file: files/passwd.pdf\n", body="x"))
        code, stderr = build_and_judge(root, site)
        assert code in (0, 1), stderr
        assert not (site / "output" / "files" / "passwd.pdf").exists()


def test_fifo_in_content_does_not_hang():
    with fresh_site() as (root, site):
        os.mkfifo(site / "content/policies/pipe.md")
        os.mkfifo(site / "content/files/pipe.pdf")
        code, stderr = build_and_judge(root, site)
        assert "pipe.md" in stderr


def test_output_path_is_a_file_or_foreign_folder():
    with fresh_site() as (root, site):
        (root / "not-ours").mkdir()
        (root / "not-ours" / "keep.txt").write_text("keep")
        before = snapshot(root)
        code, stderr = run_cli("build", "--site", str(site), "--output", str(root / "not-ours"), "--no-search")
        assert code == 2 and "Traceback" not in stderr
        assert snapshot(root) == before


WRONG = {"null": None, "bool": True, "int": 7, "float": 1.5, "nan": float("nan"), "list": ["a", 1],
         "dict": {"a": {"b": 1}}, "empty-list": [], "empty-dict": {}, "long-text": "长" * 5000,
         "zero-width": "\u200b", "date-object": "2020-02-30", "nested-list": [[["x"]]]}


@pytest.mark.parametrize("kind", sorted(WRONG))
def test_every_field_of_every_type_with_a_wrong_type(kind):
    """One entry per (type, field) with that field set to a value of the wrong type, all in one site."""
    from xxgk.validate.fields import ALLOWED
    value = WRONG[kind]
    with fresh_site() as (root, site):
        serial = 9000
        for type_, allowed in ALLOWED.items():
            for key in allowed + ("stats", "nav_order"):
                serial += 1
                data = dict(BASE[type_])
                if "index_no" in data:
                    data["index_no"] = f"11330000MB1234567X/2020-{serial:05d}"
                data[key] = value
                front = yaml.safe_dump(data, allow_unicode=True, sort_keys=False)
                (site / "content" / type_ / f"{type_[:4]}-{key.replace('_', '-')}.md").write_text(
                    f"---\n{front}---\n正文\n", encoding="utf-8")
        code, stderr = build_and_judge(root, site)
        if kind in ("dict", "nested-list", "float", "nan", "bool"):
            assert code == 1, stderr
