//! Alliance administration. `POST /v1/admin/import` writes a whole alliance (the demo data is
//! loaded through it); `?mode=if-absent` skips the write when an alliance is already stored.

use crate::auth::require_admin;
use crate::error::{ApiError, ApiResult};
use crate::http;
use crate::shop_do::ImportReq;
use crate::store::{ShopObject, Store};
use shared::{AllianceImport, AuditEntry, ImportReport, ProblemKind};
use worker::{Env, Method, Request, Response};

/// Validates the whole import first, then writes it: nothing is stored when any part is invalid.
pub async fn import(req: &mut Request, env: &Env) -> ApiResult<Response> {
    let actor = require_admin(req, env)?;
    let if_absent = req
        .url()?
        .query_pairs()
        .any(|(k, v)| k == "mode" && v == "if-absent");
    let data: AllianceImport = http::read_json(req).await?;
    data.validate()
        .map_err(|e| ApiError::field(ProblemKind::InvalidBody, e.field(), e.to_string()))?;
    for shop in &data.shops {
        crate::auth::check_webhook(env, shop)?;
    }
    let store = Store::open(env)?;
    if if_absent && store.alliance().await?.is_some() {
        return report(ImportReport {
            shops: 0,
            reviews: 0,
            skipped: true,
        });
    }
    for shop in &data.shops {
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
        ShopObject::of(env, &id)?
            .call_ok(Method::Post, "/import", &ImportReq { shop, doc, reviews })
            .await?;
    }
    // Written last: its presence means the import completed.
    store.put_alliance(&data.alliance).await?;
    let (at, ms) = http::now();
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
    let body = serde_json::to_string(&r).map_err(|e| ApiError::Internal(e.to_string()))?;
    Ok(http::json(body, 200))
}
