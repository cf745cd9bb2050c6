"""Raw HTML in Markdown bodies (SPEC 3.4): the allow-list, and :func:`clean_html`, which removes the rest with nh3.

:func:`clean_html` sanitises the HTML rendered by Python-Markdown with nh3 and an allow-list that
keeps everything Python-Markdown produces with the extensions the site uses (tables, footnotes,
toc heading ids, attr_list, def_list, abbr, fenced_code, sane_lists); everything else — scripts,
event handlers, ``javascript:`` and other non-web URLs, iframes, forms — is dropped. It never
edits HTML with regular expressions.

What it will remove is reported to editors, with line numbers, by
:func:`xxgk.render.sanitize_report.find_unsafe_html`, which reads the same allow-list from here.
"""
from __future__ import annotations

import re

import nh3

__all__ = ["clean_html"]

TAGS = frozenset({
    "p", "h1", "h2", "h3", "h4", "h5", "h6", "a", "ul", "ol", "li",
    "table", "thead", "tbody", "tfoot", "tr", "th", "td", "caption", "colgroup", "col",
    "em", "strong", "b", "i", "u", "s", "del", "ins", "sub", "sup", "small", "mark", "abbr",
    "code", "pre", "blockquote", "hr", "br", "img",
    "div", "span", "section", "figure", "figcaption", "dl", "dt", "dd", "details", "summary",
    # harmless inline text semantics an editor may write by hand
    "cite", "q", "kbd", "samp", "var", "time", "ruby", "rt", "rp", "wbr",
})

GENERIC_ATTRIBUTES = frozenset({"id", "class", "lang", "title", "dir", "role",
                                "aria-label", "aria-describedby", "aria-hidden"})

ATTRIBUTES = {
    "*": set(GENERIC_ATTRIBUTES),
    "a": {"href", "rel", "name"},
    "img": {"src", "alt", "width", "height", "loading"},
    "ol": {"start", "type"},
    "li": {"value"},
    "th": {"scope", "colspan", "rowspan"},
    "td": {"colspan", "rowspan"},
    "col": {"span"},
    "colgroup": {"span"},
    "time": {"datetime"},
    "details": {"open"},
}

# Column alignment as the tables extension writes it (style="…" by default, align="…" with
# use_align_attribute): only these exact values, so no other CSS ever gets through.
_ALIGN = ("left", "center", "right")
TAG_ATTRIBUTE_VALUES = {
    cell: {"style": {f"text-align: {a};" for a in _ALIGN}, "align": set(_ALIGN)}
    for cell in ("th", "td")
}

# Removed together with everything inside them (their content is code, raw text or form widgets).
CLEAN_CONTENT_TAGS = frozenset({"script", "style", "iframe", "noembed", "noframes", "template", "xmp",
                                "textarea", "select", "object", "applet"})

URL_SCHEMES = frozenset({"http", "https", "mailto", "tel"})

# Video and audio (a `form: video` interpretation): only the site's own files, with captions.
MEDIA_TAGS = frozenset({"video", "audio", "source", "track"})
MEDIA_ATTRIBUTES = {
    "video": {"src", "controls", "width", "height", "poster", "preload", "muted", "loop", "playsinline"},
    "audio": {"src", "controls", "preload", "muted", "loop"},
    "source": {"src", "type"},
    "track": {"kind", "src", "srclang", "label", "default"},
}
MEDIA_URL_ATTRIBUTES = frozenset({"src", "poster"})
# Presentational HTML (Word-pasted tables): dropped, the site's stylesheet sets the layout.
PRESENTATIONAL = frozenset({"style", "align", "valign", "border", "bgcolor", "color", "face", "size", "width",
                            "height", "cellpadding", "cellspacing", "background", "nowrap", "clear", "hspace",
                            "vspace", "frame", "rules"})

# Browsers ignore ASCII whitespace and control characters inside a URL's scheme.
_URL_NOISE = re.compile(r"[\x00-\x20\x7f]+")


def local_url(value: str) -> bool:
    """A relative address of the site itself (../files/a.mp4): no scheme, no host, not from the root."""
    v = _URL_NOISE.sub("", value or "")
    return bool(v) and not v.startswith(("/", "\\")) and not re.match(r"^[a-z][a-z0-9+.\-]*:", v, re.I)


def _media_filter(tag: str, attr: str, value: str) -> str | None:
    if tag in MEDIA_TAGS and attr in MEDIA_URL_ATTRIBUTES and not local_url(value):
        return None
    return value


# Built once: nh3.clean() would turn these Python sets into its own configuration on every call.
_CLEANER = nh3.Cleaner(
    tags=set(TAGS),
    clean_content_tags=set(CLEAN_CONTENT_TAGS),
    attributes={tag: set(attrs) for tag, attrs in ATTRIBUTES.items()},
    tag_attribute_values={tag: {a: set(v) for a, v in vals.items()}
                          for tag, vals in TAG_ATTRIBUTE_VALUES.items()},
    url_schemes=set(URL_SCHEMES),
    link_rel=None,          # keep links as written: no rel added to every link
    strip_comments=True,
)


# Only for a body with <video> or <audio> (a Python callback for every attribute costs time).
_MEDIA_CLEANER = nh3.Cleaner(
    tags=set(TAGS) | MEDIA_TAGS,
    clean_content_tags=set(CLEAN_CONTENT_TAGS),
    attributes={**{tag: set(attrs) for tag, attrs in ATTRIBUTES.items()}, **MEDIA_ATTRIBUTES},
    tag_attribute_values={tag: {a: set(v) for a, v in vals.items()}
                          for tag, vals in TAG_ATTRIBUTE_VALUES.items()},
    url_schemes=set(URL_SCHEMES),
    link_rel=None,
    strip_comments=True,
    attribute_filter=_media_filter,
)


def clean_html(html: str) -> str:
    """Sanitise rendered HTML with nh3. Deterministic: the same input gives the same bytes."""
    if "<video" in html or "<audio" in html:
        return _MEDIA_CLEANER.clean(html)
    return _CLEANER.clean(html)

