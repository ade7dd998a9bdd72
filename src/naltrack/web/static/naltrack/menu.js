// On a phone-sized screen, fold the main menu behind a "Menu" button (the page works without this:
// every entry is then shown, wrapped).
(function () {
  "use strict";
  var button = document.querySelector(".menu-toggle");
  var nav = document.querySelector(".site-nav");
  if (!button || !nav) { return; }
  var narrow = window.matchMedia("(max-width: 640px)");

  function fold(isNarrow) {
    button.hidden = !isNarrow;
    nav.classList.toggle("folded", isNarrow);
    if (!isNarrow) { nav.classList.remove("open"); button.setAttribute("aria-expanded", "false"); }
  }

  button.addEventListener("click", function () {
    var open = nav.classList.toggle("open");
    button.setAttribute("aria-expanded", open ? "true" : "false");
  });
  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape" && nav.classList.contains("open")) {
      nav.classList.remove("open");
      button.setAttribute("aria-expanded", "false");
      button.focus();
    }
  });
  fold(narrow.matches);
  narrow.addEventListener("change", function (event) { fold(event.matches); });
})();
