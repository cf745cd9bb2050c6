"""One Pagefind index made from the parts a large site is indexed in (SPEC 6, issue 24).

Pagefind needs about 620 KB of memory a page to index the copies with their character pairs, so a
large site is indexed in parts of at most PART_PAGES pages (search.py). Published as parts, a query
cost the search page each part's metadata and one index chunk a part for every word: at 10,000
entries (8 parts) 工作 transferred 516 KB in 44 requests. Merged into one index, a word costs one
chunk (its own pages' postings, however many parts they came from) and the metadata is one file.
Measured on the 10,000-entry corpus (bench/search_transfer.py, bench/RESULTS.md session 13):
see the figures written there and in `merge` below.

Pagefind's own files (version PAGEFIND_VERSION, checked), each gzip of b"pagefind_dcd" + CBOR:
- `pagefind.<hash>.pf_meta`: [version, pages [[fragment hash, word count]], index chunks
  [[from, to, hash]], filters [[name, hash]], sorts [[name, [page numbers, by value ascending]]],
  meta field names];
- `index/<hash>.pf_index`: [[[word, [[page number − the previous one's, locations, metadata
  locations]], variants [[form, pages as before]]]]], the words in order;
- `filter/<hash>.pf_filter`: [name, [[value, [page numbers]]]];
- `fragment/<hash>.pf_fragment`: one result (its name is the result's id): copied unchanged.
The merged index numbers the pages of the last (oldest) part first, so each part's date order,
laid end to end, is the whole index's (ties by page number, as Pagefind orders them).
"""
from __future__ import annotations

import gzip
import hashlib
import heapq
import json
import os
import shutil
from pathlib import Path

import cbor2

from ..parallel import fork_workers, forked, worker_count
from .pagefind_service import LANGUAGE, SearchIndexError

PAGEFIND_VERSION = "1.5.2"     # the file layout below is this version's (requirements.txt pins it)
SIGNATURE = b"pagefind_dcd"
CHUNK_BYTES = 60_000           # words in a chunk until this many bytes (Pagefind: 20,000 locations, ~60 KB)
RUNTIME_FILES = ("pagefind.js", "pagefind-worker.js")


def _raw(path: Path) -> bytes:
    """A Pagefind file's CBOR bytes."""
    raw = gzip.decompress(path.read_bytes())
    if not raw.startswith(SIGNATURE):
        raise SearchIndexError(f"搜索索引文件的格式不是 Pagefind {PAGEFIND_VERSION} 的：{path}")
    return raw[len(SIGNATURE):]


def _read(path: Path):
    return cbor2.loads(_raw(path))


def _file(body: bytes) -> bytes:
    """A Pagefind file of these CBOR bytes."""
    return gzip.compress(SIGNATURE + body, 6, mtime=0)


def _pack(value) -> bytes:
    return _file(cbor2.dumps(value))


class _Names:
    """Content-named files, as Pagefind names them: the language, `_`, the start of a hash of the
    content (longer when two would share a name)."""

    def __init__(self, length: int = 7):
        self.length, self.used = length, set()

    def name(self, data: bytes) -> str:
        return self.name_of(hashlib.sha256(data).hexdigest())

    def name_of(self, full: str) -> str:
        """The name for content whose sha256 (hex) is `full`."""
        n = self.length
        while f"{LANGUAGE}_{full[:n]}" in self.used and n < len(full):
            n += 1
        name = f"{LANGUAGE}_{full[:n]}"
        self.used.add(name)
        return name


def _meta_file(bundle: Path) -> Path:
    found = sorted(bundle.glob("pagefind.*.pf_meta"))
    if len(found) != 1:
        raise SearchIndexError(f"Pagefind 的索引不完整（{bundle} 里应有一个 .pf_meta 文件）")
    return found[0]


def _head(major: int, n: int) -> bytes:
    """A CBOR head: the major type and a length or value, in the fewest bytes (as minicbor writes)."""
    if n < 24:
        return bytes([major << 5 | n])
    for extra, size in ((24, 1), (25, 2), (26, 4), (27, 8)):
        if n < 1 << (8 * size):
            return bytes([major << 5 | extra]) + n.to_bytes(size, "big")
    raise ValueError(n)


