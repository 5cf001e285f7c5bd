// Portal and staff pages alike; each page works without this file (the picker ring then shows after a click too).
(function () {
  "use strict";
  // A date or time input's picker button gets the app's focus ring through :focus-within (decision 346): the pages'
  // :focus-visible does not reach that pseudo-element, and nothing in CSS tells there whether the focus came from the
  // keyboard. So this keeps the browser's own rule by hand: a press of the pointer marks the page
  // (html[data-pointer-focus]) and the ring's CSS leaves it out; any key without Ctrl, Alt or Meta takes the mark away,
  // as :focus-visible turns on when a key is pressed. PickerFocusRingTests checks both.
  var root = document.documentElement;
  document.addEventListener("pointerdown", function () {
    root.setAttribute("data-pointer-focus", "");
  }, true);
  document.addEventListener("keydown", function (e) {
    if (e.ctrlKey || e.altKey || e.metaKey) { return; }
    root.removeAttribute("data-pointer-focus");
  }, true);
})();
