//! The widget's stylesheet, adopted by the shadow root it is mounted in, so no style is ever
//! added to the host page and no host style reaches in.

use wasm_bindgen::{JsCast, JsValue};

/// The widget's CSS. Inherited properties are set on `.aw` itself: a host page's `!important`
/// rules on the host element would otherwise flow in through inheritance.
pub const CSS: &str = r#"
:host{all:initial;display:block;contain:content}
.aw{box-sizing:border-box;display:block;max-width:100%;margin:0;padding:16px;
 font:400 16px/1.5 system-ui,-apple-system,"Segoe UI","Noto Sans TC","PingFang TC","Microsoft JhengHei",sans-serif;
 color:#1b2430;background:#fff;border:1px solid #d4dae1;border-radius:12px;text-align:left;
 letter-spacing:normal;word-spacing:normal;text-transform:none;text-indent:0;white-space:normal;
 font-style:normal;font-variant:normal;direction:ltr;visibility:visible;overflow-wrap:anywhere}
.aw *{box-sizing:border-box;font:inherit;color:inherit;letter-spacing:inherit}
.aw p,.aw h2{margin:0}
.aw-name{font-size:20px;font-weight:700;line-height:1.3}
.aw-muted{color:#4a5563}
.aw-city{font-size:14px;margin-top:2px}
.aw-badge{margin-top:12px;padding:12px;border-radius:10px;border:2px solid #0b5d3b;background:#eef7f2}
.aw-badge-not-verified{border:2px dashed #8a5a00;background:#fff8e6}
.aw-badge-suspended,.aw-badge-revoked{border-color:#8a1c1c;background:#fdf0f0}
.aw-alliance{display:flex;align-items:center;gap:8px;font-size:14px;font-weight:600}
.aw-logo{width:28px;height:28px;flex:none}
.aw-badge-not-verified .aw-logo,.aw-badge-suspended .aw-logo,.aw-badge-revoked .aw-logo{filter:grayscale(1);opacity:.6}
.aw-badge-line{margin-top:6px!important;font-weight:700;display:flex;gap:6px;align-items:flex-start}
.aw-badge-verified .aw-badge-line{color:#0b5d3b}
.aw-badge-not-verified .aw-badge-line{color:#774d00}
.aw-badge-suspended .aw-badge-line,.aw-badge-revoked .aw-badge-line{color:#8a1c1c}
.aw-badge-icon{flex:none;width:18px;text-align:center}
.aw-hint{font-size:14px;margin-top:4px!important;color:#4a3300}
.aw-standards{margin-top:8px;font-size:14px}
.aw-standards summary{cursor:pointer;padding:11px 0;line-height:22px;font-weight:600}
.aw-standards summary:focus-visible,.aw-verify:focus-visible{outline:3px solid #1d4ed8;outline-offset:2px}
.aw-standards ul{margin:0 0 4px;padding-left:20px}
.aw-verify{display:inline-flex;align-items:center;min-height:44px;font-size:14px;color:#1d4ed8;text-decoration:underline}
.aw-sr{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap}
.aw-network{margin-top:8px!important;font-size:14px}
.aw-rating{margin-top:10px;display:flex;flex-wrap:wrap;align-items:center;gap:8px}
.aw-stars{position:relative;display:inline-block;font-size:20px;line-height:1;letter-spacing:2px}
.aw-stars-empty{color:#c5ccd4}
.aw-stars-full{position:absolute;left:0;top:0;overflow:hidden;white-space:nowrap;color:#b45309}
.aw-average{font-weight:700}
.aw-count{color:#4a5563;font-size:14px}
.aw-loading{min-height:96px}
.aw-bone{height:14px;border-radius:7px;background:#e6eaee;margin-bottom:10px;width:60%}
.aw-bone-title{height:22px;width:80%}
.aw-error-title{font-weight:700;margin-bottom:4px!important}
.aw-button{margin-top:12px;min-height:44px;min-width:44px;padding:10px 18px;border:0;border-radius:8px;
 background:#0b5d3b;color:#fff;font-weight:600;cursor:pointer}
.aw-button:focus-visible{outline:3px solid #1d4ed8;outline-offset:2px}
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
