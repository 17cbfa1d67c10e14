//! Reviews: public pages of a shop's reviews, writing a review with a single-use token, the
//! shop's replies and invites, and the alliance's open moderation.

use crate::app::App;
use crate::auth::{require_admin, require_shop};
use crate::error::{ApiError, ApiResult};
use crate::handlers::widget::{shop_id, unknown};
use crate::http::{self, param, query};
use crate::shop_do::{HideReq, InviteReq, ReplyReq, SubmitReq};
use crate::store::Store;
use shared::{
    request_origin, HideRequest, ModerationEntry, Problem, ProblemKind, ReplyForm, ReviewForm,
    ReviewPage, ReviewSort, ReviewToken, TokenError,
};
use worker::{Request, Response};

/// `GET /v1/shops/{id}/reviews?sort=newest|highest|lowest&service=ID&cursor=…&limit=1..20`:
/// one page of reviews, read from KV's indexes (one list and one bulk read).
pub async fn page(req: &Request, app: &App, id: &str) -> ApiResult<Response> {
    let shop = shop_id(id)?;
    let q = query(req)?;
    let sort = match param(&q, "sort") {
        None => ReviewSort::Newest,
        Some(s) => ReviewSort::parse(s).ok_or_else(|| {
            ApiError::field(
                ProblemKind::InvalidParameter,
                "sort",
                format!("sort must be newest, highest or lowest, not {s:?}"),
            )
        })?,
    };
    let filter = match param(&q, "service") {
        None | Some("") => "all".to_owned(),
        Some(s) if shared::ServiceId::parse(s).is_ok() => format!("s-{s}"),
        Some(s) => {
            return Err(ApiError::field(
                ProblemKind::InvalidParameter,
                "service",
                format!("service {s:?} is malformed"),
            ))
        }
    };
    let limit: u64 = http::bounded(&q, "limit", 5, 1..=20)?;
    let cursor = param(&q, "cursor")
        .filter(|c| !c.is_empty())
        .map(str::to_owned);
    if cursor.as_ref().is_some_and(|c| c.len() > 1024) {
        return Err(ApiError::field(
            ProblemKind::InvalidParameter,
            "cursor",
            "cursor is too long",
        ));
    }
    let store = app.store()?;
    let ids = store
        .review_ids(&shop, sort.code(), &filter, cursor, limit)
        .await?;
    if ids.ids.is_empty() && store.widget(&shop).await?.is_none() {
        return Err(unknown(&shop));
    }
    let reviews = store.reviews(&shop, &ids.ids).await?;
    let body = serde_json::to_string(&ReviewPage {
        reviews,
        next: ids.next,
    })?;
    let mut resp = http::json(body, 200);
    http::set(&mut resp, "cache-control", "no-cache");
    Ok(resp)
}

/// The request's origin, if it is one of the shop's registered origins or the alliance's own
/// (the hosted member page); else 403.
async fn allowed_origin(
    req: &Request,
    store: &Store,
    shop: &shared::ShopId,
) -> ApiResult<(String, shared::WidgetDoc)> {
    let doc = store.widget(shop).await?.ok_or_else(|| unknown(shop))?;
    let origin = request_origin(
        crate::http::header(req.headers(), "origin").as_deref(),
        None,
    );
    match origin {
        Some(o)
            if shared::on_member_site(
                Some(&o),
                &doc.allowed_origins,
                http::own_origin(req).as_deref(),
            ) =>
        {
            Ok((o, doc))
        }
        other => Err(ApiError::field(
            ProblemKind::ForeignOrigin,
            "origin",
            format!(
                "reviews for {shop} are accepted only from the shop's own site, not {:?}",
                other.unwrap_or_default()
            ),
        )),
    }
}

/// Adds the CORS headers of a write answered to `origin`.
pub fn write_cors(resp: &mut Response, origin: &str) {
    http::set(resp, "access-control-allow-origin", origin);
    http::set(resp, "vary", "Origin");
}

/// `OPTIONS /v1/shops/{id}/reviews`: the preflight, granted only to the shop's own origins.
pub async fn preflight(req: &Request, app: &App, id: &str) -> ApiResult<Response> {
    let shop = shop_id(id)?;
    let store = app.store()?;
    let (origin, _) = allowed_origin(req, store, &shop).await?;
    let mut resp = http::text(String::new(), "text/plain", 204);
    write_cors(&mut resp, &origin);
    http::set(&mut resp, "access-control-allow-methods", "POST");
    http::set(&mut resp, "access-control-allow-headers", "content-type");
    http::set(&mut resp, "access-control-max-age", "600");
    Ok(resp)
}

