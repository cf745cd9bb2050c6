"""Every file the generator keeps or hands over is replaced whole or not at all.

One way to do it, used by every cache file in `.cache/`, the exports of `audit` and `pack` and
the index state: write a temporary file beside the target (named with the process id, so two
processes never share one), then rename it over the target; on any failure the temporary file is
removed and the target is as it was. (The published site has its own, larger mechanism: the
staging folder of write/output.py.)
"""
from __future__ import annotations

import os
import pickle
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator


@contextmanager
def replaced_whole(path: Path) -> Iterator[Path]:
    """Yields the temporary path to write; on leaving without an error it replaces `path`."""
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        yield tmp
        os.replace(tmp, path)
    except BaseException:
        try:
            tmp.unlink(missing_ok=True)
        except OSError:
            pass
        raise


def write_whole(path: Path, data: bytes | str) -> None:
    with replaced_whole(path) as tmp:
        tmp.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)


def pickle_whole(path: Path, data) -> None:
    with replaced_whole(path) as tmp, open(tmp, "wb") as f:
        pickle.dump(data, f, protocol=pickle.HIGHEST_PROTOCOL)
