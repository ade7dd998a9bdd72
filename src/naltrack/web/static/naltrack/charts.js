/* naltrack charts: draws every <div data-chart="ID"> from the Plotly figure that the page passes in the
   json_script element ID, with the Plotly served by naltrack itself (no inline script: CSP script-src
   'self'). A figure may carry "phone" settings for narrow screens: extra_height, margin, title_size,
   legend_y, nticks; an annotation may carry a "short" text for them. Pages keep their sentences and
   tables, so nothing depends on this script. */
(function () {
  "use strict";

  var PHONE_WIDTH = 560;

  function fitToPhone(layout, phone) {
    layout.height = (layout.height || 340) + (phone.extra_height || 0);
    if (phone.margin) { layout.margin = Object.assign({}, layout.margin, phone.margin); }
    if (phone.title_size && layout.title && layout.title.font) { layout.title.font.size = phone.title_size; }
    if (phone.legend_y !== undefined) { layout.legend = Object.assign({}, layout.legend, { y: phone.legend_y }); }
    if (phone.nticks && layout.xaxis) { layout.xaxis.nticks = phone.nticks; }
    (layout.annotations || []).forEach(function (note) { if (note.short) { note.text = note.short; } });
  }

  function drawChart(el) {
    var source = document.getElementById(el.getAttribute("data-chart"));
    if (!source) { return; }
    var spec = JSON.parse(source.textContent);
    var layout = spec.layout || {};
    if (el.clientWidth < PHONE_WIDTH && spec.phone) { fitToPhone(layout, spec.phone); }
    (layout.annotations || []).forEach(function (note) { delete note.short; });
    window.Plotly.newPlot(el, spec.data, layout, { responsive: true, displaylogo: false, displayModeBar: false });
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
