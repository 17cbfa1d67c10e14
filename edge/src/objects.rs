//! The clients of the Durable Objects: [`ShopObject`] (one per shop, the single writer of its
//! bookings, reviews and first view) and [`NetworkObject`] (the alliance-wide counters). Both
//! speak only the objects' protocol (`shop_do::protocol`).

use crate::error::{ApiError, ApiResult};
use crate::shop_do::protocol::{self, NetworkCommand, ShopCommand};
use crate::store::purge_first_view;
use shared::ShopId;
use worker::Env;

/// The Durable Object of one shop, the single writer of its reviews and first view. Spoken to
/// only in the object's protocol (`shop_do::protocol`): [`ShopObject::send`] decodes the
/// command's reply, [`ShopObject::forward`] passes the object's answer on as it is.
pub struct ShopObject {
    stub: worker::Stub,
    shop: ShopId,
    edge: Option<String>,
}

impl ShopObject {
    /// The object of `shop`.
    pub fn of(env: &Env, shop: &ShopId) -> ApiResult<Self> {
        if crate::fault::current() == crate::fault::Fault::DurableObject {
            return Err(ApiError::Unavailable(format!(
                "shop object {shop}: injected fault"
            )));
        }
        let ns = env.durable_object(crate::shop_do::BINDING)?;
        Ok(Self {
            stub: ns.id_from_name(shop.as_str())?.get_stub()?,
            shop: shop.clone(),
            edge: None,
        })
    }

    /// The same, telling the object the edge's origin with each command (`x-edge`).
    pub fn told_edge(mut self, origin: Option<String>) -> Self {
        self.edge = origin;
        self
    }

    /// Sends `cmd` and decodes the object's reply; a problem it answered with comes back as the
    /// same error (a 4xx stays the client's, a 429 keeps its `Retry-After`, a 503 stays a
    /// retry-later).
    pub async fn send<C: ShopCommand>(&self, cmd: &C) -> ApiResult<C::Reply> {
        let resp = self.forward(cmd).await?;
        decode::<C>(resp).await
    }

    /// Sends `cmd`; the object's answer (its status, body, `Retry-After` and
    /// `Idempotent-Replayed`, including its problems) is passed on as it is, for handlers that
    /// answer the client with it.
    pub async fn forward<C: ShopCommand>(&self, cmd: &C) -> ApiResult<worker::Response> {
        let req = protocol::request(cmd, self.shop.as_str())?;
        if let Some(edge) = &self.edge {
            req.headers().set("x-edge", edge)?;
        }
        crate::ops::do_call();
        let resp = crate::fault::within(
            crate::fault::DO_LIMIT_MS,
            "shop object",
            crate::fault::Fault::DurableObjectSlow,
            async {
                self.stub
                    .fetch_with_request(req)
                    .await
                    .map_err(|e| ApiError::Unavailable(format!("shop object {}: {e}", self.shop)))
            },
        )
        .await?;
        // Every write may change the object, and with it the cached first view.
        if !C::READ {
            purge_first_view(&self.shop).await;
        }
        copy(resp, &self.shop).await
    }
}

/// The alliance's network object (the shop objects' class under a name no shop can have): the
/// single writer of the alliance-wide counters (visit counts, failed attempts). Spoken to only
/// in its own commands; it has no first view to purge.
pub struct NetworkObject {
    stub: worker::Stub,
}

impl NetworkObject {
    /// The network object.
    pub fn of(env: &Env) -> ApiResult<Self> {
        let ns = env.durable_object(crate::shop_do::BINDING)?;
        Ok(Self {
            stub: ns.id_from_name(crate::shop_do::NETWORK)?.get_stub()?,
        })
    }

    /// Sends `cmd` and decodes its reply (as [`ShopObject::send`]).
    pub async fn send<C: NetworkCommand>(&self, cmd: &C) -> ApiResult<C::Reply> {
        let req = protocol::request(cmd, protocol::NETWORK_SHOP)?;
        crate::ops::do_call();
        let resp = self
            .stub
            .fetch_with_request(req)
            .await
            .map_err(|e| ApiError::Unavailable(format!("network object: {e}")))?;
        decode::<C>(resp).await
    }
}

/// Decodes an object's answer to `C`.
async fn decode<C: protocol::Command>(mut resp: worker::Response) -> ApiResult<C::Reply> {
    let status = resp.status_code();
    let retry_after =
        crate::http::header(resp.headers(), "retry-after").and_then(|v| v.parse().ok());
    let text = resp
        .text()
        .await
        .map_err(|e| ApiError::Unavailable(format!("shop object {}: {e}", C::PATH)))?;
    protocol::reply::<C>(status, retry_after, &text)
}

/// A fetched response's headers are immutable: rebuilds it so callers can add CORS.
async fn copy(mut resp: worker::Response, shop: &ShopId) -> ApiResult<worker::Response> {
    let status = resp.status_code();
    let content_type = crate::http::header(resp.headers(), "content-type")
        .unwrap_or_else(|| "application/json".into());
    let copied: Vec<(&str, String)> = ["retry-after", "idempotent-replayed"]
        .into_iter()
        .filter_map(|h| crate::http::header(resp.headers(), h).map(|v| (h, v)))
        .collect();
    let body = resp
        .text()
        .await
        .map_err(|e| ApiError::Unavailable(format!("shop object {shop}: {e}")))?;
    let mut out = crate::http::text(body, &content_type, status);
    for (name, value) in copied {
        crate::http::set(&mut out, name, &value);
    }
    Ok(out)
}
