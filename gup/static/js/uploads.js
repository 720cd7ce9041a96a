/* Forms on a slow link. Loaded (defer) by base.html on every page; without it, or in a browser
 * that lacks one of the parts used here, every form works as plain HTML.
 *
 * 1. After a failed submit, the focus moves to the error summary (includes/form_errors.html).
 * 2. In a form holding includes/upload_progress.html:
 *    - a photo chosen in a file input is made smaller before it is sent: a JPEG whose longer
 *      side exceeds 1600 px, or that weighs more than 1 MB, is redrawn at most 1600 px and
 *      re-encoded as JPEG (quality 0.85); a PNG (often a scanned or captured document, where
 *      sharp text matters) only when it weighs more than 1 MB and exceeds 1600 px, and it stays
 *      a PNG. The smaller file replaces the chosen one only when it is smaller. The browser
 *      applies the EXIF orientation when drawing, and the new file carries no EXIF (no GPS);
 *    - a form with at least one file is sent with XMLHttpRequest: a progress bar, "n of m KB"
 *      in a live region, the submit buttons disabled; the server's answer then replaces the
 *      page (its URL too, after a redirect), so errors, kept files and success behave exactly
 *      as without JavaScript. If the connection fails, the buttons come back and the page says
 *      so, the files still chosen.
 * The texts come from the template (data attributes), already translated.
 */
