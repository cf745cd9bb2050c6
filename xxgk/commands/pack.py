"""`python build.py pack [--site DIR] [--output DIR]`: build, then one zip for offline readers.

The zip is written beside the output folder as `<output>.zip` (output/ → output.zip) and its path
printed. Inside, at the top level:

    START.html      how to open the site (unzip first, then open site/index.html) and how search
                    works from disk, in Chinese
    site/...        the published folder exactly as built, SHA256SUMS included, so
                    `python build.py verify site` (or `sha256sum -c`) checks an unpacked copy
    offline-search/ the same search index as classic scripts, so site/search.html searches the
                    full text from disk (write/offline_search.py)

The zip is deterministic: entries sorted, every timestamp the same constant date, fixed
permissions (0644 files, 0755 folders), no extra fields; the same site gives the same bytes.
Build errors raise the same exceptions as `build` (the CLI turns them into exit 1 or 2), and no
zip is written then; the zip is written aside and renamed into place, so a failed pack leaves
the previous zip intact.
"""
from __future__ import annotations

import html
import os
import sys
import zipfile
from pathlib import Path

ZIP_DATE = (2000, 1, 1, 0, 0, 0)    # every entry's timestamp (zip has no time zone; keep it constant)
SITE_DIR = "site"
START = "START.html"
FILE_MODE, DIR_MODE = 0o100644, 0o040755


def zip_path_for(output: Path) -> Path:
    output = output.absolute()
    return output.with_name(output.name + ".zip")


def start_page(title: str, base_url: str | None) -> str:
    t = html.escape(title)
    online = (f'<p>最新的信息请访问网站 <a href="{html.escape(base_url)}">{html.escape(base_url)}</a>。</p>'
              if base_url else "")
    return f"""<!DOCTYPE html>
<html lang="zh-Hans">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>打开说明 - {t}（离线版）</title>
<style>
body {{ font: 1.125rem/1.8 system-ui, "Noto Sans CJK SC", "Microsoft YaHei", sans-serif; max-width: 42rem;
       margin: 0 auto; padding: 1rem; color: #1a1a1a; background: #fff; }}
h1 {{ font-size: 1.6rem; line-height: 1.4; }}
a {{ color: #0b4ea2; }}
a:focus {{ outline: 3px solid #d35400; outline-offset: 2px; }}
.start {{ display: inline-block; font-size: 1.3rem; padding: .5rem 1rem; border: 2px solid #0b4ea2; border-radius: 4px; }}
code {{ background: #f2f2f2; padding: 0 .25rem; }}
</style>
</head>
<body>
<main>
<h1>{t}（离线版）</h1>
<p><a class="start" id="open-site" href="{SITE_DIR}/index.html">打开网站首页</a></p>
<h2>如何打开</h2>
<ol>
<li>先把整个压缩包解压到一个文件夹（在压缩文件上点右键，选择“全部解压”或“解压到当前文件夹”）。
不要在压缩软件的窗口里直接双击网页：那样只会打开一个文件，其他页面、样式和附件都打不开。</li>
<li>在解压出的文件夹里，用浏览器打开 <code>{SITE_DIR}/index.html</code>，或点击本页上方的“打开网站首页”。</li>
<li>之后在网页之间点击链接浏览即可，不需要联网。</li>
</ol>
<h2>如何查找信息</h2>
<p>解压后，<a href="{SITE_DIR}/search.html">搜索页</a>不联网也能搜索正文全文、附件、文号和索引号，繁体、简体均可，
结果与网站上的搜索相同（搜索文件在与 <code>{SITE_DIR}</code> 并列的 <code>offline-search</code> 文件夹里，请一起保留）。</p>
{online}
<p>也可以通过<a href="{SITE_DIR}/catalogue/index.html">主动公开目录</a>按主题、发文机关、年份、信息类别和有效性浏览全部信息，
或查看<a href="{SITE_DIR}/sitemap.html">站点地图</a>。</p>
<h2>核对文件是否完整</h2>
<p><code>{SITE_DIR}/SHA256SUMS</code> 列出了每个文件的 SHA-256 摘要。在 <code>{SITE_DIR}</code> 文件夹里运行
<code>sha256sum -c SHA256SUMS</code>，可以确认文件没有缺失或被改动。</p>
</main>
</body>
</html>
"""


def _info(name: str, mode: int) -> zipfile.ZipInfo:
    zi = zipfile.ZipInfo(name, date_time=ZIP_DATE)
    zi.create_system = 3                       # Unix, so the permission bits below mean something
    zi.external_attr = (mode & 0xFFFF) << 16
    if name.endswith("/"):
        zi.external_attr |= 0x10               # MS-DOS directory flag
        zi.compress_type = zipfile.ZIP_STORED
    else:
        zi.compress_type = zipfile.ZIP_DEFLATED
        try:                                   # zf.open() does not apply the archive's level
            zi.compress_level = 9              # Python 3.13+
        except AttributeError:
            zi._compresslevel = 9              # Python ≤ 3.12
    return zi


def write_zip(site_out: Path, dest: Path, start_html: str) -> Path:
    """Zip the built folder `site_out` into `dest` (deterministically), atomically, with the search
    index as scripts for readers on disk beside it."""
    from ..write.offline_search import offline_files
    extra = offline_files(site_out)
    files: list[str] = []
    dirs: set[str] = {SITE_DIR + "/"}
    for name in extra:
        parts = name.split("/")[:-1]
        for i in range(1, len(parts) + 1):
            dirs.add("/".join(parts[:i]) + "/")
    for dirpath, dirnames, filenames in os.walk(site_out):
        dirnames.sort()
        for name in filenames:
            rel = (Path(dirpath) / name).relative_to(site_out).as_posix()
            files.append(rel)
            parts = rel.split("/")[:-1]
            for i in range(1, len(parts) + 1):
                dirs.add(f"{SITE_DIR}/{'/'.join(parts[:i])}/")
    entries = sorted([(START, None)] + [(d, None) for d in dirs] + [(f"{SITE_DIR}/{f}", f) for f in files]
                     + [(name, None) for name in extra], key=lambda e: e[0])
    from ..atomic import replaced_whole
    with replaced_whole(dest) as tmp:
        with zipfile.ZipFile(tmp, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=9) as zf:
            for name, rel in entries:
                if name.endswith("/"):
                    zf.writestr(_info(name, DIR_MODE), b"")
                elif rel is None:
                    data = extra[name] if name in extra else start_html.encode("utf-8")
                    zf.writestr(_info(name, FILE_MODE), data, compresslevel=9)
                else:
                    with open(site_out / rel, "rb") as src, zf.open(_info(name, FILE_MODE), "w") as out:
                        for chunk in iter(lambda: src.read(1 << 20), b""):
                            out.write(chunk)
    return dest


def pack(site: Path, output: Path | None, as_of=None, strict: bool = False) -> int:
    from ..config import load_config
    from ..pipeline import build

    result = build(site, output=output, as_of=as_of, strict=strict)   # ContentError / UsageError → exit 1 / 2
    result.diagnostics.print(sys.stderr, strict=strict)
    print(result.summary(), file=sys.stderr)
    config = load_config(site)
    dest = write_zip(Path(result.output), zip_path_for(Path(result.output)),
                     start_page(config.title, getattr(config, "base_url", None)))
    print(dest)
    return 0
