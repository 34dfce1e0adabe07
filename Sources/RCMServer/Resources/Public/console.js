// RCM console: keeps the dashboard's figures live by fetching the page again every minute and
// putting its new figures in place (the page works without this; the Content-Security-Policy
// allows this file and nothing inline). Paused when unticked or when the tab is hidden.
(function () {
  "use strict";
  var control = document.getElementById("live-updates");
  if (!control || !document.getElementById("live")) { return; }
  control.hidden = false;
  var box = control.querySelector("input");
  var status = document.getElementById("live-status");
  window.setInterval(function () {
    if (!box.checked || document.hidden) { return; }
    fetch(window.location.href, { credentials: "same-origin", headers: { "Accept": "text/html" } })
      .then(function (response) { return response.ok ? response.text() : null; })
      .then(function (html) {
        if (!html) { return; }
        var fresh = new DOMParser().parseFromString(html, "text/html").getElementById("live");
        var current = document.getElementById("live");
        if (fresh && current) {
          current.replaceWith(document.adoptNode(fresh));
          status.textContent = "Updated at " + new Date().toLocaleTimeString();
        }
      })
      .catch(function () { status.textContent = "Could not update; will try again."; });
  }, 60000);
})();
