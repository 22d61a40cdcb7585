/* Study planner: hours per week and a start date give each phase's start and end date, from
   the hours in the roadmap spec. Remembered in localStorage; without JavaScript the table still
   shows the weeks and hours. */
(function () {
  "use strict";

  var scope = (window.__md_scope || new URL(".", location.href)).pathname;
  var KEY = "handbook.planner:" + scope;
  var DAY = 24 * 60 * 60 * 1000;

  function read() {
    try {
      var value = JSON.parse(window.localStorage.getItem(KEY) || "null");
      if (value && typeof value === "object") return value;
    } catch (e) { /* unreadable or unavailable: fall back to defaults */ }
    return {};
  }

  function write(value) {
    try { window.localStorage.setItem(KEY, JSON.stringify(value)); } catch (e) { /* not remembered */ }
  }

  function today() {
    var now = new Date();
    return new Date(Date.UTC(now.getFullYear(), now.getMonth(), now.getDate())).toISOString().slice(0, 10);
  }

  function format(date) {
    return date.toLocaleDateString(undefined, { year: "numeric", month: "short", day: "numeric", timeZone: "UTC" });
  }

  /* Phase i ends after the days needed for all hours up to and including it. */
  function plan(start, hoursPerWeek, phaseHours) {
    var begin = Date.parse(start + "T00:00:00Z");
    var cumulative = 0;
    return phaseHours.map(function (hours) {
      var from = new Date(begin + Math.ceil((cumulative / hoursPerWeek) * 7) * DAY);
      cumulative += hours;
      var to = new Date(begin + (Math.ceil((cumulative / hoursPerWeek) * 7) - 1) * DAY);
      return { start: from, end: to };
    });
  }

  function bind() {
    var form = document.querySelector("form.hb-planner");
    var table = document.querySelector("table.hb-plan");
    if (!form || !table) return;
    var saved = read();
    var hours = form.elements.namedItem("hours");
    var start = form.elements.namedItem("start");
    hours.value = saved.hours || hours.value || 15;
    start.value = saved.start || today();
    form.hidden = false;
    table.querySelectorAll(".hb-plan__col, .hb-plan__start, .hb-plan__end").forEach(function (el) { el.hidden = false; });

    function update() {
      var perWeek = Math.min(80, Math.max(1, parseInt(hours.value, 10) || 15));
      var when = /^\d{4}-\d{2}-\d{2}$/.test(start.value) ? start.value : today();
      var rows = Array.prototype.slice.call(table.querySelectorAll("tbody tr[data-hours]"));
      var dates = plan(when, perWeek, rows.map(function (r) { return parseInt(r.getAttribute("data-hours"), 10) || 0; }));
      rows.forEach(function (row, i) {
        row.querySelector(".hb-plan__start").textContent = format(dates[i].start);
        row.querySelector(".hb-plan__end").textContent = format(dates[i].end);
        row.querySelector(".hb-plan__end").setAttribute("data-date", dates[i].end.toISOString().slice(0, 10));
      });
      write({ hours: perWeek, start: when });
    }

    if (!form.dataset.hbBound) {
      form.dataset.hbBound = "1";
      form.addEventListener("input", update);
      form.addEventListener("submit", function (e) { e.preventDefault(); });
    }
    update();
  }

  if (window.document$ && typeof window.document$.subscribe === "function") {
    window.document$.subscribe(bind);
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", bind);
  } else {
    bind();
  }
})();