def _int(v: int) -> bytes:
    return _head(0, v) if v >= 0 else _head(1, -1 - v)


def _isize(v: int) -> int:
    if v < 0:
        v = -1 - v
    return 1 if v < 24 else 2 if v < 256 else 3 if v < 65536 else 5


def _text(s: str) -> bytes:
    b = s.encode("utf-8")
    return _head(3, len(b)) + b


class _Word:
    """One word of a part's chunk: its decoded entry and where its bytes are (`raw[start:end]`)."""
    __slots__ = ("word", "entry", "raw", "start", "end")

    def __init__(self, word, entry, raw, start, end):
        self.word, self.entry, self.raw, self.start, self.end = word, entry, raw, start, end


def _words(bundle: Path, meta: list, part: int, lo: str | None = None, hi: str | None = None):
    """A part's words in order, those in [lo, hi) (None: no bound): (word, part, _Word). A chunk holds
    the words from its `from` up to the next chunk's (the metadata's shortest distinct starts), so
    only the chunks that may hold words of the range are read. Each is decoded once (cbor2, in C); where
    each word's bytes are is found by searching for the next word's start (an array of three, then
    the word as text: page entries start with an array of three then a number, never text)."""
    listed = meta[2]
    for k, (start, _to, name) in enumerate(listed):
        if hi is not None and k and start >= hi:
            return
        if lo is not None and k + 1 < len(listed) and listed[k + 1][0] <= lo:
            continue
        path = bundle / "index" / f"{name}.pf_index"
        raw = _raw(path)
        words = cbor2.loads(raw)[0]
        head = b"\x81" + _head(4, len(words))
        if not raw.startswith(head):
            raise SearchIndexError(f"搜索索引文件的格式不是 Pagefind {PAGEFIND_VERSION} 的：{path}")
        pos = len(head)
        starts = []
        for entry in words:
            at = raw.find(b"\x83" + _text(entry[0]), pos)
            if at < 0:
                raise SearchIndexError(f"搜索索引文件的格式不是 Pagefind {PAGEFIND_VERSION} 的：{path}")
            starts.append(at)
            pos = at + 1
        starts.append(len(raw))
        for k, entry in enumerate(words):
            if (lo is None or entry[0] >= lo) and (hi is None or entry[0] < hi):
                yield entry[0], part, _Word(entry[0], entry, raw, starts[k], starts[k + 1])


def _page_size(page: list) -> int:
    """The bytes of one page entry [delta, locations, metadata locations]."""
    return (1 + _isize(page[0]) + len(_head(4, len(page[1]))) + sum(map(_isize, page[1]))
            + len(_head(4, len(page[2]))) + sum(map(_isize, page[2])))