/// `POST /v1/shops/{id}/reviews`: a review written with a single-use token from a visit.
/// Checked in this order, and nothing is stored unless all pass: the shop's own origin, the
/// body, the token (signature, expiry, shop), the fields; then the shop's object enforces one
/// review per visit and the rate limits, and stores it.
pub async fn submit(
    req: &mut Request,
    app: &App,
    id: &str,
) -> ApiResult<(Response, Option<String>)> {
    let shop = shop_id(id)?;
    let store = app.store()?;
    let (origin, doc) = allowed_origin(req, store, &shop).await?;
    let result = async {
        let form: ReviewForm = http::read_json(req).await?;
        let now = app.now_ms() / 1000;
        let (checked, _) = app
            .secrets()?
            .verify_rotating(|secret| ReviewToken::verify(&form.token, secret, &shop, now));
        let token = checked.map_err(|e| match e {
            TokenError::Expired => {
                ApiError::field(ProblemKind::TokenExpired, "token", e.to_string())
            }
            _ => ApiError::field(ProblemKind::InvalidToken, "token", e.to_string()),
        })?;
        let services: Vec<&str> = doc
            .view
            .shop
            .services
            .iter()
            .map(|s| s.id.as_str())
            .collect();
        let valid = form
            .validate(&services)
            .map_err(|errors| ApiError::Client(Problem::fields(errors)))?;
        if let Some(s) = token.service.as_ref().filter(|s| **s != valid.service) {
            return Err(ApiError::field(
                ProblemKind::Unprocessable,
                "service",
                format!(
                    "this review link is for a visit for service {s:?}; the form named {:?}",
                    valid.service
                ),
            ));
        }
        let ip = app
            .secrets()?
            .rate_key(&shared::address_block(&http::client_ip(req)));
        let body = SubmitReq {
            visit: token.visit,
            ip,
            stars: valid.stars,
            text: valid.text,
            service: valid.service,
            token_service: token.service,
            author: valid.author,
            language: valid.language,
        };
        app.shop(&shop)?.forward(&body).await
    }
    .await;
    Ok((result.unwrap_or_else(ApiError::into_response), Some(origin)))
}

/// `PUT /v1/shop/reviews/{review}/reply` (shop key): writes or edits the shop's one reply.
pub async fn reply(req: &mut Request, app: &App, review: &str) -> ApiResult<Response> {
    let store = app.store()?;
    let shop = require_shop(req, store).await?;
    let form: ReplyForm = http::read_json(req).await?;
    let text = form
        .validate()
        .map_err(|e| ApiError::Client(Problem::fields(vec![e])))?;
    let review = shared::ReviewId::parse(review).map_err(|_| {
        ApiError::field(
            ProblemKind::InvalidParameter,
            "review",
            format!("review id {review:?} is malformed"),
        )
    })?;
    app.shop(&shop)?
        .forward(&ReplyReq { id: review, text })
        .await
}

/// Body of a shop's invite request: a visit outside the alliance's booking (a walk-in, a phone
/// booking), recorded before any link is made for it.
#[derive(serde::Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct InviteForm {
    /// The shop's work-order number for the visit (`visit` is read too, its former name).
    #[serde(alias = "visit")]
    pub work_order: String,
    /// The visit's date in the shop's time zone, `YYYY-MM-DD` (missing is refused by name).
    #[serde(default)]
    pub visit_date: String,
    /// The service done (missing is refused by name).
    #[serde(default)]
    pub service: String,
}

/// `POST /v1/shop/invites` (shop key): a review link for a past customer's visit outside the
/// alliance's booking. The visit is recorded in the shop's object first (work order, date,
/// service), at most the alliance's number a day, and enters the audit log.
pub async fn invite(req: &mut Request, app: &App) -> ApiResult<Response> {
    let store = app.store()?;
    let shop = require_shop(req, store).await?;
    let form: InviteForm = http::read_json(req).await?;
    let actor = format!("shop:{shop}");
    let home = http::own_origin(req).unwrap_or_default();
    let made = make_invite(app, store, &shop, &actor, &home, form).await?;
    Ok(http::json(serde_json::to_string(&made)?, 201))
}

/// A review invite made: the signed token, the link to send, its visit id and expiry.
#[derive(serde::Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Invite {
    /// The signed review token.
    pub token: String,
    /// The page opening the review form: the shop's own site, else its hosted member page.
    pub link: String,
    /// The recorded visit's id.
    pub visit: String,
    /// The review code for the receipt, for the counter card's "review your last visit".
    pub code: String,
    /// When the link expires, RFC 3339.
    pub expires: String,
}

