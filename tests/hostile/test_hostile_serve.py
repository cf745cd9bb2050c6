"""`serve` under hostile requests: no redirect off the host, 414 for long paths, 400 for
undecodable or NUL paths, and no traceback from a request thread."""
from __future__ import annotations

import http.client
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from helpers import FIXTURES
from hostile_kit import REPO_BUILD


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    site = shutil.copytree(FIXTURES / "basic", tmp_path_factory.mktemp("serve") / "site")
    port = _free_port()
    proc = subprocess.Popen([sys.executable, REPO_BUILD, "serve", "--site", str(site), "--port", str(port)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        line = proc.stdout.readline()
        if line.startswith("预览地址") or not line:
            break
    yield port, proc
    proc.terminate()
    _, err = proc.communicate(timeout=30)
    assert "Traceback" not in err, err


def _get(port: int, raw_path: str) -> http.client.HTTPResponse:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    conn.putrequest("GET", raw_path, skip_accept_encoding=True)
    conn.endheaders()
    r = conn.getresponse()
    r.read()
    conn.close()
    return r


def test_a_folder_redirect_never_leaves_the_host(server):
    port, _ = server
    r = _get(port, "/%2f%2fevil.invalid%2f..%2fpolicies")
    assert r.status == 301
    location = r.getheader("Location")
    assert location.startswith("/") and not location.startswith("//"), location
    assert _get(port, "/policies").getheader("Location") == "/policies/"


def test_a_decoded_newline_cannot_add_a_header(server):
    port, _ = server
    r = _get(port, "/policies%0d%0aX-Evil:%201")
    assert r.status == 400 and r.getheader("X-Evil") is None


@pytest.mark.parametrize("size", [3000, 8 * 1024, 65 * 1024 - 100])
def test_long_paths_are_answered_414(server, size):
    port, _ = server
    assert _get(port, "/" + "a" * size).status == 414
    assert _get(port, "/" + "a" * size + ".html").status == 414


@pytest.mark.parametrize("path", ["/%00", "/policies/%00.html", "/%ed%a0%80", "/%ff.html", "/a%01b.css"])
def test_undecodable_or_nul_paths_are_answered_400(server, path):
    port, _ = server
    assert _get(port, path).status == 400


def test_the_site_is_still_served(server):
    port, _ = server
    assert _get(port, "/policies/budget-2019.html").status == 200
    assert _get(port, "/" + "a" * 300 + ".html").status == 404       # too long for a file name: not found
