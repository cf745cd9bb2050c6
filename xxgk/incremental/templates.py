"""Which templates a page template uses, and a digest of their text.

A page is made from its template and every template that one extends, includes or imports, found
by reading the templates themselves (jinja2.meta). A template naming another by a variable could
use any template, so it depends on all of them.
"""
from __future__ import annotations

import hashlib

import jinja2
from jinja2 import meta


class TemplateDigests:
    def __init__(self, env: jinja2.Environment):
        self.env = env
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
        try:
            refs = set(meta.find_referenced_templates(self.env.parse(source)))
        except jinja2.TemplateSyntaxError:
            refs = set()     # the render will report it
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
