/* Progress without an account: ticked ids (from the roadmap spec) in localStorage, scoped to the
   site's base path; "Next up" from the reading order (data-hb-path); ticks in the navigation; export
   and import. Re-binds after instant navigation. Without JavaScript the page is a plain checklist. */
(function () {
  "use strict";

  var VERSION = 2;
  var scope = (window.__md_scope || new URL(".", location.href)).pathname;
  var KEY = "handbook.progress:" + scope;
  var memory = null; // the state when storage is unavailable
  var warned = false;
  var UNSAVED = "Progress cannot be saved in this browser (storage is full or disabled); ticks last until you leave.";

  function all(selector) { return document.querySelectorAll(selector); }

  function items(n) { return n + " ticked item" + (n === 1 ? "" : "s"); }

  function notify(message) {
    var box = document.createElement("p");
    box.className = "hb-notice";
    box.setAttribute("role", "status");
    box.textContent = message;
    document.body.appendChild(box);
    setTimeout(function () { box.remove(); }, 8000);
  }

  function warn(message) {
    if (!warned) notify(message);
    warned = true;
  }

  function emptyState() { return { version: VERSION, done: {}, titles: {} }; }

  /* Older formats: version 1 stored a plain array of ticked ids. */
  function migrate(value) {
    var state = emptyState();
    if (Array.isArray(value)) {
      value.forEach(function (id) { if (typeof id === "string") state.done[id] = 1; });
      return state;
    }
    if (value && value.version === VERSION && value.done && typeof value.done === "object" && !Array.isArray(value.done)) {
      state.done = value.done;
      if (value.titles && typeof value.titles === "object") state.titles = value.titles;
      return state;
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
      warn(UNSAVED);
      return memory;
    }
    if (raw === null) return emptyState();
    var parsed = null;
    try { parsed = migrate(JSON.parse(raw)); } catch (e) { parsed = null; }
    if (!parsed) {
      warn("Saved progress could not be read and was started afresh.");
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
      warn(UNSAVED);
    }
  }

  function ids(text) { return (text || "").split(/\s+/).filter(Boolean); }

  function count(el, done) {
    var list = ids(el.getAttribute("data-progress-ids"));
    var total = list.length;
    var ticked = list.filter(function (id) { return done[id]; }).length;
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

  function renderBars(state, next) {
    all(".hb-progress").forEach(function (el) {
      var c;
      if (el.getAttribute("data-progress-scope") === "all") {
        c = { done: 0, total: 0 };
        all(".hb-progress[data-progress-ids]").forEach(function (phase) {
          var p = count(phase, state.done);
          c.done += p.done; c.total += p.total;
        });
      } else {
        c = count(el, state.done);
      }
      var bar = el.querySelector("progress") || document.createElement("progress");
      var text = el.querySelector(".hb-progress__text") || document.createElement("span");
      bar.max = Math.max(c.total, 1);
      bar.value = c.done;
      bar.setAttribute("aria-label", el.getAttribute("data-progress-label") || "Progress");
      text.className = "hb-progress__text";
      text.textContent = c.done + " of " + c.total + " done";
      if (!bar.parentNode) el.appendChild(bar);
      if (!text.parentNode) el.appendChild(text);
      el.hidden = false;
    });
    all("[data-progress-id]").forEach(function (el) {
      var id = el.getAttribute("data-progress-id");
      if (el.tagName === "INPUT") el.checked = !!state.done[id];
      else {
        el.classList.toggle("hb-done", !!state.done[id]);
        el.classList.toggle("hb-next-up", id === next);
      }
    });
  }

  function path() {
    var el = document.querySelector("[data-hb-path]");
    try { return el && JSON.parse(el.getAttribute("data-hb-path")); } catch (e) { return null; }
  }

  /* A phase's shared topics, then one track's: `track`, else the most ticked, else the first. */
  function route(topics, phase, done, track) {
    var mine = topics.filter(function (t) { return t.phase === phase; });
    var best = -1;
    if (!track) {
      mine.forEach(function (t) {
        var n = mine.filter(function (u) { return u.track === t.track && done[u.id]; }).length;
        if (t.track && n > best) { best = n; track = t.track; }
      });
    }
    return mine.filter(function (t) { return !t.track || t.track === track; });
  }

  /* "Next up": the first topic not done (in this phase on a phase or track page); returns its id. */
  function renderNext(done) {
    var data = path();
    var box = document.querySelector(".hb-next");
    var here = box && box.getAttribute("data-phase");
    var next = null, after = null;
    if (!data) return null;
    data.phases.forEach(function (p, i) {
      if (next || (here && p.id !== here)) return;
      next = route(data.topics, p.id, done, here && box.getAttribute("data-track")).filter(function (t) { return !done[t.id]; })[0];
      after = data.phases[i + 1];
    });
    var link = document.createElement("a");
    if (!box) return next && next.id;
    box.textContent = "";
    if (next) {
      link.href = next.url;
      link.textContent = "Continue";
      link.setAttribute("aria-label", "Continue: " + next.title);
      box.append("Next up: " + next.title + (next.hours ? " (≈ " + next.hours + " h)" : "") + " → ", link);
    } else if (here) {
      box.append("Every topic in this phase is done." + (after ? " Next phase: " : ""));
      if (after) { link.href = after.url; link.textContent = after.title; box.append(link); }
    } else {
      box.append("Every topic in the handbook is done.");
    }
    box.hidden = false;
    return next && next.id;
  }

  /* A topic page's address ends in its id; a link within a page names its anchor. */
  function renderNav(done) {
    all("a.md-nav__link").forEach(function (a) {
      var url = new URL(a.href);
      var id = url.hash.slice(1) || url.pathname.replace(/\/(index\.html)?$|\.html$/, "").split("/").pop();
      a.classList.toggle("hb-done", !!done[id]);
    });
  }

  function render(state) {
    renderBars(state, renderNext(state.done));
    renderNav(state.done);
  }

  function bindCheckboxes() {
    all("input[type=checkbox][data-progress-id]").forEach(function (box) {
      var id = box.getAttribute("data-progress-id");
      var label = box.closest(".hb-check");
      if (label) label.hidden = false;
      if (box.dataset.hbBound) return;
      box.dataset.hbBound = "1";
      box.addEventListener("change", function () {
        var current = load();
        if (box.checked) {
          current.done[id] = 1;
          current.titles[id] = box.getAttribute("data-title") || box.getAttribute("aria-label");
        } else {
          delete current.done[id];
          delete current.titles[id];
        }
        save(current);
        render(current);
      });
    });
  }

  /* The study plan is the planner's: its storage key and its rule for a valid plan (none without it). */
  function planner() { return window.handbookPlanner || { key: null, valid: function () { return null; } }; }

  function plan(value) { return planner().valid(value); }

  function download(state) {
    var data = path();
    var named = {};
    var saved = null;
    if (data) data.topics.forEach(function (t) { named[t.id] = t.title; });
    try { saved = plan(JSON.parse(window.localStorage.getItem(planner().key))); } catch (e) { saved = null; }
    var file = {
      version: 3, // 1 was an array of ids, 2 {version, done: [ids]}
      exported: new Date().toISOString(),
      scope: scope,
      done: Object.keys(state.done).sort().map(function (id) {
        return { id: id, title: named[id] || state.titles[id] || null };
      }),
      plan: saved
    };
    var blob = new Blob([JSON.stringify(file, null, 2) + "\n"], { type: "application/json" });
    var link = document.createElement("a");
    link.href = URL.createObjectURL(blob);
    link.download = "handbook-progress.json";
    link.click();
    setTimeout(function () { URL.revokeObjectURL(link.href); }, 0);
  }

  /* A modal dialog; `then` gets the value of the button chosen (none: cancelled). */
  function ask(title, text, buttons, then) {
    var dialog = document.createElement("dialog");
    dialog.className = "hb-dialog md-typeset";
    dialog.setAttribute("aria-labelledby", "hb-dialog-title");
    dialog.setAttribute("aria-describedby", "hb-dialog-text");
    dialog.innerHTML = '<form method="dialog"><p id="hb-dialog-title"><b></b></p><p id="hb-dialog-text"></p>' + buttons + "</form>";
    dialog.querySelector("b").textContent = title;
    dialog.querySelector("p + p").textContent = text;
    dialog.addEventListener("close", function () {
      dialog.remove();
      if (dialog.returnValue) then(dialog.returnValue);
    });
    document.body.appendChild(dialog);
    dialog.showModal();
  }

  function known() {
    var set = Object.create(null);
    all("[data-progress-ids]").forEach(function (el) {
      var text = el.getAttribute("data-progress-ids") + " " + (el.getAttribute("data-progress-choose") || "");
      ids(text.replace(/[^\w-]+/g, " ")).forEach(function (id) { set[id] = 1; });
    });
    return set;
  }

  function importFile(file) {
    file.text().then(function (content) {
      var data = null;
      try { data = JSON.parse(content); } catch (e) { data = null; }
      var list = data && (Array.isArray(data) ? data : data.done);
      if (list && !Array.isArray(list) && typeof list === "object") list = Object.keys(list);
      if (!Array.isArray(list)) { notify("That file is not a progress export from this handbook."); return; }
      var state = load();
      var ok = known();
      var names = Object.create(null), fresh = [], have = [], unknown = [];
      list.forEach(function (item) {
        var id = item && typeof item === "object" ? item.id : item;
        if (typeof id !== "string" || id in names) return;
        names[id] = item.title || "";
        (ok[id] ? (state.done[id] ? have : fresh) : unknown).push(id);
      });
      var found = fresh.concat(have);
      var newPlan = found.length ? plan(data.plan) : null;
      var mine = Object.keys(state.done).length;
      var text = "The file holds " + items(found.length + unknown.length) + ": " + fresh.length + " not yet ticked here, " +
        have.length + " already ticked here" + (unknown.length ? ", " + unknown.length + " unknown to this handbook and ignored (" + unknown.join(", ") + ")" : "") + ". " +
        (newPlan ? "Its study plan (" + newPlan.hours + " hours a week from " + newPlan.start + ") will replace yours. " : "");
      if (!found.length) {
        ask("Nothing to import", text + "Nothing changes.", '<button class="md-button">Close</button>');
        return;
      }
      text += "Merge adds its ticks to your " + items(mine) + "; Replace clears yours and keeps only its " + found.length + ".";
      ask("Import progress", text, '<button class="md-button" value="merge">Merge</button> <button class="md-button" value="replace">Replace</button> <button class="md-button">Cancel</button>', function (choice) {
        if (choice === "replace") state.done = {};
        found.forEach(function (id) {
          state.done[id] = 1;
          if (names[id]) state.titles[id] = names[id];
        });
        save(state);
        if (newPlan) {
          try { window.localStorage.setItem(planner().key, JSON.stringify(newPlan)); } catch (e) { /* not remembered */ }
        }
        refresh();
        notify("Progress imported: you now have " + items(Object.keys(state.done).length) + (newPlan ? ", and the file's study plan." : "."));
      });
    });
  }

  function reset() {
    var n = Object.keys(load().done).length;
    ask("Reset progress?", "This clears " + items(n) + " from this browser and cannot be undone. Export first to keep a copy.",
      '<button class="md-button">Cancel</button> <button class="md-button hb-danger" value="reset">Clear all progress</button>', function () {
        save(emptyState());
        refresh();
        notify("Progress cleared.");
      });
  }

  function bindTools() {
    all(".hb-progress-tools").forEach(function (tools) {
      tools.hidden = false;
      if (tools.dataset.hbBound) return;
      tools.dataset.hbBound = "1";
      var input = tools.querySelector("input[type=file]");
      tools.addEventListener("click", function (event) {
        var button = event.target.closest("[data-action]");
        var action = button && button.getAttribute("data-action");
        if (action === "export") download(load());
        if (action === "import") input.click();
        if (action === "reset") reset();
      });
      input.addEventListener("change", function () {
        if (input.files && input.files[0]) importFile(input.files[0]);
        input.value = "";
      });
    });
  }

  function refresh() {
    bindCheckboxes();
    render(load());
    bindTools();
  }

  /* For the planner: the reading order and the ticked ids (as stored, or held in memory). */
  window.handbookProgress = { key: KEY, refresh: refresh, path: path, done: function () { return load().done; } };
  if (window.document$ && typeof window.document$.subscribe === "function") {
    window.document$.subscribe(refresh);
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", refresh);
  } else {
    refresh();
  }
})();
