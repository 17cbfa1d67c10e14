//! Alliance administration of members: add, edit (profile and allowed origins), suspend,
//! reinstate, revoke. Every change rewrites the first views it affects, so every surface shows
//! it at once, and is recorded in the audit log.

use crate::app::App;
use crate::auth::require_admin;
use crate::error::{ApiError, ApiResult};
use crate::handlers::widget::{shop_id, unknown};
use crate::http;
use crate::shop_do::ProfileReq;
use crate::store::Store;
use shared::{
    AuditEntry, MembershipStatus, NetworkSummary, ProblemKind, RatingSummary, Shop, StatusChange,
    WidgetDoc,
};
use worker::{Request, Response};

/// A membership action on `POST /v1/admin/shops/{id}/{action}`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    /// Pause membership.
    Suspend,
    /// End a suspension.
    Reinstate,
    /// Expel: final.
    Revoke,
}

impl Action {
    /// Parses the path segment.
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "suspend" => Some(Action::Suspend),
            "reinstate" => Some(Action::Reinstate),
            "revoke" => Some(Action::Revoke),
            _ => None,
        }
    }

    fn name(self) -> &'static str {
        match self {
            Action::Suspend => "suspend",
            Action::Reinstate => "reinstate",
            Action::Revoke => "revoke",
        }
    }

    /// The status after the action, or why it cannot apply to `from`.
    fn apply(self, from: MembershipStatus) -> Result<MembershipStatus, String> {
        use MembershipStatus::*;
        match (self, from) {
            (Action::Suspend, Active) => Ok(Suspended),
            (Action::Reinstate, Suspended) => Ok(Active),
            (Action::Revoke, Active | Suspended) => Ok(Revoked),
            (_, Revoked) => {
                Err("membership is revoked; a revoked shop can only rejoin as a new member".into())
            }
            (a, s) => {
                Err(format!("cannot {} a member whose status is {s:?}", a.name()).to_lowercase())
            }
        }
    }
}

/// Appends an entry about `shop` to the audit log.
pub async fn audit(
    app: &App,
    actor: &str,
    action: &str,
    shop: &Shop,
    detail: String,
) -> ApiResult<()> {
    let (at, ms) = app.stamp();
    let entry = AuditEntry {
        at,
        actor: actor.into(),
        action: action.into(),
        shop: Some(shop.id.clone()),
        detail,
    };
    app.store()?.append_audit(&entry, ms).await
}

/// Saves a member's profile and brings what readers read (its object, the first views) up to it.
async fn publish(app: &App, store: &Store, shop: &Shop) -> ApiResult<()> {
    store.put_shop(shop).await?;
    refresh(app, store, shop).await
}

/// Rewrites the stored first view of `changed`, and every other shop's when the alliance-wide
/// figures (members, network rating) changed with it.
async fn refresh(app: &App, store: &Store, changed: &Shop) -> ApiResult<()> {
    let alliance = store.alliance().await?.ok_or_else(|| {
        ApiError::client(
            ProblemKind::Conflict,
            "no alliance is imported yet; import one first",
        )
    })?;
    let mut docs = store.all_widgets().await?;
    let rating = docs
        .iter()
        .find(|d| d.view.shop.id == changed.id)
        .map(|d| d.view.rating.clone())
        .unwrap_or_else(RatingSummary::default);
    let fresh = WidgetDoc::build(&alliance, changed, rating, NetworkSummary::default());
    docs.retain(|d| d.view.shop.id != changed.id);
    docs.push(fresh);
    let network = NetworkSummary::of(
        docs.iter()
            .map(|d| (d.view.membership.status, &d.view.rating)),
    );
    // Each shop's object is the single writer of its first view: send it the new profile part;
    // it keeps its own exact rating and reviews. All at once: the write's time is then about
    // one call's, not one per member (the runtime queues what exceeds its connection limit).
    let network = &network;
    let updates = docs
        .into_iter()
        .filter(|doc| doc.view.shop.id == changed.id || doc.view.network != *network)
        .map(|mut doc| async move {
            doc.view.network = network.clone();
            let id = doc.view.shop.id.clone();
            let shop = if id == changed.id {
                Some(changed.clone())
            } else {
                store.shop(&id).await?
            };
            if let Some(shop) = shop {
                app.shop(&id)?.send(&ProfileReq { shop, doc }).await?;
            }
            ApiResult::Ok(())
        });
    futures_util::future::try_join_all(updates).await?;
    Ok(())
}

