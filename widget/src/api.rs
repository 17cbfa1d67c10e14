//! Every HTTP call the widget makes, and how its failures are classified.

use shared::WidgetView;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{RequestInit, RequestMode, Response};

/// Why the widget could not get its data.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum FetchError {
    /// The edge could not be reached (offline, DNS, connection refused, CORS).
    Network,
    /// The edge answered 404: no such shop in the alliance.
    UnknownShop,
    /// The edge answered 400: the snippet's shop id is malformed.
    InvalidShop,
    /// The edge failed (5xx) or answered something the widget cannot read.
    Server,
}

/// Fetches the first-view document of `shop` from the edge at `api`.
///
/// # Errors
/// A [`FetchError`] saying what the visitor should be told.
pub async fn widget(api: &str, shop: &str) -> Result<WidgetView, FetchError> {
    let url = format!(
        "{}/v1/shops/{}/widget",
        api.trim_end_matches('/'),
        js_sys::encode_uri_component(shop)
    );
    let resp = get(&url).await?;
    match resp.status() {
        200 => {
            let json = resp.json().map_err(|_| FetchError::Server)?;
            let value = JsFuture::from(json).await.map_err(|_| FetchError::Server)?;
            serde_wasm_bindgen::from_value(value).map_err(|_| FetchError::Server)
        }
        404 => Err(FetchError::UnknownShop),
        400 => Err(FetchError::InvalidShop),
        _ => Err(FetchError::Server),
    }
}

async fn get(url: &str) -> Result<Response, FetchError> {
    let window = web_sys::window().ok_or(FetchError::Network)?;
    let init = RequestInit::new();
    init.set_method("GET");
    init.set_mode(RequestMode::Cors);
    let value: JsValue = JsFuture::from(window.fetch_with_str_and_init(url, &init))
        .await
        .map_err(|_| FetchError::Network)?;
    value.dyn_into().map_err(|_| FetchError::Network)
}
