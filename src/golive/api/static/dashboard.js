// Draws every <canvas data-chart='{...}'> with the vendored Chart.js (no inline script: CSP).
"use strict";

const STATUS_COLOURS = {
  pass: "#2e7d32",
  warn: "#f9a825",
  waived: "#6a1b9a",
  fail: "#c62828",
  error: "#4e342e",
  no_data: "#9e9e9e",
};

function drawChart(canvas) {
  const spec = JSON.parse(canvas.dataset.chart);
  const datasets = [];
  if (spec.kind === "bar") {
    datasets.push({
      label: spec.label,
      data: spec.values,
      backgroundColor: (spec.statuses || []).map((s) => STATUS_COLOURS[s] || "#607d8b"),
    });
  } else {
    datasets.push({
      label: spec.label,
      data: spec.values,
      borderColor: "#1565c0",
      backgroundColor: "#1565c0",
      pointBackgroundColor: (spec.statuses || []).map((s) => STATUS_COLOURS[s] || "#1565c0"),
      pointRadius: 3,
      spanGaps: false,
      clip: 6, // a point on the axis limit (a score of 1) is drawn whole
      tension: 0,
    });
  }
  if (spec.threshold !== null && spec.threshold !== undefined) {
    datasets.push({
      type: "line",
      label: "threshold",
      data: spec.labels.map(() => spec.threshold),
      borderColor: "#c62828",
      borderDash: [6, 4],
      pointRadius: 0,
    });
  }
  // Kept on the element so tests and people can read what was drawn.
  canvas.chart = new Chart(canvas, {
    type: spec.kind === "bar" ? "bar" : "line",
    data: { labels: spec.labels, datasets: datasets },
    options: {
      animation: false,
      responsive: true,
      maintainAspectRatio: false,
      plugins: { legend: { display: datasets.length > 1 } },
      scales: {
        x: { ticks: { maxTicksLimit: 8 } },
        y: spec.y_range ? { min: spec.y_range[0], max: spec.y_range[1] } : {},
      },
    },
  });
}

document.addEventListener("DOMContentLoaded", () => {
  document.querySelectorAll("canvas[data-chart]").forEach(drawChart);
  document.body.dataset.chartsDrawn = "true";
});
