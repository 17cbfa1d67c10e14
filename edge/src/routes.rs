//! Every route of the edge's API and public pages. The consoles (`/console/…`) have their own
//! router in `console/`; the shop object's commands are its protocol (`shop_do/protocol.rs`).

use crate::app::App;
use crate::error::ApiError;
use crate::handlers::members::{self, Action};
use crate::handlers::{admin, badge, bookings, member_page, network, reviews, verify, widget};
use crate::http;
use crate::outlined::outlined;
use shared::ProblemKind;
use worker::{Env, Method, Request, Response};

/// The OpenAPI 3.1 document of every route below, generated from the code (`openapi/`, a
/// native test); the contract test fails when it and this router differ.
const OPENAPI: &str = include_str!("../openapi.json");

/// Dispatches a request to its handler and turns any error into a problem response.
pub async fn handle(mut req: Request, env: Env) -> Response {
    let origin = req.url().ok().map(|u| u.origin().ascii_serialization());
    let app = App::new(env).on(origin);
    let path = req.path();
    let segments: Vec<&str> = path.trim_matches('/').split('/').collect();
    let method = req.method();
    let get = [Method::Get, Method::Head];
    if segments.first() == Some(&"console") {
        return outlined(crate::console::handle(&mut req, &app, &segments)).await;
    }
    let result = match segments.as_slice() {
        ["health"] => {
            only(&method, &get, || async {
                Ok(http::text("ok".into(), "text/plain; charset=utf-8", 200))
            })
            .await
        }
        ["openapi.json"] => {
            only(&method, &get, || async {
                let mut resp = http::json(OPENAPI.to_owned(), 200);
                http::set(&mut resp, "cache-control", "public, max-age=300");
                http::set(&mut resp, "access-control-allow-origin", "*");
                Ok(resp)
            })
            .await
        }
        ["v1", "shops", id, "widget"] => {
            if method == Method::Options {
                Ok(widget::preflight())
            } else {
                let resp = only(&method, &get, || widget::get(&req, &app, id))
                    .await
                    .unwrap_or_else(ApiError::into_response);
                // Errors too must be readable cross-origin, or the widget sees only "network".
                Ok(widget::with_cors(resp))
            }
        }
        ["v1", "shops", id, "first-view"] => {
            let resp = if method == Method::Options {
                widget::preflight()
            } else {
                only(&method, &get, || widget::first_view(&req, &app, id))
                    .await
                    .unwrap_or_else(ApiError::into_response)
            };
            // Read with credentials, to share the connection embed.js came on.
            Ok(widget::with_page_cors(&req, resp))
        }
        ["w", _build, "widget.css"] => {
            let resp = only(&method, &get, || widget::stylesheet(&req, &app))
                .await
                .unwrap_or_else(ApiError::into_response);
            Ok(widget::with_page_cors(&req, resp))
        }
        ["v1", "shops", id, "reviews"] => match method {
            Method::Options => outlined(reviews::preflight(&req, &app, id)).await,
            Method::Post => with_origin(outlined(reviews::submit(&mut req, &app, id)).await),
            _ => {
                // Reached only by the other methods: a 405's `Allow` names every one served here.
                let served = [Method::Get, Method::Head, Method::Post, Method::Options];
                let resp = only(&method, &served, || reviews::page(&req, &app, id))
                    .await
                    .unwrap_or_else(ApiError::into_response);
                Ok(widget::with_cors(resp))
            }
        },
        ["v1", "shops", id, "availability"] => {
            let resp = only(&method, &get, || bookings::availability(&req, &app, id))
                .await
                .unwrap_or_else(ApiError::into_response);
            Ok(widget::with_cors(resp))
        }
        ["v1", "shops", id, "bookings"] => match method {
            Method::Options => match widget::shop_id(id) {
                Ok(shop) => outlined(bookings::preflight(&req, &app, &shop)).await,
                Err(e) => Err(e),
            },
            Method::Post => with_origin(outlined(bookings::book(&mut req, &app, id)).await),
            _ => Ok(not_allowed(&method, &[Method::Post, Method::Options])),
        },
        ["v1", "shops", id, "referrals"] => {
            let resp = only(&method, &get, || network::referrals(&req, &app, id))
                .await
                .unwrap_or_else(ApiError::into_response);
            Ok(widget::with_cors(resp))
        }
        ["v1", "shops", from, "referrals", to, "bookings"] => match method {
            Method::Options => outlined(network::preflight(&req, &app, from)).await,
            Method::Post => with_origin(outlined(network::book(&mut req, &app, from, to)).await),
            _ => Ok(not_allowed(&method, &[Method::Post, Method::Options])),
        },
        ["v1", "warranty", reference] => {
            only(&method, &get, || network::warranty(&req, &app, reference)).await
        }
        ["alliance"] => only(&method, &get, || network::directory(&req, &app)).await,
        ["alliance", "warranty"] => {
            only(&method, &get, || network::warranty_page(&req, &app)).await
        }
        ["alliance", "find.js"] => {
            only(&method, &get, || async {
                let mut resp = http::text(
                    network::FIND_JS.to_owned(),
                    "text/javascript; charset=utf-8",
                    200,
                );
                http::set(&mut resp, "cache-control", "public, max-age=300");
                Ok(resp)
            })
            .await
        }
        ["v1", "shops", id, "calendar.ics"] => {
            only(&method, &get, || bookings::feed(&req, &app, id)).await
        }
        ["v1", "bookings", token] => {
            let resp = only(&method, &get, || bookings::view(&app, token))
                .await
                .unwrap_or_else(ApiError::into_response);
            Ok(widget::with_cors(resp))
        }
        ["v1", "bookings", token, "export"] => {
            let resp = only(&method, &get, || bookings::export(&req, &app, token))
                .await
                .unwrap_or_else(ApiError::into_response);
            Ok(widget::with_cors(resp))
        }
        ["v1", "bookings", token, "unsubscribe"] => {
            only(&method, &[Method::Get, Method::Head, Method::Post], || {
                crate::handlers::notify::unsubscribe(&req, &app, token)
            })
            .await
        }
        ["v1", "bookings", token, "line"] => {
            only(&method, &[Method::Get, Method::Head, Method::Post], || {
                crate::handlers::line::booking_page(&mut req, &app, token)
            })
            .await
        }
        ["v1", "line", "webhook"] => {
            only(&method, &[Method::Post], || {
                crate::handlers::line::webhook(&mut req, &app)
            })
            .await
        }
        ["v1", "bookings", token, "attend"] => {
            only(&method, &[Method::Get, Method::Head, Method::Post], || {
                crate::handlers::notify::attend(&req, &app, token)
            })
            .await
        }
        ["v1", "shops", id, "alerts", "unsubscribe"] => {
            only(&method, &[Method::Get, Method::Head, Method::Post], || {
                crate::handlers::notify::alerts_off(&req, &app, id)
            })
            .await
        }
        ["v1", "bookings", token, "calendar.ics"] => {
            only(&method, &get, || bookings::ics(&app, token)).await
        }
        ["v1", "bookings", token, action @ ("cancel" | "reschedule" | "erase")] => match method {
            Method::Options => outlined(bookings::manage_preflight(&req, &app, token)).await,
            Method::Post => {
                with_origin(outlined(bookings::change(&mut req, &app, token, action)).await)
            }
            _ => Ok(not_allowed(&method, &[Method::Post, Method::Options])),
        },
        ["v1", "shop", "setup"] => only(&method, &get, || bookings::setup(&req, &app)).await,
        ["v1", "moderation"] => only(&method, &get, || reviews::moderation_log(&app)).await,
        ["v1", "shop", "invites"] => {
            only(&method, &[Method::Post], || reviews::invite(&mut req, &app)).await
        }
        ["v1", "shop", "reviews", review, "reply"] => {
            only(&method, &[Method::Put], || {
                reviews::reply(&mut req, &app, review)
            })
            .await
        }
        ["v1", "admin", "shops", id, "keys"] => match method {
            Method::Delete => outlined(members::delete_keys(&req, &app, id)).await,
            _ => {
                only(&method, &[Method::Post, Method::Delete], || {
                    members::issue_key(&req, &app, id)
                })
                .await
            }
        },
        ["v1", "admin", "shops", id, "reviews", review, "hide"] => {
            only(&method, &[Method::Post], || {
                reviews::hide(&mut req, &app, id, review)
            })
            .await
        }
        ["verify", id] => only(&method, &get, || verify::page(&req, &app, id)).await,
        ["shops", "og.png"] => {
            only(&method, &get, || async {
                let mut resp = Response::from_bytes(member_page::OG_PNG.to_vec())?;
                http::set(&mut resp, "content-type", "image/png");
                http::set(&mut resp, "cache-control", "public, max-age=86400");
                Ok(resp)
            })
            .await
        }
        ["shops", "card.css"] => {
            only(&method, &get, || async {
                let mut resp = http::text(
                    member_page::CARD_CSS.to_owned(),
                    "text/css; charset=utf-8",
                    200,
                );
                http::set(&mut resp, "cache-control", "public, max-age=3600");
                Ok(resp)
            })
            .await
        }
        ["shops", id] => only(&method, &get, || member_page::page(&req, &app, id)).await,
        ["shops", id, "review"] => {
            only(&method, &get, || member_page::review(&req, &app, id)).await
        }
        ["shops", id, "card"] => only(&method, &get, || member_page::card(&req, &app, id)).await,
        ["sitemap.xml"] => only(&method, &get, || member_page::sitemap(&req, &app)).await,
        ["robots.txt"] => only(&method, &get, || async { Ok(member_page::robots(&req)) }).await,
        ["badge", file] if file.ends_with(".svg") => {
            only(&method, &get, || badge::svg(&req, &app, file)).await
        }
        ["v1", "admin", "import"] => {
            only(&method, &[Method::Post], || admin::import(&mut req, &app)).await
        }
        ["v1", "admin", "retention"] => {
            only(&method, &[Method::Post], || admin::retention(&req, &app)).await
        }
        ["v1", "admin", "audit"] => only(&method, &get, || members::audit_log(&req, &app)).await,
        ["v1", "admin", "shops"] => {
            only(&method, &[Method::Post], || members::add(&mut req, &app)).await
        }
        ["v1", "admin", "shops", id] => {
            only(&method, &[Method::Put], || {
                members::update(&mut req, &app, id)
            })
            .await
        }
        ["v1", "admin", "shops", id, action] => match Action::parse(action) {
            Some(a) => {
                only(&method, &[Method::Post], || {
                    members::change_status(&mut req, &app, id, a)
                })
                .await
            }
            None => Err(ApiError::client(
                ProblemKind::NotFound,
                format!("no route for {path}"),
            )),
        },
        _ => Err(ApiError::client(
            ProblemKind::NotFound,
            format!("no route for {path}"),
        )),
    };
    result.unwrap_or_else(ApiError::into_response)
}

