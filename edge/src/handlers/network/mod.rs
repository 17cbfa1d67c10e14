//! The alliance as a network: referrals to nearby members with real free slots, booking there
//! from the referring shop's site, the public member directory and the alliance-wide warranty
//! lookup. Only public data leaves here: names, areas, services, ratings, times.

use crate::app::App;
use crate::error::{ApiError, ApiResult};
use crate::handlers::bookings::{book_at, registered_origin};
use crate::handlers::widget::{shop_id, unknown};
use crate::http::{self, escape, param, query};
use crate::i18n::{lang_of, t};
use crate::shop_do::protocol::ConsoleBooking;
use crate::shop_do::{SentReq, ShopBooking};
use shared::{
    calendar, distance_km, BookingStatus, BookingView, Locale, MembershipStatus, ProblemKind,
    Referral, Shop, ShopId, SlotQuery,
};
use worker::{Request, Response};

mod directory;
pub use directory::directory;

/// How many members a referral offers at most.
const OFFERS: usize = 3;
/// How far away a member may be to be offered: a customer drives across town, not country.
const NEARBY_KM: f64 = 50.0;

fn active(shop: &Shop) -> bool {
    shop.membership.status == MembershipStatus::Active
}

/// The members within 50 km that can serve `service` on `date` (shop-local `YYYY-MM-DD`), or
/// on their next day with free times when no date is given, instead of `from`: nearest first,
/// each with its free starts that day. Empty when `from` does not send referrals; members that
/// do not receive them are never offered.
pub async fn offers(
    app: &App,
    from: &Shop,
    service: &str,
    date: Option<&str>,
) -> ApiResult<Vec<Referral>> {
    if !from.referrals.send || !active(from) {
        return Ok(Vec::new());
    }
    let store = app.store()?;
    let now = app.now_ms();
    // Candidates nearest first, so the busy times of at most a few are read.
    let mut near: Vec<(f64, Shop)> = store
        .all_shops_cached()
        .await?
        .into_iter()
        .filter(|s| s.id != from.id && active(s) && s.referrals.receive)
        .filter(|s| s.booking.is_some() && s.services.iter().any(|x| x.id == service))
        .map(|s| {
            (
                distance_km(from.latitude, from.longitude, s.latitude, s.longitude),
                s,
            )
        })
        .filter(|(km, _)| *km <= NEARBY_KM)
        .collect();
    near.sort_by(|a, b| a.0.total_cmp(&b.0));
    let mut found = Vec::new();
    for (km, shop) in near {
        if found.len() == OFFERS {
            break;
        }
        let (Some(rules), Some(svc)) = (
            &shop.booking,
            shop.services.iter().find(|s| s.id == service),
        ) else {
            continue;
        };
        let busy = store.busy(&shop.id).await?;
        let q = SlotQuery::for_service(&shop, rules, svc, &busy, now);
        // The day asked about, or (for a service this shop lacks) its next day with free times.
        let (from_day, days) = match date {
            Some(d) => (d.to_owned(), 1),
            None => match shared::today(&q) {
                Ok(t) => (t, 14),
                Err(_) => continue,
            },
        };
        let Ok(days) = calendar(&q, &from_day, days) else {
            continue;
        };
        let Some(day) = days.into_iter().find(|d| d.slots.iter().any(|s| s.free)) else {
            continue;
        };
        let slots: Vec<_> = day.slots.into_iter().filter(|s| s.free).collect();
        let name = svc.name.clone();
        found.push((km, shop, day.date, name, slots));
    }
    found.sort_by(|a, b| a.0.total_cmp(&b.0));
    let mut out = Vec::new();
    for (km, shop, day, service_name, slots) in found.into_iter().take(OFFERS) {
        let rating = store
            .widget(&shop.id)
            .await?
            .map(|d| d.view.rating)
            .unwrap_or_default();
        out.push(Referral {
            name: shop.name.clone(),
            city: shop.city.clone(),
            distance_km: (km * 10.0).round() / 10.0,
            rating: rating.average_display(),
            reviews: rating.count,
            date: day,
            service_name,
            slots,
            time_zone: shop.time_zone.to_string(),
            shop: shop.id,
        });
    }
    Ok(out)
}

