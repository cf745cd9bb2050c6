"""What `serve` refuses before it looks at the disk, and how it redirects (issue 27).

- A path longer than MAX_PATH (a file name the system cannot even look up): 414.
- A path whose %-escapes are not UTF-8 (`%ed%a0%80`), or that holds a NUL or another control
  character once decoded: 400.
- A folder asked without its trailing "/" is redirected to the same host only: the Location is
  an absolute path starting with exactly one "/" and %-encoded again, so `/%2f%2fevil.invalid`
  cannot become `//evil.invalid/` (which a browser reads as another host), and a decoded CR/LF
  cannot add a header line.
- Anything else that goes wrong in a request thread is answered 500 without a traceback
  (QuietServer): the terminal is for build messages.
"""
from __future__ import annotations

import http.server
import re
from urllib.parse import quote, unquote, urlsplit

MAX_PATH = 2048
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


def request_problem(raw_path: str) -> tuple[int, str] | None:
    """(status, reason) for a request path that is refused before any file is looked up, or None."""
    if len(raw_path) > MAX_PATH:
        return 414, "URI Too Long"
    try:
        path = unquote(urlsplit(raw_path).path, errors="strict")
    except (UnicodeDecodeError, ValueError):
        return 400, "Bad Request"
    if _CONTROL.search(path) or _CONTROL.search(raw_path):
        return 400, "Bad Request"
    return None


def folder_location(path: str) -> str:
    """The Location of the redirect from folder `path` (decoded) to `path/`, on this host."""
    return quote("/" + path.lstrip("/") + "/", safe="/")


class QuietServer(http.server.ThreadingHTTPServer):
    def handle_error(self, request, client_address):    # (default: a traceback on stderr)
        pass
