/* Progress tracking without an account: which topics and milestone items a reader has ticked,
   kept in this browser's localStorage, keyed by the ids from the roadmap spec (never by
   position), scoped to the site's base path. Re-binds after Material's instant navigation.
   Without JavaScript the checkboxes stay hidden and the page reads as a plain checklist. */
(function () {
  "use strict";

  var VERSION = 2;
  var scope = (window.__md_scope || new URL(".", location.href)).pathname;
  var KEY = "handbook.progress:" + scope;
  var memory = null; // used when storage is unavailable, so the page still works for this visit
  var warned = false;

  function notify(message) {
    if (warned) return;
    warned = true;
    var box = document.createElement("p");
    box.className = "hb-notice";
    box.setAttribute("role", "status");
    box.textContent = message;
    document.body.appendChild(box);
    setTimeout(function () { box.remove(); warned = false; }, 8000);
  }

  function emptyState() { return { version: VERSION, done: {} }; }

  /* Older formats: version 1 stored a plain array of ticked ids. */
  function migrate(value) {
    if (Array.isArray(value)) {
      var state = emptyState();
      value.forEach(function (id) { if (typeof id === "string") state.done[id] = 1; });
      return state;
    }
    if (value && typeof value === "object" && value.version === VERSION && value.done && typeof value.done === "object" && !Array.isArray(value.done)) {
      return value;
    }
    return null;
  }

  function load() {
    if (memory) return memory;
    var raw;
    try {
      raw = window.localStorage.getItem(KEY);
    } catch (e) {
      memory = emptyState();
      notify("Progress cannot be saved in this browser (storage is disabled); ticks last until you leave.");
      return memory;
    }
    if (raw === null) return emptyState();
    var parsed = null;
    try { parsed = migrate(JSON.parse(raw)); } catch (e) { parsed = null; }
    if (!parsed) {
      notify("Saved progress could not be read and was started afresh.");
      return emptyState();
    }
    return parsed;
  }

  function save(state) {
    if (memory) { memory = state; return; }
    try {
      window.localStorage.setItem(KEY, JSON.stringify(state));
    } catch (e) {
      memory = state;
      notify("Progress could not be saved (browser storage is full or disabled); ticks last until you leave.");
    }
  }

  function ids(text) { return (text || "").split(/\s+/).filter(Boolean); }

  function count(el, done) {
    var all = ids(el.getAttribute("data-progress-ids"));
    var total = all.length;
    var ticked = all.filter(function (id) { return done[id]; }).length;
    var choose = el.getAttribute("data-progress-choose");
    if (choose) {
      var groups = [];
      try { groups = JSON.parse(choose); } catch (e) { groups = []; }
      var best = null;
      groups.forEach(function (group) {
        var n = group.filter(function (id) { return done[id]; }).length;
        if (!best || n > best.n) best = { n: n, size: group.length };
      });
      if (best) { total += best.size; ticked += best.n; }
    }
    return { done: ticked, total: total };
  }

  function renderBars(state) {
    document.querySelectorAll(".hb-progress").forEach(function (el) {
      var c;
      if (el.getAttribute("data-progress-scope") === "all") {
        c = { done: 0, total: 0 };
        document.querySelectorAll(".hb-progress[data-progress-ids]").forEach(function (phase) {
          var p = count(phase, state.done);
          c.done += p.done; c.total += p.total;
        });
      } else {
        c = count(el, state.done);
      }
      var label = el.getAttribute("data-progress-label") || "Progress";
      var bar = el.querySelector("progress") || document.createElement("progress");
      var text = el.querySelector(".hb-progress__text") || document.createElement("span");
      bar.max = Math.max(c.total, 1);
      bar.value = c.done;
      bar.setAttribute("aria-label", label);
      text.className = "hb-progress__text";
      text.textContent = c.done + " of " + c.total + " done";
      if (!bar.parentNode) el.appendChild(bar);
      if (!text.parentNode) el.appendChild(text);
      el.hidden = false;
    });
    document.querySelectorAll("[data-progress-id]").forEach(function (el) {
      if (el.tagName === "INPUT") return;
      el.classList.toggle("hb-done", !!state.done[el.getAttribute("data-progress-id")]);
    });
  }

  function bindCheckboxes(state) {
    document.querySelectorAll("input[type=checkbox][data-progress-id]").forEach(function (box) {
      var id = box.getAttribute("data-progress-id");
      box.checked = !!state.done[id];
      var label = box.closest(".hb-check");
      if (label) label.hidden = false;
      if (box.dataset.hbBound) return;
      box.dataset.hbBound = "1";
      box.addEventListener("change", function () {
        var current = load();
        if (box.checked) current.done[id] = 1; else delete current.done[id];
        save(current);
        renderBars(current);
      });
    });
  }

  function download(state) {
    var data = { version: VERSION, exported: new Date().toISOString(), scope: scope, done: Object.keys(state.done).sort() };
    var blob = new Blob([JSON.stringify(data, null, 2) + "\n"], { type: "application/json" });
    var link = document.createElement("a");
    link.href = URL.createObjectURL(blob);
    link.download = "handbook-progress.json";
    document.body.appendChild(link);
    link.click();
    setTimeout(function () { URL.revokeObjectURL(link.href); link.remove(); }, 0);
  }

  function importFile(file, after) {
    var reader = new FileReader();
    reader.onload = function () {
      var data;
      try { data = JSON.parse(String(reader.result)); } catch (e) { data = null; }
      var list = data && (Array.isArray(data) ? data : data.done);
      if (list && !Array.isArray(list) && typeof list === "object") list = Object.keys(list);
      if (!Array.isArray(list)) { notify("That file is not a progress export from this handbook."); return; }
      var state = load();
      list.forEach(function (id) { if (typeof id === "string") state.done[id] = 1; });
      save(state);
      after(state);
      notify("Imported " + list.length + " ticked items.");
    };
    reader.readAsText(file);
  }

  function bindTools(state) {
    document.querySelectorAll(".hb-progress-tools").forEach(function (tools) {
      tools.hidden = false;
      if (tools.dataset.hbBound) return;
      tools.dataset.hbBound = "1";
      var input = tools.querySelector("input[type=file]");
      tools.querySelector("[data-action=export]").addEventListener("click", function () { download(load()); });
      tools.querySelector("[data-action=import]").addEventListener("click", function () { input.click(); });
      input.addEventListener("change", function () {
        if (input.files && input.files[0]) importFile(input.files[0], refresh);
        input.value = "";
      });
      tools.querySelector("[data-action=reset]").addEventListener("click", function () {
        if (window.confirm("Clear every tick in this handbook? Export first if you want to keep them.")) {
          save(emptyState());
          refresh();
        }
      });
    });
  }

  function refresh() {
    var state = load();
    bindCheckboxes(state);
    renderBars(state);
    bindTools(state);
  }

  window.handbookProgress = { key: KEY, refresh: refresh };
  if (window.document$ && typeof window.document$.subscribe === "function") {
    window.document$.subscribe(refresh);
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", refresh);
  } else {
    refresh();
  }
})();
