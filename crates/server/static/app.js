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

  // "Print this page" buttons: hidden without this script, which alone can print.
  var printButtons = document.querySelectorAll("[data-print]");
  Array.prototype.forEach.call(printButtons, function (button) {
    button.hidden = false;
    button.addEventListener("click", function () {
      window.print();
    });
  });
})();
