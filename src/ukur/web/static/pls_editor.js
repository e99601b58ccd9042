// ukur: the PLS model editor. A moment after typing stops, the model text is sent to
// POST /api/v1/pls/validate; the answer's errors are listed with their line and column (and the line
// itself with a caret under the column), unknown indicators with a one-click suggestion, and the path
// diagram of the last text that parsed is drawn. No inline code: the page's CSP forbids it.
(function () {
  "use strict";
  var DELAY = 350;

  function fill(template, values) {
    return template.replace(/\{(\w+)\}/g, function (all, key) {
      return Object.prototype.hasOwnProperty.call(values, key) ? String(values[key]) : all;
    });
  }

  function offsetOf(text, line, column) {
    var lines = text.split("\n");
    var at = 0;
    for (var i = 0; i < line - 1 && i < lines.length; i += 1) { at += lines[i].length + 1; }
    return at + Math.max(column - 1, 0);
  }

  function setup(area) {
    var panel = document.getElementById("model-check");
    if (!panel) { return; }
    var status = panel.querySelector(".check-status");
    var list = panel.querySelector(".check-errors");
    var diagram = panel.querySelector(".check-diagram");
    var tokenInput = area.form ? area.form.querySelector("input[name=csrf_token]") : null;
    var token = tokenInput ? tokenInput.value : "";
    var project = area.getAttribute("data-project");
    var url = area.getAttribute("data-validate");
    var timer = null;
    var sequence = 0;

    function select(line, column, length) {
      var start = offsetOf(area.value, line, column);
      area.focus();
      area.setSelectionRange(start, start + (length || 0));
    }

    function marker(issue) {
      var text = area.value.split("\n")[issue.line - 1];
      if (text === undefined) { return null; }
      var pre = document.createElement("pre");
      pre.className = "check-marker";
      var prefix = String(issue.line) + " | ";
      var caret = new Array(prefix.length + Math.max(issue.column || 1, 1)).join(" ") + "^";
      pre.textContent = prefix + text + "\n" + caret;
      return pre;
    }

    function item(issue) {
      var li = document.createElement("li");
      li.className = "check-error";
      li.setAttribute("data-kind", issue.kind);
      if (issue.line) {
        li.setAttribute("data-line", issue.line);
        li.setAttribute("data-column", issue.column || 1);
        var where = document.createElement("a");
        where.href = "#model-text";
        where.className = "check-where";
        where.textContent = fill(panel.getAttribute("data-where"), { line: issue.line, column: issue.column || 1 });
        where.addEventListener("click", function (event) {
          event.preventDefault();
          select(issue.line, issue.column || 1, issue.field ? issue.field.length : 0);
        });
        li.appendChild(where);
        li.appendChild(document.createTextNode(": "));
      }
      li.appendChild(document.createTextNode(issue.message));
      if (issue.suggestion && issue.line && issue.field) {
        var fix = document.createElement("button");
        fix.type = "button";
        fix.className = "link check-fix";
        fix.textContent = fill(panel.getAttribute("data-use"), { name: issue.suggestion });
        fix.addEventListener("click", function () {
          var start = offsetOf(area.value, issue.line, issue.column || 1);
          if (area.value.substr(start, issue.field.length) === issue.field) {
            area.value = area.value.slice(0, start) + issue.suggestion + area.value.slice(start + issue.field.length);
            check();
          }
        });
        li.appendChild(document.createTextNode(" "));
        li.appendChild(fix);
      }
      var pre = issue.line ? marker(issue) : null;
      if (pre) { li.appendChild(pre); }
      return li;
    }

    function show(result) {
      list.textContent = "";
      (result.errors || []).forEach(function (issue) { list.appendChild(item(issue)); });
      area.setAttribute("aria-invalid", result.ok ? "false" : "true");
      panel.setAttribute("data-state", result.ok ? "valid" : "invalid");
      if (result.ok) {
        status.textContent = fill(panel.getAttribute("data-valid"), {
          constructs: (result.constructs || []).length,
          indicators: result.indicators || 0
        });
      } else {
        status.textContent = panel.getAttribute("data-invalid");
      }
      if (result.svg) {
        // The SVG is drawn by the server from the parsed model; every name in it is escaped there.
        diagram.innerHTML = result.svg;
        diagram.setAttribute("data-stale", "false");
      } else {
        diagram.setAttribute("data-stale", "true");
      }
    }

    function check() {
      var mine = ++sequence;
      if (!area.value.trim()) {
        list.textContent = "";
        diagram.textContent = "";
        status.textContent = "";
        panel.setAttribute("data-state", "empty");
        return;
      }
      panel.setAttribute("data-state", "checking");
      status.textContent = panel.getAttribute("data-checking");
      fetch(url, {
        method: "POST",
        credentials: "same-origin",
        headers: { "Content-Type": "application/json", Accept: "application/json", "X-CSRF-Token": token },
        body: JSON.stringify({ model: area.value, project_id: project ? Number(project) : null })
      })
        .then(function (response) {
          return response.json().then(function (body) { return { ok: response.ok, body: body }; });
        })
        .then(function (answer) {
          if (mine !== sequence) { return; }  // a newer check is on its way
          if (answer.ok) {
            show(answer.body);
          } else {
            show({ ok: false, errors: [{ kind: answer.body.error, message: answer.body.message }] });
          }
        })
        .catch(function () {
          if (mine === sequence) { status.textContent = panel.getAttribute("data-offline"); }
        });
    }

    area.addEventListener("input", function () {
      window.clearTimeout(timer);
      timer = window.setTimeout(check, DELAY);
    });
    check();
  }

  document.addEventListener("DOMContentLoaded", function () {
    Array.prototype.forEach.call(document.querySelectorAll("textarea[data-validate]"), setup);
  });
})();
