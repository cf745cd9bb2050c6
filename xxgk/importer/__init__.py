"""`xxgk import` (SPEC 9): documents an office already has → entries.

    run.py        the command's work: sources found, read (in worker processes when many), written in order
    wordfile.py   .docx → blocks (python-docx; direct formatting kept: bold, size, font, red, centred)
    htmlpage.py   saved portal page → blocks, metadata table, attachments beside the page
    textfile.py   .txt capture → blocks; decoding (UTF-8, GB18030, a guess)
    metadata.py   the metadata block in any layout → {field: raw value}
    furniture.py  breadcrumbs, 打印本页, 字号 大 中 小, 浏览次数, footers … (not content)
    tables.py     tables a capture flattened (`a | b |` rows, one cell a line) back into tables
    document.py   title, 文号, signature and date, 公开属性, headings, from the blocks
    fields.py     what was read → the entry's fields and the TODO list; the type
    annual.py     2021-format report tables → `stats`, checked (through annual_check.py only)
    normalize.py  dates, 文号 brackets, traditional characters, clean text
    entry.py      stable ids, duplicates, front matter, writing, attachments
"""
