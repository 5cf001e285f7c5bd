// Staff → New appointment: the confirm step (a time a client could not book) is focused on load, so it is read first.
// After a free time is picked, the line saying what was chosen ("Chosen: 9:00 AM on … with Anna. Press Book …") is
// focused instead: the pick reloads the page, and focus would otherwise start again at its top with nothing said.
(function () {
  var confirm = document.getElementById('confirm-booking');
  var picked = document.getElementById('picked-time');
  // After a client search (the search form's address ends #client-results) the line saying what it found
  // ("3 clients found for …") is focused: Chromium does so for the fragment's target, other browsers may only scroll.
  var results = document.getElementById('client-results');
  if (confirm) { confirm.focus(); }
  else if (picked && !document.getElementById('error-summary')) { picked.focus(); }
  else if (results && window.location.hash === '#client-results' && !document.getElementById('error-summary')) { results.focus(); }
})();
// Staff → New appointment: the pet list shows only the chosen client's pets. Without it every listed client's pets
// show, grouped under their names, and the server refuses a pet that is not the chosen client's.
(function () {
  var picker = document.querySelector('[data-pet-picker]');
  if (!picker) { return; }
  var radios = document.querySelectorAll('input[name="Input.ClientId"]');
  function narrow() {
    var chosen = document.querySelector('input[name="Input.ClientId"]:checked');
    var client = chosen ? chosen.value : null;
    picker.querySelectorAll('optgroup').forEach(function (group) {
      var mine = group.getAttribute('data-client') === client;
      group.hidden = !mine;
      group.disabled = !mine;
      if (!mine && picker.selectedOptions.length && group.contains(picker.selectedOptions[0])) { picker.value = ''; }
      // A pet business: a client's only pet is chosen for them (the server asks for a choice among several).
      var options = group.querySelectorAll('option');
      if (mine && picker.value === '' && options.length === 1 && picker.getAttribute('data-only-pet') === 'choose') { picker.value = options[0].value; }
    });
  }
  radios.forEach(function (radio) { radio.addEventListener('change', narrow); });
  narrow();
})();
