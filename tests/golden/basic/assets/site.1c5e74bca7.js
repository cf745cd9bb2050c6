/* Reading mode (适老模式): stays on across pages; everything reads without this script.
 * On 404.html, loaded from the site's own path (data-site-root, from base_url), it also points the
 * page's links there: a server sends that page for a missing address at any depth. */
(function () {
  if (window.xxgkSite) return;          /* 404.html may load this script twice: from the site's path and relative */
  window.xxgkSite = true;
  var KEY = "xxgk-elder", root = document.documentElement;
  var me = document.currentScript, siteRoot = me && me.getAttribute("data-site-root");
  function stored() { try { return localStorage.getItem(KEY) === "1"; } catch (e) { return false; } }
  /* a link to #elder (the header's link without JavaScript) or ?elder=1 turns the mode on, and it stays on */
  if (location.hash === "#elder" || /[?&]elder=1(?:&|$)/.test(location.search)) {
    try { localStorage.setItem(KEY, "1"); } catch (e) { /* private mode: this page only */ }
    root.classList.add("elder");
  }
  if (stored()) root.classList.add("elder");
  document.addEventListener("DOMContentLoaded", function () {
    if (siteRoot) {
      Array.prototype.forEach.call(document.querySelectorAll("a[href], link[rel=alternate][href]"), function (a) {
        var h = a.getAttribute("href");
        if (!/^(?:[a-z][a-z0-9+.-]*:|\/|#)/i.test(h)) a.setAttribute("href", siteRoot + h);
      });
    }
    var b = document.getElementById("mode-toggle");
    if (!b) return;
    b.hidden = false;
    b.setAttribute("aria-pressed", root.classList.contains("elder") ? "true" : "false");
    b.addEventListener("click", function () {
      var on = !root.classList.contains("elder");
      root.classList.toggle("elder", on);
      b.setAttribute("aria-pressed", on ? "true" : "false");
      try { localStorage.setItem(KEY, on ? "1" : "0"); } catch (e) { /* private mode: this page only */ }
    });
  });
})();