/// `GET /v1/shops/{id}/referrals?service=oil[&date=YYYY-MM-DD]`: other members that can take
/// the customer that day (or, without a date, on their next day with free times: for a service
/// this shop does not offer).
pub async fn referrals(req: &Request, app: &App, id: &str) -> ApiResult<Response> {
    let id = shop_id(id)?;
    let q = query(req)?;
    let raw = param(&q, "service").unwrap_or("");
    let service = shared::ServiceId::parse(raw).map_err(|_| {
        ApiError::field(
            ProblemKind::InvalidParameter,
            "service",
            format!("service {raw:?} is malformed"),
        )
    })?;
    let date = param(&q, "date").filter(|d| !d.is_empty());
    if let Some(date) = date {
        if date.len() != 10 || shared::parse_rfc3339(&format!("{date}T00:00:00Z")).is_none() {
            return Err(ApiError::field(
                ProblemKind::InvalidParameter,
                "date",
                format!("date {date:?} is not YYYY-MM-DD"),
            ));
        }
    }
    let store = app.store()?;
    let from = store.shop(&id).await?.ok_or_else(|| unknown(&id))?;
    let list = offers(app, &from, &service, date).await?;
    let body = serde_json::to_string(&list)?;
    let mut resp = http::json(body, 200);
    http::set(&mut resp, "cache-control", "no-cache");
    Ok(resp)
}

/// `POST /v1/shops/{from}/referrals/{to}/bookings`: books at member `to` from `from`'s own
/// site, when `from` sends referrals and `to` receives them. Recorded at both.
pub async fn book(
    req: &mut Request,
    app: &App,
    from: &str,
    to: &str,
) -> ApiResult<(Response, Option<String>)> {
    let (from, to) = (shop_id(from)?, shop_id(to)?);
    let store = app.store()?;
    let referrer = store.shop(&from).await?.ok_or_else(|| unknown(&from))?;
    let origin = registered_origin(req, &referrer)?;
    let result = async {
        let target = store.shop(&to).await?.ok_or_else(|| unknown(&to))?;
        if to == from
            || !referrer.referrals.send
            || !target.referrals.receive
            || !active(&referrer)
            || !active(&target)
        {
            return Err(ApiError::field(
                ProblemKind::Forbidden,
                "shop",
                format!("{from} does not refer customers to {to}"),
            ));
        }
        let mut resp = book_at(req, app, &target, Some(from.clone())).await?;
        if resp.status_code() == 201 {
            let made: BookingView = resp.json().await?;
            let sent = SentReq {
                reference: shared::Reference::parse(&made.reference)
                    .map_err(|e| ApiError::Internal(format!("booked: {e}")))?,
                to_shop: to.to_string(),
                service: shared::ServiceId::parse(&made.service)
                    .map_err(|e| ApiError::Internal(format!("booked: {e}")))?,
                start_ms: made.start_ms,
            };
            // The booking stands at `to` whatever happens; the referrer's record is best effort.
            if let Err(e) = app.shop(&from)?.send(&sent).await {
                worker::console_error!("recording a referral at {from} failed: {e:?}");
            }
            let body = serde_json::to_string(&made)?;
            return Ok(http::json(body, 201));
        }
        Ok(resp)
    }
    .await;
    Ok((result.unwrap_or_else(ApiError::into_response), Some(origin)))
}

/// `OPTIONS` for a referral booking: the referring shop's own sites.
pub async fn preflight(req: &Request, app: &App, from: &str) -> ApiResult<Response> {
    crate::handlers::bookings::preflight(req, app, &shop_id(from)?).await
}

/// The alliance-wide warranty record of a completed visit: no personal data.
#[derive(serde::Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct WarrantyRecord {
    /// The visit's reference.
    pub reference: String,
    /// The member that did the work.
    pub shop: ShopId,
    /// Its name.
    pub shop_name: shared::LocalizedText,
    /// The service.
    pub service: shared::LocalizedText,
    /// The visit's date, shop-local `YYYY-MM-DD`.
    pub date: String,
    /// Months the alliance's warranty runs.
    pub months: u16,
    /// Kilometres it runs.
    pub kilometres: u32,
    /// Whether it is still within its months (kilometres are checked at the counter).
    pub within_months: bool,
}

