"""Files the generator ships: the built-in templates and the reference data, found with
importlib.resources so the installed command works from any folder.

In this repository the built-in templates are its top-level `templates/` (the sample site uses
them as they are); the wheel ships that folder inside the package as `xxgk/templates/`
(setup.py maps it), so an installed `xxgk` finds them there.
"""
from __future__ import annotations

from importlib.resources import files
from pathlib import Path


def _package_path(*parts: str) -> Path | None:
    """A real folder or file of the installed package, or None (an unpacked wheel and this
    repository are both plain folders; a zipped install is not supported)."""
    where = files("xxgk").joinpath(*parts)
    return Path(str(where)) if isinstance(where, Path) and where.exists() else None


def builtin_templates() -> Path:
    """The folder of the built-in templates: the package's own (an installed wheel), else this
    repository's top-level `templates/`."""
    return (_package_path("templates") or Path(__file__).resolve().parents[1] / "templates").resolve()


def data_file(*parts: str) -> Path:
    """A reference data file shipped in the package, e.g. data_file("config", "topic_taxonomy_gov_cn.yaml")."""
    path = _package_path(*parts)
    if path is None:
        raise FileNotFoundError("/".join(parts))
    return path


BUILTIN_TEMPLATES = builtin_templates()
