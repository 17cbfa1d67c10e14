//! The alliance widget: a Leptos app compiled to WebAssembly, and the same components rendered
//! to HTML by the edge.
//!
//! `embed.js` (in `widget/embed/`) attaches an open shadow root to each placeholder on the
//! shop's page. Usually the edge has rendered the first view (`GET /v1/shops/{id}/first-view`,
//! built with the `ssr` feature, [`render_first_view`]): the loader shows that HTML at once, and
//! only when the visitor reaches for the widget loads this module and calls [`hydrate`], which
//! takes over the nodes on screen. Otherwise (a link's token in the address, another build at
//! the edge) it calls [`mount`], which renders everything itself. Every string comes from
//! [`i18n`].
//!
//! The stylesheet is `widget/src/widget.css`, a file of its own in the build's folder: the
//! loader adopts it into each shadow root as one shared constructable stylesheet, so no style
//! is added to the host page, no host style reaches in, and a strict `style-src` has nothing
//! to block (widths are classes, never `style` attributes). Inherited properties are set on
//! `.aw` itself (a host page's `!important` rules on the host element would otherwise flow in
//! through inheritance); colours are custom properties on `:host` (light by default;
//! `data-theme="dark"`, or `"auto"` following the visitor's system), so a shop can also set
//! them on the placeholder element (README, "Theme").

// The first view's view type, rendered to HTML asynchronously (`ssr`), is deeper than the default.
#![recursion_limit = "256"]

#[cfg(all(feature = "ssr", feature = "csr"))]
compile_error!(
    "the widget's `ssr` (the edge) and `csr` (the browser) builds are separate cargo invocations: build `-p edge` and `-p widget` one at a time"
);

pub mod api;
mod components;
pub mod i18n;

use leptos::prelude::*;
use serde::Deserialize;
use shared::Locale;
#[cfg(not(feature = "ssr"))]
use wasm_bindgen::{prelude::*, JsCast};

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

/// The first view as the edge renders it and the browser hydrates it: the same components, the
/// same document, the same options.
fn first_view(opts: MountOptions, view: shared::WidgetView) -> impl IntoView {
    let locale = Locale::from_tag(&opts.locale).unwrap_or_default();
    let parts = components::Parts::parse(&opts.view);
    view! { <components::App shop=opts.shop api=opts.api prefill=opts.prefill prefetch=None locale parts open=false initial=view /> }
}

/// Renders the first view of `view` to HTML, as [`hydrate`] expects to find it (the edge's
/// `GET /v1/shops/{id}/first-view`). Every text is escaped by Leptos; nothing here reads a
/// clock, a window or a random number, so the same document renders the same HTML.
#[cfg(feature = "ssr")]
pub fn render_first_view(opts: MountOptions, view: shared::WidgetView) -> String {
    use leptos::tachys::view::RenderHtml;
    // A root of its own, disposed with everything the render created (no request shares it).
    let owner = leptos::reactive::owner::Owner::new_root(None);
    let html = owner.with(|| first_view(opts, view).to_html());
    owner.unset();
    html
}

/// Takes over the first view the edge rendered into `target` (a `<div>` inside an open shadow
/// root, holding `render_first_view`'s HTML for the document `options.data`): the nodes on
/// screen stay, the widget's handlers attach to them. The loader adopted the stylesheet.
///
/// # Errors
/// A JS error when `options` is not an object with `shop`, `api` and the document `data`.
#[cfg(not(feature = "ssr"))]
#[wasm_bindgen]
pub fn hydrate(target: web_sys::HtmlElement, options: JsValue) -> Result<Widget, JsValue> {
    let opts: MountOptions = widget_de::from_value(options.clone())
        .map_err(|e| JsValue::from_str(&format!("alliance widget: bad options: {e}")))?;
    let data = js_sys::Reflect::get(&options, &JsValue::from_str("data")).unwrap_or_default();
    let view: shared::WidgetView = widget_de::from_value(data)
        .map_err(|e| JsValue::from_str(&format!("alliance widget: bad first view: {e}")))?;
    // What `leptos::mount::hydrate_from` does, without Leptos's `hydrate` feature (see
    // Cargo.toml): a root owner, and the view hydrated from the nodes under `target`.
    use leptos::tachys::view::RenderHtml;
    let _ = any_spawner::Executor::init_wasm_bindgen();
    let owner = leptos::reactive::owner::Owner::new_root(None);
    let state = owner.with(move || {
        first_view(opts, view).hydrate::<true>(
            &leptos::tachys::hydration::Cursor::new(target.unchecked_into()),
            &Default::default(),
        )
    });
    Ok(Widget {
        handle: Some(Box::new(Hydrated { state, owner })),
    })
}

/// A mounted widget; dropping it or calling [`Widget::unmount`] removes it.
#[cfg(not(feature = "ssr"))]
#[wasm_bindgen]
pub struct Widget {
    handle: Option<Box<dyn std::any::Any>>,
}

#[cfg(not(feature = "ssr"))]
#[wasm_bindgen]
impl Widget {
    /// Removes the widget's DOM and disposes of its reactive state.
    pub fn unmount(&mut self) {
        self.handle.take();
    }
}

/// A hydrated first view: unmounted when dropped, then its reactive root disposed.
#[cfg(not(feature = "ssr"))]
struct Hydrated<M: leptos::tachys::view::Mountable> {
    state: M,
    #[allow(dead_code)]
    owner: leptos::reactive::owner::Owner,
}

#[cfg(not(feature = "ssr"))]
impl<M: leptos::tachys::view::Mountable> Drop for Hydrated<M> {
    fn drop(&mut self) {
        self.state.unmount();
    }
}

/// Mounts a widget into `target`, a `<div>` inside an open shadow root that has the widget's
/// stylesheet (`widget.css`, adopted by the loader).
///
/// # Errors
/// A JS error when `options` is not an object with `shop` and `api` strings.
#[cfg(not(feature = "ssr"))]
#[wasm_bindgen]
pub fn mount(target: web_sys::HtmlElement, options: JsValue) -> Result<Widget, JsValue> {
    let opts: MountOptions = widget_de::from_value(options.clone())
        .map_err(|e| JsValue::from_str(&format!("alliance widget: bad options: {e}")))?;
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
