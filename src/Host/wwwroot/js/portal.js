// Progressive touches for the client portal; every page works without this file.
(function () {
  "use strict";
  document.addEventListener("DOMContentLoaded", function () {
    // Name the business's time zone only when it differs from the browser's (shown by default without script).
    var note = document.querySelector(".zone-note[data-zone]");
    try {
      var mine = Intl.DateTimeFormat().resolvedOptions().timeZone;
      if (note && mine && mine === note.getAttribute("data-zone")) { note.hidden = true; }
    } catch (e) { /* keep the note */ }

    // Resend cooldown: count down and enable the button when the server will take a new code.
    var resendNote = document.getElementById("resend-note");
    var resend = document.getElementById("resend");
    if (resendNote && resend) {
      var left = parseInt(resendNote.getAttribute("data-resend-in") || "0", 10);
      var count = resendNote.querySelector(".countdown");
      var tick = function () {
        if (left <= 0) {
          resend.disabled = false;
          resendNote.textContent = "Did not get it? You can ask for a new code now.";
          return;
        }
        resend.disabled = true;
        if (count) { count.textContent = String(left); }
        left -= 1;
        setTimeout(tick, 1000);
      };
      tick();
    }

    // Booking: changing the day or the diary loads that day's free times from the availability API, in place.
    var pick = document.getElementById("pick-day");
    var slots = document.getElementById("slots");
    if (pick && slots && window.fetch) {
      var load = function () {
        var date = document.getElementById("date").value;
        var diary = document.getElementById("diary").value;
        if (!/^\d{4}-\d{2}-\d{2}$/.test(date)) { return; }
        var input = document.getElementById("date");
        // Outside today..horizon the server page explains (and shows the nearest bookable day).
        if ((input.min && date < input.min) || (input.max && date > input.max)) { pick.submit(); return; }
        // On a day the clocks change the server page names each time's zone ("1:30 am EDT", "1:30 am EST"): this
        // script has no copy of that rule, so it lets the page render those days.
        if ((" " + (pick.getAttribute("data-change-days") || "") + " ").indexOf(" " + date + " ") >= 0) { pick.submit(); return; }
        var slug = pick.getAttribute("data-slug"), service = pick.getAttribute("data-service");
        var q = "?name=" + encodeURIComponent(slug) + "&service=" + encodeURIComponent(service) + "&diary=" + encodeURIComponent(diary);
        fetch("/api/v1/portal/availability" + q + "&from=" + date + "&to=" + date, { credentials: "same-origin" })
          .then(function (r) { if (!r.ok) { throw new Error(String(r.status)); } return r.json(); })
          .then(function (data) { render(date, data.slots || [], q); })
          .catch(function () { pick.submit(); });
      };
      var clock = function (iso) {
        var h = parseInt(iso.substr(11, 2), 10), m = iso.substr(14, 2);
        return (h % 12 === 0 ? 12 : h % 12) + ":" + m + " " + (h < 12 ? "am" : "pm");
      };
      var render = function (date, list, q) {
        var parts = date.split("-");
        var options = { weekday: "long", day: "numeric", month: "long" };
        var min = document.getElementById("date").min;
        if (min && min.substr(0, 4) !== parts[0]) { options.year = "numeric"; } // the year, when it is not this year
        var label = new Date(+parts[0], +parts[1] - 1, +parts[2]).toLocaleDateString("en-AU", options);
        var html = "<h2 id=\"slots-heading\">Free times on " + label + "</h2>";
        if (list.length === 0) {
          html += "<p>No free times on this day.</p>";
        } else {
          html += "<ul class=\"slots\">" + list.map(function (s) {
            var href = "/ol/new-booking/confirm" + q + "&start=" + encodeURIComponent(s.start);
            return "<li><a class=\"slot\" href=\"" + href + "\"><time datetime=\"" + s.start + "\">" + clock(s.start) + "</time></a></li>";
          }).join("") + "</ul>";
        }
        // "Other days with free times" stays: it is the way on when this day has nothing.
        var others = slots.querySelector(".other-days");
        slots.innerHTML = html;
        if (others) { slots.appendChild(others); }
      };
      slots.setAttribute("aria-live", "polite");
      ["date", "diary"].forEach(function (id) {
        var el = document.getElementById(id);
        if (el) { el.addEventListener("change", load); }
      });
    }
  });
})();
