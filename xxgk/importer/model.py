"""What a source becomes before it is written: a `Draft` entry, and what a reader hands over."""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from .blocks import Block

TYPE_FOLDERS = {"policy": "policies", "interpretation": "interpretations", "report": "reports"}


class SourceError(Exception):
    """A source that cannot be read; the message (Chinese) says why and what to do."""


@dataclass
class Extracted:
    """What a reader found in one source, before the document is analysed."""
    blocks: list[Block]
    meta_lines: list[str] = field(default_factory=list)     # a metadata block already found (HTML tables)
    title_hints: list[str] = field(default_factory=list)    # titles the page states (HTML <meta>, <h1>)
    attachments: list[tuple[Path, str]] = field(default_factory=list)   # (file beside the source, title)
    missing: list[str] = field(default_factory=list)        # attachment links whose file is not there
    kind: str = "text"                                      # text / html / docx


@dataclass
class Draft:
    source: Path
    type: str                                   # policy / interpretation / report
    fields: dict = field(default_factory=dict)  # front matter, in writing order
    todo: dict[str, str] = field(default_factory=dict)     # field → why it is TODO (a comment)
    body: str = ""
    attachments: list[tuple[Path, str]] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)      # PATH:LINE: FIELD: message (sum rules …)
    notes: list[str] = field(default_factory=list)         # said on the source's line
