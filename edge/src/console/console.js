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
// Phone alerts (Messages page): register the console's service worker, ask for permission,
// subscribe with the alliance's VAPID key, and post the subscription with the page's form.
(function () {
  "use strict";
  var form = document.getElementById("push-form");
  var button = document.getElementById("push-enable");
  var status = document.getElementById("push-status");
  if (!form || !button || !status) return;
  var say = function (key) { status.textContent = form.getAttribute("data-" + key) || ""; };
  if (!("serviceWorker" in navigator) || !("PushManager" in window) || !("Notification" in window)) {
    say("unsupported");
    return;
  }
  button.hidden = false;
  var key = function () {
    var b64 = form.getAttribute("data-key").replace(/-/g, "+").replace(/_/g, "/");
    var raw = atob(b64 + "===".slice((b64.length + 3) % 4));
    return Uint8Array.from(raw, function (c) { return c.charCodeAt(0); });
  };
  var b64url = function (buffer) {
    return btoa(String.fromCharCode.apply(null, new Uint8Array(buffer))).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
  };
  button.addEventListener("click", function () {
    button.disabled = true;
    say("working");
    Notification.requestPermission()
      .then(function (permission) {
        if (permission !== "granted") throw new Error("denied");
        return navigator.serviceWorker.register("/console/sw.js", { scope: "/console/" });
      })
      .then(function () { return navigator.serviceWorker.ready; })
      .then(function (registration) {
        return registration.pushManager.subscribe({ userVisibleOnly: true, applicationServerKey: key() });
      })
      .then(function (subscription) {
        form.elements.endpoint.value = subscription.endpoint;
        form.elements.p256dh.value = b64url(subscription.getKey("p256dh"));
        form.elements.auth.value = b64url(subscription.getKey("auth"));
        form.submit();
      })
      .catch(function (e) {
        button.disabled = false;
        say(e && e.message === "denied" ? "denied" : "failed");
      });
  });
})();
