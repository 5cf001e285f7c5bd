// After a failed post (portal and staff pages alike): focus the error summary, so it is read first and its links
// lead to the fields. Without this file the summary is still first in <main>.
(function () {
  "use strict";
  document.addEventListener("DOMContentLoaded", function () {
    var summary = document.getElementById("error-summary");
    if (summary) { summary.focus(); }
  });
})();
