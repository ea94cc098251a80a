// 概览, 汇总 and 校验 on a province, before what they show is computed: the element marked data-later stands in
// for the page's content and names the request that waits for it; the element of the same id in its
// answer replaces it (and the heading #page-title, if both have one). Without JavaScript the placeholder's link asks for the page that waits.
document.addEventListener("DOMContentLoaded", function () {
  var later = document.querySelector("[data-later]");
  if (!later) { return; }
  fetch(later.getAttribute("data-later"), { credentials: "same-origin" })
    .then(function (r) { if (!r.ok) { throw new Error(r.status); } return r.text(); })
    .then(function (html) {
      var doc = new DOMParser().parseFromString(html, "text/html");
      var body = doc.getElementById(later.id);
      if (!body || body.hasAttribute("data-later")) { throw new Error("no content"); }
      later.replaceWith(document.importNode(body, true));
      var title = doc.getElementById("page-title"), old = document.getElementById("page-title");
      if (title && old) { old.replaceWith(document.importNode(title, true)); }  // 汇总's heading names the top unit
      document.dispatchEvent(new Event("gwstats:later"));  // the content's own script (概览's check counts)
    })
    .catch(function () {
      var note = later.querySelector(".later-note");
      if (note) { note.textContent = "未能完成，请刷新页面。"; }
    });
});
