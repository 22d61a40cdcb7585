/* Study planner: a pace and a start date give each phase's weeks and dates from the phase hours in
   data-hb-path; kept in localStorage, exported as .ics, shown on the home and phase pages. */
(function () {
  "use strict";

  var scope = (window.__md_scope || new URL(".", location.href)).pathname;
  var KEY = "handbook.planner:" + scope;
  var DAY = 864e5;
  var HOURS = "Enter a whole number of hours from 1 to 80.";
  var DATE = { year: "numeric", month: "short", day: "numeric", timeZone: "UTC" };

  function read(key) {
    try { return JSON.parse(localStorage.getItem(key)); } catch (e) { return null; }
  }

  function iso(t) { return new Date(t).toISOString().slice(0, 10); }

  function today() { return iso(Date.now() - new Date().getTimezoneOffset() * 6e4); }

  /* A YYYY-MM-DD day as UTC milliseconds, NaN when it is no real date. */
  function day(text) {
    var t = /^\d{4}-\d\d-\d\d$/.test(text) ? Date.parse(text) : NaN;
    return t && iso(t) === text ? t : NaN;
  }

  function badHours(text) { return !/^\d+$/.test(text) || text < 1 || text > 80; }

  /* A stored or imported plan, or null: the one rule, which the progress script's import uses too. */
  function valid(plan) {
    return plan && !badHours(String(plan.hours)) && day(plan.start) ? { hours: +plan.hours, start: plan.start } : null;
  }

  function format(t) { return new Date(t).toLocaleDateString(undefined, DATE); }

  /* The reading order and the progress come from the progress script, which reads them once. */
  function pathData() { return window.handbookProgress ? window.handbookProgress.path() : null; }

  /* A phase starts on day ceil(hours before it * 7 / pace) and ends the day before the next one. */
  function schedule(plan, phases) {
    var begin = day(plan.start), total = 0;
    return phases.map(function (phase) {
      var from = Math.ceil((total * 7) / plan.hours);
      total += phase.hours;
      var to = Math.max(from, Math.ceil((total * 7) / plan.hours) - 1);
      return { phase: phase, start: begin + from * DAY, end: begin + to * DAY, weeks: (from / 7 | 0) + 1 + "–" + ((to / 7 | 0) + 1) };
    });
  }

  /* iCalendar (RFC 5545): escaped text, lines folded at 75 octets, CRLF endings. */
  function text(value) { return value.replace(/[\\;,]/g, "\\$&").replace(/\n/g, "\\n"); }

  function fold(line) {
    var out = "", size = 0;
    Array.from(line).forEach(function (ch) {
      var n = new TextEncoder().encode(ch).length;
      if (size + n > 75) { out += "\r\n "; size = 1; }
      out += ch;
      size += n;
    });
    return out;
  }

  function calendar(rows, data, plan) {
    var stamp = new Date().toISOString().replace(/[-:]|\.\d+/g, "");
    var date = function (t) { return ";VALUE=DATE:" + iso(t).replace(/-/g, ""); };
    var lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//handbook//planner//EN"];
    rows.forEach(function (row, i) {
      var phase = row.phase, url = new URL(phase.url, location.href).href;
      var topics = data.topics.filter(function (t) { return t.phase === phase.id; }).map(function (t) { return "- " + t.title; });
      lines.push("BEGIN:VEVENT", "UID:" + phase.id + scope.replace(/\W+/g, ".") + "plan@" + location.hostname, "DTSTAMP:" + stamp,
        "DTSTART" + date(row.start), "DTEND" + date(row.end + DAY), "SUMMARY:" + text("Phase " + (i + 1) + ": " + phase.title),
        "DESCRIPTION:" + text(phase.hours + " hours at " + plan.hours + " a week. Topics:\n" + topics.join("\n") + "\n" + url),
        "URL:" + url, "END:VEVENT");
    });
    return lines.concat("END:VCALENDAR", "").map(fold).join("\r\n");
  }

  /* "Your plan: <this phase's dates> · 2 weeks behind": the hours of ticked topics against the plan. */
  function renderStatus(el, data, plan) {
    var begin = day(plan.start), now = day(today()), parts = [];
    schedule(plan, data.phases).forEach(function (row) {
      if (row.phase.id === el.getAttribute("data-phase")) parts.push(new Intl.DateTimeFormat(undefined, DATE).formatRange(row.start, row.end));
    });
    if (now < begin) {
      parts.push("starts " + format(begin));
    } else {
      var done = window.handbookProgress ? window.handbookProgress.done() : {};
      var sum = function (list, pick) { return list.reduce(function (s, x) { return s + pick(x); }, 0); };
      var expected = Math.min(sum(data.phases, function (p) { return p.hours; }), ((now - begin) / DAY / 7) * plan.hours);
      var weeks = Math.round((sum(data.topics, function (t) { return done[t.id] ? t.hours : 0; }) - expected) / plan.hours);
      var n = Math.abs(weeks);
      parts.push(weeks ? n + (n > 1 ? " weeks " : " week ") + (weeks < 0 ? "behind" : "ahead") : "on track");
    }
    el.textContent = "Your plan: " + parts.join(" · ");
  }

  function renderStatuses() {
    var plan = valid(read(KEY)), data = pathData();
    document.querySelectorAll(".hb-plan-status").forEach(function (el) {
      el.hidden = !(plan && data);
      if (!el.hidden) renderStatus(el, data, plan);
    });
  }

  function bindPlanner() {
    var form = document.querySelector("form.hb-planner"), table = document.querySelector(".hb-plan table"), data = pathData();
    if (!form || !table || !data || form.dataset.hbBound) return;
    form.dataset.hbBound = "1";
    var hours = form.elements.hours, start = form.elements.start;
    var plan = valid(read(KEY)) || { hours: +hours.value || 1, start: today() };
    hours.value = plan.hours;
    start.value = plan.start;
    form.hidden = false;
    table.querySelectorAll("[hidden]").forEach(function (el) { el.hidden = false; });

    function check(input, message) {
      document.getElementById(input.getAttribute("aria-describedby")).textContent = message;
      if (message) input.setAttribute("aria-invalid", "true");
      else input.removeAttribute("aria-invalid");
      return !message;
    }

    function remember() {
      try { localStorage.setItem(KEY, JSON.stringify(plan)); } catch (e) { /* not remembered */ }
      renderStatuses();
    }

    function render() {
      schedule(plan, data.phases).forEach(function (row) {
        var tr = table.querySelector('tr[data-phase="' + row.phase.id + '"]');
        tr.querySelector(".hb-plan__weeks").textContent = row.weeks;
        [["start", row.start], ["end", row.end]].forEach(function (cell) {
          var td = tr.querySelector(".hb-plan__" + cell[0]);
          td.textContent = format(cell[1]);
          td.setAttribute("data-date", iso(cell[1]));
        });
      });
    }

    /* An invalid field shows its message and the last valid plan stays: nothing is guessed. */
    form.addEventListener("input", function () {
      var ok = check(hours, badHours(hours.value) ? HOURS : "");
      if (check(start, day(start.value) ? "" : "Enter a valid start date (day, month and year).") && ok) {
        plan = { hours: +hours.value, start: start.value };
        remember();
        render();
      }
    });
    form.addEventListener("submit", function (e) { e.preventDefault(); });
    form.querySelector("[data-action=ics]").addEventListener("click", function () {
      remember();
      var link = document.createElement("a");
      link.href = URL.createObjectURL(new Blob([calendar(schedule(plan, data.phases), data, plan)], { type: "text/calendar" }));
      link.download = "handbook-plan.ics";
      link.click();
    });
    render();
  }

  function bind() {
    bindPlanner();
    renderStatuses();
  }

  /* A tick changes the hours done; the progress script has saved it when the event bubbles here. */
  document.addEventListener("change", function (e) {
    if (e.target.matches("[data-progress-id]")) renderStatuses();
  });

  /* For the progress script's export and import, which carry the plan. */
  window.handbookPlanner = { key: KEY, valid: valid };

  /* As soon as this script runs, at the end of the page, and after each instant navigation. */
  bind();
  if (window.document$) window.document$.subscribe(bind);
})();
