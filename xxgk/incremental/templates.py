"""Which templates a page template uses, and a digest of their text.

A page is made from its template and every template that one extends, includes or imports, found
by reading the templates themselves (jinja2.meta). A template naming another by a variable could
use any template, so it depends on all of them.
"""
from __future__ import annotations

import hashlib
import json
from pathlib import Path

import jinja2
from jinja2 import meta
from ..atomic import write_whole


_REFS: dict[str, set] = {}     # sha256 of a template's source → the names it references (None: any)


class TemplateDigests:
    """`cache_dir`: where the references found are kept for the next build (parsing every template
    costs a command-line build more than a tenth of a second); serve keeps them in memory."""

    def __init__(self, env: jinja2.Environment, cache_dir: Path | None = None):
        self.env = env
        self._file = cache_dir / "template-refs.json" if cache_dir else None
        self._learned = False
        if self._file and not _REFS:
            try:
                for sha, refs in json.loads(self._file.read_text(encoding="utf-8")).items():
                    _REFS[sha] = {None if r is None else str(r) for r in refs}
            except (OSError, ValueError, TypeError, AttributeError):
                pass
        self._refs: dict[str, set[str]] = {}
        self._source: dict[str, str] = {}
        self._digest: dict[str, str] = {}

    def _load(self, name: str) -> None:
        if name in self._refs:
            return
        try:
            source, _file, _uptodate = self.env.loader.get_source(self.env, name)
        except jinja2.TemplateNotFound:
            self._refs[name], self._source[name] = set(), "\0missing"
            return
        self._source[name] = source
        sha = hashlib.sha256(source.encode("utf-8", "surrogatepass")).hexdigest()
        refs = _REFS.get(sha)
        if refs is None:
            try:
                refs = set(meta.find_referenced_templates(self.env.parse(source)))
            except jinja2.TemplateSyntaxError:
                refs = set()     # the render will report it
            if len(_REFS) > 500:
                _REFS.clear()
            _REFS[sha] = refs
            self._learned = True
        if None in refs:
            refs = set(self.env.list_templates(filter_func=lambda n: n.endswith(".html")))
        self._refs[name] = refs - {None}

    def used_by(self, name: str) -> list[str]:
        """The template and everything it uses, sorted."""
        seen, todo = set(), [name]
        while todo:
            n = todo.pop()
            if n in seen:
                continue
            seen.add(n)
            self._load(n)
            todo.extend(self._refs[n])
        return sorted(seen)

    def digest(self, *names: str) -> str:
        key = "\0".join(names)
        if key not in self._digest:
            h = hashlib.sha256()
            for n in sorted({u for name in names for u in self.used_by(name)}):
                h.update(n.encode() + b"\0" + self._source[n].encode("utf-8", "surrogatepass") + b"\0")
            self._digest[key] = h.hexdigest()
        return self._digest[key]

    def known(self) -> dict[str, str]:
        """The digests asked for so far (render.plan.KnownDigests takes them)."""
        return dict(self._digest)

    def save(self) -> None:
        if not (self._learned and self._file):
            return
        try:
            write_whole(self._file, json.dumps({k: sorted(v, key=str) for k, v in _REFS.items()}))
            self._learned = False
        except OSError:
            pass
