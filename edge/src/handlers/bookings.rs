//! Booking: live availability (read from KV), booking writes (through the shop's object, the
//! single writer), and the customer's manage link: view, cancel, reschedule, add to calendar.

use crate::app::App;
use crate::error::{ApiError, ApiResult};
use crate::handlers::reviews::write_cors;
use crate::handlers::widget::{shop_id, unknown};
use crate::http::{self, param, query};
use crate::shop_do::protocol::{
    CancelBooking, EraseBooking, ExportBooking, Feed, GetBooking, RescheduleBooking, ShopCommand,
};
use crate::shop_do::{BookReq, ManageReq};
use crate::store::Store;
use shared::{
    calendar, request_origin, today, BookingForm, BookingView, Busy, ManageToken, Problem,
    ProblemKind, Shop, ShopId, SlotQuery, TokenError,
};
use worker::{Method, Request, Response};

async fn shop_or_404(store: &Store, id: &ShopId) -> ApiResult<Shop> {
    store.shop(id).await?.ok_or_else(|| unknown(id))
}

/// `GET /v1/shops/{id}/availability?service=oil&from=YYYY-MM-DD&days=1..31`: the calendar in
/// the shop's time zone, every start time marked free or taken, full days included.
pub async fn availability(req: &Request, app: &App, id: &str) -> ApiResult<Response> {
    let id = shop_id(id)?;
    let q = query(req)?;
    let store = app.store()?;
    let shop = shop_or_404(store, &id).await?;
    let rules = shop.booking.as_ref().ok_or_else(|| {
        ApiError::client(
            ProblemKind::Conflict,
            format!("{id} takes no online bookings"),
        )
    })?;
    let wanted = param(&q, "service").unwrap_or("");
    let service = shop
        .services
        .iter()
        .find(|s| s.id == wanted)
        .ok_or_else(|| {
            ApiError::field(
                ProblemKind::InvalidParameter,
                "service",
                format!("service {wanted:?} is not offered by this shop"),
            )
        })?;
    let days: u16 = http::bounded(&q, "days", 14, 1..=31)?;
    let busy: Vec<Busy> = store.busy(&id).await?;
    let now = app.now_ms();
    let query = SlotQuery::for_service(&shop, rules, service, &busy, now);
    let from = match param(&q, "from") {
        Some(f) => f.to_owned(),
        None => today(&query).map_err(ApiError::Internal)?,
    };
    let days = calendar(&query, &from, days)
        .map_err(|e| ApiError::field(ProblemKind::InvalidParameter, "from", e))?;
    let body = Availability {
        shop: id,
        service: service.id.clone(),
        duration_minutes: service.duration_minutes,
        time_zone: shop.time_zone.clone(),
        days,
    };
    let mut resp = http::json(serde_json::to_string(&body)?, 200);
    http::set(&mut resp, "cache-control", "no-cache");
    Ok(resp)
}

/// The free times of one service, day by day in the shop's zone.
#[derive(serde::Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Availability {
    /// The shop.
    pub shop: ShopId,
    /// The service asked about.
    pub service: shared::ServiceId,
    /// How long it takes, in minutes.
    pub duration_minutes: u16,
    /// The shop's time zone, in which every time is written.
    pub time_zone: shared::TimeZoneName,
    /// The days asked for.
    pub days: Vec<shared::Day>,
}

/// The shop's integration secrets (`GET /v1/shop/setup`).
#[derive(serde::Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Setup {
    /// The Standard Webhooks signing secret (`whsec_…`).
    pub webhook_secret: String,
    /// The private calendar feed's address.
    pub calendar_feed: String,
}

/// The request's `Origin`, if it is one of `shop`'s registered origins; else 403.
pub fn registered_origin(req: &Request, shop: &Shop) -> ApiResult<String> {
    let origin = request_origin(
        crate::http::header(req.headers(), "origin").as_deref(),
        None,
    );
    origin_of_shop(origin, shop, http::own_origin(req).as_deref())
}

/// The page a request came from (its `Origin`, else its `Referer`'s origin: a link the customer
/// follows from the shop's page sends no `Origin`).
fn page_origin(req: &Request) -> Option<String> {
    let headers = req.headers();
    request_origin(
        headers.get("origin").ok().flatten().as_deref(),
        headers.get("referer").ok().flatten().as_deref(),
    )
}

