// The consoles work without this script; it adds copy buttons and the snippet's live preview.
(function () {
  "use strict";
  var copied = document.documentElement.lang === "en" ? "Copied" : "已複製";
  document.addEventListener("click", function (e) {
    var button = e.target.closest && e.target.closest("button[data-copy]");
    if (!button) return;
    var field = document.getElementById(button.getAttribute("data-copy"));
    if (!field) return;
    var status = button.parentNode.querySelector(".copied");
    var done = function () { if (status) status.textContent = copied; };
    field.select();
    if (navigator.clipboard && navigator.clipboard.writeText) {
      navigator.clipboard.writeText(field.value).then(done, function () {
        document.execCommand("copy");
        done();
      });
    } else {
      document.execCommand("copy");
      done();
    }
  });
  // Snippet generator: every change fetches the page for the new choice and swaps in its
  // snippet and preview, keeping the keyboard focus where it was.
  var form = document.getElementById("snippet-form");
  if (!form) return;
  var pending = null;
  form.addEventListener("change", function () {
    var url = form.action + "?" + new URLSearchParams(new FormData(form)).toString();
    var mine = (pending = url);
    fetch(url, { credentials: "same-origin" })
      .then(function (r) { return r.ok ? r.text() : Promise.reject(r.status); })
      .then(function (html) {
        if (mine !== pending) return;
        var next = new DOMParser().parseFromString(html, "text/html").getElementById("generated");
        var here = document.getElementById("generated");
        if (next && here) here.replaceWith(next);
        history.replaceState(null, "", url);
      })
      .catch(function () { form.submit(); });
  });
})();