fn shop_response(shop: &Shop, status: u16) -> ApiResult<Response> {
    let body = serde_json::to_string(shop)?;
    Ok(http::json(body, status))
}

/// `POST /v1/admin/shops`: adds a member.
pub async fn add(req: &mut Request, app: &App) -> ApiResult<Response> {
    let actor = require_admin(req, app).await?;
    let shop: Shop = http::read_json(req).await?;
    shop_response(&add_member(app, actor, shop).await?, 201)
}

/// Adds a member: checks the profile, stores it, builds its first view and records who did it.
pub async fn add_member(app: &App, actor: &str, shop: Shop) -> ApiResult<Shop> {
    shop.validate()
        .map_err(|e| ApiError::field(ProblemKind::InvalidBody, e.field(), e.to_string()))?;
    crate::policy::check_webhook(app.env(), &shop)?;
    crate::policy::check_origins(app.env(), &shop)?;
    let store = app.store()?;
    if store.shop(&shop.id).await?.is_some() {
        return Err(ApiError::field(
            ProblemKind::Conflict,
            "id",
            format!("shop {} already exists", shop.id),
        ));
    }
    if store.alliance().await?.is_none() {
        return Err(ApiError::client(
            ProblemKind::Conflict,
            "no alliance is imported yet; import one first",
        ));
    }
    publish(app, store, &shop).await?;
    audit(
        app,
        actor,
        "member.add",
        &shop,
        format!("allowed origins: {}", origins_of(&shop)),
    )
    .await?;
    Ok(shop)
}

/// A shop's allowed origins, joined with `sep`.
pub fn origins_text(shop: &Shop, sep: &str) -> String {
    let origins: Vec<&str> = shop
        .membership
        .allowed_origins
        .iter()
        .map(|o| o.as_str())
        .collect();
    origins.join(sep)
}

fn origins_of(shop: &Shop) -> String {
    origins_text(shop, " ")
}

/// `PUT /v1/admin/shops/{id}`: replaces a member's profile and allowed origins. Its status and
/// member-since year are kept: status changes only through the membership actions.
pub async fn update(req: &mut Request, app: &App, id: &str) -> ApiResult<Response> {
    let actor = require_admin(req, app).await?;
    let id = shop_id(id)?;
    let shop: Shop = http::read_json(req).await?;
    shop_response(&update_member(app, actor, &id, shop).await?, 200)
}

/// Replaces a member's profile (by the admin or, from its console, the shop itself), keeping
/// its membership status and year; rewrites its first view and records who did it.
pub async fn update_member(
    app: &App,
    actor: &str,
    id: &shared::ShopId,
    mut shop: Shop,
) -> ApiResult<Shop> {
    if &shop.id != id {
        return Err(ApiError::field(
            ProblemKind::InvalidBody,
            "id",
            format!("body id {} differs from the path's {id}", shop.id),
        ));
    }
    shop.validate()
        .map_err(|e| ApiError::field(ProblemKind::InvalidBody, e.field(), e.to_string()))?;
    crate::policy::check_webhook(app.env(), &shop)?;
    crate::policy::check_origins(app.env(), &shop)?;
    let store = app.store()?;
    let existing = store.shop(id).await?.ok_or_else(|| unknown(id))?;
    shop.membership.status = existing.membership.status;
    shop.membership.member_since = existing.membership.member_since;
    shop.membership.secrets_generation = existing.membership.secrets_generation;
    if actor != crate::auth::ADMIN {
        // Sites are the alliance's to grant: a shop's own save never changes them.
        shop.membership.allowed_origins = existing.membership.allowed_origins.clone();
    }
    shop.membership.requested_origins = existing
        .membership
        .requested_origins
        .iter()
        .filter(|o| !shop.membership.allowed_origins.contains(o))
        .cloned()
        .collect();
    publish(app, store, &shop).await?;
    let mut detail = format!("allowed origins: {}", origins_of(&shop));
    if existing.webhook_url != shop.webhook_url {
        detail.push_str(&format!(
            "; webhook: {}",
            shop.webhook_url.as_deref().unwrap_or("none")
        ));
    }
    audit(app, actor, "member.update", &shop, detail).await?;
    Ok(shop)
}