/// `origin`, if it is one of `shop`'s sites: an origin the alliance granted it, or the
/// alliance's own origin `home` (the shop's hosted page).
fn origin_of_shop(origin: Option<String>, shop: &Shop, home: Option<&str>) -> ApiResult<String> {
    match origin {
        Some(o) if shared::on_member_site(Some(&o), &shop.membership.allowed_origins, home) => {
            Ok(o)
        }
        other => Err(ApiError::field(
            ProblemKind::ForeignOrigin,
            "origin",
            format!(
                "bookings for {} are accepted only from the shop's own site, not {:?}",
                shop.id,
                other.unwrap_or_default()
            ),
        )),
    }
}

/// The request's origin for a change to a booking: the shop's own sites, or for a referral the
/// referring member's (the customer booked there and manages it there).
pub async fn booking_origin(
    req: &Request,
    app: &App,
    store: &Store,
    t: &ManageToken,
) -> ApiResult<String> {
    let origin = request_origin(
        crate::http::header(req.headers(), "origin").as_deref(),
        None,
    );
    origin_of_booking(origin, req, app, store, t).await
}

async fn origin_of_booking(
    origin: Option<String>,
    req: &Request,
    app: &App,
    store: &Store,
    t: &ManageToken,
) -> ApiResult<String> {
    let home = http::own_origin(req);
    let shop = shop_or_404(store, &t.shop).await?;
    let refused = match origin_of_shop(origin.clone(), &shop, home.as_deref()) {
        Ok(o) => return Ok(o),
        Err(e) => e,
    };
    let view: ApiResult<BookingView> = app
        .shop(&t.shop)?
        .send(&GetBooking(ManageReq {
            reference: t.reference.clone(),
            start_ms: None,
        }))
        .await;
    match view.ok().and_then(|v| v.referred_by) {
        Some(from) => match store.shop(&from).await? {
            Some(referrer) => {
                origin_of_shop(origin, &referrer, home.as_deref()).map_err(|_| refused)
            }
            None => Err(refused),
        },
        None => Err(refused),
    }
}

/// `OPTIONS` for the manage link's writes: the booking's shop's sites, or its referrer's.
pub async fn manage_preflight(req: &Request, app: &App, token: &str) -> ApiResult<Response> {
    let t = ManageToken::peek(token).ok_or_else(|| {
        ApiError::field(
            ProblemKind::InvalidToken,
            "token",
            "this manage link is not valid",
        )
    })?;
    let store = app.store()?;
    let origin = booking_origin(req, app, store, &t).await?;
    Ok(preflight_for(&origin))
}

fn preflight_for(origin: &str) -> Response {
    let mut resp = http::text(String::new(), "text/plain", 204);
    write_cors(&mut resp, origin);
    http::set(&mut resp, "access-control-allow-methods", "POST");
    http::set(
        &mut resp,
        "access-control-allow-headers",
        "content-type, idempotency-key",
    );
    http::set(&mut resp, "access-control-max-age", "600");
    resp
}

/// `OPTIONS` for the write routes: granted only to the shop's own origins.
pub async fn preflight(req: &Request, app: &App, shop: &ShopId) -> ApiResult<Response> {
    let store = app.store()?;
    let shop = shop_or_404(store, shop).await?;
    let origin = registered_origin(req, &shop)?;
    Ok(preflight_for(&origin))
}

async fn turnstile(app: &App, token: &str, ip: &str) -> ApiResult<()> {
    let Ok(secret) = app.env().secret("TURNSTILE_SECRET").map(|s| s.to_string()) else {
        return Ok(());
    };
    if token.is_empty() {
        return Err(ApiError::field(
            ProblemKind::InvalidBody,
            "turnstile",
            "the human check is required",
        ));
    }
    let url = app
        .env()
        .var("TURNSTILE_VERIFY_URL")
        .map(|v| v.to_string())
        .unwrap_or_else(|_| "https://challenges.cloudflare.com/turnstile/v0/siteverify".into());
    let body =
        serde_json::json!({ "secret": secret, "response": token, "remoteip": ip }).to_string();
    let headers = worker::Headers::new();
    headers.set("content-type", "application/json")?;
    let mut init = worker::RequestInit::new();
    init.with_method(Method::Post)
        .with_headers(headers)
        .with_body(Some(body.into()));
    let mut resp = worker::Fetch::Request(worker::Request::new_with_init(&url, &init)?)
        .send()
        .await
        .map_err(|e| ApiError::Unavailable(format!("turnstile: {e}")))?;
    let verdict: serde_json::Value = resp
        .json()
        .await
        .map_err(|e| ApiError::Unavailable(format!("turnstile: {e}")))?;
    if verdict["success"] == true {
        Ok(())
    } else {
        Err(ApiError::field(
            ProblemKind::Forbidden,
            "turnstile",
            "the human check failed; please try again",
        ))
    }
}

