//! Every HTTP call the widget makes, and how its failures are classified.

use shared::{
    BookingForm, BookingView, FieldError, Problem, ProblemKind, PublicReview, Reason, ReviewForm,
    ReviewPage, ReviewSort, WidgetView,
};
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
    read_widget(get(&url).await?).await
}

/// The first view from the request `embed.js` already started, in parallel with loading the
/// wasm (`GET /v1/shops/{id}/first-view`): the promise yields the parsed document, whose `data`
/// is the widget's, or the response when the edge refused it.
///
/// # Errors
/// A [`FetchError`] saying what the visitor should be told.
pub async fn widget_from(prefetch: js_sys::Promise) -> Result<WidgetView, FetchError> {
    let value = JsFuture::from(prefetch)
        .await
        .map_err(|_| FetchError::Network)?;
    match value.dyn_into::<Response>() {
        Ok(resp) => read_widget(resp).await,
        Err(doc) => {
            let data = js_sys::Reflect::get(&doc, &JsValue::from_str("data")).unwrap_or_default();
            widget_de::from_value(data).map_err(|_| FetchError::Server)
        }
    }
}

async fn read_widget(resp: Response) -> Result<WidgetView, FetchError> {
    match resp.status() {
        200 => read_json(&resp).await.ok_or(FetchError::Server),
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
    widget_de::from_value(value).ok()
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
    let kind = problem.as_ref().and_then(Problem::kind);
    Err(match (resp.status(), kind) {
        (400, _) => match problem.and_then(field_errors) {
            Some(errors) => SubmitError::Fields(errors),
            None => SubmitError::Server,
        },
        (409, _) => SubmitError::TokenUsed,
        (410, _) => SubmitError::TokenExpired,
        (403, Some(ProblemKind::ForeignOrigin)) => SubmitError::ForeignOrigin,
        (403, _) => SubmitError::TokenInvalid,
        (429, _) => SubmitError::RateLimited,
        _ => SubmitError::Server,
    })
}

/// The booking calendar as the edge computes it, in the shop's time zone.
#[derive(Debug, Clone, PartialEq, Eq, serde::Deserialize)]
pub struct Calendar {
    /// The shop's IANA time zone.
    pub time_zone: String,
    /// The days, each open, full or closed.
    pub days: Vec<shared::Day>,
}

/// Fetches the booking calendar for `service`, 14 days from today.
///
/// # Errors
/// A [`FetchError`].
pub async fn availability(api: &str, shop: &str, service: &str) -> Result<Calendar, FetchError> {
    let url = format!(
        "{}/v1/shops/{}/availability?days=14&service={}",
        api.trim_end_matches('/'),
        js_sys::encode_uri_component(shop),
        js_sys::encode_uri_component(service)
    );
    let resp = get(&url).await?;
    match resp.status() {
        200 => read_json(&resp).await.ok_or(FetchError::Server),
        404 => Err(FetchError::UnknownShop),
        _ => Err(FetchError::Server),
    }
}

/// Other alliance members with free times on `date` when this shop has none (without a date:
/// their next day with free times, for a service this shop does not offer).
///
/// # Errors
/// A [`FetchError`].
pub async fn referrals(
    api: &str,
    shop: &str,
    service: &str,
    date: Option<&str>,
) -> Result<Vec<shared::Referral>, FetchError> {
    let url = format!(
        "{}/v1/shops/{}/referrals?service={}&date={}",
        api.trim_end_matches('/'),
        js_sys::encode_uri_component(shop),
        js_sys::encode_uri_component(service),
        js_sys::encode_uri_component(date.unwrap_or(""))
    );
    let resp = get(&url).await?;
    match resp.status() {
        200 => read_json(&resp).await.ok_or(FetchError::Server),
        _ => Err(FetchError::Server),
    }
}

async fn send_json(
    url: &str,
    method: &str,
    body: Option<&JsValue>,
    idempotency_key: Option<&str>,
) -> Result<Response, SubmitError> {
    let window = web_sys::window().ok_or(SubmitError::Network)?;
    let init = RequestInit::new();
    init.set_method(method);
    init.set_mode(RequestMode::Cors);
    let headers = web_sys::Headers::new().map_err(|_| SubmitError::Server)?;
    if let Some(body) = body {
        let text = js_sys::JSON::stringify(body).map_err(|_| SubmitError::Server)?;
        init.set_body(&text.into());
        headers
            .set("content-type", "application/json")
            .map_err(|_| SubmitError::Server)?;
    }
    if let Some(k) = idempotency_key {
        headers
            .set("idempotency-key", k)
            .map_err(|_| SubmitError::Server)?;
    }
    init.set_headers(&headers);
    JsFuture::from(window.fetch_with_str_and_init(url, &init))
        .await
        .map_err(|_| SubmitError::Network)?
        .dyn_into()
        .map_err(|_| SubmitError::Network)
}

/// Why a booking action failed.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum BookError {
    /// Fields to fix.
    Fields(Vec<FieldError>),
    /// Someone else took the slot first.
    SlotTaken,
    /// Too late to change online, or already cancelled.
    Conflict,
    /// The page is not one of the shop's sites.
    ForeignOrigin,
    /// Too many attempts.
    RateLimited,
    /// The manage link is not valid or expired.
    BadLink,
    /// The edge could not be reached.
    Network,
    /// Anything else.
    Server,
}

