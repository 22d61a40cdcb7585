/* Map of the year: on hover or focus, ring a topic's prerequisites (data-pre) and draw curves to them. */
(function () {
  "use strict";

  function bind() {
    var map = document.querySelector(".hb-map");
    if (!map || map.dataset.hbBound) return;
    map.dataset.hbBound = "1";
    map.insertAdjacentHTML("beforeend", '<svg class="hb-map__links" aria-hidden="true"><path/></svg>');
    var path = map.lastChild.firstChild;
    var lit = [];

    function show(topic) {
      lit.forEach(function (el) { el.classList.remove("hb-map__is-pre"); });
      lit = [];
      var d = "";
      if (topic) {
        var box = map.getBoundingClientRect(), t = topic.getBoundingClientRect();
        (topic.getAttribute("data-pre") || "").split(" ").forEach(function (id) {
          var pre = id && map.querySelector('a[data-progress-id="' + id + '"]');
          if (!pre) return;
          pre.classList.add("hb-map__is-pre");
          lit.push(pre);
          var r = pre.getBoundingClientRect(), above = r.bottom <= t.top, below = r.top >= t.bottom;
          // Bottom of a box above to this box's top (or the reverse); in one row, an arc over it.
          var y1 = (above ? r.bottom : r.top) - box.top, y2 = (below ? t.bottom : t.top) - box.top;
          var mid = above || below ? (y1 + y2) / 2 : y1 - 16;
          var x1 = r.left + r.width / 2 - box.left, x2 = t.left + t.width / 2 - box.left;
          d += "M" + x1 + " " + y1 + "C" + x1 + " " + mid + " " + x2 + " " + mid + " " + x2 + " " + y2;
        });
      }
      path.setAttribute("d", d);
    }

    function pick(event) { show(event.target.closest("a[data-progress-id]")); }
    map.addEventListener("mouseover", pick);
    map.addEventListener("focusin", pick);
    map.addEventListener("mouseleave", function () { show(map.contains(document.activeElement) && document.activeElement.closest("a[data-progress-id]")); });
    map.addEventListener("focusout", function (event) { if (!map.contains(event.relatedTarget)) show(null); });
  }

  if (window.document$) window.document$.subscribe(bind);
  else if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", bind);
  else bind();
})();
