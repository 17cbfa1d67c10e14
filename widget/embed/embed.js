/*
 * Alliance widget loader (kept tiny: no framework, one global).
 * Paste on a shop's page:
 *   <div data-alliance-shop="SHOP_ID"></div>
 *   <script src="https://EDGE/embed.js" async></script>
 * or just the script tag with data-shop="SHOP_ID" to show the widget where the tag is.
 * Popup: any element with data-alliance-open="booking" (or "reviews", "all") opens the widget
 * in a modal dialog; data-alliance-float="booking" on the script adds a floating button.
 * The first view (badge, rating, reviews) is the edge's HTML, shown with the build's stylesheet
 * and no wasm; the wasm loads when the visitor reaches for the widget, and hydrates it.
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
  // Weak, so a placeholder a single-page site removes without unmount() can still be freed.
  var widgets = new WeakMap();
  var app;
  var BUILD = "__WIDGET_DIR__";
  var dir = base + "w/" + BUILD + "/";

  // The first view and the stylesheet are read with credentials only so that they ride the
  // connection this script came on (a browser keeps requests without credentials on connections
  // of their own: a handshake more on a real network). The edge's only cookies are the
  // consoles' (SameSite, so another site's page sends none), and these answers read none.
  var SHARED = { credentials: "include" };

  // The stylesheet: one immutable file of this build, one constructable sheet for every widget.
  var sheet;
  function styles() {
    return (sheet = sheet || fetch(dir + "widget.css", SHARED).then((r) => {
      // A refusal is thrown as the response itself (the console shows its URL and status).
      if (!r.ok) throw r;
      return r.text();
    }).then((t) => {
      var s = new CSSStyleSheet();
      s.replaceSync(t);
      return s;
    }).catch((e) => {
      sheet = null;
      throw e;
    }));
  }

  // Trusted Types: a page that enforces them takes HTML only through a policy it allows. The
  // edge's HTML goes in through the widget's own ("alliance-widget"); the wasm is not loaded
  // there (Leptos builds parts of the widget from HTML templates such a page refuses), and the
  // widget's buttons open the member's page instead. A page that allows no such policy keeps
  // the snippet's own badge, with a link to that page.
  var policy, enforced;
  try {
    document.createElement("template").innerHTML = "";
  } catch (e) {
    enforced = 1;
    try {
      policy = trustedTypes.createPolicy("alliance-widget", { createHTML: (h) => { return h; } });
    } catch (e) {}
  }
  // The edge's HTML as nodes (parsed inert: nothing in it loads or runs while parsed).
  function parse(html) {
    var t = document.createElement("template");
    t.innerHTML = policy ? policy.createHTML(html) : html;
    return t.content;
  }

  // The glue, the chunk loader and the main module are fetched at once (the module is compiled
  // while it streams in), rather than one after the other as the imports would find them.
  function load() {
    if (app) return app;
    var url = dir + "widget_bg.wasm";
    // Compiled while streaming; from the bytes when a proxy changed the type (or no streaming).
    var compiled = Promise.resolve()
      .then(() => { return WebAssembly.compileStreaming(fetch(url)); })
      .catch(() => {
        return fetch(url).then((r) => { return r.arrayBuffer(); }).then((b) => { return WebAssembly.compile(b); });
      });
    compiled.catch(() => {});
    // A failure is not kept: the next reach (or a later scan) tries again.
    return (app = Promise.all([import(dir + "widget.js"), import(dir + "__wasm_split.js"), compiled]).then((m) => {
      return m[0].default({ module_or_path: m[2] }).then(() => {
        return m[0];
      });
    }).catch((e) => {
      app = null;
      throw e;
    }));
  }

  // The first view's request: the edge's HTML and the document it shows (the parsed JSON), or
  // the response when the edge refused it. One small GET (a 304 on a repeat visit) that does
  // not wait for the placeholder to come near the viewport.
  var prefetched = new WeakMap();
  function firstView(shop, el, view) {
    var q = new URLSearchParams({ locale: localeOf(el), view: view || attr(el, "data-view") });
    var p = fetch(api + "/v1/shops/" + encodeURIComponent(shop) + "/first-view?" + q, SHARED).then((r) => {
      return r.ok ? r.json() : r;
    });
    p.catch(() => {});
    return p;
  }

  function shopOf(el) {
    return el.getAttribute("data-alliance-shop") || script.getAttribute("data-shop");
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
    [script, el].forEach((node) => {
      for (var i = 0; i < node.attributes.length; i++) {
        var a = node.attributes[i];
        if (a.name.indexOf("data-prefill-") === 0) out[a.name.slice(13)] = a.value;
      }
    });
    new URLSearchParams(location.search).forEach((v, k) => {
      if (k.indexOf("aw_") === 0) out[k.slice(3)] = v;
    });
    return out;
  }

  // Some host pages swallow every click in the capture phase (document-level stopPropagation).
  // A click on one of our buttons that never reached its shadow root is replayed inside it; the
  // replay does not leave the shadow tree, so the host's listener cannot stop it again. Only
  // type=button buttons are replayed: links, checkboxes and submit buttons act by default anyway.
  var roots = new WeakSet();
  var guarded = false;
  function guardClicks(root) {
    if (!guarded) {
      guarded = true;
      window.addEventListener(
        "click",
        (e) => {
          if (!e.isTrusted) return;
          var path = e.composedPath();
          var root = path.filter((n) => { return roots.has(n); })[0];
          if (!root) return;
          var arrived = false;
          var mark = () => { arrived = true; };
          root.addEventListener("click", mark, { capture: true, once: true });
          setTimeout(() => {
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
    var shop = opts.shop || shopOf(el);
    if (!shop) return;
    var locale = opts.locale || localeOf(el);
    // Theme and accent: attributes on the placeholder (the stylesheet reads data-theme itself).
    var theme = opts.theme || attr(el, "data-theme");
    if (theme) el.setAttribute("data-theme", theme);
    var accent = opts.accent || attr(el, "data-accent");
    var view = opts.view || attr(el, "data-view") || "all";
    // Inherit the host page's font when asked (data-font="inherit").
    if ((opts.font || attr(el, "data-font")) === "inherit")
      el.style.setProperty("--aw-font", getComputedStyle(el.parentNode || document.body).fontFamily);
    if (/^#[0-9a-f]{3,8}$/i.test(accent)) el.style.setProperty("--aw-accent", accent);
    // This mount's own token: a later unmount and mount of the same element (a popup closed
    // and opened again while the module loads) must not be completed by this one.
    var mine = {};
    widgets.set(el, mine);
    // The first-view request the scan started (for this shop, and under 30 s old: the data
    // must be as fresh as the edge promises), else one started now.
    var e = prefetched.get(el);
    prefetched.delete(el);
    var prefetch = e && e[2] == shop && Date.now() < e[0] ? e[1] : firstView(shop, el, view);
    var options = { shop: shop, locale: locale, api: api, view: view, open: !!opts.open, prefill: opts.prefill || prefillOf(el), prefetch: prefetch };
    // The placeholder's own content (the snippet's SVG badge) stays until the widget can draw:
    // the shadow root that hides it is attached only then, holding the placeholder's height,
    // so the page below does not move while the widget loads.
    var attach = (hold, sheet) => {
      var held = el.getBoundingClientRect().height;
      var root = el.shadowRoot || el.attachShadow({ mode: "open" });
      root.adoptedStyleSheets = [sheet];
      guardClicks(root);
      var div = document.createElement("div");
      root.appendChild(div);
      if (hold) reserve(el, div, shop + ":" + view, held);
      return div;
    };
    var page = api + "/shops/" + encodeURIComponent(shop);
    var fail = (e) => {
      if (!enforced) console.error("alliance widget:", e);
      if (widgets.get(el) !== mine) return;
      // The widget could not load: no space is held for it any more. The snippet's SVG badge,
      // if it has one, stays (a later scan may try again); an empty placeholder says so in
      // words rather than stay blank (under Trusted Types: a link to the member's page).
      release(el);
      if (el.children.length && !el.shadowRoot) return widgets.delete(el);
      var zh = /^zh/i.test(locale);
      var div = (el.shadowRoot || el.attachShadow({ mode: "open" })).appendChild(document.createElement(enforced ? "a" : "div"));
      div.href = page;
      if (!enforced) div.setAttribute("role", "alert");
      div.textContent = enforced ? (zh ? "到聯盟網站看評價、預約" : "Reviews and booking on the alliance's site") : zh ? "聯盟小工具暫時無法載入，請稍後再試。" : "The alliance widget could not load. Please try again later.";
    };
    // The widget rendered here by the wasm: a page whose address carries a link's token (the
    // review form or the manage view must open), the popup, an edge of another build.
    var render = () => {
      if (enforced) return fail();
      Promise.all([load(), styles()]).then((m) => {
        if (widgets.get(el) === mine) widgets.set(el, m[0].mount(attach(true, m[1]), options));
      }, fail);
    };
    if ((enforced && !policy) || opts.open || /[#?&](review|manage)=/.test(location.hash + location.search)) return render();
    Promise.all([prefetch, styles()]).then((r) => {
      var doc = r[0];
      if (widgets.get(el) !== mine) return;
      // An error response has no build: the wasm says what went wrong, with a retry button.
      if (doc.build !== BUILD) return render();
      try {
        var nodes = parse(doc.html);
      } catch (e) {
        return fail(e);
      }
      var div = attach(true, r[1]);
      div.appendChild(nodes);
      var root = el.shadowRoot;
      // Until it is hydrated a press of a button is remembered (the button shows it is busy),
      // then replayed once on the same node; a changed select is told again. Under Trusted
      // Types, which never hydrate, the buttons open the member's page; the selects are off.
      var pressed, changed = [];
      var note = (e) => {
        var c = e.target.closest("button,select");
        if (!c) return;
        if (enforced) return c.type == "button" && open(page, "_blank", "noopener");
        if (e.type == "change") changed.push(c);
        else if (c.type == "button") (pressed = c).setAttribute("aria-busy", "true");
      };
      root.addEventListener("click", note);
      root.addEventListener("change", note);
      // Unmounted before it hydrates: its listeners go with it (a remount adds its own).
      mine.unmount = () => {
        root.removeEventListener("click", note);
        root.removeEventListener("change", note);
        arm && arm("remove");
      };
      if (enforced) return root.querySelectorAll("select").forEach((s) => { s.disabled = true; });
      var wake = () => {
        arm("remove");
        load().then((m) => {
          if (widgets.get(el) !== mine) return;
          root.removeEventListener("click", note);
          root.removeEventListener("change", note);
          options.data = doc.data;
          widgets.set(el, m.hydrate(div, options));
          changed.forEach((c) => { c.dispatchEvent(new Event("change", { bubbles: true })); });
          // Replayed inside the shadow tree (not composed), as guardClicks does: a host page
          // that swallows clicks cannot stop it.
          if (pressed) pressed.removeAttribute("aria-busy"), pressed.dispatchEvent(new MouseEvent("click", { bubbles: true, cancelable: true }));
        }, () => {
          // The module did not load: the first view stays as it is; the next reach tries again
          // (unless it was unmounted meanwhile).
          if (pressed) pressed.removeAttribute("aria-busy"), (pressed = 0);
          if (widgets.get(el) === mine) arm("add");
        });
      };
      // Scrolling its controls into view is a reach too (not their first sighting: a page that
      // opens with them on screen has not been scrolled).
      var seen, io = new IntersectionObserver((e) => { seen++ && e.some((x) => { return x.isIntersecting; }) && wake(); });
      var arm = (how) => {
        REACH.forEach((t) => { el[how + "EventListener"](t, wake); });
        how == "add" ? root.querySelectorAll("button,select").forEach((c) => { io.observe(c); }) : io.disconnect();
        seen = 0;
      };
      arm("add");
      // Fetched ahead while the page is idle, only where that costs the visitor little: not
      // with Save-Data, not on a connection the browser rates 3G or slower.
      var c = navigator.connection || {};
      if (!c.saveData && !/[23]g/.test(c.effectiveType)) idle(() => { load().catch(() => {}); });
    }, render);
  }
  // The visitor reaches for the widget: points at it, touches it (a touch is a pointerdown too)
  // or moves focus into it (or a screen reader activates a control with a click alone). None of
  // these can hold up scrolling, so the listeners need not be passive.
  var REACH = ["pointerover", "pointerdown", "focusin", "click"];

  // Reserve the widget's space: at least the placeholder's own height, and the height the widget
  // had on this site at this width last time (only a number, kept in the host's localStorage),
  // held until the loaded widget has laid out, so the page below does not jump. A min-height the
  // host page gave the placeholder (reserving the space itself) is never lowered, and is back
  // when the widget has laid out.
  var hostMin = new WeakMap();
  // h is the placeholder's outer height when outer, else its content's (what is remembered).
  function hold(el, h, outer) {
    // Nothing to hold: no style is read (reading it would lay out the host page mid-parse).
    if (!(h > 0 && h < 5000)) return;
    if (!hostMin.has(el)) hostMin.set(el, el.style.minHeight);
    var cs = getComputedStyle(el);
    var min = cs.minHeight;
    // A min-height in other units (%, vh, calc) is the host's own reservation: leave it be.
    if (!/px$|^auto$/.test(min)) return;
    // min-height sizes the content box, or the border box with box-sizing: border-box.
    // (Computed padding and border widths are always lengths in px.)
    var edges = parseFloat(cs.paddingTop) + parseFloat(cs.paddingBottom) + parseFloat(cs.borderTopWidth) + parseFloat(cs.borderBottomWidth);
    if (outer && cs.boxSizing != "border-box") h -= edges;
    if (!outer && cs.boxSizing == "border-box") h += edges;
    if (h > (parseFloat(min) || 0)) el.style.minHeight = h + "px";
  }
  function release(el) {
    if (hostMin.has(el)) el.style.minHeight = hostMin.get(el);
  }
  // Remembered per shop, view and width (in 20 px steps: "aw-h:shop:view:18"), so a phone
  // turned sideways keeps both; "aw-h:shop:view" says some width is remembered, so a first
  // visit reads no layout.
  function heightKey(what) {
    return "aw-h:" + what;
  }
  function width(el) {
    return ":" + Math.round(el.clientWidth / 20);
  }
  function reserveEarly(el, shop) {
    try {
      var k = heightKey(shop + ":" + (attr(el, "data-view") || "all"));
      if (localStorage.getItem(k)) hold(el, +localStorage.getItem(k + width(el)), false);
    } catch (e) {}
  }
  function reserve(el, div, what, held) {
    if (!window.ResizeObserver || !inline(el)) return;
    hold(el, held, true);
    var key = heightKey(what);
    var store;
    try {
      store = window.localStorage;
    } catch (e) {}
    // Once the widget has laid out, the hold ends; the height is remembered a moment later
    // (reviews below the fold settle their size), not after later changes such as the
    // booking flow opening.
    var ro = new ResizeObserver(() => {
      if (!div.querySelector(".aw[aria-busy=false]")) return;
      ro.disconnect();
      release(el);
      ro.t = setTimeout(() => {
        var h = Math.round(div.getBoundingClientRect().height);
        try { store && h && (store.setItem(key, 1), store.setItem(key + width(el), h)); } catch (e) {}
      }, 1000);
    });
    ro.observe(div);
    sizers.set(el, ro);
  }
  function inline(el) {
    return !(popup && el === popup.slot);
  }
  var sizers = new WeakMap();

  function unmount(el) {
    prefetched.delete(el);
    var ro = sizers.get(el);
    if (ro) ro.disconnect(), clearTimeout(ro.t);
    sizers.delete(el);
    release(el);
    hostMin.delete(el);
    var w = widgets.get(el);
    widgets.delete(el);
    if (w && w.unmount) w.unmount();
    if (el && el.shadowRoot) {
      el.shadowRoot.replaceChildren();
      roots.delete(el.shadowRoot);
    }
  }

  // Placeholders load when near the viewport or when the page is idle, whichever comes first,
  // so the widget never competes with the host page's own first paint.
  function whenWanted(el, go) {
    var done = false;
    var once = () => {
      if (done) return;
      done = true;
      if (io) io.disconnect();
      go();
    };
    var io = window.IntersectionObserver
      ? new IntersectionObserver((entries) => {
          if (entries.some((e) => { return e.isIntersecting; })) once();
        }, { rootMargin: "300px" })
      : null;
    if (io) io.observe(el);
    idle(once, 3000);
  }
  // f when the page is idle (at the latest after t ms, when given).
  function idle(f, t) {
    (window.requestIdleCallback || ((f) => setTimeout(f, 200)))(f, { timeout: t });
  }

  // The popup: one modal <dialog> in its own shadow root. The browser moves focus in, makes the
  // page inert and closes on Escape; sentinels keep Tab inside; focus returns to the opener.
  var popup;
  function openPopup(source, opener) {
    var shop = shopOf(source);
    if (!shop) return;
    var zh = /^zh/i.test(localeOf(source));
    if (!popup) {
      var host = document.createElement("div");
      host.setAttribute("data-aw-chrome", "");
      document.body.appendChild(host);
      var root = host.attachShadow({ mode: "open" });
      // Its styles are the widget's stylesheet (which the widget in it waits for anyway).
      styles().then((s) => { root.adoptedStyleSheets = [s]; }, () => {});
      var dialog = document.createElement("dialog");
      dialog.className = "aw-dialog";
      var close = document.createElement("button");
      close.type = "button";
      close.className = "aw-x";
      close.textContent = "\u00d7";
      var slot = document.createElement("div");
      var edge = (first) => {
        var s = document.createElement("span");
        s.tabIndex = 0;
        s.addEventListener("focus", () => {
          var all = slot.shadowRoot ? slot.shadowRoot.querySelectorAll("a[href],button:not([disabled]),input:not([disabled]),select,textarea,[tabindex='0']") : [];
          (first && all.length ? all[all.length - 1] : close).focus();
        });
        return s;
      };
      dialog.append(edge(true), close, slot, edge(false));
      root.appendChild(dialog);
      guardClicks(root);
      close.addEventListener("click", () => { dialog.close(); });
      dialog.addEventListener("click", (e) => { if (e.target === dialog) dialog.close(); });
      // "close" fires a task later: when the dialog was opened again meanwhile, openPopup has
      // already replaced the widget, and focus belongs in the dialog.
      dialog.addEventListener("close", () => {
        if (dialog.open) return;
        unmount(slot);
        var o = popup.opener;
        popup.opener = null;
        if (o && o.focus) o.focus();
      });
      popup = { dialog: dialog, slot: slot, close: close };
    }
    if (popup.dialog.open) return;
    // The last widget, if the close event that removes it has not fired yet.
    unmount(popup.slot);
    popup.opener = opener || source;
    popup.close.setAttribute("aria-label", zh ? "關閉" : "Close");
    popup.dialog.setAttribute("aria-label", zh ? "線上預約" : "Online booking");
    popup.dialog.showModal();
    mount(popup.slot, {
      shop: shop,
      view: source.getAttribute("data-alliance-open") || "booking",
      locale: localeOf(source),
      theme: attr(source, "data-theme"),
      accent: attr(source, "data-accent"),
      open: true,
    });
  }
  // Capturing on window, so a page that swallows clicks on document cannot stop the opener.
  window.addEventListener(
    "click",
    (e) => {
      var o = e.target && e.target.closest && e.target.closest("[data-alliance-open]");
      if (!o || o.hasAttribute("data-alliance-floating")) return;
      e.preventDefault();
      openPopup(o);
    },
    true
  );

  // The floating button, shown once the stylesheet it shares with the widget is there.
  var floated;
  function floatButton() {
    var view = script.getAttribute("data-alliance-float");
    if (!view || floated) return;
    floated = 1;
    var host = document.createElement("div");
    host.setAttribute("data-alliance-floating", "");
    host.setAttribute("data-aw-chrome", "");
    host.setAttribute("data-alliance-open", view);
    var root = host.attachShadow({ mode: "open" });
    var b = document.createElement("button");
    b.type = "button";
    b.className = "aw-float";
    b.textContent = /^zh/i.test(localeOf(script)) ? "線上預約" : "Book online";
    b.addEventListener("click", (e) => {
      e.stopPropagation();
      openPopup(host, b);
    });
    root.appendChild(b);
    guardClicks(root);
    styles().then((s) => {
      root.adoptedStyleSheets = [s];
      document.body.appendChild(host);
    }, () => {});
  }

  // Early (while the page is still parsing) only the placeholders already parsed are taken,
  // so the widget does not wait for the rest of the host page; the rest at DOMContentLoaded.
  function scan(early) {
    if (!early) floatButton();
    var els = document.querySelectorAll("[data-alliance-shop]:not([data-alliance-open])");
    // The script alone shows the widget where it stands, unless it only adds a floating button.
    if (!early && !els.length && script.getAttribute("data-shop") && !script.getAttribute("data-alliance-float") && script.parentNode) {
      var el = document.createElement("div");
      el.setAttribute("data-alliance-shop", script.getAttribute("data-shop"));
      script.parentNode.insertBefore(el, script.nextSibling);
      els = [el];
    }
    for (var i = 0; i < els.length; i++) {
      ((el) => {
        // Once per placeholder until it mounts (the early scan and the one at DOMContentLoaded
        // both see those parsed early).
        var shop = shopOf(el);
        if (!widgets.has(el) && !prefetched.has(el) && shop) {
          // [usable until, the request, for which shop]; the stylesheet on its way beside it.
          // An unmount before the mount comes drops the entry, and with it the mount.
          var entry = [Date.now() + 3e4, firstView(shop, el), shop];
          prefetched.set(el, entry);
          styles().catch(() => {});
          reserveEarly(el, shop);
          whenWanted(el, () => { prefetched.get(el) == entry && mount(el); });
        }
      })(els[i]);
    }
  }

  window[NS] = { version: "__VERSION__", mount: mount, unmount: unmount, scan: () => { scan(); }, open: openPopup };
  if (document.readyState === "loading") {
    scan(true);
    document.addEventListener("DOMContentLoaded", () => { scan(); });
  } else scan();
})();