/// `POST /v1/admin/shops/{id}/{suspend|reinstate|revoke}` with `{"reason": "…"}`.
pub async fn change_status(
    req: &mut Request,
    app: &App,
    id: &str,
    action: Action,
) -> ApiResult<Response> {
    let actor = require_admin(req, app).await?;
    let id = shop_id(id)?;
    let change: StatusChange = http::read_json(req).await?;
    shop_response(
        &change_member_status(app, actor, &id, action, change).await?,
        200,
    )
}

/// Applies a membership action with its reason; revoking also ends the shop's access keys.
pub async fn change_member_status(
    app: &App,
    actor: &str,
    id: &shared::ShopId,
    action: Action,
    change: StatusChange,
) -> ApiResult<Shop> {
    change
        .validate()
        .map_err(|e| ApiError::field(ProblemKind::InvalidBody, "reason", e))?;
    let store = app.store()?;
    let mut shop = store.shop(id).await?.ok_or_else(|| unknown(id))?;
    shop.membership.status = action
        .apply(shop.membership.status)
        .map_err(|e| ApiError::field(ProblemKind::Conflict, "status", e))?;
    if action == Action::Revoke {
        // The calendar feed and webhook secrets end with the membership.
        shop.membership.secrets_generation += 1;
    }
    publish(app, store, &shop).await?;
    if action == Action::Revoke {
        store.set_shop_key(id, None).await?;
    }
    audit(
        app,
        actor,
        &format!("member.{}", action.name()),
        &shop,
        change.reason.trim().to_owned(),
    )
    .await?;
    Ok(shop)
}

/// `GET /v1/admin/audit`: the newest 100 entries of the audit log.
pub async fn audit_log(req: &Request, app: &App) -> ApiResult<Response> {
    require_admin(req, app).await?;
    let entries = app.store()?.audit(100).await?;
    let body = serde_json::to_string(&entries)?;
    Ok(http::json(body, 200))
}

/// `POST /v1/admin/shops/{id}/keys`: issues the shop a new access key, shown once; only its
/// hash is stored, and the shop's earlier key stops working (rotation).
pub async fn issue_key(req: &Request, app: &App, id: &str) -> ApiResult<Response> {
    let actor = require_admin(req, app).await?;
    let id = shop_id(id)?;
    let key = rotate_key(app, actor, &id).await?;
    let body = serde_json::to_string(&IssuedKey { shop: id, key })?;
    Ok(http::json(body, 201))
}

/// A shop's new access key, shown this once.
#[derive(serde::Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct IssuedKey {
    /// The shop.
    pub shop: shared::ShopId,
    /// The key (`sk_…`); only its hash is kept.
    pub key: String,
}

/// `DELETE /v1/admin/shops/{id}/keys`: revokes every access key of the shop (and so its
/// console sessions).
pub async fn delete_keys(req: &Request, app: &App, id: &str) -> ApiResult<Response> {
    let actor = require_admin(req, app).await?;
    let id = shop_id(id)?;
    revoke_keys(app, actor, &id).await?;
    Ok(http::text(String::new(), "text/plain", 204))
}

/// Issues a new access key for `id`, replacing its earlier one; returns the key (shown once).
pub async fn rotate_key(app: &App, actor: &str, id: &shared::ShopId) -> ApiResult<String> {
    let store = app.store()?;
    let shop = store.shop(id).await?.ok_or_else(|| unknown(id))?;
    if shop.membership.status == MembershipStatus::Revoked {
        return Err(ApiError::field(
            ProblemKind::Conflict,
            "status",
            "a revoked member gets no access key",
        ));
    }
    let key = crate::secrets::new_shop_key()?;
    store
        .set_shop_key(id, Some(&crate::secrets::key_hash(&key)))
        .await?;
    audit(
        app,
        actor,
        "member.key",
        &shop,
        "issued an access key; any earlier key stopped working".into(),
    )
    .await?;
    Ok(key)
}

/// Revokes every access key of `id`.
pub async fn revoke_keys(app: &App, actor: &str, id: &shared::ShopId) -> ApiResult<()> {
    let store = app.store()?;
    let shop = store.shop(id).await?.ok_or_else(|| unknown(id))?;
    store.set_shop_key(id, None).await?;
    audit(
        app,
        actor,
        "member.key-revoke",
        &shop,
        "revoked every access key".into(),
    )
    .await
}

