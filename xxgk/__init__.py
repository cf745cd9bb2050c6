"""xxgk — a static-site generator for government disclosure catalogues (政府信息公开目录).

The pipeline, one folder per stage:

    config/    site_config.yaml: typed, self-validating options
    load/      files → raw entries (encoding, front matter, YAML with line numbers)
    validate/  raw entries → typed entries (every field rule, personal data, 2021 report sums)
    link/      relations completed both ways, validity as of a date, catalogue indexes
    render/    Markdown → HTML, Jinja templates → pages, exports (JSON, CSV, Atom, sitemaps)
    write/     output written aside and swapped into place; SHA256SUMS; search index
    commands/  what `build.py` runs: build, check, serve, new, verify, pack

`pipeline.build()` reads as the whole pipeline.
"""

__version__ = "0.1.0"