async fn warranty_record(app: &App, reference: &str) -> ApiResult<WarrantyRecord> {
    let reference =
        shared::Reference::parse(&reference.trim().to_ascii_uppercase()).map_err(|_| {
            ApiError::field(
                ProblemKind::InvalidParameter,
                "reference",
                "a reference looks like AB7K-29QF",
            )
        })?;
    let none = || {
        ApiError::field(
            ProblemKind::NotFound,
            "reference",
            format!("no completed visit {reference} at any member"),
        )
    };
    let store = app.store()?;
    let shop = store.visit_shop(&reference).await?.ok_or_else(none)?;
    let profile = store.shop(&shop).await?.ok_or_else(none)?;
    let alliance = store.alliance().await?.ok_or_else(none)?;
    let b: ShopBooking = app
        .shop(&shop)?
        .send(&ConsoleBooking(crate::shop_do::ManageReq {
            reference: reference.clone(),
            start_ms: None,
        }))
        .await
        .map_err(|_| none())?;
    if b.status != BookingStatus::Completed {
        return Err(none());
    }
    let months = alliance.warranty.months;
    let within = app.now_ms() < b.start_ms + u64::from(months) * 30 * 86_400_000;
    Ok(WarrantyRecord {
        reference: reference.to_string(),
        shop,
        shop_name: profile.name,
        service: b.service_name,
        date: b.start[..10].to_owned(),
        months,
        kilometres: alliance.warranty.kilometres,
        within_months: within,
    })
}

/// A warranty lookup, limited per address block: 30 unknown or malformed references an hour,
/// then 429, so references cannot be guessed at speed.
async fn limited_record(req: &Request, app: &App, reference: &str) -> ApiResult<WarrantyRecord> {
    let bucket = crate::auth::miss_guard(req, app, &crate::auth::WARRANTY_MISSES).await?;
    let found = warranty_record(app, reference).await;
    if matches!(&found, Err(ApiError::Client(_))) {
        crate::auth::missed(app, &crate::auth::WARRANTY_MISSES, &bucket).await?;
    }
    found
}

/// `GET /v1/warranty/{reference}`: a completed visit at any member, for the warranty.
pub async fn warranty(req: &Request, app: &App, reference: &str) -> ApiResult<Response> {
    let record = limited_record(req, app, reference).await?;
    let body = serde_json::to_string(&record)?;
    let mut resp = http::json(body, 200);
    http::set(&mut resp, "cache-control", "no-store");
    http::set(&mut resp, "access-control-allow-origin", "*");
    Ok(resp)
}

