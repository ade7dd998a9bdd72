/* naltrack safety pages: the liver trend chart (data from json_script, drawn with the local Plotly)
   and the emergency card's Print button. No inline script: the CSP allows only the app's own files. */
(function () {
  "use strict";

  function drawLiverChart() {
    var holder = document.getElementById("liver-chart");
    var source = document.getElementById("liver-chart-data");
    if (!holder || !source || typeof window.Plotly === "undefined") { return; }
    var data = JSON.parse(source.textContent);
    var traces = data.series.map(function (s) {
      return { x: s.x, y: s.y, name: s.name, type: "scatter", mode: "lines+markers",
               hovertemplate: "%{x}: %{y:.2f}x ULN<extra>" + s.name + "</extra>" };
    });
    var xs = [];
    data.series.forEach(function (s) { xs = xs.concat(s.x); });
    xs.sort();
    var shapes = [];
    var annotations = [];
    var colours = ["#7a4b00", "#a1191b"];
    data.thresholds.forEach(function (t, i) {
      shapes.push({ type: "line", xref: "paper", x0: 0, x1: 1, y0: t.y, y1: t.y,
                    line: { color: colours[i % 2], width: 1.5, dash: "dash" } });
      annotations.push({ xref: "paper", x: 0, xanchor: "left", y: t.y, yanchor: "bottom", text: t.name,
                         showarrow: false, font: { size: 11, color: colours[i % 2] } });
    });
    var maxY = 6;
    data.series.forEach(function (s) { s.y.forEach(function (y) { if (y + 0.5 > maxY) { maxY = y + 0.5; } }); });
    var layout = {
      margin: { l: 48, r: 12, t: 8, b: 40 },
      height: 320,
      yaxis: { title: { text: "x ULN" }, rangemode: "tozero", range: [0, maxY], fixedrange: true },
      xaxis: { type: "date", fixedrange: true },
      legend: { orientation: "h", y: -0.2 },
      shapes: shapes,
      annotations: annotations,
      font: { family: "system-ui, sans-serif" }
    };
    window.Plotly.newPlot(holder, traces, layout, { displayModeBar: false, responsive: true });
  }

  function wirePrintButtons() {
    document.querySelectorAll("[data-print]").forEach(function (button) {
      button.addEventListener("click", function (event) { event.preventDefault(); window.print(); });
    });
  }

  function start() { drawLiverChart(); wirePrintButtons(); }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
}());