/// Most origins a shop may have waiting for the admin's decision at once.
pub const MAX_REQUESTED_ORIGINS: usize = 5;

/// A shop asks the alliance to list `origin` as one of its sites. Nothing changes until the
/// admin approves; the request is audited.
pub async fn request_origin(
    app: &App,
    actor: &str,
    id: &shared::ShopId,
    raw: &str,
) -> ApiResult<Shop> {
    let field = |detail: String| ApiError::field(ProblemKind::InvalidBody, "origin", detail);
    let origin = shared::AllowedOrigin::parse(raw.trim()).map_err(|e| field(e.to_string()))?;
    crate::policy::check_origin(app.env(), &origin).map_err(field)?;
    let store = app.store()?;
    let mut shop = store.shop(id).await?.ok_or_else(|| unknown(id))?;
    let m = &mut shop.membership;
    if m.allowed_origins.contains(&origin) {
        return Err(ApiError::field(
            ProblemKind::Conflict,
            "origin",
            format!("{origin} is already one of your sites"),
        ));
    }
    if m.requested_origins.contains(&origin) {
        return Err(ApiError::field(
            ProblemKind::Conflict,
            "origin",
            format!("{origin} is already waiting for the alliance's decision"),
        ));
    }
    if m.requested_origins.len() >= MAX_REQUESTED_ORIGINS {
        return Err(ApiError::field(
            ProblemKind::Conflict,
            "origin",
            format!("at most {MAX_REQUESTED_ORIGINS} sites may wait for a decision at once"),
        ));
    }
    m.requested_origins.push(origin.clone());
    store.put_shop(&shop).await?;
    audit(app, actor, "origin.request", &shop, origin.to_string()).await?;
    Ok(shop)
}

/// The admin approves (`reason` unused) or refuses (with a reason) a shop's requested origin;
/// an approved one becomes a site where its badge is verified at once. Both are audited.
pub async fn decide_origin(
    app: &App,
    actor: &str,
    id: &shared::ShopId,
    raw: &str,
    approve: bool,
    reason: &str,
) -> ApiResult<Shop> {
    let store = app.store()?;
    let mut shop = store.shop(id).await?.ok_or_else(|| unknown(id))?;
    let Some(at) = shop
        .membership
        .requested_origins
        .iter()
        .position(|o| o.as_str() == raw.trim())
    else {
        return Err(ApiError::field(
            ProblemKind::NotFound,
            "origin",
            format!("{id} has not requested {:?}", raw.trim()),
        ));
    };
    let reason = reason.trim();
    if !approve && (reason.chars().count() < 3 || reason.chars().count() > 500) {
        return Err(ApiError::field(
            ProblemKind::InvalidBody,
            "reason",
            "a refusal needs a reason of 3 to 500 characters for the shop",
        ));
    }
    let origin = shop.membership.requested_origins.remove(at);
    if approve {
        crate::policy::check_origin(app.env(), &origin)
            .map_err(|e| ApiError::field(ProblemKind::InvalidBody, "origin", e))?;
        shop.membership.allowed_origins.push(origin.clone());
        shop.validate()
            .map_err(|e| ApiError::field(ProblemKind::InvalidBody, e.field(), e.to_string()))?;
    }
    store.put_shop(&shop).await?;
    if approve {
        refresh(app, store, &shop).await?;
        audit(app, actor, "origin.approve", &shop, origin.to_string()).await?;
    } else {
        audit(
            app,
            actor,
            "origin.refuse",
            &shop,
            format!("{origin}: {reason}"),
        )
        .await?;
    }
    Ok(shop)
}

/// Rotates the shop's derived secrets (calendar feed key, webhook signing secret): the old feed
/// address answers 404 and webhooks are signed with the new secret from the next delivery.
pub async fn rotate_secrets(app: &App, actor: &str, id: &shared::ShopId) -> ApiResult<Shop> {
    let store = app.store()?;
    let mut shop = store.shop(id).await?.ok_or_else(|| unknown(id))?;
    shop.membership.secrets_generation += 1;
    publish(app, store, &shop).await?;
    audit(
        app,
        actor,
        "secrets.rotate",
        &shop,
        format!("generation {}", shop.membership.secrets_generation),
    )
    .await?;
    Ok(shop)
}