(function () {
  "use strict";
  var MAX_SIDE = 1600;
  var MAX_BYTES = 1024 * 1024;
  var QUALITY = 0.85;

  var summary = document.querySelector(".error-summary");
  if (summary) summary.focus();

  // Back and forward between a form and the page that answered it (same document, see send):
  // load the real page.
  window.addEventListener("popstate", function (event) {
    if (event.state && event.state.gupPage) location.reload();
  });

  var xhrOk = window.FormData && window.XMLHttpRequest && "upload" in new XMLHttpRequest() &&
    window.history && history.pushState;
  if (!xhrOk) return;
  var canShrink = false;
  try {
    canShrink = !!(new DataTransfer()).items && !!HTMLCanvasElement.prototype.toBlob &&
      !!window.URL && !!URL.createObjectURL;
  } catch (error) { canShrink = false; }

  function fill(text, values) {
    return text.replace(/\{(\w+)\}/g, function (all, key) { return values[key]; });
  }

  function number(value, options) {
    try {
      return new Intl.NumberFormat(document.documentElement.lang, options).format(value);
    } catch (error) {
      return options && options.style === "percent" ? Math.round(value * 100) + "%" : value;
    }
  }

  function loadImage(file) {
    return new Promise(function (resolve, reject) {
      var url = URL.createObjectURL(file);
      var image = new Image();
      image.onload = function () { URL.revokeObjectURL(url); resolve(image); };
      image.onerror = function () { URL.revokeObjectURL(url); reject(new Error("image")); };
      image.src = url;
    });
  }

  // The file to send instead of ``file``: smaller, or ``file`` itself.
  function shrink(file) {
    var png = file.type === "image/png";
    if (!png && file.type !== "image/jpeg") return Promise.resolve(file);
    if (png && file.size <= MAX_BYTES) return Promise.resolve(file);
    return loadImage(file).then(function (image) {
      var width = image.naturalWidth, height = image.naturalHeight;
      var side = Math.max(width, height);
      if (side <= MAX_SIDE && (png || file.size <= MAX_BYTES)) return file;
      var scale = Math.min(1, MAX_SIDE / side);
      var canvas = document.createElement("canvas");
      canvas.width = Math.round(width * scale);
      canvas.height = Math.round(height * scale);
      var context = canvas.getContext("2d");
      context.imageSmoothingQuality = "high";
      context.drawImage(image, 0, 0, canvas.width, canvas.height);
      var type = png ? "image/png" : "image/jpeg";
      return new Promise(function (resolve) {
        canvas.toBlob(function (blob) {
          if (!blob || blob.size >= file.size) return resolve(file);
          var name = png ? file.name : file.name.replace(/\.[^.]*$/, "") + ".jpg";
          resolve(new File([blob], name, { type: type, lastModified: file.lastModified }));
        }, type, QUALITY);
      });
    }).catch(function () { return file; });
  }

  function enhance(box) {
    var form = box.closest("form");
    if (!form) return;
    var bar = box.querySelector("progress");
    var status = box.querySelector("[role=status]");
    var texts = box.dataset;
    var pending = [];
    var sending = false;
    // This page is one of those the popstate handler reloads (see send).
    if (!history.state) history.replaceState({ gupPage: true }, "");

    function say(text, bad) {
      status.textContent = text;
      status.classList.toggle("error", !!bad);
    }

    function buttons(disabled) {
      form.querySelectorAll("button, input[type=submit]").forEach(function (button) {
        if (button.type === "submit") button.disabled = disabled;
      });
    }

    if (canShrink) {
      form.addEventListener("change", function (event) {
        var input = event.target;
        if (input.type !== "file" || !input.files.length) return;
        var chosen = input.files;
        say(texts.preparing);
        var job = Promise.all(Array.prototype.map.call(chosen, shrink)).then(function (files) {
          if (input.files !== chosen) return; // another choice was made meanwhile
          if (files.some(function (file, i) { return file !== chosen[i]; })) {
            var transfer = new DataTransfer();
            files.forEach(function (file) { transfer.items.add(file); });
            input.files = transfer.files;
          }
        }).catch(function () {}); // the file as chosen is sent: the server downscales it
        pending.push(job);
        Promise.all(pending).then(function () { if (!sending) say(""); });
      });
    }

    function hasFiles() {
      return Array.prototype.some.call(form.querySelectorAll("input[type=file]"), function (input) {
        return input.files && input.files.length;
      });
    }

    function progress(sent, total) {
      var fraction = total ? sent / total : 0;
      var step = Math.floor(fraction * 10);
      bar.value = Math.round(fraction * 100);
      if (step === progress.step) return; // the live region speaks every tenth, not every packet
      progress.step = step;
      say(fill(texts.progress, {
        percent: number(fraction, { style: "percent" }),
        sent: number(Math.round(sent / 1024)),
        total: number(Math.round(total / 1024))
      }));
    }

    function failed() {
      sending = false;
      bar.hidden = true;
      buttons(false);
      say(texts.failed, true);
    }

    function send(submitter) {
      var data = new FormData(form);
      if (submitter && submitter.name) data.append(submitter.name, submitter.value);
      var request = new XMLHttpRequest();
      request.open("POST", form.action);
      request.upload.onprogress = function (event) {
        if (event.lengthComputable) progress(event.loaded, event.total);
      };
      request.upload.onload = function () { bar.value = 100; say(texts.waiting); };
      request.onload = function () {
        var url = request.responseURL || form.action;
        if ((request.getResponseHeader("Content-Type") || "").indexOf("text/html") !== 0) {
          location.assign(url);
          return;
        }
        // A redirect (the next step, the dossier): the new URL gets its own history entry, as
        // after a plain submit; the popstate handler reloads either page on back/forward. The
        // same page again (errors): one navigation too, within the page.
        if (url !== location.href.split("#")[0]) history.pushState({ gupPage: true }, "", url);
        else history.replaceState({ gupPage: true }, "", url);
        document.open();
        document.write(request.responseText);
        document.close();
      };
      request.onerror = request.onabort = request.ontimeout = failed;
      bar.value = 0;
      bar.hidden = false;
      progress.step = -1;
      say("");
      request.send(data);
    }

    form.addEventListener("submit", function (event) {
      var submitter = event.submitter;
      // A button that opens its answer elsewhere (a letter's preview) keeps the plain submit.
      if (submitter && (submitter.hasAttribute("formaction") || submitter.hasAttribute("formtarget"))) return;
      if (event.defaultPrevented || !hasFiles()) return;
      event.preventDefault();
      if (sending) return;
      sending = true;
      buttons(true);
      Promise.all(pending).then(function () { send(submitter); }, failed);
    });
  }

  document.querySelectorAll("[data-upload-progress]").forEach(enhance);
})();