/// Adds the write CORS headers for the origin a write handler accepted.
fn with_origin(result: Result<(Response, Option<String>), ApiError>) -> Result<Response, ApiError> {
    result.map(|(mut resp, origin)| {
        if let Some(origin) = origin {
            reviews::write_cors(&mut resp, &origin);
        }
        resp
    })
}

/// Runs `f` when `method` is one of `allowed`, otherwise answers 405 with an `Allow` header.
async fn only<F, Fut>(method: &Method, allowed: &[Method], f: F) -> Result<Response, ApiError>
where
    F: FnOnce() -> Fut,
    Fut: std::future::Future<Output = Result<Response, ApiError>>,
{
    if allowed.contains(method) {
        return outlined(f()).await;
    }
    Ok(not_allowed(method, allowed))
}

/// 405 for `method`, with the `Allow` header naming `allowed`.
fn not_allowed(method: &Method, allowed: &[Method]) -> Response {
    let allow: Vec<String> = allowed.iter().map(|m| m.to_string()).collect();
    let allow = allow.join(", ");
    let mut resp = ApiError::client(
        ProblemKind::MethodNotAllowed,
        format!("method {method} is not allowed here; use {allow}"),
    )
    .into_response();
    http::set(&mut resp, "allow", &allow);
    resp
}
