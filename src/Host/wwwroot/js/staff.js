// Touches for every staff page; each page works without this file.
(function () {
  "use strict";
  document.addEventListener("DOMContentLoaded", function () {
    // After a successful post the page that follows says so in a role="status" message ("Service saved."). A live
    // region is announced when its content changes, not when the page arrives with it, so the message is put back
    // a moment after load: screen readers then read it without the user having to find it.
    var notices = document.querySelectorAll(".notice[role='status']");
    Array.prototype.forEach.call(notices, function (notice) {
      var content = Array.prototype.slice.call(notice.childNodes);
      if (content.length === 0) { return; }
      content.forEach(function (node) { notice.removeChild(node); });
      setTimeout(function () { content.forEach(function (node) { notice.appendChild(node); }); }, 250);
    });
  });
})();
