// gwstats ui: drag and drop files or folders, upload with a progress bar. Plain JS, no build step.
(function () {
  "use strict";
  document.querySelectorAll("form[data-busy]").forEach(function (form) {
    form.addEventListener("submit", function () {
      var b = form.querySelector("button[type=submit]");
      if (b) { b.disabled = true; b.textContent = form.getAttribute("data-busy"); }
    });
  });
  var form = document.getElementById("upload-form");
  if (!form) return;
  var drop = document.getElementById("drop"), chosen = document.getElementById("chosen");
  var bar = document.getElementById("progress"), barText = document.getElementById("progress-text");
  var dropped = [];

  function show() {
    var n = dropped.length;
    form.querySelectorAll("input[type=file]").forEach(function (i) { n += i.files.length; });
    chosen.textContent = n ? "已选择 " + n + " 个文件" : "";
  }
  form.querySelectorAll("input[type=file]").forEach(function (i) { i.addEventListener("change", show); });

  function walk(entry, out) {  // a dropped folder: read it recursively
    return new Promise(function (resolve) {
      if (entry.isFile) { entry.file(function (f) { out.push(f); resolve(); }, function () { resolve(); }); return; }
      if (!entry.isDirectory) { resolve(); return; }
      var reader = entry.createReader(), all = [];
      (function more() {
        reader.readEntries(function (batch) {
          if (!batch.length) { Promise.all(all.map(function (e) { return walk(e, out); })).then(resolve); return; }
          all = all.concat(Array.prototype.slice.call(batch)); more();
        }, function () { resolve(); });
      })();
    });
  }
  ["dragenter", "dragover"].forEach(function (t) {
    drop.addEventListener(t, function (e) { e.preventDefault(); drop.classList.add("over"); });
  });
  ["dragleave", "drop"].forEach(function (t) {
    drop.addEventListener(t, function (e) { e.preventDefault(); drop.classList.remove("over"); });
  });
  drop.addEventListener("drop", function (e) {
    var items = e.dataTransfer.items, jobs = [];
    if (items && items.length && items[0].webkitGetAsEntry) {
      for (var k = 0; k < items.length; k++) {
        var entry = items[k].webkitGetAsEntry();
        if (entry) jobs.push(walk(entry, dropped));
      }
      Promise.all(jobs).then(show);
    } else {
      Array.prototype.push.apply(dropped, e.dataTransfer.files); show();
    }
  });

  form.addEventListener("submit", function (e) {
    e.preventDefault();
    var data = new FormData(form);
    dropped.forEach(function (f) { data.append("files", f, f.name); });
    var xhr = new XMLHttpRequest();
    xhr.open("POST", form.action);
    bar.hidden = false; barText.textContent = "正在上传……";
    form.querySelector("button[type=submit]").disabled = true;
    xhr.upload.onprogress = function (ev) {
      if (ev.lengthComputable) { bar.value = Math.round(ev.loaded / ev.total * 100); barText.textContent = "已上传 " + bar.value + "%"; }
    };
    xhr.upload.onload = function () { bar.removeAttribute("value"); barText.textContent = "上传完成，正在检查报表……"; };
    xhr.onload = function () { document.open(); document.write(xhr.responseText); document.close(); };
    xhr.onerror = function () { barText.textContent = "上传失败：与 gwstats 的连接断开了。"; form.querySelector("button[type=submit]").disabled = false; };
    xhr.send(data);
  });
})();
