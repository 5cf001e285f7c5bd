// Setup → Team: the "Your password (to make someone an owner)" box shows as soon as the role "owner" is chosen for
// someone who is not an owner yet. Without this script the server asks for it (the form comes back with the box).
(function () {
  'use strict';
  var box = document.querySelector('[data-owner-step-up]');
  var role = document.getElementById('Input_Role');
  if (!box || !role) { return; }
  var wasOwner = box.getAttribute('data-edited-role') === 'owner';
  var hasError = !!box.querySelector('.field-error:not(:empty)');
  var update = function () {
    box.hidden = !hasError && (wasOwner || role.value !== 'owner');
  };
  role.addEventListener('change', update);
  update();
})();
