// Worked answers are <details class="hb-answer">: closed on screen, open on paper.
// Without JavaScript they still open and close natively; this only opens them for printing.
(function () {
  "use strict";
  var opened = [];
  window.addEventListener("beforeprint", function () {
    document.querySelectorAll("details.hb-answer:not([open])").forEach(function (answer) {
      answer.open = true;
      opened.push(answer);
    });
  });
  window.addEventListener("afterprint", function () {
    opened.forEach(function (answer) {
      answer.open = false;
    });
    opened = [];
  });
})();
