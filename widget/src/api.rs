//! Every HTTP call the widget makes, and how its failures are classified.

use shared::{FieldError, Problem, PublicReview, ReviewForm, ReviewPage, ReviewSort, WidgetView};
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

/// Fetches a page of reviews, as the edge sorts and filters them.
///
/// # Errors
/// A [`FetchError`] saying what the visitor should be told.
pub async fn reviews(
    api: &str,
    shop: &str,
    sort: ReviewSort,
    service: Option<&str>,
    cursor: Option<&str>,
) -> Result<ReviewPage, FetchError> {
    let mut url = format!(
        "{}/v1/shops/{}/reviews?limit=5&sort={}",
        api.trim_end_matches('/'),
        js_sys::encode_uri_component(shop),
        match sort {
            ReviewSort::Newest => "newest",
            ReviewSort::Highest => "highest",
            ReviewSort::Lowest => "lowest",
        }
    );
    if let Some(s) = service {
        url.push_str(&format!("&service={}", js_sys::encode_uri_component(s)));
    }
    if let Some(c) = cursor {
        url.push_str(&format!("&cursor={}", js_sys::encode_uri_component(c)));
    }
    let resp = get(&url).await?;
    match resp.status() {
        200 => read_json(&resp).await.ok_or(FetchError::Server),
        404 => Err(FetchError::UnknownShop),
        400 => Err(FetchError::InvalidShop),
        _ => Err(FetchError::Server),
    }
}

async fn read_json<T: serde::de::DeserializeOwned>(resp: &Response) -> Option<T> {
    let value = JsFuture::from(resp.json().ok()?).await.ok()?;
    serde_wasm_bindgen::from_value(value).ok()
}

/// Why a review could not be published.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum SubmitError {
    /// Fields to fix, as the edge named them.
    Fields(Vec<FieldError>),
    /// The link was used already.
    TokenUsed,
    /// The link expired.
    TokenExpired,
    /// The link is not valid (forged, altered or for another shop).
    TokenInvalid,
    /// The page is not one of the shop's own sites.
    ForeignOrigin,
    /// Too many attempts; try later.
    RateLimited,
    /// The edge could not be reached.
    Network,
    /// Anything else.
    Server,
}

/// Publishes a review.
///
/// # Errors
/// A [`SubmitError`] saying what the visitor can do.
pub async fn post_review(
    api: &str,
    shop: &str,
    form: &ReviewForm,
) -> Result<PublicReview, SubmitError> {
    let url = format!(
        "{}/v1/shops/{}/reviews",
        api.trim_end_matches('/'),
        js_sys::encode_uri_component(shop)
    );
    let value = serde_wasm_bindgen::to_value(form).map_err(|_| SubmitError::Server)?;
    let body = js_sys::JSON::stringify(&value).map_err(|_| SubmitError::Server)?;
    let window = web_sys::window().ok_or(SubmitError::Network)?;
    let init = RequestInit::new();
    init.set_method("POST");
    init.set_mode(RequestMode::Cors);
    init.set_body(&body.into());
    let headers = web_sys::Headers::new().map_err(|_| SubmitError::Server)?;
    headers
        .set("content-type", "application/json")
        .map_err(|_| SubmitError::Server)?;
    init.set_headers(&headers);
    let resp: Response = JsFuture::from(window.fetch_with_str_and_init(&url, &init))
        .await
        .map_err(|_| SubmitError::Network)?
        .dyn_into()
        .map_err(|_| SubmitError::Network)?;
    if resp.status() == 201 {
        return read_json(&resp).await.ok_or(SubmitError::Server);
    }
    let problem: Option<Problem> = read_json(&resp).await;
    let kind = problem.as_ref().map(|p| p.kind.as_str()).unwrap_or("");
    Err(match (resp.status(), kind) {
        (400, _) => match problem {
            Some(p) if !p.errors.is_empty() => SubmitError::Fields(p.errors),
            Some(Problem {
                field: Some(field),
                detail,
                ..
            }) => SubmitError::Fields(vec![FieldError { field, detail }]),
            _ => SubmitError::Server,
        },
        (409, _) => SubmitError::TokenUsed,
        (410, _) => SubmitError::TokenExpired,
        (403, "/problems/foreign-origin") => SubmitError::ForeignOrigin,
        (403, _) => SubmitError::TokenInvalid,
        (429, _) => SubmitError::RateLimited,
        _ => SubmitError::Server,
    })
}
