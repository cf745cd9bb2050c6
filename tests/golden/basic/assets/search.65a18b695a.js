/* Search page (search.html): Pagefind's index, nothing else.
 *
 * What it loads (SPEC 6: nothing before the first results is a whole-catalogue file):
 *   pagefind/xxgk-search.json  the bundles: the site's index (one bundle, however many parts
 *                              it was indexed in: write/search_merge.py), whose runtime
 *                              (pagefind.js and its WebAssembly) is loaded once, and the overlay
 *                              of pages edited since the last full build, merged into it (mergeIndex)
 *   the index's metadata, then the index chunks a query needs and the fragments of the results
 *   shown (PAGE at a time). Filters, the date sort and the result fields (title, 文号, 索引号 …)
 *   come from the index: the pages carry them as data-pagefind-* attributes.
 *
 * Queries are folded to simplified characters (assets/fold.*.js: OpenCC's table, in parts), as the index
 * holds them (write/search_data.py). Pagefind drops the pieces of a query an index does not know
 * and ANDs the rest, so a result must also be found by each piece on its own: 不存在的词语 finds
 * nothing rather than every page with 不 and 的.
 *
 * Order: relevance (Pagefind's score, with the title, 文号 and 索引号 weighted above the text),
 * and within each page of results the exact 文号/索引号 first, then the entries that hold the
 * whole query in their title, then in their text; or by date on request.
 *
 * Opened from disk (file://), browsers refuse fetch() and module scripts: the `pack` zip carries
 * the same index as classic scripts (offline-search/, made by commands/pack.py) and the same
 * runtime as a classic script, so the same queries find the same entries offline.
 */
