// 概览 on a province: the check counts follow the page. The element marked data-checks-later names the
// request that computes them; each element of its answer replaces the page's element of the same id.
// Run when the page is loaded, and again when static/later.js has put the page's content in place.
function checksLater() {
  var later = document.querySelector("[data-checks-later]");
  if (!later) { return; }
  fetch(later.getAttribute("data-checks-later"), { credentials: "same-origin" })
    .then(function (r) { if (!r.ok) { throw new Error(r.status); } return r.text(); })
    .then(function (html) {
      var doc = new DOMParser().parseFromString(html, "text/html");
      doc.querySelectorAll("[id]").forEach(function (el) {
        var old = document.getElementById(el.id);
        if (old) { old.replaceWith(document.importNode(el, true)); }
      });
    })
    .catch(function () {
      document.querySelectorAll("#check-errors .num, #check-warnings .num").forEach(function (el) { el.textContent = "?"; });
      var step = document.getElementById("check-step");
      if (step) { step.lastChild.textContent = "：校验未能完成，请刷新页面或打开“数据核查”查看。"; }
    });
}
document.addEventListener("DOMContentLoaded", checksLater);
document.addEventListener("gwstats:later", checksLater);