/// `POST /v1/shops/{id}/bookings`: books a slot. Checked in order, storing nothing unless all
/// pass: the shop's own origin, content type and size, every field, Turnstile when on; then the
/// shop's object checks the slot and capacity and stores it in one step. A retry with the same
/// `Idempotency-Key` returns the first booking.
pub async fn book(req: &mut Request, app: &App, id: &str) -> ApiResult<(Response, Option<String>)> {
    let id = shop_id(id)?;
    let store = app.store()?;
    let shop = shop_or_404(store, &id).await?;
    let origin = registered_origin(req, &shop)?;
    let result = book_at(req, app, &shop, None).await;
    Ok((result.unwrap_or_else(ApiError::into_response), Some(origin)))
}

/// Books at `shop` (the origin was checked by the caller), for a customer `referred_by` another
/// member when one sent them. With the customer's consent the booking keeps a keyed hash of the
/// phone number, and the visit is counted alliance-wide when the shop completes it (shown on
/// the manage view from then on, never in the booking's own answer).
pub async fn book_at(
    req: &mut Request,
    app: &App,
    shop: &Shop,
    referred_by: Option<ShopId>,
) -> ApiResult<Response> {
    let key = crate::http::header(req.headers(), "idempotency-key");
    if key
        .as_ref()
        .is_some_and(|k| k.is_empty() || k.len() > 100 || k.chars().any(|c| !c.is_ascii_graphic()))
    {
        return Err(ApiError::field(
            ProblemKind::InvalidParameter,
            "idempotency-key",
            "Idempotency-Key must be 1 to 100 visible ASCII characters",
        ));
    }
    let form: BookingForm = http::read_json(req).await?;
    let services: Vec<&str> = shop.services.iter().map(|s| s.id.as_str()).collect();
    let year = js_sys::Date::new_0().get_utc_full_year() as u16;
    let booking = form
        .validate(&services, year)
        .map_err(|e| ApiError::Client(Problem::fields(e)))?;
    let ip = http::client_ip(req);
    turnstile(app, &form.turnstile, &ip).await?;
    let visitor = if booking.count_visits {
        Some(app.secrets()?.visitor_key(booking.phone.as_str()))
    } else {
        None
    };
    let limits = app
        .store()?
        .alliance()
        .await?
        .map(|a| a.limits)
        .unwrap_or_default();
    app.shop(&shop.id)?
        .forward(&BookReq {
            booking,
            idempotency_key: key,
            ip: app.secrets()?.rate_key(&shared::address_block(&ip)),
            referred_by,
            visitor,
            shop_hour_cap: limits.bookings_per_shop_hour,
        })
        .await
}

pub(super) fn manage_token(app: &App, token: &str) -> ApiResult<ManageToken> {
    let now = app.now_ms() / 1000;
    let (checked, _) = app
        .secrets()?
        .verify_rotating(|secret| ManageToken::verify(token, secret, now));
    checked.map_err(|e| match e {
        TokenError::Expired => ApiError::field(
            ProblemKind::TokenExpired,
            "token",
            "this manage link has expired",
        ),
        _ => ApiError::field(
            ProblemKind::InvalidToken,
            "token",
            "this manage link is not valid",
        ),
    })
}

/// Sends the command `wrap` makes of the booking behind a manage link to its shop's object,
/// passing the answer on.
async fn ask_object<C: ShopCommand>(
    app: &App,
    token: &str,
    wrap: impl FnOnce(ManageReq) -> C,
) -> ApiResult<Response> {
    let t = manage_token(app, token)?;
    let req = ManageReq {
        reference: t.reference,
        start_ms: None,
    };
    app.shop(&t.shop)?.forward(&wrap(req)).await
}

/// `GET /v1/bookings/{token}`: the booking behind a manage link.
pub async fn view(app: &App, token: &str) -> ApiResult<Response> {
    ask_object(app, token, GetBooking).await
}

