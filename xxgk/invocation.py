"""The command the user ran — `xxgk` or `python build.py` — for messages that say what to run next.

Messages are written in the code with WRITTEN ("python build.py new …"); as_run() says them with
the command actually used (cli.main sets it), so kept messages (a cached check, a replayed build)
name it too."""
from __future__ import annotations

WRITTEN = "python build.py"
_program = WRITTEN


def set_program(name: str) -> None:
    global _program
    _program = name


def program() -> str:
    return _program


def as_run(text: str) -> str:
    return text.replace(WRITTEN, _program) if _program != WRITTEN and WRITTEN in text else text
