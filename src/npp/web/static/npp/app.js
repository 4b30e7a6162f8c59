// Progressive enhancement only: every page works without this file.
(function () {
  "use strict";
  document.documentElement.classList.add("js");
  // A choice made with the mouse or a finger submits at once. With the keyboard, the arrow
  // keys only move through the options (changing them must not reload the page: WCAG 3.2.2);
  // Enter, or the "Change" button that then appears, submits.
  document.querySelectorAll("select[data-autosubmit]").forEach(function (el) {
    var byKey = false;
    el.addEventListener("keydown", function (e) {
      if (e.key === "Enter") { e.preventDefault(); el.form.submit(); return; }
      byKey = true;
    });
    el.addEventListener("pointerdown", function () { byKey = false; });
    el.addEventListener("change", function () {
      if (byKey) { el.form.classList.add("changed"); } else { el.form.submit(); }
    });
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
  // A table wider than the screen scrolls sideways in its wrapper: make such a wrapper a
  // named region that keyboard users can focus and scroll (only when it does overflow).
  function scrollableTables() {
    document.querySelectorAll(".table-wrap").forEach(function (wrap) {
      if (wrap.scrollWidth > wrap.clientWidth + 1) {
        if (!wrap.hasAttribute("tabindex")) {
          var caption = wrap.querySelector("caption");
          var heading = wrap.previousElementSibling;
          var name = caption ? caption.textContent
            : (heading && /^H[1-6]$/.test(heading.tagName) ? heading.textContent : "");
          wrap.setAttribute("tabindex", "0");
          wrap.setAttribute("role", "region");
          wrap.setAttribute("aria-label", (name || document.title).trim() + " (table)");
        }
      } else if (wrap.getAttribute("role") === "region") {
        wrap.removeAttribute("tabindex");
        wrap.removeAttribute("role");
        wrap.removeAttribute("aria-label");
      }
    });
  }
  scrollableTables();
  window.addEventListener("resize", scrollableTables);
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
