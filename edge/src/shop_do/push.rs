//! The shop console's Web Push subscriptions (staff's phones), in the shop's object: added from
//! the console, removed there or when the push service says the subscription is gone. The shop's
//! alerts are queued to each one like to a LINE link (`messages.rs`).

use super::ShopDo;
use crate::error::ApiResult;
use crate::http;
use crate::notify::webpush::Subscription;
use serde::{Deserialize, Serialize};
use worker::Response;

/// Add a subscription (the console checked it).
#[derive(Serialize, Deserialize)]
pub struct AddPush(pub Subscription);

/// Remove a subscription.
#[derive(Serialize, Deserialize)]
pub struct RemovePush {
    /// Its endpoint.
    pub endpoint: String,
}

/// The shop's subscriptions, for the console.
#[derive(Serialize, Deserialize)]
pub struct ListPush;

/// One subscription as the console lists it.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct PushDevice {
    /// Its endpoint (the console shows the push service's host).
    pub endpoint: String,
    /// When it was added.
    pub created_ms: u64,
}

impl ShopDo {
    pub(super) fn add_push(&self, req: AddPush) -> ApiResult<Response> {
        let s = req.0;
        self.exec(
            "INSERT INTO push_subs (endpoint, p256dh, auth, created_ms) VALUES (?, ?, ?, ?) ON CONFLICT(endpoint) DO UPDATE SET p256dh = excluded.p256dh, auth = excluded.auth",
            vec![s.endpoint.into(), s.p256dh.into(), s.auth.into(), (js_sys::Date::now() as i64).into()],
        )?;
        Ok(http::json("{}".into(), 200))
    }

    pub(super) fn remove_push(&self, req: RemovePush) -> ApiResult<Response> {
        self.drop_push(&req.endpoint)?;
        Ok(http::json("{}".into(), 200))
    }

    /// Forgets a subscription and what waits for it.
    pub(super) fn drop_push(&self, endpoint: &str) -> ApiResult<()> {
        self.exec(
            "DELETE FROM push_subs WHERE endpoint = ?",
            vec![endpoint.into()],
        )?;
        self.exec(
            "UPDATE messages SET state = 'skipped', last_error = 'the phone was removed' WHERE channel = 'push' AND recipient = ? AND state IN ('pending', 'retrying')",
            vec![endpoint.into()],
        )?;
        Ok(())
    }

    /// Every subscription.
    pub(super) fn push_subs(&self) -> ApiResult<Vec<Subscription>> {
        self.query(
            "SELECT endpoint, p256dh, auth FROM push_subs ORDER BY created_ms",
            None,
        )
    }

    pub(super) fn list_push(&self) -> ApiResult<Response> {
        #[derive(Deserialize)]
        struct D {
            endpoint: String,
            created_ms: f64,
        }
        let rows: Vec<D> = self.query(
            "SELECT endpoint, created_ms FROM push_subs ORDER BY created_ms",
            None,
        )?;
        let list: Vec<PushDevice> = rows
            .into_iter()
            .map(|d| PushDevice {
                endpoint: d.endpoint,
                created_ms: d.created_ms as u64,
            })
            .collect();
        Ok(http::json(serde_json::to_string(&list)?, 200))
    }
}
