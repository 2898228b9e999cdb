// The wrangling page. Without this script every action still works: the forms post and
// the page comes back at the list (#wrangle-queue). With it, the page comes back at the
// very row the wrangler was at, and the header gets a box that checks every row.
(function () {
  "use strict";
  const key = "fanfold:wrangle-scroll:" + location.pathname + location.search;
  const saved = sessionStorage.getItem(key);
  if (saved !== null) {
    sessionStorage.removeItem(key);
    // After the browser's own jump to the anchor, so ours wins.
    window.addEventListener("load", () => window.scrollTo(0, Number(saved) || 0));
  }
  document.querySelectorAll("form[data-keep-scroll]").forEach((form) => {
    form.addEventListener("submit", () => sessionStorage.setItem(key, String(window.scrollY)));
  });
  const boxes = Array.from(document.querySelectorAll('input[type="checkbox"][form="bulk-wrangle"]'));
  const head = document.querySelector("table.wrangle-queue thead th");
  if (!boxes.length || !head) return;
  const all = document.createElement("input");
  all.type = "checkbox";
  all.setAttribute("aria-label", head.textContent.trim() + " *");
  all.addEventListener("change", () => boxes.forEach((box) => { box.checked = all.checked; }));
  head.appendChild(all);
})();
