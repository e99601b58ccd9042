// ukur respondent form: shows one section at a time with a progress bar. Without JavaScript every
// section is shown and the server checks the answers; with it, "Next" checks the section's answers first.
(function () {
  "use strict";
  function answered(question) {
    var radios = question.querySelectorAll("input[type=radio]");
    if (radios.length) {
      for (var i = 0; i < radios.length; i++) { if (radios[i].checked) { return true; } }
      return !radios[0].required;
    }
    var input = question.querySelector("input");
    return !input || input.checkValidity();
  }
  function setup(form) {
    var sections = form.querySelectorAll("fieldset.section");
    var bar = document.getElementById("progress");
    var label = document.getElementById("progress-text");
    var current = 0;
    document.documentElement.classList.add("js");
    function show(index) {
      current = index;
      for (var i = 0; i < sections.length; i++) { sections[i].hidden = i !== index; }
      if (bar) { bar.value = index + 1; }
      if (label) { label.textContent = label.getAttribute("data-template").replace("{n}", String(index + 1)); }
      window.scrollTo(0, 0);
    }
    function check(section) {
      var first = null;
      Array.prototype.forEach.call(section.querySelectorAll(".question"), function (q) {
        var ok = answered(q);
        q.classList.toggle("invalid", !ok);
        if (!ok && !first) { first = q; }
      });
      if (first) { first.scrollIntoView({ block: "center" }); }
      return first === null;
    }
    form.addEventListener("click", function (event) {
      var target = event.target;
      if (target.hasAttribute("data-next")) {
        if (check(sections[current])) { show(current + 1); }
      } else if (target.hasAttribute("data-back")) {
        show(current - 1);
      }
    });
    form.addEventListener("change", function (event) {
      var q = event.target.closest(".question");
      if (q && answered(q)) { q.classList.remove("invalid"); }
    });
    form.addEventListener("submit", function (event) {
      if (!check(sections[current])) { event.preventDefault(); }
    });
    var start = 0;
    for (var i = 0; i < sections.length; i++) {
      if (sections[i].querySelector(".question.invalid")) { start = i; break; }
    }
    show(start);
  }
  document.addEventListener("DOMContentLoaded", function () {
    var form = document.getElementById("respond-form");
    if (form) { setup(form); }
  });
})();