/// `POST /v1/bookings/{token}/cancel` and `/reschedule` (`{"start": "…"}`): changes until the
/// shop's cut-off; only from the shop's own site.
pub async fn change(
    req: &mut Request,
    app: &App,
    token: &str,
    action: &str,
) -> ApiResult<(Response, Option<String>)> {
    let t = manage_token(app, token)?;
    let store = app.store()?;
    let origin = booking_origin(req, app, store, &t).await?;
    let result = async {
        let start_ms = if action == "reschedule" {
            #[derive(serde::Deserialize)]
            struct Body {
                start: String,
            }
            let b: Body = http::read_json(req).await?;
            Some(shared::parse_instant(&b.start).ok_or_else(|| {
                ApiError::field(
                    ProblemKind::InvalidBody,
                    "start",
                    format!(
                        "start {:?} is not a time like 2026-12-01T09:00:00+08:00",
                        b.start
                    ),
                )
            })?)
        } else {
            None
        };
        let req = ManageReq {
            reference: t.reference,
            start_ms,
        };
        let object = app.shop(&t.shop)?;
        match action {
            "reschedule" => object.forward(&RescheduleBooking(req)).await,
            "erase" => object.forward(&EraseBooking(req)).await,
            _ => object.forward(&CancelBooking(req)).await,
        }
    }
    .await;
    Ok((result.unwrap_or_else(ApiError::into_response), Some(origin)))
}

/// `GET /v1/bookings/{token}/export`: everything stored about the customer of this booking,
/// only to the shop's own pages (the widget's fetch sends `Origin`; the customer's click on the
/// link sends the page as `Referer`), so a manage token that leaked elsewhere exports nothing.
pub async fn export(req: &Request, app: &App, token: &str) -> ApiResult<Response> {
    let t = manage_token(app, token)?;
    let store = app.store()?;
    origin_of_booking(page_origin(req), req, app, store, &t).await?;
    ask_object(app, token, ExportBooking).await
}

/// `GET /v1/bookings/{token}/calendar.ics`: the booking as a calendar event.
pub async fn ics(app: &App, token: &str) -> ApiResult<Response> {
    let t = manage_token(app, token)?;
    let store = app.store()?;
    let shop = shop_or_404(store, &t.shop).await?;
    let mut resp = app
        .shop(&t.shop)?
        .forward(&GetBooking(ManageReq {
            reference: t.reference,
            start_ms: None,
        }))
        .await?;
    if resp.status_code() != 200 {
        return Ok(resp);
    }
    let b: BookingView = resp.json().await?;
    let event = crate::ics::Event {
        uid: format!("{}@{}", b.reference, b.shop),
        start_ms: b.start_ms,
        end_ms: b.end_ms,
        summary: format!("{} · {}", b.service_name.zh_tw, shop.name.zh_tw),
        description: format!("{} · {} · {}", b.reference, b.vehicle, shop.phone),
        location: shop.address.zh_tw.clone(),
    };
    let mut out = http::text(
        crate::ics::calendar(&shop.name.zh_tw, &[event]),
        "text/calendar; charset=utf-8",
        200,
    );
    http::set(
        &mut out,
        "content-disposition",
        &format!("attachment; filename=\"booking-{}.ics\"", b.reference),
    );
    http::set(&mut out, "access-control-allow-origin", "*");
    Ok(out)
}

/// `GET /v1/shops/{id}/calendar.ics?key=…`: the shop's private feed for its calendar app.
pub async fn feed(req: &Request, app: &App, id: &str) -> ApiResult<Response> {
    let id = shop_id(id)?;
    let q = query(req)?;
    let key = param(&q, "key").unwrap_or("");
    let store = app.store()?;
    let shop = shop_or_404(store, &id).await?;
    if !app.secrets()?.derived_matches("feed", &shop, key) {
        if app.secrets()?.derived_was("feed", &shop, key) {
            return Err(ApiError::field(
                ProblemKind::NotFound,
                "key",
                "this calendar feed address was replaced; copy the new one from the console",
            ));
        }
        return Err(ApiError::field(
            ProblemKind::Forbidden,
            "key",
            "the calendar key is not valid",
        ));
    }
    app.shop(&id)?.forward(&Feed).await
}

/// `GET /v1/shop/setup` (shop key): the shop's webhook signing secret and private feed URL.
pub async fn setup(req: &Request, app: &App) -> ApiResult<Response> {
    let store = app.store()?;
    let id = crate::auth::require_shop(req, store).await?;
    let shop = shop_or_404(store, &id).await?;
    let base = req.url()?.origin().ascii_serialization();
    let body = Setup {
        webhook_secret: app.secrets()?.webhook_secret(&shop),
        calendar_feed: format!(
            "{base}/v1/shops/{id}/calendar.ics?key={}",
            app.secrets()?.derived("feed", &shop)
        ),
    };
    Ok(http::json(serde_json::to_string(&body)?, 200))
}
