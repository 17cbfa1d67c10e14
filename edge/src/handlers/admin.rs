//! Alliance administration. `POST /v1/admin/import` writes a whole alliance (the demo data is
//! loaded through it); `?mode=if-absent` skips the write when an alliance is already stored.

use crate::app::App;
use crate::auth::require_admin;
use crate::error::{ApiError, ApiResult};
use crate::http;
use crate::shop_do::ImportReq;
use shared::{AllianceImport, AuditEntry, ImportReport, ProblemKind};
use worker::{Request, Response};

/// Validates the whole import first, then writes it: nothing is stored when any part is invalid.
pub async fn import(req: &mut Request, app: &App) -> ApiResult<Response> {
    let actor = require_admin(req, app).await?;
    let if_absent = req
        .url()?
        .query_pairs()
        .any(|(k, v)| k == "mode" && v == "if-absent");
    let mut data: AllianceImport = http::read_json(req).await?;
    data.validate()
        .map_err(|e| ApiError::field(ProblemKind::InvalidBody, e.field(), e.to_string()))?;
    for shop in &data.shops {
        crate::policy::check_webhook(app.env(), shop)?;
        crate::policy::check_origins(app.env(), shop)?;
    }
    let store = app.store()?;
    if if_absent && store.alliance().await?.is_some() {
        return report(ImportReport {
            shops: 0,
            reviews: 0,
            skipped: true,
        });
    }
    for shop in &mut data.shops {
        // A re-import never brings back secrets that a rotation or revocation ended.
        if let Some(stored) = store.shop(&shop.id).await? {
            shop.membership.secrets_generation = shop
                .membership
                .secrets_generation
                .max(stored.membership.secrets_generation);
        }
        store.put_shop(shop).await?;
    }
    // Each shop's object owns its reviews and writes its first view and review pages.
    for doc in data.widget_docs() {
        let id = doc.view.shop.id.clone();
        let reviews = data
            .reviews
            .iter()
            .filter(|r| r.shop == id)
            .cloned()
            .collect();
        let shop = data
            .shops
            .iter()
            .find(|s| s.id == id)
            .cloned()
            .expect("docs are built from shops");
        app.shop(&id)?
            .send(&ImportReq { shop, doc, reviews })
            .await?;
    }
    // Written last: its presence means the import completed.
    store.put_alliance(&data.alliance).await?;
    let (at, ms) = app.stamp();
    let entry = AuditEntry {
        at,
        actor: actor.into(),
        action: "alliance.import".into(),
        shop: None,
        detail: format!("{} shops, {} reviews", data.shops.len(), data.reviews.len()),
    };
    store.append_audit(&entry, ms).await?;
    report(ImportReport {
        shops: data.shops.len(),
        reviews: data.reviews.len(),
        skipped: false,
    })
}

fn report(r: ImportReport) -> ApiResult<Response> {
    let body = serde_json::to_string(&r)?;
    Ok(http::json(body, 200))
}

/// How many days after a visit its personal fields are kept (`RETENTION_DAYS`, default 730).
fn retention_days(app: &App) -> u64 {
    app.env()
        .var("RETENTION_DAYS")
        .ok()
        .and_then(|v| v.to_string().parse().ok())
        .filter(|d| *d >= 1)
        .unwrap_or(730)
}

/// The retention sweep: asks every shop's object to erase the personal fields of visits that
/// ended more than the retention period before `now_ms`. Run daily by the cron trigger, and on
/// demand by the admin. Returns the counts.
pub async fn sweep(app: &App, now_ms: u64) -> ApiResult<Swept> {
    let days = retention_days(app);
    let before_ms = now_ms.saturating_sub(days * 86_400_000);
    let store = app.store()?;
    let (mut shops, mut erased, mut shortened, mut events) = (0u64, 0u64, 0u64, 0u64);
    for shop in store.all_shops().await? {
        let counts = app
            .shop(&shop.id)?
            .send(&crate::shop_do::RetentionReq {
                before_ms,
                now_ms: Some(now_ms),
            })
            .await?;
        shops += 1;
        erased += counts.bookings_erased;
        shortened += counts.review_names_shortened;
        events += counts.events_deleted;
    }
    let (at, ms) = app.stamp();
    store
        .append_audit(
            &AuditEntry {
                at,
                actor: "retention".into(),
                action: "retention.sweep".into(),
                shop: None,
                detail: format!(
                    "{erased} bookings' personal fields erased, {shortened} review names shortened (visits before {}), {events} old webhook events deleted",
                    shared::format_rfc3339(before_ms)
                ),
            },
            ms,
        )
        .await?;
    Ok(Swept {
        retention_days: days,
        before: shared::format_rfc3339(before_ms),
        shops,
        bookings_erased: erased,
        review_names_shortened: shortened,
        events_deleted: events,
    })
}

/// What a retention sweep did.
#[derive(serde::Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Swept {
    /// How many days personal data is kept after a visit.
    pub retention_days: u64,
    /// Visits before this instant (RFC 3339) were swept.
    pub before: String,
    /// Shops swept.
    pub shops: u64,
    /// Bookings whose personal fields were erased.
    pub bookings_erased: u64,
    /// Reviews whose author names were shortened.
    pub review_names_shortened: u64,
    /// Old webhook events deleted.
    pub events_deleted: u64,
}

impl std::fmt::Display for Swept {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&serde_json::to_string(self).map_err(|_| std::fmt::Error)?)
    }
}

/// `POST /v1/admin/retention` (admin): runs the retention sweep now.
pub async fn retention(req: &Request, app: &App) -> ApiResult<Response> {
    require_admin(req, app).await?;
    let now = crate::fault::test_now(req, app.env()).unwrap_or(app.now_ms());
    let body = sweep(app, now).await?;
    Ok(http::json(serde_json::to_string(&body)?, 200))
}
