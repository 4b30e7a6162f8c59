// Progressive enhancement only: every page works without this file.
(function () {
  "use strict";
  document.documentElement.classList.add("js");
  document.querySelectorAll("select[data-autosubmit]").forEach(function (el) {
    el.addEventListener("change", function () { el.form.submit(); });
  });
  // "None of these" / "Don't know" exclude the other options of the same question.
  document.querySelectorAll("input[data-exclusive]").forEach(function (box) {
    var name = box.getAttribute("data-exclusive");
    var options = document.querySelectorAll('input[type=checkbox][name="' + name + '"]');
    var exclusives = document.querySelectorAll('input[data-exclusive="' + name + '"]');
    box.addEventListener("change", function () {
      if (!box.checked) return;
      options.forEach(function (o) { o.checked = false; });
      exclusives.forEach(function (o) { if (o !== box) o.checked = false; });
    });
    options.forEach(function (o) {
      o.addEventListener("change", function () { if (o.checked) box.checked = false; });
    });
  });
  // Typing an age or a date clears its "Don't know".
  ["age", "offence_date"].forEach(function (name) {
    var input = document.querySelector('input[name="' + name + '"]');
    var unknown = document.querySelector('input[name="' + name + '_unknown"]');
    if (input && unknown) {
      input.addEventListener("input", function () { unknown.checked = input.value === ""; });
      unknown.addEventListener("change", function () { if (unknown.checked) input.value = ""; });
    }
  });
})();
