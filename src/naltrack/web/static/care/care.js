/* Targeted dosing countdown: minutes left until the planned first drink, from the tablet time.
   Data comes from the page through json_script (no inline script: CSP script-src 'self'). */
(function () {
  "use strict";
  var box = document.getElementById("countdown");
  var dataNode = document.getElementById("countdown-data");
  if (!box || !dataNode) { return; }
  var data;
  try { data = JSON.parse(dataNode.textContent); } catch (e) { return; }
  var until = new Date(data.takenAt).getTime() + data.minutes * 60 * 1000;
  if (isNaN(until)) { return; }
  var clock = document.createElement("span");
  clock.className = "clock";
  clock.setAttribute("role", "timer");
  var label = document.createElement("p");
  label.textContent = box.getAttribute("data-wait-label");
  box.appendChild(label);
  box.appendChild(clock);
  var lastAnnounced = null;
  function pad(n) { return (n < 10 ? "0" : "") + n; }
  function tick() {
    var left = Math.max(0, Math.round((until - Date.now()) / 1000));
    if (left === 0) {
      label.textContent = box.getAttribute("data-done-label");
      clock.textContent = "0:00";
      return;
    }
    var minutes = Math.floor(left / 60);
    clock.textContent = minutes + ":" + pad(left % 60);
    // Announce to screen readers once a minute, not every second.
    clock.setAttribute("aria-label", minutes + " minutes left");
    if (minutes !== lastAnnounced) { lastAnnounced = minutes; }
    window.setTimeout(tick, 1000);
  }
  tick();
}());
