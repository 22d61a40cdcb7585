/* Accessibility fixes to the themes' markup, made here so that no theme template is copied.
   Each fix checks for what it fixes first, so it does nothing where a theme (or a later version
   of one) already gets it right, and nothing on the engine it does not concern. */
(function () {
  "use strict";

  /* Material 9's search dialog has role="dialog" and no accessible name (axe: aria-dialog-name);
     Zensical's has one. */
  function nameSearchDialog() {
    var dialog = document.querySelector('.md-search[role="dialog"]');
    if (!dialog || dialog.hasAttribute("aria-label") || dialog.hasAttribute("aria-labelledby")) return;
    var input = dialog.querySelector("input.md-search__input");
    dialog.setAttribute("aria-label", (input && input.getAttribute("placeholder")) || "Search");
  }

  /* Zensical's search dialog lives in a shadow root, out of the site stylesheet's reach. There, each
     result's path ("Reference / Glossary") is drawn at 45 % of the text colour (3.4:1), and the
     scrolling list of results takes no keyboard focus (axe: scrollable-region-focusable). A rule
     keyed to roles, not to its generated class names, and a tab stop on the list fix both. */
  var RULES = '[role="option"] menu { color: rgb(var(--color-foreground) / 0.75); }';

  function fixSearchRoot(root) {
    if (root.__hbFixed) return;
    root.__hbFixed = true;
    var style = document.createElement("style");
    style.textContent = RULES;
    root.appendChild(style);
    var focusList = function () {
      var list = root.querySelector('[role="listbox"]');
      var scroller = list && list.parentElement;
      if (scroller && scroller.getAttribute("tabindex") === "-1") scroller.setAttribute("tabindex", "0");
    };
    new MutationObserver(focusList).observe(root, { childList: true, subtree: true });
    focusList();
  }

  function findSearchRoot() {
    for (var i = 0; i < document.body.children.length; i++) {
      var root = document.body.children[i].shadowRoot; // Zensical's search is the only one
      if (root) fixSearchRoot(root);
    }
  }

  function run() {
    nameSearchDialog();
    findSearchRoot();
  }

  new MutationObserver(findSearchRoot).observe(document.body, { childList: true });
  if (window.document$ && typeof window.document$.subscribe === "function") {
    window.document$.subscribe(run);
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", run);
  } else {
    run();
  }
})();
