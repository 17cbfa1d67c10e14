//! The alliance widget: a Leptos (client-side rendering) app compiled to WebAssembly.
//!
//! `embed.js` (in `widget/embed/`) loads this module next to itself, attaches an open shadow root
//! to each placeholder on the shop's page, appends a `<div>` to it and calls [`mount`] on that
//! div. Everything the widget shows comes from one request to the edge
//! (`GET /v1/shops/{id}/widget`, see [`api`]); every string comes from [`i18n`].

pub mod api;
mod components;
pub mod i18n;
mod style;

use leptos::prelude::*;
use serde::Deserialize;
use shared::Locale;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

/// Options `embed.js` passes to [`mount`].
#[derive(Debug, Deserialize)]
pub struct MountOptions {
    /// The shop's id as written in the snippet (validated by the edge, not here).
    pub shop: String,
    /// A BCP 47 language tag; anything other than Chinese or English falls back to zh-TW.
    #[serde(default)]
    pub locale: String,
    /// Base URL of the edge API, e.g. `https://widget.alliance.tw`.
    pub api: String,
    /// Booking form prefill (`service`, `make`, `model`, `year`, `plate`, `name`, `phone`,
    /// `email`) from the snippet's `data-prefill-*` attributes or `aw_*` URL parameters.
    #[serde(default)]
    pub prefill: std::collections::BTreeMap<String, String>,
    /// Which parts to show: `all` (default), `badge`, `reviews` or `booking`.
    #[serde(default)]
    pub view: String,
    /// Start with the booking flow open (the popup mode).
    #[serde(default)]
    pub open: bool,
}

/// A mounted widget; dropping it or calling [`Widget::unmount`] removes it.
#[wasm_bindgen]
pub struct Widget {
    handle: Option<Box<dyn std::any::Any>>,
}

#[wasm_bindgen]
impl Widget {
    /// Removes the widget's DOM and disposes of its reactive state.
    pub fn unmount(&mut self) {
        self.handle.take();
    }
}

/// Mounts a widget into `target`, a `<div>` inside an open shadow root.
///
/// # Errors
/// A JS error when `options` is not an object with `shop` and `api` strings.
#[wasm_bindgen]
pub fn mount(target: web_sys::HtmlElement, options: JsValue) -> Result<Widget, JsValue> {
    let opts: MountOptions = widget_de::from_value(options.clone())
        .map_err(|e| JsValue::from_str(&format!("alliance widget: bad options: {e}")))?;
    style::adopt(&target);
    let locale = Locale::from_tag(&opts.locale).unwrap_or_default();
    // The first-view request embed.js started while the wasm downloaded, if any.
    let prefetch = js_sys::Reflect::get(&options, &JsValue::from_str("prefetch"))
        .ok()
        .and_then(|p| p.dyn_into::<js_sys::Promise>().ok());
    let handle = leptos::mount::mount_to(target, move || {
        view! { <components::App shop=opts.shop api=opts.api prefill=opts.prefill prefetch=prefetch locale=locale parts=components::Parts::parse(&opts.view) open=opts.open /> }
    });
    Ok(Widget {
        handle: Some(Box::new(handle)),
    })
}
