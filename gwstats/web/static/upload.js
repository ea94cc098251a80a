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

  var CHUNK_FILES = 500, CHUNK_BYTES = 100 * 1024 * 1024;  // one request at most (the server allows 1,000 files)

  function allFiles() {
    var files = dropped.slice();
    form.querySelectorAll("input[type=file]").forEach(function (i) { Array.prototype.push.apply(files, i.files); });
    return files;
  }

  function showPage(html) { document.open(); document.write(html); document.close(); }

  function failed(text) {
    barText.textContent = text; form.querySelector("button[type=submit]").disabled = false;
  }

  // A large folder: parts of at most CHUNK_FILES files (and CHUNK_BYTES) posted one after another to
  // /import/stage into one staged batch, then one dry run over all of them (/import/check).
  function chunks(files) {
    var out = [], cur = [], bytes = 0;
    files.forEach(function (f) {
      if (cur.length && (cur.length >= CHUNK_FILES || bytes + f.size > CHUNK_BYTES)) { out.push(cur); cur = []; bytes = 0; }
      cur.push(f); bytes += f.size;
    });
    if (cur.length) out.push(cur);
    return out;
  }

  function address(path) { var u = new URL(form.action, location.href); u.pathname = path; return u.toString(); }

  function inParts(files) {
    var parts = chunks(files), token = form.querySelector("input[name=csrftoken]").value;
    var fallback = form.querySelector("input[name=year_fallback]");
    var batch = null, sent = 0;
    bar.hidden = false; bar.value = 0;
    form.querySelector("button[type=submit]").disabled = true;
    (function next(k) {
      if (k === parts.length) {
        bar.removeAttribute("value");
        barText.textContent = "全部 " + files.length + " 个文件已上传，正在检查报表……";
        var data = new FormData();
        data.append("csrftoken", token); data.append("batch", batch);
        var xhr = new XMLHttpRequest();
        xhr.open("POST", address("/import/check"));
        xhr.onload = function () { showPage(xhr.responseText); };
        xhr.onerror = function () { failed("检查失败：与 gwstats 的连接断开了。"); };
        xhr.send(data);
        return;
      }
      var data = new FormData();
      data.append("csrftoken", token);
      if (batch) data.append("batch", batch);
      if (fallback && fallback.checked) data.append("year_fallback", "1");
      parts[k].forEach(function (f) { data.append("files", f, f.name); });
      var xhr = new XMLHttpRequest();
      xhr.open("POST", address("/import/stage"));
      xhr.responseType = "json";
      barText.textContent = "正在上传第 " + (k + 1) + "/" + parts.length + " 批（已上传 " + sent + "/" + files.length + " 个文件）……";
      xhr.upload.onprogress = function (ev) {
        if (ev.lengthComputable) {
          bar.value = Math.round((sent + parts[k].length * ev.loaded / ev.total) / files.length * 100);
        }
      };
      xhr.onload = function () {
        var answer = xhr.response || {};
        if (xhr.status !== 200 || !answer.batch) { failed("上传失败：" + (answer.error || ("服务器答复 " + xhr.status))); return; }
        batch = answer.batch; sent += parts[k].length; next(k + 1);
      };
      xhr.onerror = function () { failed("上传失败：与 gwstats 的连接断开了。"); };
      xhr.send(data);
    })(0);
  }

  form.addEventListener("submit", function (e) {
    e.preventDefault();
    var files = allFiles();
    if (files.length > CHUNK_FILES) { inParts(files); return; }
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
    xhr.onload = function () { showPage(xhr.responseText); };
    xhr.onerror = function () { failed("上传失败：与 gwstats 的连接断开了。"); };
    xhr.send(data);
  });
})();
