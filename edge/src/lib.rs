//! The alliance's edge API: a Cloudflare Worker that serves each member shop's widget data from
//! Workers KV, and the admin import that writes it.
//!
//! Routes are registered in [`routes`]; each resource has a module under `handlers`; only
//! [`store`] touches KV; every failure becomes an RFC 9457 problem in [`error`].

mod auth;
mod console;
mod error;
mod fault;
mod handlers;
mod http;
mod ics;
mod routes;
mod shop_do;
mod store;

pub use shop_do::ShopDo;
use worker::{event, Context, Env, Request, Response, Result};

#[event(fetch)]
async fn fetch(req: Request, env: Env, _ctx: Context) -> Result<Response> {
    fault::arm(&req, &env);
    Ok(routes::handle(req, env).await)
}
