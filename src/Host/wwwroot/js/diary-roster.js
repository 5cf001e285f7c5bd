// Setup → Roster: an "Add a row" button for the weekly blocks table. The form works without it (it always has spare empty rows).
(function () {
  var add = document.querySelector('[data-roster-add]');
  var body = document.querySelector('[data-roster-rows]');
  if (!add || !body) { return; }
  add.hidden = false;
  add.addEventListener('click', function () {
    var rows = body.querySelectorAll('[data-roster-row]');
    var last = rows[rows.length - 1];
    var from = rows.length - 1, to = rows.length;
    var row = last.cloneNode(true);
    row.querySelectorAll('[name],[id],[for],[data-valmsg-for]').forEach(function (el) {
      ['name', 'id', 'for', 'data-valmsg-for'].forEach(function (attr) {
        var v = el.getAttribute(attr);
        if (v) { el.setAttribute(attr, v.replace('Week[' + from + ']', 'Week[' + to + ']').replace('Week_' + from + '__', 'Week_' + to + '__')); }
      });
    });
    row.querySelectorAll('label').forEach(function (label) { label.textContent = label.textContent.replace(/\d+/, String(to + 1)); });
    row.querySelectorAll('input[type=time]').forEach(function (input) { input.value = ''; });
    row.querySelectorAll('input[type=checkbox]').forEach(function (input) { input.checked = input.name.indexOf('Remove') < 0; });
    row.querySelectorAll('.field-error').forEach(function (span) { span.textContent = ''; });
    body.appendChild(row);
    var first = row.querySelector('select, input');
    if (first) { first.focus(); }
  });
})();
