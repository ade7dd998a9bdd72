/* naltrack estimated protection: draws the Plotly timeline whose figure the page passes with json_script.
   <div data-chart="ID-of-json_script-element">; no inline scripts (CSP script-src 'self'). Without
   JavaScript the page's sentences and day-by-day table carry the same information. */
(function () {
  "use strict";

  function drawChart(el) {
    var source = document.getElementById(el.getAttribute("data-chart"));
    if (!source) { return; }
    var spec = JSON.parse(source.textContent);
    var layout = spec.layout || {};
    if (el.clientWidth < 560) {
      /* A phone: a smaller title, tighter margins, taller so the legend fits under the plot, and the
         long annotation on the model's line shortened. */
      layout.height = (layout.height || 400) + 90;
      layout.margin = Object.assign({}, layout.margin, { l: 44, r: 8 });
      if (layout.title && layout.title.font) { layout.title.font.size = 14; }
      layout.legend = Object.assign({}, layout.legend, { y: -0.3 });
      (layout.annotations || []).forEach(function (note) {
        if (note.short) { note.text = note.short; }
      });
      if (layout.xaxis) { layout.xaxis.nticks = 5; }
    }
    (layout.annotations || []).forEach(function (note) { delete note.short; });
    window.Plotly.newPlot(el, spec.data, layout, {
      responsive: true,
      displaylogo: false,
      displayModeBar: false,
    });
    el.classList.add("chart-drawn");
  }

  function start() {
    if (typeof window.Plotly === "undefined") { return; }
    var charts = document.querySelectorAll("[data-chart]");
    for (var i = 0; i < charts.length; i += 1) { drawChart(charts[i]); }
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
}());
