"""The search index (Pagefind). Filled in by the search work; a no-op placeholder keeps the pipeline whole."""
from __future__ import annotations


def index(writer, pages, site_dir, diags) -> None:
    return None