/// Checks an invite form, records the visit in the shop's object and signs its review token
/// (for the API and the console alike). Nothing is recorded unless every field is valid. The
/// object's refusals come back as errors: the day's limit as `Limited` (429 with
/// `Retry-After`), a work order invited before as a 409 naming `work_order`.
pub async fn make_invite(
    app: &App,
    store: &Store,
    shop: &shared::ShopId,
    actor: &str,
    home: &str,
    form: InviteForm,
) -> ApiResult<Invite> {
    let work_order = shared::VisitId::parse(form.work_order.trim()).map_err(|_| {
        ApiError::field(
            ProblemKind::InvalidBody,
            "work_order",
            "work_order must be 1 to 32 letters, digits, - or _",
        )
    })?;
    let profile = store.shop(shop).await?.ok_or_else(|| unknown(shop))?;
    if !profile.services.iter().any(|x| x.id == form.service) {
        return Err(ApiError::field(
            ProblemKind::InvalidBody,
            "service",
            format!("service {:?} is not offered by this shop", form.service),
        ));
    }
    let now_ms = app.now_ms();
    let today = shared::local_rfc3339(now_ms, &profile.time_zone)
        .unwrap_or_else(|| shared::format_rfc3339(now_ms));
    shared::check_visit_date(form.visit_date.trim(), &today[..10])
        .map_err(|e| ApiError::field(ProblemKind::InvalidBody, "visit_date", e))?;
    let per_day = store
        .alliance()
        .await?
        .map(|a| a.limits)
        .unwrap_or_default()
        .invites_per_shop_day;
    let made = app
        .shop(shop)?
        .send(&InviteReq {
            work_order: work_order.clone(),
            visit_date: form.visit_date.trim().to_owned(),
            service: shared::ServiceId::parse(&form.service)
                .map_err(|e| ApiError::field(ProblemKind::InvalidBody, "service", e.to_string()))?,
            per_day,
        })
        .await?;
    crate::handlers::members::audit(
        app,
        actor,
        "review.invite",
        &profile,
        format!(
            "work order {work_order}, visit {}, service {}",
            form.visit_date.trim(),
            form.service
        ),
    )
    .await?;
    let token = ReviewToken::new(
        shop.clone(),
        made.visit.clone(),
        Some(form.service),
        now_ms / 1000,
    );
    let wire = token.sign(app.secrets()?.link());
    Ok(Invite {
        link: crate::shop_do::review_link(&profile, &wire).unwrap_or_else(|| {
            format!(
                "{}#review={wire}",
                crate::handlers::member_page::write_url(home, shop, shared::Locale::ZhTw)
            )
        }),
        token: wire,
        visit: made.visit,
        code: made.code,
        expires: shared::format_rfc3339(token.exp * 1000),
    })
}

/// `POST /v1/admin/shops/{id}/reviews/{review}/hide` (admin) with a published reason: the
/// review becomes a public placeholder, leaves the summary, and enters the moderation log.
pub async fn hide(req: &mut Request, app: &App, id: &str, review: &str) -> ApiResult<Response> {
    let actor = require_admin(req, app).await?;
    let shop = shop_id(id)?;
    let body: HideRequest = http::read_json(req).await?;
    hide_review(app, actor, &shop, review, body.reason).await
}

/// Hides one review with a published reason and records it in the moderation log (the
/// object's answer is returned as is: the hidden review, or its problem).
pub async fn hide_review(
    app: &App,
    actor: &str,
    shop: &shared::ShopId,
    review: &str,
    reason: shared::HideReason,
) -> ApiResult<Response> {
    let mut resp = app
        .shop(shop)?
        .forward(&HideReq {
            id: shared::ReviewId::parse(review).map_err(|_| {
                ApiError::field(
                    ProblemKind::InvalidParameter,
                    "review",
                    format!("review id {review:?} is malformed"),
                )
            })?,
            reason,
        })
        .await?;
    if resp.status_code() == 200 {
        let (at, ms) = app.stamp();
        let entry = ModerationEntry {
            at,
            shop: shop.clone(),
            review: review.into(),
            reason,
        };
        let store = app.store()?;
        store.append_moderation(&entry, ms).await?;
        if let Some(profile) = store.shop(shop).await? {
            crate::handlers::members::audit(
                app,
                actor,
                "review.hide",
                &profile,
                format!("{review}: {}", reason.as_str()),
            )
            .await?;
        }
        let text = resp.text().await?;
        return Ok(http::json(text, 200));
    }
    Ok(resp)
}

/// `GET /v1/moderation`: the public moderation log, newest first.
pub async fn moderation_log(app: &App) -> ApiResult<Response> {
    let entries = app.store()?.moderation(100).await?;
    let body = serde_json::to_string(&entries)?;
    let mut resp = http::json(body, 200);
    http::set(&mut resp, "access-control-allow-origin", "*");
    Ok(resp)
}
