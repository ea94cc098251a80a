// gwstats ui: the progress of a background job (web/jobs.py) on the page that started it. Each box
// with data-job asks /jobs/<id> where the job stands; when it is over, the page is opened again at the
// job's address, which shows the result (the file to download, or what went wrong).
(function () {
  "use strict";
  document.querySelectorAll("[data-job]").forEach(function (box) {
    var id = box.getAttribute("data-job"), wait = 300;
    var bar = box.querySelector("progress"), text = box.querySelector(".job-text");

    function poll() {
      var xhr = new XMLHttpRequest();
      xhr.open("GET", "/jobs/" + encodeURIComponent(id));
      xhr.responseType = "json";
      xhr.onload = function () {
        if (xhr.status === 200 && !xhr.response) { location.reload(); return; }  // not JSON: the login page, say
        var answer = xhr.response || {};
        if (xhr.status !== 200) { text.textContent = answer.error || ("服务器答复 " + xhr.status); return; }
        if (answer.over) { location.replace(answer.href); return; }
        if (answer.steps) { bar.max = answer.steps; bar.value = Math.max(0, answer.step - 1); } else { bar.removeAttribute("value"); }
        text.textContent = answer.text;
        wait = Math.min(wait * 1.5, 2000);
        setTimeout(poll, wait);
      };
      xhr.onerror = function () {
        text.textContent = "与 gwstats 的连接断开了，正在重试……";
        setTimeout(poll, 3000);
      };
      xhr.send();
    }
    setTimeout(poll, wait);
  });
})();
