"""No input, however broken, makes the importer print a traceback or hang: random bytes under
every extension, a truncated .docx, binary in an .html, 10 MB of text, deep nesting. Each source
is read or named with a reason; the others are still written."""
from __future__ import annotations

import io
import time
import zipfile
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from docmaker import make_gongwen
from importing import empty_site, run_import, written_entries
from xxgk.config.site import load_config
from xxgk.importer.fields import Context
from xxgk.importer.run import import_sources

_SITE: dict[str, Path] = {}


def _site(tmp_path_factory) -> Path:
    if "site" not in _SITE:
        _SITE["site"] = empty_site(tmp_path_factory.mktemp("hostile") / "site")
    return _SITE["site"]


def _import_in_process(site: Path, sources: list[Path], dry_run: bool = True) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with redirect_stdout(out), redirect_stderr(err):
        rc = import_sources(site, sources, Context(load_config(site)), dry_run=dry_run)
    return rc, out.getvalue(), err.getvalue()


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.binary(max_size=4000), ext=st.sampled_from([".docx", ".html", ".htm", ".txt"]))
def test_random_bytes_never_raise(tmp_path_factory, data, ext):
    site = _site(tmp_path_factory)
    src = site.parent / f"random{ext}"
    src.write_bytes(data)
    rc, out, err = _import_in_process(site, [src])
    assert rc in (0, 1)
    assert len([ln for ln in out.splitlines() if str(src) in ln]) == 1, out
    assert "导入时出错" not in out, out                # (the line a bug would print)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=st.text(max_size=3000), wrap=st.sampled_from(["{}", "<html><body><table><tr><td>{}</td></tr></table>",
                                                           "<p>索 引 号：{}</p><h1>{}</h1>", "---\n{}\n---"]))
def test_random_text_in_every_kind_never_raises(tmp_path_factory, text, wrap):
    site = _site(tmp_path_factory)
    for ext in (".html", ".txt"):
        src = site.parent / f"text{ext}"
        src.write_text(wrap.replace("{}", text), encoding="utf-8", errors="surrogatepass")
        rc, out, _err = _import_in_process(site, [src])
        assert rc in (0, 1) and "导入时出错" not in out, out


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(cut=st.integers(min_value=0, max_value=100_000), flip=st.integers(min_value=0, max_value=100_000))
def test_truncated_and_damaged_docx(tmp_path_factory, cut, flip):
    site = _site(tmp_path_factory)
    whole = site.parent / "whole.docx"
    if not whole.exists():
        make_gongwen(whole)
    raw = bytearray(whole.read_bytes())
    raw[flip % len(raw)] ^= 0x5A
    src = site.parent / "damaged.docx"
    src.write_bytes(bytes(raw[: cut % (len(raw) + 1)]))
    rc, out, _err = _import_in_process(site, [src])
    assert rc in (0, 1) and "导入时出错" not in out, out


def test_docx_that_is_a_zip_without_a_document(tmp_path):
    site = empty_site(tmp_path / "site")
    src = tmp_path / "empty.docx"
    with zipfile.ZipFile(src, "w") as z:
        z.writestr("hello.txt", "hi")
    rc, out, _ = _import_in_process(site, [src])
    assert rc == 1 and "不是 Word 文档" in out


def test_binary_in_html_and_huge_text(tmp_path):
    site = empty_site(tmp_path / "site")
    src = tmp_path / "in"
    src.mkdir()
    (src / "binary.html").write_bytes(b"<html><body><p>\xff\xfe\x00\x01 \x89PNG\r\n\x1a\n" + bytes(range(256)) * 40
                                      + b"</p><script>alert(1)</script></body></html>")
    line = "一、总体要求。" + "坚持以公开为常态、不公开为例外，" * 20 + "\n"
    (src / "huge.txt").write_text(line * (10 * 1024 * 1024 // len(line.encode("utf-8"))), encoding="utf-8")
    (src / "short-lines.txt").write_text("单位\n36\n" * 50_000, encoding="utf-8")
    (src / "deep.html").write_text("<div>" * 50_000 + "正文" + "</div>" * 50_000, encoding="utf-8")
    (src / "cells.html").write_text("<table>" + "<tr><td rowspan=999 colspan=99>1</td></tr>" * 3000 + "</table>",
                                    encoding="utf-8")
    (src / "good.docx").write_bytes(make_gongwen(tmp_path / "g.docx").read_bytes())
    start = time.monotonic()
    r = run_import(site, str(src))
    took = time.monotonic() - start
    assert "Traceback" not in r.stderr, r.stderr[-3000:]
    assert r.returncode in (0, 1), r.stdout + r.stderr
    assert r.stdout.count(str(src)) == 6, r.stdout
    assert "good.docx" in r.stdout and len(written_entries(site)) >= 1
    assert "<script" not in "".join(p.read_text(encoding="utf-8") for p in written_entries(site))
    assert took < 300, took                          # bounded: no quadratic blow-up on 10 MB
