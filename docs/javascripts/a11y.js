/* Accessibility fixes to the themes' markup, made here so that no theme template is copied.
   The search dialog needs an accessible name (axe: aria-dialog-name): Zensical's has one,
   Material 9's has role="dialog" and no name. It is named only when it has none, so the fix
   is a no-op wherever a theme (or a later version of one) already names it. */
(function () {
  "use strict";

  function nameSearchDialog() {
    var dialog = document.querySelector('.md-search[role="dialog"]');
    if (!dialog || dialog.hasAttribute("aria-label") || dialog.hasAttribute("aria-labelledby")) return;
    var input = dialog.querySelector("input.md-search__input");
    dialog.setAttribute("aria-label", (input && input.getAttribute("placeholder")) || "Search");
  }

  if (window.document$ && typeof window.document$.subscribe === "function") {
    window.document$.subscribe(nameSearchDialog);
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", nameSearchDialog);
  } else {
    nameSearchDialog();
  }
})();
