//! `GET /v1/shops/{id}/widget`: the widget's first view in one request and one KV read.

use crate::error::{ApiError, ApiResult};
use crate::http;
use crate::store::Store;
use shared::{ProblemKind, ShopId};
use worker::{Env, Request, Response};

/// Serves the precomputed first-view document of shop `id`, with an ETag so repeat visits
/// get 304. Public data only; any origin may read it.
pub async fn get(req: &Request, env: &Env, id: &str) -> ApiResult<Response> {
    let shop = ShopId::parse(id).map_err(|e| {
        ApiError::field(ProblemKind::InvalidParameter, "shop", format!("{e}: {id:?}"))
    })?;
    let store = Store::open(env)?;
    let Some(body) = store.widget_json(&shop).await? else {
        return Err(ApiError::field(
            ProblemKind::UnknownShop,
            "shop",
            format!("shop {shop} is not a member of the alliance"),
        ));
    };
    let etag = http::etag(&body);
    let mut resp = if http::not_modified(req, &etag) {
        Response::empty()?.with_status(304)
    } else {
        http::json(body, 200)
    };
    http::set(&mut resp, "etag", &etag);
    http::set(&mut resp, "cache-control", "no-cache");
    Ok(resp)
}

/// Answers a CORS preflight for the widget document.
pub fn preflight() -> Response {
    let mut resp = http::text(String::new(), "text/plain", 204);
    cors(&mut resp);
    http::set(&mut resp, "access-control-allow-methods", "GET, HEAD");
    http::set(&mut resp, "access-control-allow-headers", "if-none-match");
    http::set(&mut resp, "access-control-max-age", "86400");
    resp
}

/// Public, credential-free data: any origin may read it, including its error responses.
pub fn with_cors(mut resp: Response) -> Response {
    cors(&mut resp);
    resp
}

fn cors(resp: &mut Response) {
    http::set(resp, "access-control-allow-origin", "*");
    http::set(resp, "access-control-expose-headers", "etag");
}
