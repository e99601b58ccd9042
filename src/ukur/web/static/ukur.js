// ukur: small progressive enhancements, no build step and no external code.
// Any element with data-job="ID" shows that background job's progress, polled from the API, so a
// reloaded page picks up where the job is; it reloads the page once the job has finished.
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
            if (el.getAttribute("data-started") === "1") { window.location.reload(); }
            return;
          }
          el.setAttribute("data-started", "1");
          window.setTimeout(tick, 1000);
        })
        .catch(function () { window.setTimeout(tick, 3000); });
    }
    tick();
  }
  document.addEventListener("DOMContentLoaded", function () {
    Array.prototype.forEach.call(document.querySelectorAll("[data-job]"), poll);
  });
})();
