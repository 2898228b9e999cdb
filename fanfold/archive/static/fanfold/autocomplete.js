// Tag autocomplete for comma-separated tag fields (progressive enhancement: the fields
// are plain text inputs and work without this script).
(function () {
  "use strict";
  const ENDPOINT = "/tags/autocomplete";

  function lastTerm(value) {
    const parts = value.split(",");
    return parts[parts.length - 1].trim();
  }

  function replaceLast(value, name) {
    const parts = value.split(",");
    parts[parts.length - 1] = " " + name;
    return parts.map((p) => p.trim()).filter(Boolean).join(", ") + ", ";
  }

  function attach(input) {
    const list = document.createElement("ul");
    list.className = "autocomplete-list";
    list.setAttribute("role", "listbox");
    list.id = input.id + "-suggestions";
    list.hidden = true;
    input.setAttribute("aria-controls", list.id);
    input.setAttribute("aria-autocomplete", "list");
    input.parentNode.appendChild(list);
    let active = -1;
    let timer = null;

    function close() { list.hidden = true; list.innerHTML = ""; active = -1; }

    function choose(name) {
      input.value = replaceLast(input.value, name);
      close();
      input.focus();
    }

    function highlight(index) {
      const items = list.querySelectorAll("li");
      items.forEach((li, i) => li.setAttribute("aria-selected", i === index ? "true" : "false"));
      active = index;
    }

    async function suggest() {
      const term = lastTerm(input.value);
      if (term.length < 1) { close(); return; }
      const url = ENDPOINT + "?type=" + encodeURIComponent(input.dataset.autocomplete) +
        "&term=" + encodeURIComponent(term);
      try {
        const response = await fetch(url, { headers: { Accept: "application/json" } });
        if (!response.ok) { close(); return; }
        const data = await response.json();
        list.innerHTML = "";
        data.tags.forEach((tag) => {
          const li = document.createElement("li");
          li.setAttribute("role", "option");
          li.textContent = tag.name;
          li.addEventListener("mousedown", (event) => { event.preventDefault(); choose(tag.name); });
          list.appendChild(li);
        });
        list.hidden = data.tags.length === 0;
        active = -1;
      } catch (error) {
        close();
      }
    }

    input.addEventListener("input", () => { clearTimeout(timer); timer = setTimeout(suggest, 150); });
    input.addEventListener("blur", () => setTimeout(close, 100));
    input.addEventListener("keydown", (event) => {
      const items = list.querySelectorAll("li");
      if (list.hidden || items.length === 0) return;
      if (event.key === "ArrowDown") { event.preventDefault(); highlight((active + 1) % items.length); }
      else if (event.key === "ArrowUp") { event.preventDefault(); highlight((active - 1 + items.length) % items.length); }
      else if (event.key === "Enter" && active >= 0) { event.preventDefault(); choose(items[active].textContent); }
      else if (event.key === "Escape") { close(); }
    });
  }

  document.querySelectorAll("input[data-autocomplete]").forEach(attach);
})();
