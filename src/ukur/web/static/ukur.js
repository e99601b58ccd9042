// ukur: small progressive enhancements, no build step and no external code.
// Any element with data-job="ID" shows that background job's progress, polled from the API, so a
// reloaded page picks up where the job is; it reloads the page (once) when the job has finished.
(function () {
  "use strict";
  function poll(el) {
    var id = el.getAttribute("data-job");
    var bar = el.querySelector("progress");
    var label = el.querySelector(".job-state");
    function tick() {
      fetch("/api/v1/jobs/" + encodeURIComponent(id), { credentials: "same-origin", headers: { Accept: "application/json" } })
        .then(function (r) { return r.ok ? r.json() : null; })
        .then(function (job) {
          if (!job) { return; }
          if (bar) { bar.value = job.progress; }
          if (label) { label.textContent = job.message || job.state; }
          el.setAttribute("data-state", job.state);
          if (job.state === "succeeded" || job.state === "failed") {
            // The page was drawn while the job ran: reload once to show its outcome.
            var key = "ukur-job-reloaded-" + id;
            if (!window.sessionStorage.getItem(key)) {
              window.sessionStorage.setItem(key, "1");
              window.location.reload();
            }
            return;
          }
          window.setTimeout(tick, 1000);
        })
        .catch(function () { window.setTimeout(tick, 3000); });
    }
    tick();
  }
  // Any element with data-agreement-status="ID" shows that agreement's newest window: met or not.
  function agreementStatus(el) {
    var id = el.getAttribute("data-agreement-status");
    fetch("/api/v1/agreements/" + encodeURIComponent(id) + "/status", { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (s) {
        var badge = document.createElement("span");
        if (!s || s.window === null) {
          badge.className = "muted";
          badge.textContent = el.getAttribute("data-none");
        } else {
          badge.className = "badge " + (s.ok ? "ok" : "bad");
          badge.textContent = s.window + ": " + el.getAttribute(s.ok ? "data-ok" : "data-failing") + (s.ok ? "" : " (" + s.failing.join(", ") + ")");
        }
        el.textContent = "";
        el.appendChild(badge);
      });
  }
  // A form with data-copy-from="ID" takes, when submitted, the current values of form ID's fields that it
  // has hidden inputs for (a POST form beside a GET form, so the CSRF token never lands in a URL).
  function copyOnSubmit(form) {
    form.addEventListener("submit", function () {
      var source = document.getElementById(form.getAttribute("data-copy-from"));
      if (!source) { return; }
      Array.prototype.forEach.call(form.querySelectorAll("input[type=hidden]"), function (input) {
        var field = source.elements.namedItem(input.name);
        if (field && "value" in field) { input.value = field.value; }
      });
    });
  }
  document.addEventListener("DOMContentLoaded", function () {
    Array.prototype.forEach.call(document.querySelectorAll("form[data-copy-from]"), copyOnSubmit);
    Array.prototype.forEach.call(document.querySelectorAll("[data-job]"), poll);
    Array.prototype.forEach.call(document.querySelectorAll("[data-agreement-status]"), agreementStatus);
  });
})();
