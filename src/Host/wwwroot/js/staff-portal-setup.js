// Setup → Client Portal: copy buttons (navigator.clipboard) and the live branding preview. Each button says what it did
// in its own live region (data-copy-status: the link's under the link at the top, the snippet's under the snippet).
(function () {
  'use strict';
  document.querySelectorAll('[data-copy]').forEach(function (button) {
    var source = document.getElementById(button.getAttribute('data-copy'));
    var status = document.getElementById(button.getAttribute('data-copy-status'));
    if (!source || !navigator.clipboard) { return; }
    button.hidden = false;
    button.addEventListener('click', function () {
      navigator.clipboard.writeText(source.value).then(function () {
        if (status) { status.textContent = 'Copied to the clipboard.'; }
      }, function () {
        source.select();
        if (status) { status.textContent = 'Press Ctrl+C (or \u2318C) to copy the selected text.'; }
      });
    });
  });

  // Black or white text, whichever contrasts more with the colour (WCAG relative luminance).
  var textOn = function (hex) {
    var m = /^#([0-9a-f]{6})$/i.exec(hex);
    if (!m) { return '#ffffff'; }
    var n = parseInt(m[1], 16);
    var lin = function (c) { c = c / 255; return c <= 0.03928 ? c / 12.92 : Math.pow((c + 0.055) / 1.055, 2.4); };
    var l = 0.2126 * lin((n >> 16) & 255) + 0.7152 * lin((n >> 8) & 255) + 0.0722 * lin(n & 255);
    return (l + 0.05) / 0.05 > 1.05 / (l + 0.05) ? '#000000' : '#ffffff';
  };
  document.querySelectorAll('[data-brand-colour]').forEach(function (input) {
    var preview = document.getElementById(input.getAttribute('data-brand-colour'));
    if (!preview) { return; }
    var update = function () {
      preview.style.background = input.value;
      preview.style.color = textOn(input.value);
    };
    input.addEventListener('input', update);
    input.addEventListener('change', update);
  });
})();
