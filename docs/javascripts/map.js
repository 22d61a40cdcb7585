/* The map of the year (phases index): when a topic box is hovered or focused, ring the boxes it
   builds on (its data-pre ids) and draw a curve from each to it. The names are already in the
   box's description, which the stylesheet shows; without JavaScript the map is plain links. */
(function () {
  "use strict";

  var NS = "http://www.w3.org/2000/svg";

  function bind() {
    var map = document.querySelector(".hb-map");
    if (!map || map.dataset.hbBound) return;
    map.dataset.hbBound = "1";
    var svg = document.createElementNS(NS, "svg");
    var path = document.createElementNS(NS, "path");
    svg.setAttribute("class", "hb-map__links");
    svg.setAttribute("aria-hidden", "true");
    svg.appendChild(path);
    map.appendChild(svg);
    var lit = [];

    function show(topic) {
      lit.forEach(function (el) { el.classList.remove("hb-map__on", "hb-map__is-pre"); });
      lit = [];
      map.classList.toggle("hb-map--on", !!topic);
      path.setAttribute("d", "");
      if (!topic) return;
      topic.classList.add("hb-map__on");
      lit.push(topic);
      var box = map.getBoundingClientRect();
      var t = topic.getBoundingClientRect();
      var d = "";
      (topic.getAttribute("data-pre") || "").split(" ").forEach(function (id) {
        var pre = id && map.querySelector('a[data-progress-id="' + id + '"]');
        if (!pre) return;
        pre.classList.add("hb-map__is-pre");
        lit.push(pre);
        var r = pre.getBoundingClientRect();
        var x1 = r.left + r.width / 2 - box.left, x2 = t.left + t.width / 2 - box.left;
        // From the box above (or below) to this one; between boxes in one row, an arc over the row.
        var y1 = (r.bottom <= t.top ? r.bottom : r.top) - box.top;
        var y2 = (r.bottom <= t.top ? t.top : r.top >= t.bottom ? t.bottom : t.top) - box.top;
        var mid = y1 === y2 ? y1 - 16 : (y1 + y2) / 2;
        d += "M" + x1 + " " + y1 + "C" + x1 + " " + mid + " " + x2 + " " + mid + " " + x2 + " " + y2;
      });
      path.setAttribute("d", d);
    }

    function pick(event) { show(event.target.closest("a[data-progress-id]")); }
    map.addEventListener("mouseover", pick);
    map.addEventListener("focusin", pick);
    map.addEventListener("mouseleave", function () {
      show(map.contains(document.activeElement) ? document.activeElement.closest("a[data-progress-id]") : null);
    });
    map.addEventListener("focusout", function (event) {
      if (!map.contains(event.relatedTarget)) show(null);
    });
  }

  if (window.document$ && typeof window.document$.subscribe === "function") {
    window.document$.subscribe(bind);
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", bind);
  } else {
    bind();
  }
})();
