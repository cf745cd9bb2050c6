/* Search page (search.html).
 *
 * Served over http(s): Pagefind's low-level API (pagefind/pagefind.js, and the other parts of a
 * split index searched part by part). Chinese queries are run as the quoted phrase first, then
 * as typed, each in the script typed, simplified and traditional; results are merged by page.
 * Entries whose 文号 or 索引号 match the query come first, then phrase and title matches, then
 * the looser matches; each group in the chosen order (newest first by default).
 *
 * Opened from disk (file://), where browsers refuse to load Pagefind: the catalogue records in
 * search-data.js (loaded with a plain <script src>) are searched instead — titles, 索引号, 文号,
 * 主题词 and summaries — and the page says that full-text search needs the site to be served.
 */
(function () {
  "use strict";
  var D = window.XXGK_SEARCH;
  var FILTERS = ["type", "agency", "topic", "year", "validity"];
  var PAGE = 20;
  var VERIFY = 40;     /* loose matches checked for the exact phrase */
  var FILTER_WAIT = 400;   /* ms after the last change of a filter before it searches */
  var form, input, statusEl, list, modeEl, moreWrap, moreBtn;
  var t2s = {}, s2t = {}, byUrl = {}, hay = {}, current = null, runId = 0, pagefindPromise = null;

  function table(pairs, into) {
    var chars = Array.from(pairs || "");
    for (var i = 0; i + 1 < chars.length; i += 2) into[chars[i]] = chars[i + 1];
  }
  function mapChars(s, t) {
    return Array.from(s).map(function (c) { return t[c] || c; }).join("");
  }
  function simp(s) { return mapChars(s, t2s); }
  function trad(s) { return mapChars(s, s2t); }

  /* One spelling for identifiers: brackets of 文号, full-width digits and letters, no spaces. */
  function norm(s) {
    return String(s || "")
      .replace(/[\uff01-\uff5e]/g, function (c) {
        var code = c.charCodeAt(0) - 0xfee0, ch = String.fromCharCode(code);
        return /[0-9A-Za-z\/\-]/.test(ch) ? ch : c;
      })
      .replace(/[\[\u3014\u3010\uff3b(\uff08\u3016]/g, "\u3014")
      .replace(/[\]\u3015\u3011\uff3d)\uff09\u3017]/g, "\u3015")
      .replace(/\s+/g, "")
      .toUpperCase();
  }
  function fold(s) { return simp(norm(s)); }

  function recordValues(r, key) {
    if (key === "type") return [r.type];
    if (key === "agency") return r.agency;
    if (key === "topic") return r.topic;
    if (key === "year") return r.years;
    if (key === "validity") return [r.status];
    return [];
  }
  function passes(r, filters) {
    return Object.keys(filters).every(function (k) { return recordValues(r, k).indexOf(filters[k]) >= 0; });
  }
  function looksLikeId(q) {
    return /\d/.test(q) && (/[\u3014\u3015\[\]\u3010\u3011\uff08\uff09()\u53f7\u865f]/.test(q) || /^[0-9A-Za-z\-\/]{6,}$/.test(q));
  }

  /* Local matches: [ids (文号/索引号), title or keywords, summary or agency], each a list of urls. */
  function localGroups(q, filters, withSummary) {
    var groups = [[], [], []];
    var terms = q.split(/\s+/).filter(Boolean).map(fold);
    var whole = fold(q), idq = looksLikeId(q);
    D.entries.forEach(function (r) {
      if (!passes(r, filters)) return;
      var h = hay[r.url];
      if (idq && (h.ids.indexOf(norm(q)) >= 0 || h.ids.indexOf(whole) >= 0)) groups[0].push(r.url);
      else if (terms.every(function (t) { return h.title.indexOf(t) >= 0 || h.keywords.indexOf(t) >= 0; })) groups[1].push(r.url);
      else if (withSummary && terms.every(function (t) { return h.all.indexOf(t) >= 0; })) groups[2].push(r.url);
    });
    return groups;
  }

  /* -- Pagefind ----------------------------------------------------------------------------- */
  /* A large site is indexed in parts (pagefind/part-N/). Each part's own pagefind.js is a separate
     instance, searched in turn: Pagefind drops the query pieces an index does not know and ANDs
     the rest, so a merged search (mergeIndex) would let a part that lacks one piece return pages
     with only the others; searching part by part, a part that lacks a piece is skipped, which
     gives the same results as one index. The page map (result id -> page) may name one more
     bundle, `overlay`: the pages edited since the last full build, which the map sends there
     rather than to their old ids in the parts. */
  function loadPagefind() {
    if (pagefindPromise) return pagefindPromise;
    pagefindPromise = (async function () {
      if (location.protocol === "file:") throw new Error("file");
      if (!D || !D.bundles || !D.bundles.length) throw new Error("no index");
      var resp = await fetch(new URL(D.page_map, location.href).href);
      if (!resp.ok) throw new Error("page map " + resp.status);
      var pages = await resp.json();
      var bundles = D.bundles.concat(typeof pages.overlay === "string" ? [pages.overlay] : []);
      var parts = [];
      for (var i = 0; i < bundles.length; i++) {
        var pf = await import(new URL(bundles[i], location.href).href + "pagefind.js");
        await pf.options({ excerptLength: 40 });
        await pf.init();
        parts.push({ pf: pf, known: {} });
      }
      return { parts: parts, pages: pages };
    })();
    return pagefindPromise;
  }

  var segmenter = (window.Intl && Intl.Segmenter) ? new Intl.Segmenter("zh", { granularity: "word" }) : null;
  function pieces(q) {
    if (!segmenter) return q.split(/\s+/).filter(Boolean);
    return Array.from(segmenter.segment(q)).filter(function (s) { return s.isWordLike; })
      .map(function (s) { return s.segment; });
  }
  /* Pagefind drops the pieces of a query that match nothing and ANDs the rest, so 不存在的词语
     would find every page with 不 and 的: a part is searched only when it knows every piece. */
  async function allPiecesKnown(part, q) {
    var ps = pieces(q.replace(/"/g, " "));
    for (var i = 0; i < ps.length; i++) {
      var p = ps[i];
      if (!(p in part.known)) {
        var res = await part.pf.search(p);
        part.known[p] = res && res.results ? res.results.length : 0;
      }
      if (!part.known[p]) return false;
    }
    return true;
  }

  function variants(q) {
    var out = [];
    [q, simp(q), trad(q)].forEach(function (v) { if (out.indexOf(v) < 0) out.push(v); });
    return out;
  }

  async function searchPagefind(q, filters) {
    var P = await loadPagefind();
    var byId = {};   // url -> pagefind result (for the excerpt)
    var attById = {};   // url -> the result of one of its attachments (xxgk/attachments/index.py)
    async function run(query, parts) {
      var hits = [];
      for (var i = 0; i < parts.length; i++) {
        var res = await parts[i].pf.search(query, { filters: filters });
        (res && res.results || []).forEach(function (r) {
          var url = P.pages[r.id];
          if (!url) return;
          var att = ATTACHMENT_RECORD.exec(url);
          if (att) {
            url = att[1] + ".html";
            if (!attById[url]) attById[url] = r;
          } else if (!byId[url]) byId[url] = r;
          hits.push({ url: url, score: r.score || 0, n: hits.length });
        });
      }
      hits.sort(function (a, b) { return (b.score - a.score) || (a.n - b.n); });
      return hits.map(function (h) { return h.url; });
    }
    if (!q) return { groups: [[], [], await run(null, P.parts)], results: byId, atts: attById };
    var phrase = [], loose = [];
    var single = !/\s/.test(q) && q.indexOf('"') < 0;
    var vs = variants(q);
    for (var i = 0; i < vs.length; i++) {
      var parts = [];
      for (var k = 0; k < P.parts.length; k++) {
        if (await allPiecesKnown(P.parts[k], vs[i])) parts.push(P.parts[k]);
      }
      if (!parts.length) continue;
      if (single) phrase = phrase.concat(await run('"' + vs[i] + '"', parts));
      loose = loose.concat(await run(vs[i], parts));
    }
    /* A quoted Chinese phrase often finds nothing (the browser splits 行政复议 as 行政|复|议 while
       the index holds 行政复议), so the best-scored loose matches are checked for the phrase in
       their text (the fragment is needed for the excerpt anyway) and moved up when they have it. */
    if (single && /[\u3400-\u9fff]/.test(q)) {
      var needle = fold(q), inPhrase = {}, cand = [];
      phrase.forEach(function (u) { inPhrase[u] = true; });
      loose.forEach(function (u) { if (!inPhrase[u] && cand.indexOf(u) < 0) cand.push(u); });
      cand = cand.slice(0, VERIFY);
      var datas = await Promise.all(cand.map(function (u) {
        return (byId[u] || attById[u]).data().catch(function () { return null; });
      }));
      datas.forEach(function (d, k) {
        if (d && fold((d.meta && d.meta.title || "") + " " + (d.content || "")).indexOf(needle) >= 0) phrase.push(cand[k]);
      });
    }
    var local = localGroups(q, filters, false);
    return { groups: [local[0], phrase.concat(local[1]), loose], results: byId, atts: attById };
  }

  /* -- merging and ordering ------------------------------------------------------------------ */
  function merge(groups, sort) {
    var seen = {}, out = [];
    groups.forEach(function (g, gi) {
      var items = [];
      g.forEach(function (url, i) {
        if (seen[url] || !byUrl[url]) return;
        seen[url] = true;
        items.push({ url: url, rank: i, group: gi });
      });
      if (sort !== "relevance") {
        items.sort(function (a, b) {
          var da = byUrl[a.url].date, db = byUrl[b.url].date;
          if (da !== db) return (da < db ? -1 : 1) * (sort === "date-asc" ? 1 : -1);
          return a.rank - b.rank;
        });
      }
      out = out.concat(items);
    });
    return out;
  }

  /* -- rendering ----------------------------------------------------------------------------- */
  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text != null) e.textContent = text;
    return e;
  }
  function decode(s) {
    var t = document.createElement("textarea");
    t.innerHTML = s;
    return t.value;
  }
  function excerptInto(p, html) {
    var inMark = false;
    html.split(/(<mark>|<\/mark>)/).forEach(function (part) {
      if (part === "<mark>") { inMark = true; return; }
      if (part === "</mark>") { inMark = false; return; }
      var text = decode(part.replace(/<[^>]*>/g, ""));
      if (!text) return;
      p.appendChild(inMark ? el("mark", null, text) : document.createTextNode(text));
    });
  }
  function item(r) {
    var li = el("li", "search-result");
    var h = el("h2", "search-result-title");
    var a = el("a", null, r.title);
    a.href = r.url;
    if (r.lang && r.lang !== document.documentElement.lang) a.lang = r.lang;
    h.appendChild(a);
    li.appendChild(h);
    var dl = el("dl", "search-result-meta");
    [["类别", r.type], ["索引号", r.index_no], ["发文字号", r.doc_no], ["发文机关", r.agency.join("、")],
     ["发布日期", r.date], ["有效性", r.status]].forEach(function (f) {
      if (!f[1]) return;
      var div = el("div");
      div.appendChild(el("dt", null, f[0]));
      var dd = el("dd", null, f[1]);
      if (f[0] === "有效性") dd.className = "status status-" + r.status_key;
      div.appendChild(dd);
      dl.appendChild(div);
    });
    li.appendChild(dl);
    var p = el("p", "search-result-excerpt");
    if (r.lang && r.lang !== document.documentElement.lang) p.lang = r.lang;
    li.appendChild(p);
    return { li: li, excerpt: p, link: a };
  }

  /* A result that matched in an attachment's text: its own record in the index (xxgk/attachments/
     index.py), at "<page>.xxgk-att-<n>.html", carrying the file and its title as metadata. It counts
     as a match of its entry; shown (its fragment downloaded) only when the entry's page did not match,
     it says which attachment matched, links the file and shows the excerpt. */
  var ATTACHMENT_RECORD = /^(.*)\.xxgk-att-\d+\.html$/;
  function attachmentMatch(p, d) {
    var file = d && d.meta && d.meta.attachment;
    if (!file || !/^files\//.test(file)) return;
    var q = el("p", "search-result-attachment");
    q.appendChild(document.createTextNode("在附件"));
    var a = el("a", null, "《" + (d.meta.attachment_title || file) + "》");
    a.href = file;
    q.appendChild(a);
    q.appendChild(document.createTextNode("中找到："));
    var ex = el("span");
    if (d.excerpt) excerptInto(ex, d.excerpt);
    q.appendChild(ex);
    p.parentNode.insertBefore(q, p.nextSibling);
  }

  async function showMore(state, moveFocus) {
    var start = state.shown, end = Math.min(state.items.length, start + PAGE), first = null;
    for (var i = start; i < end; i++) {
      var it = state.items[i], r = byUrl[it.url], node = item(r);
      list.appendChild(node.li);
      if (!first) first = node.link;
      var pfr = state.q && state.results && state.results[it.url];   /* no query: the summary reads better */
      var atr = state.q && !pfr && state.atts && state.atts[it.url];  /* only an attachment matched */
      if (pfr) {
        (function (p, res, rec) {
          res.data().then(function (d) {
            if (d && d.excerpt) excerptInto(p, d.excerpt); else p.textContent = rec.summary || "";
          }, function () { p.textContent = rec.summary || ""; });
        })(node.excerpt, pfr, r);
      } else if (atr) {
        node.excerpt.textContent = r.summary || "";
        (function (p, res) {
          res.data().then(function (d) { attachmentMatch(p, d); }, function () {});
        })(node.excerpt, atr);
      } else {
        node.excerpt.textContent = r.summary || "";
      }
    }
    state.shown = end;
    moreWrap.hidden = state.shown >= state.items.length;
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

  function readForm() {
    var q = input.value.trim(), filters = {};
    FILTERS.forEach(function (k) {
      var s = document.getElementById("search-" + k);
      if (s && s.value) filters[k] = s.value;
    });
    var sort = document.getElementById("search-sort").value || "date-desc";
    return { q: q, filters: filters, sort: sort };
  }

  function showMode(text) {
    modeEl.textContent = text;
    modeEl.hidden = !text;
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
    setStatus("正在搜索……");
    document.body.setAttribute("data-search-state", "busy");
    var found, full = true;
    try {
      found = await searchPagefind(f.q, f.filters);
    } catch (e) {
      full = false;
      found = { groups: f.q ? localGroups(f.q, f.filters, true) : [[], [], D.entries.filter(function (r) {
        return passes(r, f.filters); }).map(function (r) { return r.url; })], results: null };
      showMode(location.protocol === "file:"
        ? "您是从本地磁盘打开本页的，浏览器不允许在这种方式下加载全文搜索索引。现在只搜索标题、索引号、发文字号、主题词和内容概述；要搜索正文全文，请通过网站地址（http 或 https）访问本页。"
        : "全文搜索索引未能加载（浏览器版本较旧或网络问题）。现在只搜索标题、索引号、发文字号、主题词和内容概述。");
    }
    if (id !== runId) return;
    var items = merge(found.groups, f.q ? f.sort : (f.sort === "relevance" ? "date-desc" : f.sort));
    current = { items: items, shown: 0, results: found.results, atts: found.atts, q: f.q };
    var what = describe(f.q, f.filters);
    if (!items.length) {
      setStatus("没有找到符合条件（" + what + "）的信息。建议检查错别字、换一个更短或更常用的词（如“预算”“政务公开”）、减少筛选条件。", true);
    } else {
      /* a 文号 or 索引号 query: say how many carry it (they come first), the rest only mention or resemble it */
      var exact = looksLikeId(f.q) ? items.filter(function (it) { return it.group === 0; }).length : 0;
      setStatus("找到 " + items.length + " 条结果（" + what + "）" + (full ? "" : "（仅搜索标题、文号、主题词和概述）") +
                (exact && exact < items.length ? "，其中 " + exact + " 条的文号或索引号与之相符，排在最前" : "") + "。");
      await showMore(current, false);
    }
    document.body.setAttribute("data-search-state", "done");
    document.body.setAttribute("data-search-runs", String(id));
  }

  function syncUrl() {
    var f = readForm(), params = new URLSearchParams();
    if (f.q) params.set("q", f.q);
    FILTERS.forEach(function (k) { if (f.filters[k]) params.set(k, f.filters[k]); });
    if (f.sort !== "date-desc") params.set("sort", f.sort);
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
    if (!form) return;
    if (!D) {
      showMode("搜索数据未能加载。请通过主动公开目录浏览全部信息。");
      return;
    }
    table(D.t2s, t2s);
    table(D.s2t, s2t);
    D.entries.forEach(function (r) {
      byUrl[r.url] = r;
      var ids = fold(r.index_no + " " + r.doc_no);
      var title = fold(r.title);
      var keywords = fold(r.keywords.join(" "));
      hay[r.url] = { ids: norm(r.index_no) + "\u0001" + norm(r.doc_no) + "\u0001" + ids, title: title,
                     keywords: keywords, all: title + "\u0001" + keywords + "\u0001" + ids + "\u0001" +
                     fold(r.summary || "") + "\u0001" + fold(r.agency.join(" ")) };
    });
    var params = new URLSearchParams(location.search);
    input.value = params.get("q") || "";
    FILTERS.concat(["sort"]).forEach(function (k) {
      var s = document.getElementById("search-" + k), v = params.get(k);
      if (s && v != null && Array.prototype.some.call(s.options, function (o) { return o.value === v; })) s.value = v;
    });
    if (location.protocol === "file:") {
      showMode("您是从本地磁盘打开本页的，浏览器不允许在这种方式下加载全文搜索索引。现在只搜索标题、索引号、发文字号、主题词和内容概述；要搜索正文全文，请通过网站地址（http 或 https）访问本页。");
    }
    /* A closed select changes at each arrow key: search once the choice has settled (FILTER_WAIT),
       so a screen reader announces one result count, not one per option passed on the way. */
    var pending = null;
    form.addEventListener("submit", function (ev) {
      ev.preventDefault(); clearTimeout(pending); syncUrl(); search();
    });
    form.addEventListener("change", function (ev) {
      if (!ev.target || ev.target.tagName !== "SELECT") return;
      clearTimeout(pending);
      pending = setTimeout(function () { syncUrl(); search(); }, FILTER_WAIT);
    });
    moreBtn.addEventListener("click", function () { if (current) showMore(current, true); });
    document.body.setAttribute("data-search-ready", "1");
    search();
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
