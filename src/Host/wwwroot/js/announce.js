// Portal and staff pages alike; each page works without this file.
(function () {
  "use strict";
  document.addEventListener("DOMContentLoaded", function () {
    // After a successful post the page that follows says so in a role="status" message ("Service saved.", "Your
    // appointment is cancelled."). A live region is announced when its content changes, not when the page arrives with
    // it, so the message is put back a moment after load: screen readers then read it without the user having to find
    // it. Only messages that report an outcome (.notice, .ok, data-announce), not every status on a page.
    var notices = document.querySelectorAll(".notice[role='status'], .ok[role='status'], [role='status'][data-announce]");
    Array.prototype.forEach.call(notices, function (notice) {
      var content = Array.prototype.slice.call(notice.childNodes);
      if (content.length === 0) { return; }
      content.forEach(function (node) { notice.removeChild(node); });
      setTimeout(function () { content.forEach(function (node) { notice.appendChild(node); }); }, 250);
    });
  });
})();
