"""Names in a document matched to the site's config: agencies by name, topics by label."""
from __future__ import annotations

import re

from .normalize import squash, to_simplified


def _name_key(name: str) -> str:
    s = to_simplified(squash(name))
    s = s.replace("人民政府", "政府").replace("中国共产党", "中共")
    return s.strip("（）()[]【】：:,，、")


class AgencyMatcher:
    def __init__(self, agencies):
        self.by_name = {}
        for a in agencies:
            self.by_name.setdefault(_name_key(a.name), a.key)
        self.keys = {a.key for a in agencies}

    def match(self, name: str) -> str | None:
        if not name:
            return None
        return self.by_name.get(_name_key(name))

    def match_all(self, text: str) -> list[str]:
        """The agencies named in `text` (one name, or several separated by spaces, 、 or commas)."""
        whole = self.match(text)
        if whole:
            return [whole]
        found = []
        for part in re.split(r"[\s、,，;；/]+", text.strip()):
            key = self.match(part)
            if key and key not in found:
                found.append(key)
        return found


def match_topic(text: str, topics: dict) -> str | None:
    """A topic of the config named by `text` (一级/二级 with any separator, or a unique name)."""
    if not text:
        return None
    t = to_simplified(squash(text))
    t = re.sub(r"[\\>＞›»\-—_|｜、]+", "/", t).strip("/")
    if t in topics:
        return t
    by_name = [p for p, top in topics.items() if top.name == t]
    if len(by_name) == 1:
        return by_name[0]
    last = t.rsplit("/", 1)[-1]
    by_last = [p for p, top in topics.items() if top.name == last]
    return by_last[0] if len(by_last) == 1 else None
