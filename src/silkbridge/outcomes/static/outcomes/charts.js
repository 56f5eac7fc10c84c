// Draws each report chart from its JSON block, so the pages need no inline script (the CSP allows none).
document.querySelectorAll("script[data-plotly-for]").forEach(function (block) {
  var spec = JSON.parse(block.textContent);
  Plotly.newPlot(block.dataset.plotlyFor, spec.figure.data, spec.figure.layout, spec.config);
});
