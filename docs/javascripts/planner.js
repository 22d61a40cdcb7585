/* Study planner: hours per week and a start date give each phase's weeks, start and end date, from
   the phase hours in the page's reading order (data-hb-path). The plan is remembered in localStorage,
   exported as an iCalendar file, shown on phase pages ("Your plan: ...") and compared with the hours
   of the topics ticked off ("on track", "2 weeks behind"). Without JavaScript the table still shows
   the spec's weeks and hours. */
(function () {
  "use strict";

  var scope = (window.__md_scope || new URL(".", location.href)).pathname;
  var KEY = "handbook.planner:" + scope;
  var DAY = 864e5;

  function read(key) {
    try { return JSON.parse(window.localStorage.getItem(key) || "null"); } catch (e) { return null; }
  }

  /* Milliseconds of a YYYY-MM-DD day at UTC midnight, or NaN when it is no real date. */
  function day(text) {
    var t = /^\d{4}-\d{2}-\d{2}$/.test(text) ? Date.parse(text + "T00:00:00Z") : NaN;
    return !isNaN(t) && iso(t) === text ? t : NaN;
  }

  function iso(t) { return new Date(t).toISOString().slice(0, 10); }

  function today() {
    var now = new Date();
    return Date.UTC(now.getFullYear(), now.getMonth(), now.getDate());
  }

  function hoursProblem(text) {
    return /^\d+$/.test(text) && +text >= 1 && +text <= 80 ? "" : "Enter a whole number of hours from 1 to 80.";
  }

  function valid(plan) {
    return plan && !hoursProblem(String(plan.hours)) && !isNaN(day(plan.start)) ? plan : null;
  }

  var dateFormat = { year: "numeric", month: "short", day: "numeric", timeZone: "UTC" };
  function format(t) { return new Date(t).toLocaleDateString(undefined, dateFormat); }

  function pathData() {
    var el = document.querySelector("[data-hb-path]");
    try { return el && JSON.parse(el.getAttribute("data-hb-path")); } catch (e) { return null; }
  }

  /* A phase starts on the first day after the hours of the phases before it, and ends on the last
     day its own hours need: day offsets are ceil(hours so far * 7 / hours per week), in integers. */
  function schedule(plan, phases) {
    var begin = day(plan.start), total = 0;
    return phases.map(function (phase) {
      var from = Math.ceil((total * 7) / plan.hours);
      total += phase.hours;
      var to = Math.max(from, Math.ceil((total * 7) / plan.hours) - 1);
      return { phase: phase, start: begin + from * DAY, end: begin + to * DAY, weeks: (Math.floor(from / 7) + 1) + "–" + (Math.floor(to / 7) + 1) };
    });
  }

  /* iCalendar (RFC 5545): escaped text, lines folded at 75 octets, CRLF endings. */
  function text(value) { return value.replace(/[\\;,]/g, "\\$&").replace(/\r?\n/g, "\\n"); }

  function fold(line) {
    var out = "", size = 0, encoder = new TextEncoder();
    Array.from(line).forEach(function (ch) {
      var n = encoder.encode(ch).length;
      if (size + n > 75) { out += "\r\n "; size = 1; }
      out += ch;
      size += n;
    });
    return out;
  }

  function calendar(rows, data, plan) {
    var stamp = new Date().toISOString().replace(/[-:]|\.\d+/g, "");
    var compact = function (t) { return iso(t).replace(/-/g, ""); };
    var lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//AI Research Engineer Handbook//Planner//EN", "CALSCALE:GREGORIAN", "METHOD:PUBLISH"];
    rows.forEach(function (row, i) {
      var phase = row.phase, url = new URL(phase.url, location.href).href;
      var topics = data.topics.filter(function (t) { return t.phase === phase.id; }).map(function (t) {
        return "- " + t.title + (t.track ? " (" + t.track + " track)" : "") + ", " + t.hours + " h";
      });
      lines.push("BEGIN:VEVENT", "UID:" + phase.id + "." + scope.replace(/\W+/g, ".") + "planner@" + location.hostname,
        "DTSTAMP:" + stamp, "DTSTART;VALUE=DATE:" + compact(row.start), "DTEND;VALUE=DATE:" + compact(row.end + DAY),
        "SUMMARY:" + text("Phase " + (i + 1) + ": " + phase.title),
        "DESCRIPTION:" + text(phase.hours + " hours at " + plan.hours + " hours a week.\nTopics:\n" + topics.join("\n") + "\n" + url),
        "URL:" + url, "END:VEVENT");
    });
    lines.push("END:VCALENDAR");
    return lines.map(fold).join("\r\n") + "\r\n";
  }

  function save(blob, name) {
    var link = Object.assign(document.createElement("a"), { href: URL.createObjectURL(blob), download: name });
    document.body.appendChild(link).click();
    setTimeout(function () { URL.revokeObjectURL(link.href); link.remove(); }, 0);
  }

  /* Planned dates of this phase, and how far the ticked topics are ahead of or behind the plan. */
  function renderStatus(el, data, plan) {
    var rows = schedule(plan, data.phases), begin = day(plan.start), now = today(), parts = [];
    rows.forEach(function (row) {
      if (row.phase.id !== el.getAttribute("data-phase")) return;
      var range = new Intl.DateTimeFormat(undefined, dateFormat).formatRange(new Date(row.start), new Date(row.end));
      parts.push("Your plan: " + range + ".");
      el.setAttribute("data-start", iso(row.start));
      el.setAttribute("data-end", iso(row.end));
    });
    if (now < begin) {
      parts.push("Your plan starts on " + format(begin) + ".");
    } else {
      var done = (read("handbook.progress:" + scope) || {}).done || {};
      var total = data.phases.reduce(function (sum, p) { return sum + p.hours; }, 0);
      var expected = Math.min(total, ((now - begin) / DAY / 7) * plan.hours);
      var hours = data.topics.reduce(function (sum, t) { return sum + (done[t.id] ? t.hours : 0); }, 0);
      var weeks = Math.round((hours - expected) / plan.hours);
      el.setAttribute("data-weeks", weeks);
      parts.push(weeks ? "You are " + Math.abs(weeks) + (Math.abs(weeks) === 1 ? " week " : " weeks ") + (weeks < 0 ? "behind" : "ahead of") + " your plan." : "You are on track with your plan.");
    }
    el.textContent = parts.join(" ");
    el.hidden = false;
  }

  function renderStatuses() {
    var plan = valid(read(KEY)), data = pathData();
    document.querySelectorAll(".hb-plan-status").forEach(function (el) {
      if (plan && data) renderStatus(el, data, plan);
      else el.hidden = true;
    });
  }

  function bindPlanner() {
    var form = document.querySelector("form.hb-planner");
    var table = document.querySelector(".hb-plan table");
    var data = pathData();
    if (!form || !table || !data || form.dataset.hbBound) return;
    form.dataset.hbBound = "1";
    var hours = form.elements.namedItem("hours");
    var start = form.elements.namedItem("start");
    var plan = valid(read(KEY)) || { hours: parseInt(hours.value, 10) || 1, start: iso(today()) };
    hours.value = plan.hours;
    start.value = plan.start;
    form.hidden = false;
    table.querySelectorAll(".hb-plan__col, .hb-plan__start, .hb-plan__end").forEach(function (el) { el.hidden = false; });

    function show(input, message) {
      var note = document.getElementById(input.getAttribute("aria-describedby"));
      if (note.textContent !== message) note.textContent = message;
      if (message) input.setAttribute("aria-invalid", "true");
      else input.removeAttribute("aria-invalid");
      return !message;
    }

    function remember() {
      try { window.localStorage.setItem(KEY, JSON.stringify(plan)); } catch (e) { /* not remembered */ }
      renderStatuses();
    }

    function render() {
      schedule(plan, data.phases).forEach(function (row) {
        var tr = table.querySelector('tr[data-phase="' + row.phase.id + '"]');
        if (!tr) return;
        tr.querySelector(".hb-plan__weeks").textContent = row.weeks;
        [[".hb-plan__start", row.start], [".hb-plan__end", row.end]].forEach(function (cell) {
          var td = tr.querySelector(cell[0]);
          td.textContent = format(cell[1]);
          td.setAttribute("data-date", iso(cell[1]));
        });
      });
    }

    /* An invalid field shows its message and keeps the last valid plan: nothing is guessed. */
    form.addEventListener("input", function () {
      var okHours = show(hours, hoursProblem(hours.value.trim()));
      var okStart = show(start, !isNaN(day(start.value)) ? "" : "Enter a valid start date (day, month and year).");
      if (!okHours || !okStart) return;
      plan = { hours: parseInt(hours.value, 10), start: start.value };
      remember();
      render();
    });
    form.addEventListener("submit", function (e) { e.preventDefault(); });
    form.querySelector("[data-action=ics]").addEventListener("click", function () {
      remember();
      save(new Blob([calendar(schedule(plan, data.phases), data, plan)], { type: "text/calendar" }), "handbook-plan.ics");
    });
    render();
  }

  function bind() {
    bindPlanner();
    renderStatuses();
  }

  /* A tick changes the hours done: the progress script has saved it by the time the event bubbles here. */
  document.addEventListener("change", function (e) {
    if (e.target.matches && e.target.matches("[data-progress-id]")) renderStatuses();
  });

  /* The script runs at the end of the page: render now, before the first paint, so nothing shifts. */
  bind();
  if (window.document$ && typeof window.document$.subscribe === "function") window.document$.subscribe(bind);
})();
