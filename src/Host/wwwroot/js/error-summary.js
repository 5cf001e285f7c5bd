// After a failed post (portal and staff pages alike): focus the error summary, so it is read first and its links
// lead to the fields. Without this file the summary is still first in <main>.
// Otherwise a page reached after a post or a redirect (the portal's confirm page after sign-in, Booked, the code and
// new-client pages) focuses what it marks data-focus-first: its main message (a heading or line with tabindex="-1") or
// its only field, so focus does not start again at the top of the page, behind the menu (s41 review, finding 7).
(function () {
  "use strict";
  document.addEventListener("DOMContentLoaded", function () {
    var summary = document.getElementById("error-summary");
    var first = summary || document.querySelector("[data-focus-first]");
    if (first) { first.focus(); }
  });
})();
