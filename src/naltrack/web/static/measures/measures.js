/* naltrack measures: draws the Plotly charts whose data the page passes with json_script.
   Each chart is <div data-chart="ID-of-json_script-element">; no inline scripts (CSP script-src 'self'). */
(function () {
  "use strict";

  function drawChart(el) {
    var source = document.getElementById(el.getAttribute("data-chart"));
    if (!source) { return; }
    var spec = JSON.parse(source.textContent);
    var layout = spec.layout || {};
    if (el.clientWidth < 560) {
      /* A phone: smaller title, tighter margins, a little taller so the legend fits under the plot. */
      layout.height = (layout.height || 340) + 30;
      layout.margin = Object.assign({}, layout.margin, { l: 50, r: layout.margin && layout.margin.r > 20 ? 46 : 8 });
      if (layout.title && layout.title.font) { layout.title.font.size = 15; }
      layout.legend = Object.assign({}, layout.legend, { y: -0.34 });
    }
    window.Plotly.newPlot(el, spec.data, layout, {
      responsive: true,
      displaylogo: false,
      displayModeBar: false,
    });
    el.classList.add("chart-drawn");
  }

  function drawAll() {
    if (typeof window.Plotly === "undefined") { return; }
    var charts = document.querySelectorAll("[data-chart]");
    for (var i = 0; i < charts.length; i += 1) { drawChart(charts[i]); }
  }

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
    drawAll();
    wireDayPicker();
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
}());
