// Tools → Communication: merge-field buttons insert {Field} at the cursor; a debounced live preview asks the server
// (POST /api/v1/admin/templates/preview, the same rendering as real emails).
(function () {
  'use strict';
  var form = document.querySelector('[data-template-editor]');
  if (!form) { return; }
  var targets = form.querySelectorAll('[data-merge-target]');
  var last = form.querySelector('textarea[data-merge-target]') || targets[0];
  targets.forEach(function (t) { t.addEventListener('focus', function () { last = t; }); });

  form.querySelectorAll('[data-merge-field]').forEach(function (button) {
    button.disabled = false;
    button.addEventListener('click', function () {
      if (!last) { return; }
      var token = button.getAttribute('data-merge-field');
      var start = last.selectionStart == null ? last.value.length : last.selectionStart;
      var end = last.selectionEnd == null ? start : last.selectionEnd;
      last.value = last.value.slice(0, start) + token + last.value.slice(end);
      last.focus();
      last.setSelectionRange(start + token.length, start + token.length);
      schedule();
    });
  });

  var section = form.querySelector('[data-preview-url]');
  var subject = form.querySelector('[name="Input.Subject"]');
  var body = form.querySelector('[name="Input.Body"]');
  var status = form.querySelector('[data-preview-status]');
  var outSubject = form.querySelector('[data-preview-subject]');
  var outText = form.querySelector('[data-preview-text]');
  var previewFor = form.querySelector('[data-preview-for]');
  var timer = 0;
  var seq = 0;

  function render() {
    if (!subject.value.trim() || !body.value.trim()) { status.textContent = 'Give a subject and a body to see the preview.'; return; }
    var mine = ++seq;
    fetch(section.getAttribute('data-preview-url'), {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
      credentials: 'same-origin',
      body: JSON.stringify({ subject: subject.value, body: body.value, notification: previewFor ? previewFor.value : null })
    }).then(function (r) {
      return r.json().then(function (json) { return { ok: r.ok, json: json }; });
    }).then(function (answer) {
      if (mine !== seq) { return; }
      if (answer.ok) {
        status.textContent = '';
        outSubject.textContent = answer.json.subject;
        outText.textContent = answer.json.text;
      } else {
        var errors = answer.json.errors || {};
        var messages = [];
        Object.keys(errors).forEach(function (k) { messages = messages.concat(errors[k]); });
        status.textContent = messages.length ? messages.join(' ') : (answer.json.detail || 'The preview is not available.');
      }
    }).catch(function () { if (mine === seq) { status.textContent = 'The preview is not available right now.'; } });
  }

  function schedule() {
    clearTimeout(timer);
    timer = setTimeout(render, 400);
  }

  [subject, body].forEach(function (t) { if (t) { t.addEventListener('input', schedule); } });
  if (previewFor) { previewFor.addEventListener('change', schedule); }
  if (subject && body && subject.value && body.value && !outText.textContent) { render(); }
})();