def _word_ranges(metas: list, workers: int) -> list[tuple[str | None, str | None]]:
    """The words split into ranges [from, to) of about equal work (by the parts' own chunks), two a
    worker; one range (all words) when there are no workers."""
    if workers < 2:
        return [(None, None)]
    starts = sorted(c[0] for meta in metas for c in meta[2][1:])
    if len(starts) < workers * 2:
        return [(None, None)]
    cuts = sorted({starts[len(starts) * j // (workers * 2)] for j in range(1, workers * 2)})
    return list(zip([None, *cuts], [*cuts, None]))


def _chunks_of(job: tuple, task: tuple[int, tuple[str | None, str | None]]) -> list[list[str]]:
    """The merged index's chunks for the words in the range `task` (k, [from, to)), written into
    target/index-k.tmp as 0, 1, …: [first word, last word, sha256 of the file] each, in order (the
    caller names them: two ranges could give two chunks one short name)."""
    parts, metas, order, offsets, target = job
    k, (lo, hi) = task
    folder = target / f"index-{k}.tmp"
    folder.mkdir()
    chunks, pending, size = [], [], 0
    first_word = last_word = ""

    def flush():
        nonlocal pending, size
        data = _file(b"\x81" + _head(4, len(pending)) + b"".join(pending))
        (folder / str(len(chunks))).write_bytes(data)
        chunks.append([first_word, last_word, hashlib.sha256(data).hexdigest()])
        pending, size = [], 0

    def add(group):
        nonlocal size, first_word, last_word
        entry = _merged_bytes(group, offsets)
        if not pending:
            first_word = group[0][0]
        last_word = group[0][0]
        pending.append(entry)
        size += len(entry)
        if size >= CHUNK_BYTES:
            flush()

    rank = {part: n for n, part in enumerate(order)}
    streams = [_words(parts[i], metas[i], i, lo, hi) for i in order]
    group: list = []
    for word, part, w in heapq.merge(*streams, key=lambda t: (t[0], rank[t[1]])):
        if group and group[0][0] != word:
            add(group)
            group = []
        group.append((word, part, w))
    if group:
        add(group)
    if pending:
        flush()
    return chunks


def _merged_bytes(group: list, offsets: dict) -> bytes:
    """One word's entry, as bytes, from its entries in several parts (in merged page order): each
    part's page entries copied as they are, but the first's delta, which now counts from the last
    page of the part before (or from 0)."""
    word = _text(group[0][0])
    total = sum(len(w.entry[1]) for _w, _p, w in group)
    out = [b"\x83", word, _head(4, total)]
    last = 0
    variants: dict[str, list] = {}
    for _word, part, w in group:
        pages = w.entry[1]
        body = w.start + 1 + len(word) + len(_head(4, len(pages)))
        more = w.entry[2] if len(w.entry) > 2 else ()
        tail = w.end - (len(cbor2.dumps(more)) if more else 1 if len(w.entry) > 2 else 0)
        d0 = pages[0][0]
        end = body + _page_size(pages[0])
        out += [b"\x83", _int(offsets[part] + d0 - last), w.raw[body + 1 + _isize(d0):end], w.raw[end:tail]]
        last = offsets[part] + sum([p[0] for p in pages])
        for form, fpages in more:
            variants.setdefault(form, []).append((offsets[part], fpages))
    out.append(cbor2.dumps([[form, _merge_pages(lists)] for form, lists in variants.items()]) if variants else b"\x80")
    return b"".join(out)


def _shift(pages: list, offset: int, last: int) -> int:
    """Make a part's page list continue a merged one: its first delta counted from the merged list's
    last page (`last`), the part's pages moved up by `offset`; returns the new last page."""
    first, end = pages[0][0], 0
    for p in pages:
        end += p[0]
    pages[0] = [offset + first - last, *pages[0][1:]]
    return offset + end


def _merge_pages(lists: list[tuple[int, list]]) -> list:
    merged, last = [], 0
    for offset, pages in lists:
        if pages:
            last = _shift(pages, offset, last)
            merged.extend(pages)
    return merged


def _prefixes(a: str, b: str) -> tuple[str, str]:
    """The shortest distinct starts of two neighbouring chunks' last and first words (Pagefind's
    get_prefixes: the metadata names each chunk by them)."""
    common = 0
    for x, y in zip(a, b):
        if x != y:
            break
        common += 1
    return a[:common + 1], b[:common + 1]


def merge(parts: list[Path], target: Path) -> dict:
    """Write one Pagefind bundle into `target` holding every page of the bundles `parts` (in the
    order the site was split: newest first). Fragments are copied (never hard-linked: a published
    file changed in place must not change the part kept in .cache), as is every file of a single part.
    Returns figures: pages, chunks."""
    target.mkdir(parents=True, exist_ok=True)
    if len(parts) == 1:             # nothing to merge: the part as Pagefind wrote it
        for src in sorted(parts[0].rglob("*")):
            dst = target / src.relative_to(parts[0])
            if src.is_dir():
                dst.mkdir(parents=True, exist_ok=True)
            else:
                shutil.copyfile(src, dst)
        return {"pages": len(_read(_meta_file(parts[0]))[1]), "chunks": None}
    metas = [_read(_meta_file(p)) for p in parts]
    for p, meta in zip(parts, metas):
        if meta[0] != PAGEFIND_VERSION:
            raise SearchIndexError(f"搜索索引由 Pagefind {meta[0]} 生成，本程序只会合并 {PAGEFIND_VERSION} 的索引："
                                   f"{p}；请安装 requirements.txt 中的版本")
    order = list(range(len(parts)))[::-1]          # the oldest part's pages first (see the docstring)
    offsets, pages = {}, []
    for i in order:
        offsets[i] = len(pages)
        pages.extend(metas[i][1])
    (target / "index").mkdir(exist_ok=True)
    (target / "filter").mkdir(exist_ok=True)

    # the words, in ranges of words each made by a worker (see _word_ranges)
    job = (parts, metas, order, offsets, target)
    ranges = _word_ranges(metas, fork_workers(len(parts), 2))
    tasks = list(enumerate(ranges))
    if len(tasks) > 1:
        with forked(_chunks_of, job, min(len(tasks), worker_count())) as run:
            made = list(run(tasks))
    else:
        made = [_chunks_of(job, tasks[0])]
    names, chunks = _Names(), []
    for k, got in enumerate(made):          # each range's chunks, named here
        folder = target / f"index-{k}.tmp"
        for n, (first_word, last_word, digest) in enumerate(got):
            name = names.name_of(digest)
            os.replace(folder / str(n), target / "index" / f"{name}.pf_index")
            chunks.append([first_word, last_word, name])
        folder.rmdir()
    for i in range(len(chunks) - 1):
        chunks[i][1], chunks[i + 1][0] = _prefixes(chunks[i][1], chunks[i + 1][0])

    # the filters: each value's pages from every part
    filters: dict[str, dict[str, list[int]]] = {}
    for i in order:
        for fname, name in metas[i][3]:
            data = _read(parts[i] / "filter" / f"{name}.pf_filter")
            values = filters.setdefault(fname, {})
            for value, numbers in data[1]:
                values.setdefault(value, []).extend(n + offsets[i] for n in numbers)
    filter_names = []
    for fname in sorted(filters):
        data = _pack([fname, [[v, filters[fname][v]] for v in sorted(filters[fname])]])
        name = names.name(data)
        (target / "filter" / f"{name}.pf_filter").write_bytes(data)
        filter_names.append([fname, name])

    # the sorts: each part's order, oldest part first
    sorts: dict[str, list[int]] = {}
    for i in order:
        for sname, numbers in metas[i][4]:
            sorts.setdefault(sname, []).extend(n + offsets[i] for n in numbers)
    fields = sorted({f for meta in metas for f in meta[5]})
    meta = [PAGEFIND_VERSION, pages, chunks, filter_names, [[s, sorts[s]] for s in sorted(sorts)], fields]
    data = _pack(meta)
    meta_name = f"{LANGUAGE}_{hashlib.sha256(data).hexdigest()[:13]}"
    (target / f"pagefind.{meta_name}.pf_meta").write_bytes(data)

    # the runtime, the entry file, the fragments
    first = parts[0]
    for name in RUNTIME_FILES:
        shutil.copyfile(first / name, target / name)
    for wasm in first.glob("wasm.*.pagefind"):
        shutil.copyfile(wasm, target / wasm.name)
    entry = json.loads((first / "pagefind-entry.json").read_text(encoding="utf-8"))
    entry["languages"] = {LANGUAGE: {**entry["languages"][LANGUAGE], "hash": meta_name, "page_count": len(pages)}}
    (target / "pagefind-entry.json").write_text(json.dumps(entry, ensure_ascii=False, separators=(",", ":")),
                                                encoding="utf-8")
    (target / "fragment").mkdir(exist_ok=True)
    for i in order:
        for page_hash, _count in metas[i][1]:
            shutil.copyfile(parts[i] / "fragment" / f"{page_hash}.pf_fragment",
                            target / "fragment" / f"{page_hash}.pf_fragment")
    return {"pages": len(pages), "chunks": len(chunks)}