pub(super) fn html_page(l: Locale, title: &str, body: &str, embed: bool, status: u16) -> Response {
    let page = format!(
        r#"<!doctype html><html lang="{lang}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>{title}</title><link rel="stylesheet" href="/console/console.css"><script src="/alliance/find.js" defer></script></head><body{class}><main id="main">{body}</main></body></html>"#,
        lang = l.tag(),
        title = escape(title),
        class = if embed { r#" class="embedded""# } else { "" },
    );
    let mut resp = http::text(page, "text/html; charset=utf-8", status);
    http::set(
        &mut resp,
        "cache-control",
        if status == 200 {
            "public, max-age=60"
        } else {
            "no-store"
        },
    );
    http::set(&mut resp, "x-content-type-options", "nosniff");
    http::set(&mut resp, "referrer-policy", "same-origin");
    http::set(
        &mut resp,
        "content-security-policy",
        if embed {
            "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; form-action 'self'; base-uri 'none'"
        } else {
            "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
        },
    );
    resp
}

/// The warranty lookup's form.
fn warranty_form(l: Locale) -> String {
    format!(
        r#"<section class="card"><h2>{}</h2><form method="get" action="/alliance/warranty"><input type="hidden" name="lang" value="{}"><label for="reference">{}</label><input id="reference" name="reference" required maxlength="9" autocomplete="off"><button type="submit" class="secondary">{}</button></form></section>"#,
        t(l, "聯盟保固查詢", "Alliance warranty lookup"),
        l.tag(),
        t(
            l,
            "維修紀錄編號（例如 AB7K-29QF）",
            "Visit reference (e.g. AB7K-29QF)"
        ),
        t(l, "查詢", "Look up"),
    )
}

/// `GET /alliance/warranty?reference=…`: the warranty lookup as a page; without a reference,
/// the lookup form.
pub async fn warranty_page(req: &Request, app: &App) -> ApiResult<Response> {
    let q = query(req)?;
    let l = lang_of(&q, req);
    let reference = param(&q, "reference").unwrap_or("").trim();
    if reference.is_empty() {
        let body = format!(
            r#"<h1>{}</h1>{}<p><a href="/alliance?lang={}">{}</a></p>"#,
            t(l, "聯盟保固", "Alliance warranty"),
            warranty_form(l),
            l.tag(),
            t(l, "回到會員店家", "Back to the members"),
        );
        return Ok(html_page(
            l,
            t(l, "聯盟保固", "Alliance warranty"),
            &body,
            false,
            200,
        ));
    }
    let body = match limited_record(req, app, reference).await {
        Ok(r) => format!(
            r#"<h1>{title}</h1><article class="card"><p><strong>{reference}</strong></p><p>{shop_label}：<a href="/verify/{shop}">{name}</a></p><p>{service_label}：{service}</p><p>{date_label}：{date}</p><p>{terms}</p><p class="notice {class}" role="status">{state}</p></article><p><a href="/alliance?lang={lang}">{back}</a></p>"#,
            title = t(l, "聯盟保固", "Alliance warranty"),
            reference = escape(&r.reference),
            shop_label = t(l, "維修店家", "Done at"),
            shop = r.shop,
            name = escape(r.shop_name.get(l)),
            service_label = t(l, "服務", "Service"),
            service = escape(r.service.get(l)),
            date_label = t(l, "日期", "Date"),
            date = escape(&r.date),
            terms = escape(&match l {
                Locale::En => format!("Warranty: {} months or {} km, whichever comes first, honoured at every member.", r.months, r.kilometres),
                _ => format!("保固：{} 個月或 {} 公里（先到者為準），所有會員店家皆可受理。", r.months, r.kilometres),
            }),
            class = if r.within_months { "ok" } else { "error" },
            state = if r.within_months { t(l, "仍在保固期內。", "Still within the warranty period.") } else { t(l, "已超過保固期限。", "The warranty period has ended.") },
            lang = l.tag(),
            back = t(l, "回到會員店家", "Back to the members"),
        ),
        Err(ApiError::Client(p)) => {
            let body = format!(
                r#"<h1>{}</h1><p class="notice error" role="alert">{}</p><p><a href="/alliance?lang={}">{}</a></p>"#,
                t(l, "聯盟保固", "Alliance warranty"),
                escape(if p.status == 404 { t(l, "查無這筆已完成的維修紀錄。請確認編號。", "No completed visit has this reference. Check it and try again.") } else { t(l, "編號格式像 AB7K-29QF。", "A reference looks like AB7K-29QF.") }),
                l.tag(),
                t(l, "回到會員店家", "Back to the members"),
            );
            return Ok(html_page(l, t(l, "聯盟保固", "Alliance warranty"), &body, false, p.status));
        }
        Err(ApiError::Limited(_, secs)) => {
            let minutes = secs.div_ceil(60);
            let text = match l {
                Locale::En => format!("Too many lookups of unknown references from this network. Try again in {minutes} minutes."),
                _ => format!("這個網路查詢不存在的編號太多次，請 {minutes} 分鐘後再試。"),
            };
            let body = format!(
                r#"<h1>{}</h1><p class="notice error" role="alert">{}</p><p><a href="/alliance?lang={}">{}</a></p>"#,
                t(l, "聯盟保固", "Alliance warranty"),
                escape(&text),
                l.tag(),
                t(l, "回到會員店家", "Back to the members"),
            );
            let mut resp = html_page(l, t(l, "聯盟保固", "Alliance warranty"), &body, false, 429);
            http::set(&mut resp, "retry-after", &secs.to_string());
            return Ok(resp);
        }
        Err(e) => return Err(e),
    };
    let mut resp = html_page(l, t(l, "聯盟保固", "Alliance warranty"), &body, false, 200);
    http::set(&mut resp, "cache-control", "no-store");
    Ok(resp)
}

/// The directory's one script: "sort by my location" asks for the position only on a click.
pub const FIND_JS: &str = r#"(function () {
  var b = document.getElementById("locate"), f = document.getElementById("find");
  if (!b || !f || !navigator.geolocation) return;
  b.hidden = false;
  b.addEventListener("click", function () {
    var s = document.getElementById("locate-status");
    s.textContent = "…";
    navigator.geolocation.getCurrentPosition(function (p) {
      document.getElementById("near").value = p.coords.latitude.toFixed(4) + "," + p.coords.longitude.toFixed(4);
      document.getElementById("from").value = "";
      f.submit();
    }, function () { s.textContent = document.documentElement.lang === "en" ? "Location unavailable; choose a place instead." : "無法取得位置，請改選地點。"; });
  });
})();
"#;
