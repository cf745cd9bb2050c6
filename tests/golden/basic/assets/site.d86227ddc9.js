/* Reading mode (适老模式): stays on across pages; everything reads without this script. */
(function () {
  var KEY = "xxgk-elder", root = document.documentElement;
  function stored() { try { return localStorage.getItem(KEY) === "1"; } catch (e) { return false; } }
  if (stored()) root.classList.add("elder");
  document.addEventListener("DOMContentLoaded", function () {
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
