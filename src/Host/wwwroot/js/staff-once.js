// Staff pages: a form sent once (data-once: New appointment, Move) takes no second click while its answer is on the way.
// The server's guard is the form's key (a repeat post gets the first one's answer, IdempotentRequests); this spares the
// wait and the second request. Every page works without this file.
// The buttons are disabled only after the browser has read the form: a disabled button sends no name or value, and the
// button pressed may carry one (a free time's pick, Book anyway's confirmation). Back to a page kept in the browser's
// cache finds the buttons working again.
(function () {
  'use strict';
  function buttons(form) {
    return Array.prototype.filter.call(form.elements, function (el) {
      return (el.tagName === 'BUTTON' || el.tagName === 'INPUT') && el.type === 'submit';
    });
  }
  document.addEventListener('submit', function (e) {
    var form = e.target;
    if (!form || !form.hasAttribute || !form.hasAttribute('data-once')) { return; }
    if (form.getAttribute('data-sent')) { e.preventDefault(); return; }
    if (e.defaultPrevented) { return; } // another script stopped it: nothing was sent
    form.setAttribute('data-sent', 'true');
    setTimeout(function () { buttons(form).forEach(function (b) { b.disabled = true; }); }, 0);
  });
  window.addEventListener('pageshow', function () {
    document.querySelectorAll('form[data-once][data-sent]').forEach(function (form) {
      form.removeAttribute('data-sent');
      buttons(form).forEach(function (b) { b.disabled = false; });
    });
  });
})();
