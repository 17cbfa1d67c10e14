/*
 * Alliance widget loader (kept tiny: no framework, one global).
 * Paste on a shop's page:
 *   <div data-alliance-shop="SHOP_ID"></div>
 *   <script src="https://EDGE/embed.js" async></script>
 * or just the script tag with data-shop="SHOP_ID" to show the widget where the tag is.
 * The build stamps the content-hashed file names and the version into this file.
 */
(function () {
  "use strict";
  var NS = "AllianceWidget";
  var existing = window[NS];
  if (existing && existing.version) {
    existing.scan();
    return;
  }
  // Only valid while this script first runs: capture it now.
  var script = document.currentScript;
  if (!script || !script.src) return;
  var base = new URL(".", script.src).href;
  var api = base.slice(0, -1);
  var widgets = new Map();
  var app;

  function load() {
    return (
      app ||
      (app = import(base + "w/__WIDGET_JS__").then(function (m) {
        return m.default({ module_or_path: base + "w/__WIDGET_WASM__" }).then(function () {
          return m;
        });
      }))
    );
  }

  function attr(el, name) {
    return el.getAttribute(name) || script.getAttribute(name) || "";
  }

  function localeOf(el) {
    return attr(el, "data-locale") || document.documentElement.lang || navigator.language || "";
  }

  // Booking prefill: data-prefill-* on the placeholder (or the script), then ?aw_* in the URL.
  function prefillOf(el) {
    var out = {};
    [script, el].forEach(function (node) {
      for (var i = 0; i < node.attributes.length; i++) {
        var a = node.attributes[i];
        if (a.name.indexOf("data-prefill-") === 0) out[a.name.slice(13)] = a.value;
      }
    });
    new URLSearchParams(location.search).forEach(function (v, k) {
      if (k.indexOf("aw_") === 0) out[k.slice(3)] = v;
    });
    return out;
  }

  // Some host pages swallow every click in the capture phase (document-level stopPropagation).
  // A click on one of our buttons that never reached its shadow root is replayed inside it; the
  // replay does not leave the shadow tree, so the host's listener cannot stop it again. Only
  // type=button buttons are replayed: links, checkboxes and submit buttons act by default anyway.
  var roots = new Set();
  var guarded = false;
  function guardClicks(root) {
    if (!guarded) {
      guarded = true;
      window.addEventListener(
        "click",
        function (e) {
          if (!e.isTrusted) return;
          var path = e.composedPath();
          var root = path.filter(function (n) { return roots.has(n); })[0];
          if (!root) return;
          var arrived = false;
          var mark = function () { arrived = true; };
          root.addEventListener("click", mark, { capture: true, once: true });
          setTimeout(function () {
            root.removeEventListener("click", mark, { capture: true });
            var button = path[0] && path[0].closest && path[0].closest("button[type=button]");
            if (!arrived && button && root.contains(button) && !button.disabled)
              button.dispatchEvent(new MouseEvent("click", { bubbles: true, cancelable: true }));
          }, 0);
        },
        true
      );
    }
    roots.add(root);
  }

  function mount(el, opts) {
    opts = opts || {};
    if (!el || widgets.has(el)) return;
    var shop = opts.shop || el.getAttribute("data-alliance-shop") || script.getAttribute("data-shop");
    if (!shop) return;
    var locale = opts.locale || localeOf(el);
    // Theme and accent: attributes on the placeholder (the stylesheet reads data-theme itself).
    var theme = opts.theme || attr(el, "data-theme");
    if (theme) el.setAttribute("data-theme", theme);
    var accent = opts.accent || attr(el, "data-accent");
    var view = opts.view || attr(el, "data-view") || "all";
    if (/^#[0-9a-f]{3,8}$/i.test(accent)) el.style.setProperty("--aw-accent", accent);
    var root = el.shadowRoot || el.attachShadow({ mode: "open" });
    guardClicks(root);
    var div = document.createElement("div");
    root.appendChild(div);
    widgets.set(el, null);
    // Start the first-view request now, in parallel with the wasm download.
    var prefetch = fetch(api + "/v1/shops/" + encodeURIComponent(shop) + "/widget", { mode: "cors" });
    prefetch.catch(function () {});
    load().then(
      function (m) {
        if (widgets.has(el))
          widgets.set(el, m.mount(div, { shop: shop, locale: locale, api: api, view: view, prefill: opts.prefill || prefillOf(el), prefetch: prefetch }));
      },
      function (e) {
        // The wasm could not load: say so in words rather than leave a blank box.
        div.setAttribute("role", "alert");
        div.textContent = /^zh/i.test(locale)
          ? "聯盟小工具暫時無法載入，請稍後再試。"
          : "The alliance widget could not load. Please try again later.";
        app = null;
        if (window.console) console.error("alliance widget:", e);
      }
    );
  }

  function unmount(el) {
    var w = widgets.get(el);
    widgets.delete(el);
    if (w) w.unmount();
    if (el && el.shadowRoot) {
      el.shadowRoot.replaceChildren();
      roots.delete(el.shadowRoot);
    }
  }

  // Placeholders load when near the viewport or when the page is idle, whichever comes first,
  // so the widget never competes with the host page's own first paint.
  function whenWanted(el, go) {
    var done = false;
    var once = function () {
      if (done) return;
      done = true;
      if (io) io.disconnect();
      go();
    };
    var io = window.IntersectionObserver
      ? new IntersectionObserver(function (entries) {
          if (entries.some(function (e) { return e.isIntersecting; })) once();
        }, { rootMargin: "300px" })
      : null;
    if (io) io.observe(el);
    (window.requestIdleCallback || function (f) { return setTimeout(f, 200); })(once, { timeout: 3000 });
  }

  function scan() {
    var els = document.querySelectorAll("[data-alliance-shop]");
    if (!els.length && script.getAttribute("data-shop") && script.parentNode) {
      var el = document.createElement("div");
      el.setAttribute("data-alliance-shop", script.getAttribute("data-shop"));
      script.parentNode.insertBefore(el, script.nextSibling);
      els = [el];
    }
    for (var i = 0; i < els.length; i++) {
      (function (el) {
        if (!widgets.has(el)) whenWanted(el, function () { mount(el); });
      })(els[i]);
    }
  }

  window[NS] = { version: "__VERSION__", mount: mount, unmount: unmount, scan: scan };
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", scan);
  else scan();
})();
