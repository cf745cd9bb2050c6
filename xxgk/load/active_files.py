"""Attachments a browser would run as a page on the site's own origin are refused (issue 27).

Everything in content/files/ is published as it is. A `files/x.html` (or `x.pdf.html`, `x.xhtml`,
an `.svg` with a script in it …) opened from the site would run its script with the site's
origin: it could read and change every page of the portal in the reader's browser. Such files are
refused with an error naming the file; an office that must publish a web page saves it as PDF, or
zips it (a .zip is downloaded, never run). An SVG drawing without scripts, event handlers or
embedded HTML is an image and stays allowed.
"""
from __future__ import annotations

import re
from pathlib import Path

# served as text/html, application/xhtml+xml, or another type a browser runs or renders as a document
PAGE_EXTENSIONS = frozenset({".html", ".htm", ".xhtml", ".xht", ".shtml", ".shtm", ".mhtml", ".mht", ".xml", ".xsl",
                             ".xslt", ".js", ".mjs", ".swf", ".hta", ".svgz", ".php", ".asp", ".aspx", ".jsp"})
_SVG_ACTIVE = re.compile(rb"<\s*(?:[a-z]+:)?(?:script|foreignobject|iframe|embed|object|handler)\b|\bon[a-z]+\s*=|"
                         rb"javascript\s*:|<!entity|xlink:href\s*=\s*[\"']?\s*data:", re.I)
SVG_SCAN_BYTES = 8 * 1024 * 1024


def active_content(path: Path) -> str | None:
    """Why the attachment at `path` would run in a browser, or None."""
    suffixes = [s.lower() for s in path.suffixes]
    page = next((s for s in suffixes if s in PAGE_EXTENSIONS), None)
    if page:
        return (f"扩展名为 {page} 的文件会被浏览器当作网页打开并运行其中的脚本（在本站的网址下），不能作为附件发布；"
                "请另存为 PDF，或压缩成 .zip 后再作为附件")
    if suffixes and suffixes[-1] == ".svg":
        try:
            with open(path, "rb") as f:
                head = f.read(SVG_SCAN_BYTES)
        except OSError:
            return None
        if _SVG_ACTIVE.search(head) or len(head) == SVG_SCAN_BYTES:
            return ("这个 SVG 图片含有脚本、事件处理属性或内嵌网页（或过大无法检查），浏览器打开它时会运行其中的代码，不能发布；"
                    "请导出为不含脚本的 SVG，或另存为 PNG")
    return None
