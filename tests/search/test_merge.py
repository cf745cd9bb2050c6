"""The search index's parts, published merged into one Pagefind bundle (xxgk/write/search_merge.py).

The browser tests (test_search.py: parts against one index; test_offline_firefox.py) check what a
reader finds; these check the merged files themselves against the parts Pagefind made: every word's
pages and their locations, the filters, the date order, and that each chunk holds only the words
its range in the metadata says.
"""
from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO))

from helpers import indexed_parts  # noqa: E402
from test_search import PART_PAGES, build, make_generated_site  # noqa: E402
from xxgk.write.search_bundles import parts_store, state_path  # noqa: E402
from xxgk.write.search_merge import _meta_file, _read, merge  # noqa: E402


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    root = tmp_path_factory.mktemp("merge")
    site = make_generated_site(root / "site")
    out = root / "out"
    r = build(site, out, PART_PAGES)
    assert r.returncode == 0, r.stderr
    parts = indexed_parts(site, out)
    store = parts_store(state_path(site, out))
    folders = [store / parts[f"part-{n}"]["digest"] for n in range(1, len(parts) + 1)]
    return {"out": out, "parts": folders}


def _index(bundle: Path) -> dict:
    """A bundle read back: word → [(page url, locations, metadata locations)], filters, date order."""
    meta = _read(_meta_file(bundle))
    urls = []
    for page_hash, _count in meta[1]:
        raw = (bundle / "fragment" / f"{page_hash}.pf_fragment").read_bytes()
        import gzip
        urls.append(json.loads(gzip.decompress(raw)[len(b"pagefind_dcd"):])["url"])
    words, ranges = {}, []
    for start, end, name in meta[2]:
        chunk = [w[0] for w in _read(bundle / "index" / f"{name}.pf_index")[0]]
        ranges.append((start, end, chunk))
        for word, pages, _variants in _read(bundle / "index" / f"{name}.pf_index")[0]:
            at, got = 0, []
            for p in pages:
                at += p[0]
                got.append((urls[at], tuple(p[1]), tuple(p[2])))
            words[word] = got
    filters = {}
    for fname, name in meta[3]:
        data = _read(bundle / "filter" / f"{name}.pf_filter")
        filters[fname] = {value: sorted(urls[n] for n in numbers) for value, numbers in data[1]}
    dates = [urls[n] for n in meta[4][0][1]] if meta[4] else []
    return {"words": words, "filters": filters, "dates": dates, "ranges": ranges, "pages": len(urls)}


def test_the_merged_bundle_holds_what_the_parts_hold(built):
    parts = [_index(p) for p in built["parts"]]
    merged = _index(built["out"] / "pagefind")
    assert len(parts) > 2
    assert merged["pages"] == sum(p["pages"] for p in parts)
    want: dict = {}
    for p in reversed(parts):                       # (the oldest part's pages first)
        for word, pages in p["words"].items():
            want.setdefault(word, []).extend(pages)
    assert merged["words"].keys() == want.keys()
    assert {w: sorted(v) for w, v in merged["words"].items()} == {w: sorted(v) for w, v in want.items()}
    filters: dict = {}
    for p in parts:
        for fname, values in p["filters"].items():
            for value, urls in values.items():
                filters.setdefault(fname, {}).setdefault(value, []).extend(urls)
    assert merged["filters"] == {f: {v: sorted(u) for v, u in vals.items()} for f, vals in filters.items()}
    assert merged["dates"] == [url for p in reversed(parts) for url in p["dates"]]


def test_small_chunks_made_in_ranges_of_words_hold_the_same(built, tmp_path, monkeypatch):
    """Chunks of a few KB, the words split into three ranges (as workers make them on a large site):
    the same words, pages and locations; each chunk holds only the words its range in the metadata
    names (the search page loads a chunk by that range)."""
    from xxgk.write import search_merge
    want = _index(built["out"] / "pagefind")["words"]
    monkeypatch.setattr(search_merge, "CHUNK_BYTES", 3000)
    monkeypatch.setattr(search_merge, "_word_ranges", lambda metas, workers: [(None, "3"), ("3", "政"), ("政", None)])
    merge(built["parts"], tmp_path / "small")
    got = _index(tmp_path / "small")
    assert got["words"] == want
    ranges = got["ranges"]
    assert len(ranges) > 5
    for start, end, words in ranges:
        assert words == sorted(words)
        assert all(w[:len(start)] >= start and w[:len(end)] <= end for w in words), (start, end, words[:3])
    for (_s, _e, a), (_s2, _e2, b) in zip(ranges, ranges[1:]):
        assert a[-1] < b[0]


def test_one_part_is_published_as_pagefind_made_it(built, tmp_path):
    merge(built["parts"][:1], tmp_path / "one")
    for f in built["parts"][0].rglob("*"):
        if f.is_file():
            assert (tmp_path / "one" / f.relative_to(built["parts"][0])).read_bytes() == f.read_bytes()


def test_an_index_of_another_pagefind_version_is_refused(built, tmp_path):
    import gzip
    import shutil
    import cbor2
    from xxgk.write.pagefind_service import SearchIndexError
    odd = tmp_path / "odd"
    shutil.copytree(built["parts"][1], odd)
    meta = _meta_file(odd)
    data = _read(meta)
    data[0] = "0.9.0"
    meta.write_bytes(gzip.compress(b"pagefind_dcd" + cbor2.dumps(data)))
    with pytest.raises(SearchIndexError, match="Pagefind 0.9.0 生成"):
        merge([built["parts"][0], odd], tmp_path / "merged")
