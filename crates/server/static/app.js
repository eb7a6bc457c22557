// Progressive enhancement only: every page works without this script.
(function () {
  "use strict";

  // Error summary (GOV.UK pattern): move focus to it, and make its links focus the field.
  var summary = document.querySelector("[data-error-summary]");
  if (summary) {
    summary.focus();
    summary.addEventListener("click", function (event) {
      var link = event.target.closest("a");
      if (!link || link.getAttribute("href").charAt(0) !== "#") {
        return;
      }
      var target = document.getElementById(link.getAttribute("href").slice(1));
      if (!target) {
        return;
      }
      event.preventDefault();
      var legend = target.closest("fieldset") && target.closest("fieldset").querySelector("legend");
      (legend || target).scrollIntoView();
      target.focus({ preventScroll: true });
    });
  }

  // Character counts for suggestion boxes.
  var boxes = document.querySelectorAll("textarea[data-maxlength]");
  Array.prototype.forEach.call(boxes, function (box) {
    var limit = parseInt(box.getAttribute("data-maxlength"), 10);
    if (!limit) {
      return;
    }
    var status = document.createElement("div");
    status.className = "hint character-count";
    status.id = box.id + "-count";
    status.setAttribute("aria-live", "polite");
    box.parentNode.insertBefore(status, box.nextSibling);
    var update = function () {
      var left = limit - box.value.length;
      status.textContent = left >= 0
        ? "You have " + left + " character" + (left === 1 ? "" : "s") + " remaining"
        : "You have " + (-left) + " character" + (left === -1 ? "" : "s") + " too many";
      status.classList.toggle("character-count-over", left < 0);
    };
    box.addEventListener("input", update);
    update();
  });

  // The definition editor (setting up an exercise): the line numbers beside the text follow
  // it as it changes, the text area grows with it so that only the page scrolls, and a link to
  // a line ("Line 12") selects that line.
  var MINIMUM_ROWS = 20;
  var editors = document.querySelectorAll("textarea[data-line-numbers]");
  Array.prototype.forEach.call(editors, function (editor) {
    var gutter = document.getElementById(editor.getAttribute("data-line-numbers"));
    if (!gutter) {
      return;
    }
    var shown = gutter.textContent.split("\n").length;
    var update = function () {
      var count = editor.value.split("\n").length;
      if (count !== shown) {
        var numbers = [];
        for (var number = 1; number <= count; number += 1) {
          numbers.push(number);
        }
        gutter.textContent = numbers.join("\n");
        shown = count;
      }
      editor.rows = Math.max(count + 1, MINIMUM_ROWS);
      gutter.scrollTop = editor.scrollTop;
    };
    editor.addEventListener("input", update);
    editor.addEventListener("scroll", function () {
      gutter.scrollTop = editor.scrollTop;
    });
    update();
  });

  var selectLine = function (textarea, line) {
    var lines = textarea.value.split("\n");
    var index = Math.min(Math.max(line, 1), lines.length) - 1;
    var start = 0;
    for (var before = 0; before < index; before += 1) {
      start += lines[before].length + 1;
    }
    textarea.focus({ preventScroll: true });
    textarea.setSelectionRange(start, start + lines[index].length);
    var style = window.getComputedStyle(textarea);
    var lineHeight = parseFloat(style.lineHeight) || 20;
    var top = textarea.getBoundingClientRect().top + window.pageYOffset +
      parseFloat(style.paddingTop) + index * lineHeight;
    window.scrollTo(0, Math.max(top - window.innerHeight / 3, 0));
  };

  document.addEventListener("click", function (event) {
    var link = event.target.closest("a[data-line]");
    if (!link) {
      return;
    }
    var target = document.getElementById(link.getAttribute("href").slice(1));
    if (!target || target.tagName !== "TEXTAREA") {
      return;
    }
    event.preventDefault();
    selectLine(target, parseInt(link.getAttribute("data-line"), 10));
  });

  // "Print this page" buttons: hidden without this script, which alone can print.
  var printButtons = document.querySelectorAll("[data-print]");
  Array.prototype.forEach.call(printButtons, function (button) {
    button.hidden = false;
    button.addEventListener("click", function () {
      window.print();
    });
  });
})();
