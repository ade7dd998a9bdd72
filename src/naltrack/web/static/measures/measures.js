/* naltrack measures: the drink picker's day choice (charts are drawn by naltrack/charts.js). */
(function () {
  "use strict";

  /* The drink picker: choosing a day reloads today's list for that day (the form still works without JS). */
  function wireDayPicker() {
    var radios = document.querySelectorAll(".day-picker input[type=radio]");
    for (var i = 0; i < radios.length; i += 1) {
      radios[i].addEventListener("change", function (event) {
        var url = new URL(window.location.href);
        url.searchParams.set("day", event.target.value);
        window.location.assign(url.toString());
      });
    }
  }

  function start() {
    wireDayPicker();
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
}());