/// The field errors a 400 names: its list, or the one field it names.
fn field_errors(p: Problem) -> Option<Vec<FieldError>> {
    if !p.errors.is_empty() {
        return Some(p.errors);
    }
    let field = p.field?;
    Some(vec![FieldError::new(&field, Reason::Other, p.detail)])
}

async fn booking_result(resp: Response) -> Result<BookingView, BookError> {
    if resp.status() == 200 || resp.status() == 201 {
        return read_json(&resp).await.ok_or(BookError::Server);
    }
    let problem: Option<Problem> = read_json(&resp).await;
    let kind = problem.as_ref().and_then(Problem::kind);
    Err(match (resp.status(), kind) {
        (409, Some(ProblemKind::SlotFull)) => BookError::SlotTaken,
        (409, _) => BookError::Conflict,
        (400, _) => match problem.and_then(field_errors) {
            Some(errors) => BookError::Fields(errors),
            None => BookError::Server,
        },
        (403, Some(ProblemKind::ForeignOrigin)) => BookError::ForeignOrigin,
        (403 | 410, _) => BookError::BadLink,
        (429, _) => BookError::RateLimited,
        _ => BookError::Server,
    })
}

fn network(e: SubmitError) -> BookError {
    if e == SubmitError::Network {
        BookError::Network
    } else {
        BookError::Server
    }
}

/// Books a slot; a retry with the same `idempotency_key` returns the same booking.
///
/// # Errors
/// A [`BookError`].
pub async fn book(
    api: &str,
    shop: &str,
    referral_to: Option<&str>,
    form: &BookingForm,
    idempotency_key: &str,
) -> Result<BookingView, BookError> {
    let base = format!(
        "{}/v1/shops/{}",
        api.trim_end_matches('/'),
        js_sys::encode_uri_component(shop)
    );
    let url = match referral_to {
        Some(to) => format!(
            "{base}/referrals/{}/bookings",
            js_sys::encode_uri_component(to)
        ),
        None => format!("{base}/bookings"),
    };
    let body = serde_wasm_bindgen::to_value(form).map_err(|_| BookError::Server)?;
    booking_result(
        send_json(&url, "POST", Some(&body), Some(idempotency_key))
            .await
            .map_err(network)?,
    )
    .await
}

/// The booking behind a manage link.
///
/// # Errors
/// A [`BookError`].
pub async fn booking(api: &str, token: &str) -> Result<BookingView, BookError> {
    let url = format!(
        "{}/v1/bookings/{}",
        api.trim_end_matches('/'),
        js_sys::encode_uri_component(token)
    );
    booking_result(send_json(&url, "GET", None, None).await.map_err(network)?).await
}

/// Cancels the booking behind a manage link.
///
/// # Errors
/// A [`BookError`].
pub async fn cancel(api: &str, token: &str) -> Result<BookingView, BookError> {
    let url = format!(
        "{}/v1/bookings/{}/cancel",
        api.trim_end_matches('/'),
        js_sys::encode_uri_component(token)
    );
    booking_result(send_json(&url, "POST", None, None).await.map_err(network)?).await
}

/// The add-to-calendar link of a booking.
pub fn calendar_link(api: &str, token: &str) -> String {
    booking_link(api, token, "calendar.ics")
}

/// The booking's page of the edge named `page` (`calendar.ics`, `line`).
pub fn booking_link(api: &str, token: &str, page: &str) -> String {
    format!(
        "{}/v1/bookings/{}/{page}",
        api.trim_end_matches('/'),
        js_sys::encode_uri_component(token)
    )
}

/// Moves the booking behind a manage link to `start`.
///
/// # Errors
/// A [`BookError`].
pub async fn reschedule(api: &str, token: &str, start: &str) -> Result<BookingView, BookError> {
    let url = format!(
        "{}/v1/bookings/{}/reschedule",
        api.trim_end_matches('/'),
        js_sys::encode_uri_component(token)
    );
    let body = js_sys::Object::new();
    let _ = js_sys::Reflect::set(&body, &"start".into(), &start.into());
    booking_result(
        send_json(&url, "POST", Some(&body.into()), None)
            .await
            .map_err(network)?,
    )
    .await
}

/// Erases the customer's personal data of the booking behind a manage link.
///
/// # Errors
/// A [`BookError`].
pub async fn erase(api: &str, token: &str) -> Result<BookingView, BookError> {
    let url = format!(
        "{}/v1/bookings/{}/erase",
        api.trim_end_matches('/'),
        js_sys::encode_uri_component(token)
    );
    booking_result(send_json(&url, "POST", None, None).await.map_err(network)?).await
}

/// The data-export link of a booking.
pub fn export_link(api: &str, token: &str) -> String {
    booking_link(api, token, "export")
}