(function () {
  "use strict";
  var FILTERS = ["type", "agency", "topic", "year", "validity"];
  var PAGE = 10;            /* results shown at a time: each costs its fragment (a few KB) */
  var RANK_WINDOW = 20;     /* by relevance, the first results of a query of several words are the best of
                               this many: those that hold the words together first (each costs a fragment;
                               a one-word query, which Pagefind ranks well alone, loads only PAGE) */
  var FILTER_WAIT = 400;    /* ms after the last change of a filter before it searches */
  var RANKING = { metaWeights: { title: 8, doc_no: 10, index_no: 10, keywords: 3, agency: 1 } };
  var STATUS_KEYS = { "有效": "effective", "已修改": "amended", "已废止": "repealed", "已失效": "expired", "尚未施行": "pending" };
  var ATTACHMENT_RECORD = /^(.*)\.xxgk-att-\d+\.html$/;
  var OFFLINE_DIR = "../offline-search/";   /* beside site/ in the pack zip */
  var offline = location.protocol === "file:";
  var t2s = {};
  var form, input, statusEl, list, modeEl, moreWrap, moreBtn, filtersBox;
  var current = null, runId = 0, loading = null;
  var lost = 0;             /* index files that did not load: Pagefind then finds less and only logs it,
                               so a search that lost one says so instead of "nothing found" */

  /* -- folding ------------------------------------------------------------------------------ */
  /* The table is in parts (assets/fold.<hash>.<n>.js, write/search_data.py fold_parts): a pair
     (traditional, simplified) is in the part of each of its characters (code point % parts). A query
     loads the parts of its characters, which fold it, then those of its folded characters, which
     hold every traditional character that folds to one of them: enough to fold the query and to
     find it in a result's text, in either script. */
  var foldParts = {};
  window.XXGK_FOLD_PART = function (n, pairs) {
    var chars = Array.from(pairs || "");
    for (var i = 0; i + 1 < chars.length; i += 2) t2s[chars[i]] = chars[i + 1];
  };
  function foldPart(n) {
    var base = form && form.getAttribute("data-fold");
    if (!base) return Promise.resolve();
    if (!foldParts[n]) foldParts[n] = loadScript(base + n + ".js").catch(function () {
      delete foldParts[n];      /* (not loaded: this search goes unfolded rather than not at all) */
    });
    return foldParts[n];
  }
  function foldFor(s) {
    var count = form ? parseInt(form.getAttribute("data-fold-parts"), 10) || 0 : 0;
    function load(text) {
      var want = {};
      Array.from(text).forEach(function (c) { if (c.charCodeAt(0) > 0x2e7f) want[c.codePointAt(0) % count] = 1; });
      return Promise.all(Object.keys(want).map(foldPart));
    }
    if (!count || !s) return Promise.resolve();
    /* (a part that never arrives: search unfolded after 15 s rather than not at all, as before) */
    return Promise.race([load(s).then(function () { return load(simp(s)); }),
                         new Promise(function (resolve) { setTimeout(resolve, 15000); })]);
  }
  /* one character for one: positions in the folded text are positions in the original */
  function simp(s) {
    var out = "";
    for (var i = 0; i < s.length; i++) { var c = s.charAt(i); out += t2s[c] || c; }
    return out;
  }
  function halfWidth(s) {
    return String(s || "").replace(/[\uff01-\uff5e]/g, function (c) {
      var ch = String.fromCharCode(c.charCodeAt(0) - 0xfee0);
      return /[0-9A-Za-z]/.test(ch) ? ch : c;
    });
  }
  /* a 文号 or 索引号 spelt one way: brackets, full-width digits, no spaces */
  function idForm(s) {
    return simp(halfWidth(s))
      .replace(/[\[\u3010\uff3b(\uff08\u3016]/g, "\u3014")
      .replace(/[\]\u3011\uff3d)\uff09\u3017]/g, "\u3015")
      .replace(/\s+/g, "").toUpperCase();
  }
  function looksLikeId(q) {
    return /\d/.test(q) && (/[\u3014\u3015\[\]\u3010\u3011\uff08\uff09()\u53f7\u865f]/.test(q) || /^[0-9A-Za-z\-\/]{6,}$/.test(q));
  }
  var segmenter = (window.Intl && Intl.Segmenter) ? new Intl.Segmenter("zh", { granularity: "word" }) : null;
  /* the pieces Pagefind makes of a query (it segments the same way) */
  function pieces(q) {
    var words = segmenter ? Array.from(segmenter.segment(q)).filter(function (s) { return s.isWordLike; })
      .map(function (s) { return s.segment; }) : q.split(/[\s\p{P}]+/u);
    var seen = {};
    return words.filter(function (w) { w = w.toLowerCase(); if (!w || seen[w]) return false; seen[w] = 1; return true; });
  }

  /* -- loading the index -------------------------------------------------------------------- */
  function setLoading(on) {
    document.body.setAttribute("data-search-index", on ? "loading" : "ready");
  }

  /* From disk: a file of the index, as the classic script offline-search/<path>.js that hands its
     bytes (base64) to XXGK_PF_FILE. Pagefind's own fetch() calls are answered from these. */
  var offlineFiles = {}, offlineWaiting = {};
  window.XXGK_PF_FILE = function (path, b64) {
    var bin = atob(b64), bytes = new Uint8Array(bin.length);
    for (var i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
    offlineFiles[path] = bytes;
    (offlineWaiting[path] || []).forEach(function (w) { w[0](bytes); });
    delete offlineWaiting[path];
  };
  function loadScript(src) {
    return new Promise(function (resolve, reject) {
      var s = document.createElement("script");
      s.src = src;
      s.onload = function () { s.remove(); resolve(); };
      s.onerror = function () { s.remove(); reject(new Error("cannot load " + src)); };
      document.head.appendChild(s);
    });
  }
  function offlineBytes(path) {
    path = path.split("?")[0].replace(/^(\.\/)+/, "");
    if (offlineFiles[path]) return Promise.resolve(offlineFiles[path]);
    return new Promise(function (resolve, reject) {
      var first = !offlineWaiting[path];
      (offlineWaiting[path] = offlineWaiting[path] || []).push([resolve, reject]);
      if (first) loadScript(OFFLINE_DIR + path + ".js").catch(function (e) {
        lost++;
        (offlineWaiting[path] || []).forEach(function (w) { w[1](e); });
        delete offlineWaiting[path];
      });
    });
  }
  window.XXGK_OFFLINE_FETCH = function (url) {
    return offlineBytes(String(url)).then(function (bytes) { return new Response(bytes); });
  };

  async function readBundles() {
    if (offline) return JSON.parse(new TextDecoder().decode(await offlineBytes("pagefind/xxgk-search.json")));
    var resp = await nativeFetch("pagefind/xxgk-search.json");
    if (!resp.ok) throw new Error("no index");
    return resp.json();
  }

  /* Online, the files Pagefind will ask for one after another (each index's entry file, then its
     metadata; the WebAssembly) are all requested at once, and Pagefind's own fetch() calls are
     answered from them. Measured on the 2,000-entry corpus at 1.6 Mbit/s and 150 ms: the first
     results 0.7 s sooner (tests/search/test_transfer.py). */
  var nativeFetch = window.fetch.bind(window), early = {};
  function keyOf(url) { return new URL(String(url), location.href).href.split("?")[0]; }
  function fetchEarly(url) {
    var k = keyOf(url);
    if (!early[k]) early[k] = nativeFetch(url).then(function (r) {
      if (!r.ok) throw new Error(r.status + " " + url);
      return r.arrayBuffer();
    });
    return early[k];
  }
  if (!offline) window.fetch = function (input, init) {
    var k = keyOf(input && input.url ? input.url : input);
    if (early[k]) return early[k].then(function (buf) { return new Response(buf.slice(0)); });
    return nativeFetch(input, init).then(function (r) {
      if (!r.ok && /\/pagefind\//.test(k)) lost++;
      return r;
    }, function (e) { if (/\/pagefind\//.test(k)) lost++; throw e; });
  };
  function prefetchIndex(bundles) {
    bundles.forEach(function (b, n) {
      fetchEarly(bundleUrl(b) + "pagefind-entry.json").then(function (buf) {
        var langs = JSON.parse(new TextDecoder().decode(buf)).languages || {};
        var top = Object.keys(langs).sort(function (x, y) { return langs[y].page_count - langs[x].page_count; })[0];
        if (!top) return;
        fetchEarly(bundleUrl(b) + "pagefind." + langs[top].hash + ".pf_meta");
        if (!n) fetchEarly(bundleUrl(b) + "wasm." + (langs[top].wasm || "unknown") + ".pagefind");
      }).catch(function () { /* Pagefind asks again, and says what failed */ });
    });
  }
  function bundleUrl(b) { return offline ? b : new URL(b, location.href).href; }

  function loadIndex() {
    if (loading) return loading;
    setLoading(true);
    loading = (async function () {
      /* the first bundle is named in the page: its runtime and files load while xxgk-search.json does */
      var first = form && form.getAttribute("data-index"), runtime = null;
      if (!offline && first) {
        prefetchIndex([first]);
        runtime = import(bundleUrl(first) + "pagefind.js");
        runtime.catch(function () {});
      }
      var info = await readBundles();
      var PF;
      if (!offline) prefetchIndex(info.bundles.concat(info.overlay ? [info.overlay] : []));
      if (offline) {
        await loadScript(OFFLINE_DIR + "pagefind.js");    /* the runtime as a classic script */
        PF = window.XXGK_PAGEFIND;
      } else {
        PF = await (runtime && info.bundles[0] === first ? runtime : import(bundleUrl(info.bundles[0]) + "pagefind.js"));
      }
      /* one runtime on the page's own thread: its worker would be one more download (and
         cannot start from disk); searching a catalogue takes milliseconds */
      await PF.options({ basePath: bundleUrl(info.bundles[0]), noWorker: true, ranking: RANKING });
      await PF.init();
      var rest = info.bundles.slice(1).concat(info.overlay ? [info.overlay] : []);
      await Promise.all(rest.map(function (b) { return PF.mergeIndex(bundleUrl(b), { ranking: RANKING }); }));
      var stale = {};
      (info.stale || []).forEach(function (id) { stale[id] = true; });
      setLoading(false);
      return { pf: PF, stale: stale, parts: info.bundles.length, newest: info.newest || [], dates: info.dates || {},
               overlay: !!info.overlay };
    })();
    loading.catch(function () { document.body.setAttribute("data-search-index", "failed"); });
    return loading;
  }

  /* -- searching ---------------------------------------------------------------------------- */
  /* One word for a whole 文号 or 索引号, as the index copies carry it (write/search_data.py id_token):
     the exact one is found for the cost of a word, before the entries that only resemble it. */
  function fnv(bytes, h) {
    for (var i = 0; i < bytes.length; i++) h = Math.imul(h ^ bytes[i], 0x01000193) >>> 0;
    return h;
  }
  function idToken(s) {
    var b = new TextEncoder().encode(idForm(s));
    var hex = ("0000000" + fnv(b, 0x811c9dc5).toString(16)).slice(-8) + ("0000000" + fnv(b, 0x050c5d1f).toString(16)).slice(-8);
    return "xid" + hex.replace(/./g, function (c) { return String.fromCharCode(97 + parseInt(c, 16)); });
  }
  async function findExact(q, filters) {
    var P = await loadIndex();
    await foldFor(q);
    var res = await P.pf.search(idToken(q), { filters: Object.assign({}, filters) });
    return (res && res.results || []).filter(function (r) { return !P.stale[r.id]; });
  }

  async function find(q, filters, sort) {
    var P = await loadIndex();
    var opts = { filters: Object.assign({}, filters) };
    if (sort !== "relevance") opts.sort = { date: "desc" };
    function live(res) { return (res && res.results || []).filter(function (r) { return !P.stale[r.id]; }); }
    if (!q) {
      opts.filters.not = { record: "附件" };     /* a listing: the entries, not their attachments */
      return dateOrder(P, null, opts.filters, sort, live(await P.pf.search(null, opts)));
    }
    await foldFor(halfWidth(q));
    var folded = simp(halfWidth(q));
    var ps = pieces(folded);
    /* a 文号 or 索引号: its single characters (示, 发, 号 …) each cost a large index chunk and tell
       little; the words and numbers find it (the exact one is then put first: rank) */
    var strong = ps.filter(function (w) { return w.length > 1; });
    if (looksLikeId(q) && strong.length && strong.length < ps.length) { ps = strong; folded = strong.join(" "); }
    var results = live(await P.pf.search(folded, opts));
    for (var i = 0; i < ps.length && ps.length > 1 && results.length; i++) {
      var ids = {};
      live(await P.pf.search(ps[i], { filters: opts.filters })).forEach(function (r) { ids[r.id] = true; });
      results = results.filter(function (r) { return ids[r.id]; });
    }
    return sort === "relevance" ? results : dateOrder(P, folded, opts.filters, sort, results);
  }

  /* Pagefind sorts by date within each index, but a merged search orders by score. The site's
     pages are one index (write/search_merge.py; each page's copy carries the filter part:1), sorted
     by date; the overlay's (part:edits: pages edited since the last full build, their dates in
     xxgk-search.json) go in among them by date. (Several bundles, each newest first, are still read
     in turn.) `keep`: the results found (the others a bundle returns are not). */
  async function dateOrder(P, q, filters, sort, keep) {
    var ok = {};
    keep.forEach(function (r) { ok[r.id] = true; });
    async function part(name) {
      var res = await P.pf.search(q, { filters: Object.assign({}, filters, { part: name }), sort: { date: "desc" } });
      return (res && res.results || []).filter(function (r) { return ok[r.id]; });
    }
    if (P.parts < 2 && !P.overlay) return sort === "date-asc" ? keep.slice().reverse() : keep;
    var overlay = P.overlay ? (await part("edits")).sort(function (a, b) {
      var da = P.dates[a.id] || "", db = P.dates[b.id] || "";
      return da < db ? 1 : da > db ? -1 : 0;
    }) : [];
    var out = [];
    for (var i = 0; i < P.parts; i++) {
      while (overlay.length && (P.dates[overlay[0].id] || "") >= (P.newest[i] || "")) out.push(overlay.shift());
      out = out.concat(await part(String(i + 1)));
    }
    out = out.concat(overlay);
    return sort === "date-asc" ? out.reverse() : out;
  }

  /* A result's fields, from its fragment: an attachment's record stands for its entry. */
  async function resolve(r) {
    var d;
    try { d = await r.data(); } catch (e) { return null; }
    var url = String(d.raw_url || d.url || "").replace(/^\/+/, "");
    var att = ATTACHMENT_RECORD.exec(url), m = d.meta || {};
    return {
      url: att ? att[1] + ".html" : url, attachment: att ? m.attachment : null,
      attachmentTitle: m.attachment_title || "", title: m.hant_title || m.title || url, index_no: clean(m.index_no),
      doc_no: clean(m.doc_no), agency: clean(m.agency), date: m.date || "", type: m.type || "",
      status: m.status || "", content: m.hant || (d.content || "").replace(/\u200b/g, ""), lang: m.hant ? "zh-Hant" : ""
    };
  }
  function clean(v) { return v && v !== "\u2014" ? v : ""; }

  /* The batch's order by relevance: the 文号/索引号 that holds an id query first, then the entries
     with the whole query in their title, then with each of its words in the title, then with the
     whole query in their text, then the rest (each group in Pagefind's order). */
  function rank(items, q) {
    var idq = looksLikeId(q) ? idForm(q) : null, whole = simp(halfWidth(q)).replace(/\s+/g, "").toLowerCase();
    var words = pieces(simp(halfWidth(q)).toLowerCase());
    function has(text, w) { return simp(text).replace(/\s+/g, "").toLowerCase().indexOf(w) >= 0; }
    function group(it) {
      if (idq && ((it.doc_no && idForm(it.doc_no).indexOf(idq) >= 0) || (it.index_no && idForm(it.index_no).indexOf(idq) >= 0))) return 0;
      if (whole && has(it.title, whole)) return 1;
      if (words.length > 1 && words.every(function (w) { return has(it.title, w); })) return 2;
      if (whole && has(it.content, whole)) return 3;
      return 4;
    }
    return items.map(function (it, n) { return { it: it, g: group(it), n: n }; })
      .sort(function (a, b) { return (a.g - b.g) || (a.n - b.n); })
      .map(function (x) { x.it.exact = x.g === 0; return x.it; });
  }

  /* -- excerpts: in the page's own script, starting at a word, the query's pieces marked ---- */
  var BREAK = /[。；！？：，、\s]/;
  function excerpt(text, q, into) {
    text = text.replace(/\s*\.\s+(?=\S)/g, "\u3000").replace(/\s+/g, " ").trim();  /* Pagefind's ". " between blocks */
    var folded = simp(text).toLowerCase(), terms = q ? pieces(simp(halfWidth(q)).toLowerCase()) : [];
    var whole = q ? simp(halfWidth(q)).replace(/\s+/g, "").toLowerCase() : "";
    var at = whole ? folded.indexOf(whole) : -1;
    for (var i = 0; at < 0 && i < terms.length; i++) at = folded.indexOf(terms[i]);
    var LEN = 90, start = 0;
    if (at > 20) {
      start = at - 20;
      for (var k = at - 1; k >= Math.max(0, at - 30); k--) {   /* begin after a break, not mid-word */
        if (BREAK.test(text.charAt(k))) { start = k + 1; break; }
      }
    }
    var end = Math.min(text.length, start + LEN);
    var spans = [];                                             /* [from, to) of each mark */
    var needles = whole && at >= 0 ? [whole].concat(terms) : terms;
    needles.forEach(function (t) {
      if (!t) return;
      for (var p = folded.indexOf(t, start); p >= 0 && p < end; p = folded.indexOf(t, p + t.length)) {
        if (!spans.some(function (s) { return p < s[1] && p + t.length > s[0]; })) spans.push([p, Math.min(end, p + t.length)]);
      }
    });
    spans.sort(function (a, b) { return a[0] - b[0]; });
    if (start > 0) into.appendChild(document.createTextNode("……"));
    var pos = start;
    spans.forEach(function (s) {
      if (s[0] > pos) into.appendChild(document.createTextNode(text.slice(pos, s[0])));
      into.appendChild(el("mark", null, text.slice(s[0], s[1])));
      pos = s[1];
    });
    into.appendChild(document.createTextNode(text.slice(pos, end) + (end < text.length ? "……" : "")));
  }

  /* -- rendering ---------------------------------------------------------------------------- */
  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text != null) e.textContent = text;
    return e;
  }
  function item(r, q) {
    var li = el("li", "search-result");
    var h = el("h2", "search-result-title");
    var a = el("a", null, r.title);
    a.href = r.url;
    if (r.lang) { a.lang = r.lang; }
    h.appendChild(a);
    li.appendChild(h);
    var dl = el("dl", "search-result-meta");
    [["类别", r.type], ["索引号", r.index_no], ["发文字号", r.doc_no], ["发文机关", r.agency],
     ["发布日期", r.date], ["有效性", r.type === "年度报告" ? "" : r.status]].forEach(function (f) {
      if (!f[1]) return;
      var div = el("div");
      div.appendChild(el("dt", null, f[0]));
      var dd = el("dd", null, f[1]);
      if (f[0] === "有效性") dd.className = "status status-" + (STATUS_KEYS[f[1]] || "effective");
      div.appendChild(dd);
      dl.appendChild(div);
    });
    if (dl.childNodes.length) li.appendChild(dl);
    var p = el("p", "search-result-excerpt");
    if (r.lang) p.lang = r.lang;
    if (r.attachment) {
      var note = el("p", "search-result-attachment");
      note.appendChild(document.createTextNode("在附件"));
      var fa = el("a", null, "《" + (r.attachmentTitle || r.attachment) + "》");
      fa.href = r.attachment;
      note.appendChild(fa);
      note.appendChild(document.createTextNode("中找到："));
      var ex = el("span");
      excerpt(r.content, q, ex);
      note.appendChild(ex);
      li.appendChild(note);
    } else {
      excerpt(r.content, q, p);
      li.appendChild(p);
    }
    return { li: li, link: a };
  }

  async function showMore(state, moveFocus) {
    var id = runId;
    var ranked = state.q && state.sort === "relevance";
    var want = ranked && !state.next && pieces(state.q).length > 1 ? RANK_WINDOW : PAGE;
    var batch = state.pool.length >= PAGE ? [] : state.results.slice(state.next, state.next + want);
    state.next += batch.length;
    moreWrap.hidden = true;                                /* (until this batch is shown) */
    document.body.setAttribute("data-search-more", "loading");
    var items = (await Promise.all(batch.map(resolve))).filter(Boolean);
    document.body.removeAttribute("data-search-more");
    if (id !== runId) return;
    if (ranked) items = rank(items, state.q);
    items = state.pool.concat(items);
    state.pool = items.slice(PAGE);
    items = items.slice(0, PAGE);
    var first = null;
    items.forEach(function (r) {
      if (state.shown[r.url]) return;                      /* an entry and its attachment: once */
      if (r.attachment && items.some(function (o) { return !o.attachment && o.url === r.url; })) return;
      state.shown[r.url] = true;
      var node = item(r, state.q);
      list.appendChild(node.li);
      if (r.exact) state.exact++;
      if (!first) first = node.link;
    });
    moreWrap.hidden = state.next >= state.results.length && !state.pool.length;
    if (moveFocus && first) first.focus();
  }

  function describe(q, filters) {
    var parts = [];
    if (q) parts.push("关键词“" + q + "”");
    FILTERS.forEach(function (k) {
      if (filters[k]) {
        var sel = document.getElementById("search-" + k);
        var lab = sel && sel.labels && sel.labels[0] ? sel.labels[0].textContent : k;
        parts.push(lab + "：" + filters[k]);
      }
    });
    return parts.join("，");
  }

  function setStatus(text, withCatalogueLink) {
    if (statusEl.textContent === text && !withCatalogueLink) {   /* the same words again: a live region */
      statusEl.textContent = "";                                 /* announces only a change, so change it */
      setTimeout(function () { statusEl.textContent = text; }, 50);
      return;
    }
    statusEl.textContent = text;
    if (withCatalogueLink) {
      var a = el("a", null, "主动公开目录");
      a.href = "catalogue/index.html";
      statusEl.appendChild(document.createTextNode("也可以到"));
      statusEl.appendChild(a);
      statusEl.appendChild(document.createTextNode("按主题、机关、年份浏览。"));
    }
  }
  function showMode(text) {
    modeEl.textContent = text;
    modeEl.hidden = !text;
  }

  function readForm() {
    var q = input.value.trim(), filters = {};
    FILTERS.forEach(function (k) {
      var s = document.getElementById("search-" + k);
      if (s && s.value) filters[k] = s.value;
    });
    var sort = document.getElementById("search-sort").value || "relevance";
    if (!q && sort === "relevance") sort = "date-desc";          /* no query: nothing to weigh, newest first */
    return { q: q, filters: filters, sort: sort };
  }

  async function search() {
    var id = ++runId, f = readForm();
    list.textContent = "";
    moreWrap.hidden = true;
    if (!f.q && !Object.keys(f.filters).length) {
      setStatus("请输入关键词，或选择筛选条件。");
      document.body.setAttribute("data-search-state", "idle");
      document.body.setAttribute("data-search-runs", String(id));
      return;
    }
    var ready = document.body.getAttribute("data-search-index") === "ready";
    setStatus(ready ? "正在搜索……" : "正在加载搜索索引，请稍候……");
    document.body.setAttribute("data-search-state", "busy");
    var results, exactFirst = [], lostBefore = lost;
    try {
      if (f.q && f.sort === "relevance" && looksLikeId(f.q)) exactFirst = await findExact(f.q, f.filters);
      results = exactFirst.length ? exactFirst : await find(f.q, f.filters, f.sort);
      if (lost > lostBefore) throw new Error("index files missing");
    } catch (e) {
      if (id !== runId) return;
      showMode(offline
        ? "从本地磁盘打开时，全文搜索需要随离线包提供的搜索文件（offline-search 文件夹），这里没有找到。请用离线包（pack 生成的 zip）解压后打开，或通过网站地址访问本页。"
        : "搜索索引未能加载（浏览器版本较旧、网络问题，或本站没有建立搜索索引）。");
      setStatus("现在无法搜索。", true);
      document.body.setAttribute("data-search-state", "failed");
      document.body.setAttribute("data-search-runs", String(id));
      return;
    }
    if (id !== runId) return;
    current = { results: results, next: 0, q: f.q, sort: f.sort, shown: {}, exact: 0, pool: [] };
    var what = describe(f.q, f.filters);
    if (!results.length) {
      setStatus("没有找到符合条件（" + what + "）的信息。建议检查错别字、换一个更短或更常用的词（如“预算”“政务公开”）、减少筛选条件。", true);
    } else {
      await showMore(current, false);
      if (id !== runId) return;
      if (exactFirst.length) {       /* the exact 文号/索引号 shown: now the entries that mention or resemble it */
        setStatus("找到文号或索引号与之相符的 " + exactFirst.length + " 条，正在查找提到或相似的信息……");
        var seen = {};
        exactFirst.forEach(function (r) { seen[r.id] = true; });
        var others;
        try { others = await find(f.q, f.filters, f.sort); } catch (e) { others = []; }
        if (id !== runId) return;
        results = current.results = exactFirst.concat(others.filter(function (r) { return !seen[r.id]; }));
        current.exact = exactFirst.length;
        if (current.shown && Object.keys(current.shown).length < PAGE) await showMore(current, false);
        if (id !== runId) return;
      }
      /* a 文号 or 索引号 query: say how many carry it (they come first); the others only resemble it */
      var exact = current.exact;
      setStatus("找到 " + results.length + " 条结果（" + what + "）" +
                (exact && exact < results.length ? "，其中 " + exact + " 条的文号或索引号与之相符，排在最前，其余 " +
                 (results.length - exact) + " 条只是提到或相似" : "") + "。");
    }
    document.body.setAttribute("data-search-state", "done");
    document.body.setAttribute("data-search-runs", String(id));
  }

  function syncUrl() {
    var f = readForm(), params = new URLSearchParams();
    if (f.q) params.set("q", f.q);
    FILTERS.forEach(function (k) { if (f.filters[k]) params.set(k, f.filters[k]); });
    var chosen = document.getElementById("search-sort").value;
    if (chosen && chosen !== "relevance") params.set("sort", chosen);
    var qs = params.toString();
    try { history.replaceState(null, "", location.pathname + (qs ? "?" + qs : "")); } catch (e) { /* file:// */ }
  }

  function init() {
    form = document.getElementById("search-form");
    input = document.getElementById("search-q");
    statusEl = document.getElementById("search-status");
    list = document.getElementById("search-results");
    modeEl = document.getElementById("search-mode");
    moreWrap = document.getElementById("search-more-wrap");
    moreBtn = document.getElementById("search-more");
    filtersBox = document.getElementById("search-filters");
    if (!form) return;
    var params = new URLSearchParams(location.search);
    if (!input.value) input.value = params.get("q") || "";     /* never replace what a reader typed already */
    var anyFilter = false;
    FILTERS.concat(["sort"]).forEach(function (k) {
      var s = document.getElementById("search-" + k), v = params.get(k);
      if (s && v != null && Array.prototype.some.call(s.options, function (o) { return o.value === v; })) {
        s.value = v;
        if (k !== "sort" || v !== "relevance") anyFilter = true;
      }
    });
    /* the filters fold away on a phone, so the first result is on the first screen; open when in use */
    if (filtersBox && (anyFilter || window.matchMedia("(min-width: 48em)").matches)) filtersBox.open = true;
    var pending = null;
    form.addEventListener("submit", function (ev) {
      ev.preventDefault(); clearTimeout(pending); syncUrl(); search();
    });
    /* A closed select changes at each arrow key: search once the choice has settled (FILTER_WAIT),
       so a screen reader announces one result count, not one per option passed on the way. */
    form.addEventListener("change", function (ev) {
      if (!ev.target || ev.target.tagName !== "SELECT") return;
      clearTimeout(pending);
      pending = setTimeout(function () { syncUrl(); search(); }, FILTER_WAIT);
    });
    moreBtn.addEventListener("click", function () { if (current) showMore(current, true); });
    document.body.setAttribute("data-search-ready", "1");
    /* online, start loading now: the index is ready when the reader is (from disk, at the first query) */
    if (!offline) loadIndex().catch(function () {});
    search();
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
