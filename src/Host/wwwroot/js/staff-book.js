// Staff → New appointment: the confirm step (a time a client could not book) is focused on load, so it is read first.
(function () {
  var confirm = document.getElementById('confirm-booking');
  if (confirm) { confirm.focus(); }
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
    });
  }
  radios.forEach(function (radio) { radio.addEventListener('change', narrow); });
  narrow();
})();
