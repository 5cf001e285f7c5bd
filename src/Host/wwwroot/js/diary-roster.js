// Setup → Roster: an "Add a row" button for the weekly blocks table. The form works without it (it always has spare empty rows).
// A new row is a copy of the last one renumbered: every name, id and reference to an id (label for, aria-describedby,
// the error message's data-valmsg-for, the field an __Invariant input names) names the new row's own fields, so no id
// is repeated and each input's description is its own row's error message.
(function () {
  var add = document.querySelector('[data-roster-add]');
  var body = document.querySelector('[data-roster-rows]');
  if (!add || !body) { return; }
  var attributes = ['name', 'id', 'for', 'data-valmsg-for', 'aria-describedby', 'aria-labelledby', 'aria-controls'];
  // The three spellings of a row's index: Week[3].Start (name), Week_3__Start (MVC's id), week-3-start-error (ours).
  function renumber(value, to) {
    return value
      .replace(/Week\[\d+\]/g, 'Week[' + to + ']')
      .replace(/Week_\d+__/g, 'Week_' + to + '__')
      .replace(/\bweek-\d+-/g, 'week-' + to + '-');
  }
  add.hidden = false;
  add.addEventListener('click', function () {
    var rows = body.querySelectorAll('[data-roster-row]');
    var last = rows[rows.length - 1];
    var to = rows.length;
    var row = last.cloneNode(true);
    var selector = attributes.map(function (attr) { return '[' + attr + ']'; }).join(',');
    row.querySelectorAll(selector).forEach(function (el) {
      attributes.forEach(function (attr) {
        var v = el.getAttribute(attr);
        if (v) { el.setAttribute(attr, renumber(v, to)); }
      });
    });
    // MVC's hidden __Invariant inputs name (in their value) a field to read in the invariant culture: the row's time fields.
    row.querySelectorAll('input[name="__Invariant"]').forEach(function (input) { input.value = renumber(input.value, to); });
    row.querySelectorAll('label').forEach(function (label) { label.textContent = label.textContent.replace(/\d+/, String(to + 1)); });
    row.querySelectorAll('input[type=time]').forEach(function (input) { input.value = ''; });
    // The new row's day is the day after the row above it (Sunday is followed by Monday), as the page's spare rows are.
    var lastDay = last.querySelector('select');
    var day = row.querySelector('select');
    if (lastDay && day && lastDay.options.length > 0) {
      day.selectedIndex = (lastDay.selectedIndex + 1) % lastDay.options.length;
    }
    row.querySelectorAll('input[type=checkbox]').forEach(function (input) { input.checked = input.name.indexOf('Remove') < 0; });
    // A copy of a row that failed to save starts clean: no message, not marked invalid.
    row.querySelectorAll('[aria-invalid]').forEach(function (el) { el.removeAttribute('aria-invalid'); });
    row.querySelectorAll('.input-validation-error').forEach(function (el) { el.classList.remove('input-validation-error'); });
    row.querySelectorAll('.field-error').forEach(function (span) {
      span.textContent = '';
      span.classList.remove('field-validation-error');
      span.classList.add('field-validation-valid');
    });
    body.appendChild(row);
    var first = row.querySelector('select, input');
    if (first) { first.focus(); }
  });
})();
