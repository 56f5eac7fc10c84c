// silkbridge: small progressive enhancements; every page works without this file.
(function () {
  "use strict";
  // Filter panels start collapsed for phones; on a wide screen there is room to show them open.
  if (window.matchMedia && window.matchMedia("(min-width: 60rem)").matches) {
    document.querySelectorAll("details[data-open-wide]").forEach(function (panel) { panel.open = true; });
  }
})();
