// Sign-up: live check of the booking name (debounced), and a time zone / country guessed from the browser.
(function () {
  'use strict';
  var slug = document.querySelector('[data-slug-check]');
  var status = document.getElementById('slug-status');
  if (slug && status) {
    var timer = 0;
    var asked = '';
    var check = function () {
      var value = slug.value.trim().toLowerCase();
      if (value === asked) { return; }
      asked = value;
      if (value.length === 0) { status.textContent = ''; status.className = 'slug-status'; return; }
      fetch(slug.getAttribute('data-slug-check') + '?slug=' + encodeURIComponent(value), { headers: { Accept: 'application/json' } })
        .then(function (r) { return r.ok ? r.json() : null; })
        .then(function (answer) {
          if (!answer || asked !== value) { return; }
          status.textContent = answer.available ? '\u2713 "' + answer.slug + '" is available.' : (answer.reason || 'This name is not available.');
          status.className = 'slug-status ' + (answer.available ? 'ok' : 'taken');
        })
        .catch(function () { status.textContent = ''; });
    };
    slug.addEventListener('input', function () {
      clearTimeout(timer);
      timer = setTimeout(check, 300);
    });
    slug.addEventListener('blur', check);
  }

  var zone = document.querySelector('[data-guess-zone]');
  var country = document.getElementById('Input_CountryCode');
  if (zone && !zone.value && window.Intl) {
    // Browsers report ICU's name, often tzdb's old one ("Asia/Calcutta"): the page gives the listed zone for each such
    // name (data-zone-aliases, from the server's tzdb).
    var offered = function (id) {
      return typeof id === 'string' && id && zone.querySelector('option[value="' + id.replace(/["\\]/g, '') + '"]') ? id : null;
    };
    var aliases = {};
    try { aliases = JSON.parse(zone.getAttribute('data-zone-aliases') || '{}') || {}; } catch (e) { aliases = {}; }
    var guess = Intl.DateTimeFormat().resolvedOptions().timeZone;
    var pick = offered(guess) || (guess && Object.prototype.hasOwnProperty.call(aliases, guess) ? offered(aliases[guess]) : null);
    if (pick) {
      zone.value = pick;
    }
  }

  var guessCountry = function () {
    var option = zone && zone.options[zone.selectedIndex];
    var code = option && option.getAttribute('data-country');
    if (country && code && !country.dataset.chosen) { country.value = code; }
  };
  if (zone) { zone.addEventListener('change', guessCountry); }
  if (country) {
    country.addEventListener('change', function () { country.dataset.chosen = '1'; });
    if (!country.value) { guessCountry(); }
  }
})();
