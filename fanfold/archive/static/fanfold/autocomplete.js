// Tag suggestions for tag fields, as an ARIA combobox (the input) owning a listbox (the
// suggestions), so screen readers announce the list and the option moved to.
// Progressive enhancement: the fields are plain text inputs and work without this script.
//
// <input data-autocomplete="fandom">         one tag type ("" or "any": every type)
// <input data-autocomplete-multiple>         a comma-separated list: complete the last name
(function () {
  "use strict";
  const ENDPOINT = "/tags/autocomplete";
  const TYPES = ["rating", "warning", "category", "fandom", "relationship", "character", "freeform"];
  let counter = 0;

  function terms(input) {
    return input.hasAttribute("data-autocomplete-multiple") ? input.value.split(",") : [input.value];
  }

  function currentTerm(input) {
    const parts = terms(input);
    return parts[parts.length - 1].trim();
  }

  function withChosen(input, name) {
    if (!input.hasAttribute("data-autocomplete-multiple")) return name;
    const parts = input.value.split(",");
    parts[parts.length - 1] = name;
    return parts.map((p) => p.trim()).filter(Boolean).join(", ") + ", ";
  }

  function attach(input) {
    counter += 1;
    if (!input.id) input.id = "tag-input-" + counter;
    // The list sits under the field; the wrapper is what it is positioned against.
    const wrapper = document.createElement("span");
    wrapper.className = "autocomplete-wrap";
    input.parentNode.insertBefore(wrapper, input);
    wrapper.appendChild(input);
    const list = document.createElement("ul");
    list.className = "autocomplete-list";
    list.id = input.id + "-suggestions";
    list.setAttribute("role", "listbox");
    // Not labelled by the field's own label: one name for two controls confuses both
    // screen readers and anything that finds the field by its label.
    list.setAttribute("aria-label", "Tag suggestions");
    list.hidden = true;
    wrapper.appendChild(list);

    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-controls", list.id);
    input.setAttribute("aria-expanded", "false");
    input.setAttribute("autocomplete", "off");

    let active = -1;
    let timer = null;
    let asked = 0;

    function options() { return list.querySelectorAll("[role=option]"); }

    function open(isOpen) {
      list.hidden = !isOpen;
      input.setAttribute("aria-expanded", isOpen ? "true" : "false");
    }

    function highlight(index) {
      options().forEach((li, i) => li.setAttribute("aria-selected", i === index ? "true" : "false"));
      active = index;
      if (index >= 0) {
        const li = options()[index];
        input.setAttribute("aria-activedescendant", li.id);
        li.scrollIntoView({ block: "nearest" });
      } else {
        input.removeAttribute("aria-activedescendant");
      }
    }

    function close() {
      highlight(-1);
      open(false);
      list.replaceChildren();
    }

    function choose(name) {
      input.value = withChosen(input, name);
      close();
      input.focus();
    }

    function show(tags) {
      list.replaceChildren();
      tags.forEach((tag, i) => {
        const li = document.createElement("li");
        li.id = list.id + "-" + i;
        li.setAttribute("role", "option");
        li.setAttribute("aria-selected", "false");
        li.textContent = tag.name;
        // mousedown, not click: the input's blur would close the list first.
        li.addEventListener("mousedown", (event) => { event.preventDefault(); choose(tag.name); });
        list.appendChild(li);
      });
      active = -1;
      input.removeAttribute("aria-activedescendant");
      open(tags.length > 0);
    }

    async function suggest() {
      const term = currentTerm(input);
      if (term.length < 1) { close(); return; }
      const type = input.dataset.autocomplete;
      let url = ENDPOINT + "?term=" + encodeURIComponent(term);
      if (TYPES.includes(type)) url += "&type=" + encodeURIComponent(type);
      const ticket = ++asked;
      try {
        const response = await fetch(url, { headers: { Accept: "application/json" } });
        if (!response.ok) { close(); return; }
        const data = await response.json();
        // A slower answer to an earlier keystroke must not replace a newer one.
        if (ticket === asked) show(data.tags);
      } catch (error) {
        close();
      }
    }

    input.addEventListener("input", () => { clearTimeout(timer); timer = setTimeout(suggest, 150); });
    input.addEventListener("blur", () => setTimeout(close, 150));
    input.addEventListener("keydown", (event) => {
      const items = options();
      const shown = !list.hidden && items.length > 0;
      if (event.key === "Enter") {
        // Enter picks the highlighted suggestion; with none highlighted it only closes the
        // list: a half-typed tag name is not a finished form.
        if (shown || input.value.trim()) event.preventDefault();
        if (shown && active >= 0) choose(items[active].textContent);
        else close();
        return;
      }
      if (!shown) {
        if (event.key === "ArrowDown" && currentTerm(input)) { event.preventDefault(); suggest(); }
        return;
      }
      if (event.key === "ArrowDown") { event.preventDefault(); highlight((active + 1) % items.length); }
      else if (event.key === "ArrowUp") { event.preventDefault(); highlight((active - 1 + items.length) % items.length); }
      else if (event.key === "Escape") { event.preventDefault(); close(); }
    });
  }

  document.querySelectorAll("input[data-autocomplete]").forEach(attach);
})();
