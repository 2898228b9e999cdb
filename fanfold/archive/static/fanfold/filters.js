// The filter panel on a narrow screen: folded above the results, so the first works are
// in view, and opened by the "Skip to filters" link. Without this script it is simply
// open above them (progressive enhancement).
(function () {
  "use strict";
  const panel = document.getElementById("filters");
  if (!panel) return;
  const narrow = window.matchMedia("(max-width: 899px)");
  if (narrow.matches && location.hash !== "#filters") panel.open = false;
  function openPanel() { panel.open = true; }
  document.querySelectorAll('a[href="#filters"]').forEach((a) => a.addEventListener("click", openPanel));
  window.addEventListener("hashchange", () => { if (location.hash === "#filters") openPanel(); });
})();
