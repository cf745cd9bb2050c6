"""Render every page and export of a checked site in memory, keeping nothing: what `check` does so
that a template error fails it exactly as it fails `build` (SPEC section 8)."""
from __future__ import annotations

from pathlib import Path

from ..diagnostics import Diagnostics


class DiscardWriter:
    """The part of write.output.OutputWriter the renderer uses, writing nothing: every output is
    made (nothing counts as fresh) and dropped."""

    def __init__(self):
        self.made = 0

    def fresh(self, rel: str, key: str) -> bool:
        return False

    def write(self, rel: str, data, source: str = "", key: str | None = None, deps=()) -> None:
        self.made += 1

    def keep(self, rel: str, source: str = "", key: str | None = None, deps=()) -> None:
        pass

    def copy(self, rel: str, src: Path, source: str = "", key: str | None = None) -> None:
        pass

    def before_fork(self) -> None:
        pass


def render_in_memory(site_dir: Path, config, entries: dict, as_of, files: dict, diags: Diagnostics) -> int:
    """Render the whole site as `build` would, with the site's .cache/ neither read nor written; a
    template that does not compile or render becomes an error naming it. Returns the outputs made."""
    from .environment import TemplateProblem
    from .site import SiteRenderer
    writer = DiscardWriter()
    try:
        renderer = SiteRenderer(site_dir, config, entries, as_of, files, caches=False)
        compiled = site_dir / ".cache" / "jinja"
        if compiled.is_dir():     # the templates a build compiled, read (Jinja checks each against its source)
            renderer.env.bytecode_cache = _read_only_bytecode_cache(compiled)
        renderer.write_all(writer)
    except TemplateProblem as p:
        path, line, message = p.args
        diags.error(path, line, "-", message, code="template")
    return writer.made


def _read_only_bytecode_cache(folder: Path):
    import jinja2

    class ReadOnly(jinja2.FileSystemBytecodeCache):
        def dump_bytecode(self, bucket) -> None:
            pass

    return ReadOnly(str(folder))
