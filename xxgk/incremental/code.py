"""A digest of the generator itself: its code, its bundled data and the versions of the libraries
whose output it publishes. Every kept result is thrown away when it changes."""
from __future__ import annotations

import hashlib
import sys
from functools import lru_cache
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1]


@lru_cache(maxsize=1)
def code_digest() -> str:
    import jinja2
    import markdown
    import nh3
    import yaml

    h = hashlib.sha256(f"{sys.version}\n{jinja2.__version__}\n{markdown.__version__}\n{yaml.__version__}\n"
                       f"{getattr(nh3, '__version__', '')}\n".encode())
    for p in sorted(PACKAGE.rglob("*")):
        if p.suffix in (".py", ".yaml", ".json", ".txt") and "__pycache__" not in p.parts:
            h.update(p.relative_to(PACKAGE).as_posix().encode() + b"\0" + p.read_bytes() + b"\0")
    return h.hexdigest()
