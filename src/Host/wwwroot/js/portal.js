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

    // A choice that reveals its fields ("For: A pet not listed yet"): the fields are always in the page; hide them
    // while another option is chosen.
    document.querySelectorAll("select[data-reveals]").forEach(function (select) {
      var target = document.getElementById(select.getAttribute("data-reveals"));
      if (!target) { return; }
      var sync = function () { target.hidden = select.value !== select.getAttribute("data-reveal-value"); };
      select.addEventListener("change", sync);
      sync();
    });

    // A form sent once (data-once: the confirm form) takes no second click while its answer is on the way. The server's
    // guard is the form's key (a repeat post gets the first one's answer); this spares the wait. Back to a page kept in
    // the browser's cache finds the button working again.
    document.querySelectorAll("form[data-once]").forEach(function (form) {
      form.addEventListener("submit", function (e) {
        if (form.getAttribute("data-sent")) { e.preventDefault(); return; }
        form.setAttribute("data-sent", "true");
        form.querySelectorAll("button[type=submit]").forEach(function (b) { b.disabled = true; });
      });
    });
    window.addEventListener("pageshow", function () {
      document.querySelectorAll("form[data-once][data-sent]").forEach(function (form) {
        form.removeAttribute("data-sent");
        form.querySelectorAll("button[type=submit]").forEach(function (b) { b.disabled = false; });
      });
    });

    // Resend cooldown: count down and enable the button when the server will take a new code. The countdown is not a
    // live region (it would be read out every second); the moment a new code can be asked for is said once, in the
    // visually hidden #resend-status.
    var resendNote = document.getElementById("resend-note");
    var resend = document.getElementById("resend");
    if (resendNote && resend) {
      var left = parseInt(resendNote.getAttribute("data-resend-in") || "0", 10);
      var counted = left > 0;
      var count = resendNote.querySelector(".countdown");
      var resendStatus = document.getElementById("resend-status");
      var tick = function () {
        if (left <= 0) {
          resend.disabled = false;
          resendNote.textContent = "Did not get it? You can ask for a new code now.";
          if (counted && resendStatus) { resendStatus.textContent = "You can ask for a new code now."; }
          return;
        }
        resend.disabled = true;
        if (count) { count.textContent = String(left); }
        left -= 1;
        setTimeout(tick, 1000);
      };
      tick();
    }

    // Booking: changing the day or the diary loads that day's free times in place. The script asks the booking page
    // itself for the day (the same address the form would submit) and puts in its "Free times" section, so every word
    // is the server's: the times (with their zone on a day the clocks change), the heading, "Other days".
    var pick = document.getElementById("pick-day");
    var slots = document.getElementById("slots");
    // The list is not a live region (every time would be read out on each change); once the list has settled, the
    // visually hidden #slots-status says the server's one-line summary ("26 free times on Monday 7 December"). Typing a
    // date fires a change per part of the date: only the newest request's answer is shown (an older one arriving late
    // is dropped), and the summary waits until the changes stop.
    var slotsStatus = document.getElementById("slots-status");
    if (pick && slots && window.fetch && window.DOMParser && window.URLSearchParams && window.FormData) {
      var latest = 0;
      var announceTimer = null;
      var announce = function (text) {
        if (!slotsStatus || !text) { return; }
        clearTimeout(announceTimer);
        announceTimer = setTimeout(function () {
          slotsStatus.textContent = "";
          announceTimer = setTimeout(function () { slotsStatus.textContent = text; }, 100);
        }, 600);
      };
      var load = function () {
        var mine = ++latest;
        clearTimeout(announceTimer);
        var input = document.getElementById("date");
        var date = input.value;
        if (!/^\d{4}-\d{2}-\d{2}$/.test(date)) { return; }
        // Typing a date changes it a part at a time, so a day outside today..horizon may be half typed ("1" of "15"):
        // the script says so beside the field (the server's words) and waits; it neither loads nor submits (a reload
        // would take the field from under the keyboard). The form's own button still checks the range.
        var out = document.getElementById("date-out");
        var outside = (input.min && date < input.min) ? input.getAttribute("data-before")
          : (input.max && date > input.max) ? input.getAttribute("data-after") : null;
        if (out) {
          out.textContent = outside || "";
          out.classList.toggle("problem", !!outside);
        }
        if (outside) { return; }
        var url = pick.getAttribute("action") + "?" + new URLSearchParams(new FormData(pick)).toString();
        fetch(url, { credentials: "same-origin", headers: { "Accept": "text/html" } })
          .then(function (r) { if (!r.ok) { throw new Error(String(r.status)); } return r.text(); })
          .then(function (html) {
            if (mine !== latest) { return; }
            var fresh = new DOMParser().parseFromString(html, "text/html").getElementById("slots");
            if (!fresh) { throw new Error("no times in the answer"); }
            slots.innerHTML = fresh.innerHTML;
            // The address names the day shown, so a reload or a shared link shows it again.
            if (window.history && history.replaceState) { history.replaceState(null, "", url); }
            announce(fresh.getAttribute("data-summary"));
          })
          .catch(function () { if (mine === latest) { pick.submit(); } });
      };
      ["date", "diary"].forEach(function (id) {
        var el = document.getElementById(id);
        if (el) { el.addEventListener("change", load); }
      });
    }
  });
})();
