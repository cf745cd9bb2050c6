"""Attachments (SPEC 11): read the text of PDF, Word (.docx), spreadsheet (.xlsx), CSV and text
attachments at build, scan it for personal data, and make it searchable.

The steps, one module each:

- `detect.py`    what a file is, from its name AND its first bytes: macro-enabled Office files,
                 executables and a content that does not match the extension are refused.
- `safezip.py`   the checks a .docx / .xlsx passes before a library opens it (a truncated zip,
                 a zip bomb: uncompressed sizes are read from the directory, never by inflating).
- `formats.py`   the text of each format, as pieces with their place in the file (PDF page, Word
                 paragraph or table cell, `sheet!cell`, CSV cell, text line), within fixed caps.
- `normalize.py` compatibility characters (Kangxi radicals such as U+2F64 → 用, full-width
                 forms, ligatures) folded (NFKC and a few more) before scanning and indexing.
- `scan.py`      the personal-data scan of SPEC 3.5 (validate/privacy.py) over the pieces, also
                 across cells and lines, and numbers a spreadsheet stored as numbers.
- `read.py`      one file read in a child process with a time and memory limit; `prepare()`,
                 the build's hook: every attachment of content/files read once per content.
- `cache.py`     `.cache/attachments.sqlite`: path → (stat, sha256), sha256 → what was found.
- `messages.py`  the editor's messages for one entry's attachments (validate/site.check_file).
- `index.py`     each attachment's text as a search record of its own beside its entry's page
                 (write/search.py; templates/assets/search.js shows such a match as its entry's,
                 naming and linking the attachment): published pages stay as small as they were.
"""
from __future__ import annotations

from .read import prepare

__all__ = ["prepare"]
