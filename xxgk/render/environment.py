"""The Jinja environment of a build: the site's own templates over the built-in ones, compiled
templates kept in .cache/jinja, and a template's error turned into a message naming its file and line."""
from __future__ import annotations

from pathlib import Path
import jinja2
from . import inspection
from ..resources import BUILTIN_TEMPLATES


def filesize(n: int) -> str:
    if n < 1024:
        return f"{n} B"
    if n < 1024 * 1024:
        return f"{n / 1024:.1f} KB"
    return f"{n / 1024 / 1024:.1f} MB"


def make_env(site_dir: Path, caches: bool = True) -> jinja2.Environment:
    loaders = []
    if (site_dir / "templates").is_dir() and (site_dir / "templates").resolve() != BUILTIN_TEMPLATES:
        loaders.append(jinja2.FileSystemLoader(str(site_dir / "templates")))
    loaders.append(jinja2.FileSystemLoader(str(BUILTIN_TEMPLATES)))
    cache = None
    try:   # compiled templates are kept in the site's .cache/ (Jinja checks each against its source)
        if caches:
            (site_dir / ".cache" / "jinja").mkdir(parents=True, exist_ok=True)
            cache = jinja2.FileSystemBytecodeCache(str(site_dir / ".cache" / "jinja"))
    except OSError:
        pass
    # auto_reload=False: one Environment serves one build (serve makes a new one for each rebuild), so
    # Jinja need not stat every template a page extends or includes each time it is used (about 12
    # stat calls a page: 1.2 s of CPU over 10,000 entries)
    env = jinja2.Environment(loader=jinja2.ChoiceLoader(loaders), autoescape=True, undefined=jinja2.StrictUndefined,
                             trim_blocks=False, lstrip_blocks=False, keep_trailing_newline=True, bytecode_cache=cache,
                             auto_reload=False)
    env.filters["filesize"] = filesize
    env.filters["docno"] = inspection.docno
    return env


def asset_source(site_dir: Path, name: str) -> Path:
    own = site_dir / "templates" / "assets" / name
    return own if own.is_file() else BUILTIN_TEMPLATES / "assets" / name


class TemplateProblem(Exception):
    """A template could not be compiled or rendered: args = (path, line, message), picklable so a
    worker process can send it back."""


def _template_problem(exc: Exception, site_dir: Path) -> TemplateProblem:
    import traceback
    path, line = getattr(exc, "filename", None), getattr(exc, "lineno", None)
    if not path or not line:     # a rendering error: the innermost template frame says where
        frames = [f for f in traceback.extract_tb(exc.__traceback__) if f.filename.endswith(".html")]
        if frames:
            path, line = frames[-1].filename, frames[-1].lineno
    where = Path(path or "templates")
    for base in (Path(site_dir).resolve(), BUILTIN_TEMPLATES.parent):
        try:
            where = Path(path).resolve().relative_to(base)
            break
        except (ValueError, OSError, TypeError):
            continue
    builtin = not str(where).startswith("templates") or Path(path or "").resolve().is_relative_to(BUILTIN_TEMPLATES)
    hint = ("这是内置模板，请报告给开发者" if builtin and not Path(site_dir, where).is_file()
            else "请改正它；删除站点 templates/ 中的这个文件即恢复使用内置模板")
    message = (getattr(exc, "message", None) or str(exc)).rstrip("。. ")
    return TemplateProblem(where.as_posix(), line or 1, f"模板出错（{type(exc).__name__}）：{message}。{hint}")


def make_output(job, site_dir: Path):
    """job.make(), with a template's error turned into a message naming the template and line."""
    try:
        return job.make()
    except jinja2.TemplateError as exc:
        raise _template_problem(exc, site_dir) from None
