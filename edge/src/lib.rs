//! The alliance's edge API: a Cloudflare Worker that serves each member shop's widget data from
//! Workers KV, and the admin import that writes it.
//!
//! Routes are registered in [`routes`] (the consoles' in `console`, the shop object's commands
//! in `shop_do::protocol`), which builds each request's [`app::App`] once; each resource has a
//! module under `handlers`; every KV read and write goes through [`store`], the shop's Durable
//! Object's projections included; every failure becomes an RFC 9457 problem in [`error`].

mod app;
mod auth;
mod console;
mod embed;
mod error;
mod fault;
mod handlers;
mod http;
mod i18n;
mod ics;
mod notify;
mod objects;
#[cfg(all(test, feature = "openapi"))]
mod openapi;
mod ops;
mod outlined;
mod policy;
mod response;
mod routes;
mod secrets;
mod shop_do;
mod store;

pub use shop_do::ShopDo;
use worker::{event, Context, Env, Request, Response, Result, ScheduleContext, ScheduledEvent};

#[event(fetch)]
async fn fetch(req: Request, env: Env, _ctx: Context) -> Result<Response> {
    // The switch is read once per request: it arms faults and asks for the operation counts.
    let report = fault::instrumented(&env);
    fault::arm(&req, report);
    ops::take();
    let mut resp = routes::handle(req, env).await;
    if report {
        // What this request cost in storage operations (see `ops`).
        http::set(&mut resp, "x-ops", &ops::take().to_string());
    }
    Ok(resp)
}

/// The daily cron trigger: the retention sweep over every shop.
#[event(scheduled)]
async fn scheduled(_event: ScheduledEvent, env: Env, _ctx: ScheduleContext) {
    let app = app::App::new(env);
    match handlers::admin::sweep(&app, app.now_ms()).await {
        Ok(counts) => worker::console_log!("retention sweep: {counts}"),
        Err(e) => worker::console_error!("retention sweep failed: {e:?}"),
    }
}
