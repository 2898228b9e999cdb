// Reordering chapters by dragging, or with Move up / Move down buttons (keyboard and
// touch). Either way the script only rewrites the position boxes the form already has,
// in the order the rows are shown; without it, typing the numbers does the same job.
(function () {
  "use strict";
  const list = document.querySelector("[data-reorder]");
  const textNode = document.getElementById("reorder-text");
  if (!list || !textNode) return;
  const text = JSON.parse(textNode.textContent);
  const status = document.getElementById("reorder-status");
  const help = document.getElementById("reorder-help");
  let dragging = null;

  function rows() {
    return Array.from(list.querySelectorAll(":scope > li"));
  }
  function titleOf(row) {
    return row.querySelector(".chapter-order__title").textContent.trim();
  }
  function fill(template, values) {
    return template.replace(/%\((\w+)\)s/g, (_, name) => String(values[name]));
  }
  function updateButtons() {
    const all = rows();
    all.forEach((row, index) => {
      row.querySelector("[data-move='-1']").disabled = index === 0;
      row.querySelector("[data-move='1']").disabled = index === all.length - 1;
    });
  }
  function renumber() {
    rows().forEach((row, index) => {
      row.querySelector("input").value = index + 1;
    });
    updateButtons();
  }
  function announce(row) {
    if (status) status.textContent = fill(text.moved, { title: titleOf(row), position: rows().indexOf(row) + 1 });
  }
  function move(row, delta) {
    const all = rows();
    const target = all.indexOf(row) + delta;
    if (target < 0 || target >= all.length) return;
    list.insertBefore(row, delta < 0 ? all[target] : all[target].nextSibling);
    renumber();
    announce(row);
  }
  function button(row, delta) {
    const b = document.createElement("button");
    b.type = "button";
    b.className = "secondary chapter-order__move";
    b.dataset.move = String(delta);
    b.textContent = delta < 0 ? text.up : text.down;
    // The chapter's title is read out after the visible words ("Move up “Dusk”"), so
    // speech input can still say what it sees.
    const which = document.createElement("span");
    which.className = "visually-hidden";
    which.textContent = " " + fill(text.which, { title: titleOf(row) });
    b.append(which);
    b.addEventListener("click", () => {
      move(row, delta);
      // Moving the row takes the focus with it in some browsers and not in others.
      const again = row.querySelector(`[data-move='${delta}']`);
      (again.disabled ? row.querySelector(`[data-move='${-delta}']`) : again).focus();
    });
    return b;
  }

  rows().forEach((row) => {
    const moves = document.createElement("span");
    moves.className = "chapter-order__moves";
    moves.append(button(row, -1), " ", button(row, 1));
    row.append(moves);
    row.draggable = true;
    row.classList.add("chapter-order__row--draggable");
    row.addEventListener("dragstart", (event) => {
      dragging = row;
      row.classList.add("is-dragging");
      event.dataTransfer.effectAllowed = "move";
      event.dataTransfer.setData("text/plain", titleOf(row));
    });
    row.addEventListener("dragend", () => {
      row.classList.remove("is-dragging");
      if (dragging) {
        dragging = null;
        renumber();
        announce(row);
      }
    });
  });
  list.addEventListener("dragover", (event) => {
    if (!dragging) return;
    event.preventDefault();
    const over = event.target.closest("li");
    if (!over || over === dragging || over.parentNode !== list) return;
    const box = over.getBoundingClientRect();
    const after = event.clientY > box.top + box.height / 2;
    list.insertBefore(dragging, after ? over.nextSibling : over);
  });
  list.addEventListener("drop", (event) => {
    if (dragging) event.preventDefault();
  });
  if (help) help.textContent = text.drag + " " + help.textContent;
  // Not renumber(): after a refused save the boxes hold what the author typed.
  updateButtons();
})();
