//! The widget's stylesheet, adopted by the shadow root it is mounted in, so no style is ever
//! added to the host page and no host style reaches in.

use wasm_bindgen::{JsCast, JsValue};

/// The widget's CSS. Inherited properties are set on `.aw` itself: a host page's `!important`
/// rules on the host element would otherwise flow in through inheritance. Colours are custom
/// properties set on `:host` (light by default; `data-theme="dark"`, or `"auto"` following the
/// visitor's system), so a shop can also set them on the placeholder element itself (see README).
pub const CSS: &str = r#"
:host{all:initial;display:block;contain:content;--aw-bg:#fff;--aw-fg:#1b2430;--aw-muted:#4a5563;--aw-border:#d4dae1;--aw-line:#e2e6ea;--aw-accent:#0b5d3b;--aw-on-accent:#fff;--aw-accent-soft:#eef7f2;--aw-link:#1d4ed8;--aw-star:#b45309;--aw-star-off:#c5ccd4;--aw-track:#e6eaee;--aw-danger:#a3121f;--aw-lapsed:#8a1c1c;--aw-lapsed-soft:#fdf0f0;--aw-warn:#774d00;--aw-warn-border:#8a5a00;--aw-warn-soft:#fff8e6;--aw-warn-fg:#4a3300;--aw-field:#8a96a3;--aw-soft:#f1f3f5;--aw-reply:#f3f6f4}
:host([data-theme=dark]){--aw-bg:#14191f;--aw-fg:#e8edf2;--aw-muted:#aab4bf;--aw-border:#3a4450;--aw-line:#2c343d;--aw-accent:#4cc38a;--aw-on-accent:#0b1a12;--aw-accent-soft:#10261b;--aw-link:#8ab4ff;--aw-star:#f2a541;--aw-star-off:#4a5563;--aw-track:#2c343d;--aw-danger:#ff8a8a;--aw-lapsed:#ff9b9b;--aw-lapsed-soft:#2a1416;--aw-warn:#f5c46b;--aw-warn-border:#c99a3c;--aw-warn-soft:#2a2212;--aw-warn-fg:#f0d9a8;--aw-field:#6b7785;--aw-soft:#1f262e;--aw-reply:#17231c}
@media (prefers-color-scheme:dark){:host([data-theme=auto]){--aw-bg:#14191f;--aw-fg:#e8edf2;--aw-muted:#aab4bf;--aw-border:#3a4450;--aw-line:#2c343d;--aw-accent:#4cc38a;--aw-on-accent:#0b1a12;--aw-accent-soft:#10261b;--aw-link:#8ab4ff;--aw-star:#f2a541;--aw-star-off:#4a5563;--aw-track:#2c343d;--aw-danger:#ff8a8a;--aw-lapsed:#ff9b9b;--aw-lapsed-soft:#2a1416;--aw-warn:#f5c46b;--aw-warn-border:#c99a3c;--aw-warn-soft:#2a2212;--aw-warn-fg:#f0d9a8;--aw-field:#6b7785;--aw-soft:#1f262e;--aw-reply:#17231c}}
.aw{box-sizing:border-box;display:block;max-width:100%;margin:0;padding:16px;
 font:400 16px/1.5 var(--aw-font,system-ui,-apple-system,"Segoe UI","Noto Sans TC","PingFang TC","Microsoft JhengHei",sans-serif);
 color:var(--aw-fg);background:var(--aw-bg);border:1px solid var(--aw-border);border-radius:12px;text-align:left;
 letter-spacing:normal;word-spacing:normal;text-transform:none;text-indent:0;white-space:normal;
 font-style:normal;font-variant:normal;direction:ltr;visibility:visible;overflow-wrap:anywhere}
.aw *{box-sizing:border-box;font:inherit;color:inherit;letter-spacing:inherit}
.aw p,.aw h2{margin:0}
.aw-name{font-size:20px;font-weight:700;line-height:1.3}
.aw-muted{color:var(--aw-muted)}
.aw-city{font-size:14px;margin-top:2px}
.aw-badge{margin-top:12px;padding:12px;border-radius:10px;border:2px solid var(--aw-accent);background:var(--aw-accent-soft)}
.aw-badge-not-verified{border:2px dashed var(--aw-warn-border);background:var(--aw-warn-soft)}
.aw-badge-suspended,.aw-badge-revoked{border-color:var(--aw-lapsed);background:var(--aw-lapsed-soft)}
.aw-alliance{display:flex;align-items:center;gap:8px;font-size:14px;font-weight:600}
.aw-logo{width:28px;height:28px;flex:none}
.aw-badge-not-verified .aw-logo,.aw-badge-suspended .aw-logo,.aw-badge-revoked .aw-logo{filter:grayscale(1);opacity:.6}
.aw-badge-line{margin-top:6px!important;font-weight:700;display:flex;gap:6px;align-items:flex-start}
.aw-badge-verified .aw-badge-line{color:var(--aw-accent)}
.aw-badge-not-verified .aw-badge-line{color:var(--aw-warn)}
.aw-badge-suspended .aw-badge-line,.aw-badge-revoked .aw-badge-line{color:var(--aw-lapsed)}
.aw-badge-icon{flex:none;width:18px;text-align:center}
.aw-hint{font-size:14px;margin-top:4px!important;color:var(--aw-warn-fg)}
.aw-standards{margin-top:8px;font-size:14px}
.aw-standards summary{cursor:pointer;padding:11px 0;line-height:22px;font-weight:600}
.aw-standards summary:focus-visible,.aw-verify:focus-visible{outline:3px solid var(--aw-link);outline-offset:2px}
.aw-standards ul{margin:0 0 4px;padding-left:20px}
.aw-verify{display:inline-flex;align-items:center;min-height:44px;font-size:14px;color:var(--aw-link);text-decoration:underline}
.aw-sr{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap}
.aw-network{margin-top:8px!important;font-size:14px}
.aw-rating{margin-top:10px;display:flex;flex-wrap:wrap;align-items:center;gap:8px}
.aw-stars{position:relative;display:inline-block;font-size:20px;line-height:1;letter-spacing:2px}
.aw-stars-empty{color:var(--aw-star-off)}
.aw-stars-full{position:absolute;left:0;top:0;overflow:hidden;white-space:nowrap;color:var(--aw-star)}
.aw-average{font-weight:700}
.aw-count{color:var(--aw-muted);font-size:14px}
.aw-loading{min-height:96px}
.aw-bone{height:14px;border-radius:7px;background:var(--aw-track);margin-bottom:10px;width:60%}
.aw-bone-title{height:22px;width:80%}
.aw-error-title{font-weight:700;margin-bottom:4px!important}
.aw-button{margin-top:12px;min-height:44px;min-width:44px;padding:10px 18px;border:0;border-radius:8px;
 background:var(--aw-accent);color:var(--aw-on-accent);font-weight:600;cursor:pointer}
.aw-button:focus-visible{outline:3px solid var(--aw-link);outline-offset:2px}
.aw-histogram{list-style:none;margin:8px 0 0;padding:0;font-size:13px;max-width:320px}
.aw-histogram li{display:flex;align-items:center;gap:8px;line-height:20px}
.aw-hist-label{width:28px;flex:none;color:var(--aw-muted)}
.aw-hist-bar{flex:1;height:8px;border-radius:4px;background:var(--aw-track);overflow:hidden}
.aw-hist-bar span{display:block;height:100%;background:var(--aw-star)}
.aw-hist-count{width:28px;flex:none;text-align:right;color:var(--aw-muted)}
.aw-hidden-note{font-size:13px;margin-top:4px!important}
.aw-h3{font-size:17px;font-weight:700;margin:20px 0 8px}
.aw-controls{display:flex;flex-wrap:wrap;gap:8px 12px}
.aw-control{display:flex;flex-direction:column;font-size:13px;color:var(--aw-muted);flex:1 1 140px}
.aw select,.aw input[type=text],.aw textarea{min-height:44px;padding:8px 10px;border:1px solid var(--aw-field);border-radius:8px;background:var(--aw-bg);color:var(--aw-fg);font-size:16px;width:100%}
.aw textarea{min-height:120px;resize:vertical}
.aw select:focus-visible,.aw input:focus-visible,.aw textarea:focus-visible,.aw-button:focus-visible{outline:3px solid var(--aw-link);outline-offset:2px}
.aw-review-list{list-style:none;margin:12px 0 0;padding:0}
.aw-review{padding:12px 0;border-top:1px solid var(--aw-line);content-visibility:auto;contain-intrinsic-size:auto 150px}
.aw-review-head{display:flex;flex-wrap:wrap;align-items:center;gap:4px 10px}
.aw-stars-sm{color:var(--aw-star);letter-spacing:1px}
.aw-stars-off{color:var(--aw-star-off)}
.aw-author{font-weight:600}
.aw-verified{font-size:13px;color:var(--aw-accent);font-weight:600}
.aw-invited{font-size:13px;color:var(--aw-muted)}
.aw-provenance{font-size:13px;margin-top:4px!important}
.aw-review-meta{font-size:13px;color:var(--aw-muted)}
.aw-text{white-space:pre-line;margin-top:4px!important}
.aw-reply{margin-top:8px;padding:8px 12px;border-left:3px solid var(--aw-accent);background:var(--aw-reply);border-radius:0 8px 8px 0}
.aw-reply-title{font-size:13px;font-weight:700;color:var(--aw-accent)}
.aw-review-hidden{color:var(--aw-muted);font-style:italic}
.aw-secondary{background:var(--aw-bg);color:var(--aw-accent);border:2px solid var(--aw-accent)}
.aw-button:disabled{opacity:.6;cursor:default}
.aw-form{margin-top:16px;padding:12px;border:2px solid var(--aw-link);border-radius:10px}
.aw-field{border:0;margin:0 0 12px;padding:0;display:flex;flex-direction:column;gap:4px}
.aw-field legend,.aw-field label{font-weight:600;font-size:15px;padding:0}
.aw-star-row{display:flex;gap:4px}
.aw-star-choice{position:relative;display:inline-flex;align-items:center;justify-content:center;width:44px;height:44px;font-size:30px;color:var(--aw-star-off);cursor:pointer}
.aw-star-choice input{position:absolute;opacity:0;width:44px;height:44px;margin:0;cursor:pointer}
.aw-star-row .aw-star-choice{font-size:32px;line-height:1}
.aw-star-choice.aw-on{color:var(--aw-star)}
.aw-star-choice:focus-within{outline:3px solid var(--aw-link);outline-offset:-2px;border-radius:8px}
.aw-field-error{color:var(--aw-danger);font-size:14px;font-weight:600;min-height:0}
.aw-field-error:empty{display:none}
.aw [aria-invalid=true]{border-color:var(--aw-danger)}
.aw-honeypot{position:absolute;left:-9999px;width:1px;height:1px;overflow:hidden}
.aw-thanks{margin-top:16px!important;padding:12px;border-radius:10px;background:var(--aw-accent-soft);color:var(--aw-accent);font-weight:700}
.aw-booking,.aw-book-entry{margin-top:12px}
.aw-book{width:100%}
.aw-choice{display:flex;align-items:flex-start;gap:10px;min-height:44px;padding:8px 0;font-weight:400!important;cursor:pointer}
.aw-choice input{width:22px;height:22px;margin:2px 0 0;flex:none;accent-color:var(--aw-accent)}
.aw-nav{display:flex;justify-content:space-between;gap:12px;margin-top:12px}
.aw-nav .aw-button{margin-top:0;flex:1}
.aw-days{display:flex;gap:8px;overflow-x:auto;padding:4px 2px 8px;scroll-snap-type:x proximity}
.aw-day{flex:none;min-width:76px;min-height:56px;padding:6px 8px;border:2px solid var(--aw-field);border-radius:10px;background:var(--aw-bg);color:var(--aw-fg);display:flex;flex-direction:column;align-items:center;justify-content:center;cursor:pointer;scroll-snap-align:start}
.aw-day[aria-pressed=true]{border-color:var(--aw-accent);background:var(--aw-accent);color:var(--aw-on-accent)}
.aw-day:disabled{cursor:default;background:var(--aw-soft);color:var(--aw-muted);border-style:dashed}
.aw-day-note{font-size:12px;font-weight:700}
.aw-day[data-state=full] .aw-day-note{color:var(--aw-danger)}
.aw-day[data-state=full][aria-pressed=true] .aw-day-note{color:inherit}
.aw-offers{margin-top:12px;padding-top:8px;border-top:1px solid var(--aw-line)}.aw-offer-list{list-style:none;padding:0;margin:0}.aw-offer{border:1px solid var(--aw-border);border-radius:8px;padding:8px;margin:8px 0}.aw-referral strong{color:var(--aw-accent)}
.aw-times{display:grid;grid-template-columns:repeat(auto-fill,minmax(84px,1fr));gap:8px;margin-top:8px}
.aw-times>p{grid-column:1/-1}
.aw-time{min-height:44px;border:2px solid var(--aw-accent);border-radius:8px;background:var(--aw-bg);color:var(--aw-accent);font-weight:700;cursor:pointer}
.aw-time:disabled{border-color:var(--aw-star-off);color:var(--aw-muted);text-decoration:line-through;cursor:default;font-weight:400}
.aw-day:focus-visible,.aw-time:focus-visible,.aw-h3:focus-visible,.aw-link:focus-visible,.aw-choice input:focus-visible{outline:3px solid var(--aw-link);outline-offset:2px}
.aw-h3:focus{outline:none}
.aw-h3:focus-visible{outline:3px solid var(--aw-link)}
.aw-zone{font-size:13px}
.aw-chosen{font-weight:700;margin-bottom:8px!important}
.aw-confirmed{margin-top:12px;padding:12px;border-radius:10px;background:var(--aw-accent-soft);border:2px solid var(--aw-accent)}
.aw-code{font-size:22px;letter-spacing:2px;font-family:ui-monospace,SFMono-Regular,Menlo,monospace}
.aw-link{display:inline-flex;align-items:center;min-height:44px;color:var(--aw-link);text-decoration:underline}
.aw-manage{margin-top:12px;padding:12px;border:2px solid var(--aw-link);border-radius:10px}
.aw-danger{background:var(--aw-danger)}
@media (prefers-reduced-motion:no-preference){.aw-bone{animation:aw-pulse 1.2s ease-in-out infinite}}
@keyframes aw-pulse{50%{opacity:.55}}
"#;

thread_local! {
    static SHEET: Option<web_sys::CssStyleSheet> = web_sys::CssStyleSheet::new()
        .ok()
        .filter(|s| s.replace_sync(CSS).is_ok());
}

/// Gives the shadow root that holds `target` the widget's stylesheet: a shared constructable
/// stylesheet where the browser has them, else a `<style>` element inside the shadow root.
pub fn adopt(target: &web_sys::HtmlElement) {
    let Ok(root) = target.get_root_node().dyn_into::<web_sys::ShadowRoot>() else {
        return;
    };
    let adopted = SHEET.with(|sheet| {
        sheet.as_ref().is_some_and(|sheet| {
            let list = js_sys::Array::of1(sheet);
            js_sys::Reflect::set(&root, &JsValue::from_str("adoptedStyleSheets"), &list)
                .unwrap_or(false)
        })
    });
    if !adopted {
        if let Some(style) = web_sys::window()
            .and_then(|w| w.document())
            .and_then(|d| d.create_element("style").ok())
        {
            style.set_text_content(Some(CSS));
            let _ = root.prepend_with_node_1(&style);
        }
    }
}
