// Behaviour every page shares, kept out of the HTML so the Content-Security-Policy allows no inline script.
document.addEventListener("DOMContentLoaded", function () {
  document.querySelectorAll("select[data-autosubmit]").forEach(function (el) {
    el.addEventListener("change", function () { el.form.submit(); });
  });
  document.querySelectorAll("a[data-back]").forEach(function (el) {
    el.addEventListener("click", function (ev) { ev.preventDefault(); history.back(); });
  });
});
