//! The consoles, served by the edge as plain HTML forms (they work without JavaScript; a small
//! script adds copy buttons and the live snippet preview): the shop console under
//! `/console/shop/{id}/…` and the alliance admin console under `/console/admin/…`.
//!
//! Sign-in exchanges a shop access key (or the admin token) for a session cookie
//! (`HttpOnly; SameSite=Strict; Path=/console`, `Secure` over HTTPS) holding a signed
//! [`shared::Session`]. Every request re-checks the cookie's signature and expiry, and that the
//! credential it was opened with is still current (rotating or revoking a key ends its
//! sessions). Every write also needs the session's CSRF token in the form and, when the browser
//! sends one, a same-origin `Origin`. See SECURITY.md.

mod admin;
mod page;
mod shop;
mod snippet;

use crate::app::App;
use crate::error::{ApiError, ApiResult};
use crate::http;
use crate::i18n::t;
use crate::secrets::{key_hash, same};
use page::{Notice, Page};
use shared::{Locale, Problem, ProblemKind, Session, SessionRole, ShopId};
use worker::{Method, Request, Response};

/// The session cookie's name.
/// The language preference cookie's name.
const LANG_COOKIE: &str = "aw_lang";
/// Largest form body a console page accepts.
const MAX_FORM: usize = 64 * 1024;

const CSS: &str = include_str!("console.css");
const JS: &str = include_str!("console.js");
/// The console's service worker: shows the shop's Web Push alerts and opens the booking.
const SERVICE_WORKER: &str = include_str!("sw.js");
/// The console as an installable web app.
const MANIFEST: &str = include_str!("manifest.webmanifest");
const ICON: &str = include_str!("icon.svg");
/// The same icon as PNG, 192 and 512 px (drawn from `icon.svg`'s shapes once and committed),
/// for launchers that do not take SVG.
const ICON_192: &[u8] = include_bytes!("icon-192.png");
const ICON_512: &[u8] = include_bytes!("icon-512.png");

/// What every console request knows about itself.
pub struct Ctx {
    /// The page language (cookie, else `Accept-Language`, else zh-TW).
    pub lang: Locale,
    /// The request's own origin, e.g. `https://widget.alliance.tw`.
    pub origin: String,
    /// The path, for the language switch's way back.
    pub path: String,
    secure: bool,
}

/// A checked session.
pub struct Signed {
    /// Whose it is.
    pub role: SessionRole,
    /// The form token for this session.
    pub csrf: String,
    /// The key that verified the session (the current one, or the previous during a rotation).
    key: Vec<u8>,
}

impl Signed {
    /// The actor named in the audit log.
    pub fn actor(&self) -> String {
        match &self.role {
            SessionRole::Shop(id) => format!("shop:{id}"),
            SessionRole::Admin => crate::auth::ADMIN.to_owned(),
        }
    }
}

/// Serves everything under `/console`.
pub async fn handle(req: &mut Request, app: &App, segments: &[&str]) -> Response {
    let ctx = match context(req) {
        Ok(c) => c,
        Err(e) => return e.into_response(),
    };
    // A deployment whose ADMIN_TOKEN is too short serves no console at all, and says why.
    if let Err(ApiError::Client(p)) = crate::auth::admin_secret(app) {
        return page::problem_page(&ctx, &p);
    }
    let result = route(req, app, &ctx, segments).await;
    match result {
        Ok(resp) => resp,
        Err(ApiError::Client(p)) => page::problem_page(&ctx, &p),
        Err(ApiError::Limited(p, secs)) => {
            let mut resp = page::problem_page(&ctx, &p);
            http::set(&mut resp, "retry-after", &secs.to_string());
            resp
        }
        Err(e) => {
            // Storage or internal failures: log the detail, show a plain page.
            let status = if matches!(e, ApiError::Unavailable(_)) {
                503
            } else {
                500
            };
            if let ApiError::Unavailable(d) | ApiError::Internal(d) = &e {
                worker::console_error!("console: {d}");
            }
            let mut p = Problem::new(
                if status == 503 {
                    ProblemKind::Unavailable
                } else {
                    ProblemKind::Internal
                },
                t(
                    ctx.lang,
                    "系統暫時無法處理，請稍後再試。",
                    "Something failed on our side. Please try again shortly.",
                ),
            );
            p.status = status;
            page::problem_page(&ctx, &p)
        }
    }
}

fn context(req: &Request) -> ApiResult<Ctx> {
    let url = req.url()?;
    let origin = url.origin().ascii_serialization();
    let lang = cookie(req, LANG_COOKIE)
        .and_then(|l| Locale::from_tag(&l))
        .or_else(|| {
            let accept = crate::http::header(req.headers(), "accept-language")?;
            let first = accept
                .split(',')
                .next()?
                .split(';')
                .next()?
                .trim()
                .to_owned();
            Locale::from_tag(&first)
        })
        .unwrap_or_default();
    Ok(Ctx {
        lang,
        secure: url.scheme() == "https",
        origin,
        path: url.path().to_owned(),
    })
}

async fn route(req: &mut Request, app: &App, ctx: &Ctx, segments: &[&str]) -> ApiResult<Response> {
    let method = req.method();
    let get = matches!(method, Method::Get | Method::Head);
    let post = method == Method::Post;
    match segments {
        ["console"] | ["console", ""] if get => home(req, app, ctx).await,
        ["console", "console.css"] if get => Ok(asset(CSS, "text/css; charset=utf-8")),
        ["console", "console.js"] if get => Ok(asset(JS, "text/javascript; charset=utf-8")),
        ["console", "sw.js"] if get => Ok(asset(SERVICE_WORKER, "text/javascript; charset=utf-8")),
        ["console", "manifest.webmanifest"] if get => {
            Ok(asset(MANIFEST, "application/manifest+json"))
        }
        ["console", "icon.svg"] if get => Ok(asset(ICON, "image/svg+xml")),
        ["console", "icon-192.png"] if get => png(ICON_192),
        ["console", "icon-512.png"] if get => png(ICON_512),
        ["console", "login"] if post => login(req, app, ctx).await,
        ["console", "logout"] if post => {
            let s = require(req, app, ctx).await?;
            let form = read_form(req).await?;
            check_csrf(req, ctx, &s, &form)?;
            let mut resp = redirect("/console?signed-out=1");
            http::set(&mut resp, "set-cookie", &clear_cookie(ctx));
            Ok(resp)
        }
        ["console", "lang", tag] if get => {
            let lang = Locale::from_tag(tag).unwrap_or_default();
            let q = http::query(req)?;
            let back = http::param(&q, "next")
                .filter(|n| n.starts_with("/console") && !n.contains("//"))
                .unwrap_or("/console");
            let mut resp = redirect(back);
            http::set(
                &mut resp,
                "set-cookie",
                &format!(
                    "{LANG_COOKIE}={}; Path=/console; Max-Age=31536000; SameSite=Lax",
                    lang.tag()
                ),
            );
            Ok(resp)
        }
        ["console", "preview"] if get => snippet::preview(req, app).await,
        ["console", "shop", id, rest @ ..] => {
            let s = require(req, app, ctx).await?;
            let shop = shop_scope(&s, id)?;
            if post {
                let form = read_form(req).await?;
                check_csrf(req, ctx, &s, &form)?;
                shop::write(app, ctx, &s, &shop, rest, &form).await
            } else if get {
                let q = http::query(req)?;
                shop::read(app, ctx, &s, &shop, rest, &q).await
            } else {
                Err(not_allowed())
            }
        }
        ["console", "admin", rest @ ..] => {
            let s = require(req, app, ctx).await?;
            if s.role != SessionRole::Admin {
                return Err(ApiError::client(
                    ProblemKind::Forbidden,
                    t(
                        ctx.lang,
                        "這裡只有聯盟管理者能使用。",
                        "Only the alliance admin may use this.",
                    ),
                ));
            }
            if post {
                let form = read_form(req).await?;
                check_csrf(req, ctx, &s, &form)?;
                admin::write(app, ctx, &s, rest, &form).await
            } else if get {
                let q = http::query(req)?;
                admin::read(app, ctx, &s, rest, &q).await
            } else {
                Err(not_allowed())
            }
        }
        _ if !(get || post) => Err(not_allowed()),
        _ => Err(page::not_found(ctx.lang)),
    }
}

fn not_allowed() -> ApiError {
    ApiError::client(
        ProblemKind::MethodNotAllowed,
        "console pages take GET, and forms POST",
    )
}

/// A shop session may only act on its own shop.
fn shop_scope(s: &Signed, id: &str) -> ApiResult<ShopId> {
    match &s.role {
        SessionRole::Shop(own) if own.as_str() == id => Ok(own.clone()),
        _ => Err(ApiError::client(
            ProblemKind::Forbidden,
            "this session belongs to another shop",
        )),
    }
}

fn png(bytes: &[u8]) -> ApiResult<Response> {
    let mut resp = Response::from_bytes(bytes.to_vec())?;
    http::set(&mut resp, "content-type", "image/png");
    http::set(&mut resp, "cache-control", "public, max-age=300");
    http::set(&mut resp, "x-content-type-options", "nosniff");
    Ok(resp)
}

fn asset(body: &str, content_type: &str) -> Response {
    let mut resp = http::text(body.to_owned(), content_type, 200);
    http::set(&mut resp, "cache-control", "public, max-age=300");
    http::set(&mut resp, "x-content-type-options", "nosniff");
    resp
}

/// A 303 to `location` (same origin).
pub fn redirect(location: &str) -> Response {
    let mut resp = http::text(String::new(), "text/plain", 303);
    http::set(&mut resp, "location", location);
    http::set(&mut resp, "cache-control", "no-store");
    resp
}

/// The value of cookie `name`.
fn cookie(req: &Request, name: &str) -> Option<String> {
    let header = crate::http::header(req.headers(), "cookie")?;
    header.split(';').find_map(|c| {
        let (k, v) = c.trim().split_once('=')?;
        (k == name).then(|| v.to_owned())
    })
}

fn session_cookie(ctx: &Ctx, wire: &str) -> String {
    shared::console_cookie(wire, shared::SESSION_LIFETIME_SECS, ctx.secure)
}

fn clear_cookie(ctx: &Ctx) -> String {
    shared::console_cookie("", 0, ctx.secure)
}

/// The request's session cookie, under the name this scheme uses.
fn session_wire(req: &Request, ctx: &Ctx) -> Option<String> {
    cookie(req, shared::console_cookie_name(ctx.secure))
}

fn session_secret(app: &App) -> ApiResult<Vec<u8>> {
    Ok(shared::session_key(app.secrets()?.link()))
}

fn unauthorized(detail: &str) -> ApiError {
    ApiError::Client(Problem::new(ProblemKind::Unauthorized, detail).with_field("session"))
}

/// The request's session: signature, expiry, and the credential still current. 401 otherwise.
async fn require(req: &Request, app: &App, ctx: &Ctx) -> ApiResult<Signed> {
    let l = ctx.lang;
    let Some(wire) = session_wire(req, ctx).filter(|w| !w.is_empty()) else {
        return Err(unauthorized(t(l, "請先登入。", "Please sign in first.")));
    };
    let now = app.now_ms() / 1000;
    let (checked, link) = app
        .secrets()?
        .verify_rotating(|s| Session::verify(&wire, &shared::session_key(s), now));
    let secret = shared::session_key(link);
    let session = checked.map_err(|e| match e {
        shared::TokenError::Expired => unauthorized(t(
            l,
            "登入已逾時，請重新登入。",
            "Your session has expired. Please sign in again.",
        )),
        _ => unauthorized(t(
            l,
            "登入資訊無效，請重新登入。",
            "Your session is not valid. Please sign in again.",
        )),
    })?;
    let current = match &session.role {
        SessionRole::Shop(shop) => app
            .store()?
            .shop_key_hashes(shop)
            .await?
            .iter()
            .any(|h| h.starts_with(&session.key)),
        SessionRole::Admin => admin_token(app)
            .is_some_and(|t| same(&crate::secrets::admin_fingerprint(link, &t), &session.key)),
    };
    if !current || session.key.len() != 16 {
        return Err(unauthorized(t(
            l,
            "這把存取金鑰已被更換或停用，請用新的金鑰登入。",
            "The access key of this session was rotated or revoked. Sign in with the new key.",
        )));
    }
    Ok(Signed {
        csrf: Session::csrf(&wire, &secret),
        role: session.role,
        key: secret,
    })
}

fn admin_token(app: &App) -> Option<String> {
    crate::auth::admin_secret(app)
        .ok()
        .flatten()
        .filter(|s| !s.is_empty())
}

/// A submitted form's fields.
pub type Form = Vec<(String, String)>;

pub use crate::http::field;

async fn read_form(req: &mut Request) -> ApiResult<Form> {
    let bytes = http::read_body(req, "application/x-www-form-urlencoded", MAX_FORM).await?;
    Ok(url::form_urlencoded::parse(&bytes)
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect())
}

/// A write must come from a console page: same-origin `Origin` when sent, and this session's
/// CSRF token in the form.
fn check_csrf(req: &Request, ctx: &Ctx, s: &Signed, form: &Form) -> ApiResult<()> {
    let forbidden = |detail: &str| {
        ApiError::Client(Problem::new(ProblemKind::Forbidden, detail).with_field("csrf"))
    };
    if let Some(origin) = crate::http::header(req.headers(), "origin") {
        if origin != ctx.origin {
            return Err(forbidden(t(
                ctx.lang,
                "這個表單不是從主控台送出的，已拒絕。",
                "This form was not sent from the console, so it was refused.",
            )));
        }
    }
    let wire = session_wire(req, ctx).unwrap_or_default();
    let given = field(form, "csrf");
    if given.is_empty() || !Session::csrf_ok(&wire, &s.key, given) {
        return Err(forbidden(t(
            ctx.lang,
            "表單已過期，請重新整理頁面後再送出。",
            "This form has expired. Reload the page and send it again.",
        )));
    }
    Ok(())
}

/// `GET /console`: the sign-in page, or the signed-in console's start page.
async fn home(req: &Request, app: &App, ctx: &Ctx) -> ApiResult<Response> {
    if session_wire(req, ctx).is_some_and(|c| !c.is_empty()) {
        if let Ok(s) = require(req, app, ctx).await {
            return Ok(redirect(&match s.role {
                SessionRole::Shop(id) => format!("/console/shop/{id}/bookings"),
                SessionRole::Admin => "/console/admin".to_owned(),
            }));
        }
    }
    let q = http::query(req)?;
    let notice = if http::param(&q, "signed-out").is_some() {
        Notice::Ok(t(ctx.lang, "已登出。", "Signed out.").to_owned())
    } else {
        Notice::None
    };
    Ok(login_page(ctx, notice, None, 200))
}

fn login_page(ctx: &Ctx, notice: Notice, error: Option<&str>, status: u16) -> Response {
    let l = ctx.lang;
    let mut p = Page::new(ctx, t(l, "登入主控台", "Sign in to the console"));
    p.notice(notice);
    let (invalid, described) = match error {
        Some(_) => (" aria-invalid=\"true\"", " aria-describedby=\"key-error\""),
        None => ("", ""),
    };
    p.push(format!(
        r#"<form method="post" action="/console/login" class="card narrow">
<p>{intro}</p>
<label for="key">{label}</label>
<input id="key" name="key" type="password" autocomplete="current-password" required spellcheck="false"{invalid}{described}>
{err}
<button type="submit">{submit}</button>
</form>"#,
        intro = t(
            l,
            "請輸入聯盟發給貴店的存取金鑰（sk_ 開頭）。聯盟管理者請輸入管理權杖。",
            "Enter the access key the alliance gave your shop (it starts with sk_). The alliance admin enters the admin token."
        ),
        label = t(l, "存取金鑰", "Access key"),
        err = error
            .map(|e| format!(r#"<p id="key-error" class="field-error">{}</p>"#, http::escape(e)))
            .unwrap_or_default(),
        submit = t(l, "登入", "Sign in"),
    ));
    p.respond(status)
}

/// `POST /console/login`: exchanges a shop key or the admin token for a session.
async fn login(req: &mut Request, app: &App, ctx: &Ctx) -> ApiResult<Response> {
    let l = ctx.lang;
    if let Some(origin) = crate::http::header(req.headers(), "origin") {
        if origin != ctx.origin {
            return Err(ApiError::client(
                ProblemKind::Forbidden,
                t(
                    l,
                    "只能從主控台登入。",
                    "Sign in from the console page only.",
                ),
            ));
        }
    }
    let form = read_form(req).await?;
    let key = field(&form, "key").trim().to_owned();
    let bucket = match crate::auth::sign_in_guard(req, app).await {
        Ok(b) => b,
        Err(ApiError::Limited(_, secs)) => {
            let minutes = secs.div_ceil(60).to_string();
            let msg = match l {
                Locale::En => format!(
                    "Too many failed sign-ins from this network. Try again in {minutes} minutes."
                ),
                _ => format!("這個網路登入失敗太多次，請 {minutes} 分鐘後再試。"),
            };
            let mut resp = login_page(ctx, Notice::None, Some(&msg), 429);
            http::set(&mut resp, "retry-after", &secs.to_string());
            return Ok(resp);
        }
        Err(e) => return Err(e),
    };
    let bad = || {
        login_page(
            ctx,
            Notice::None,
            Some(t(
                l,
                "這把金鑰無效或已停用。請確認是否完整貼上，或請聯盟管理者發一把新的。",
                "This key is not valid or was revoked. Check it was pasted whole, or ask the alliance admin for a new one.",
            )),
            401,
        )
    };
    if key.is_empty() || key.len() > 200 {
        crate::auth::sign_in_failed(app, &bucket).await?;
        return Ok(bad());
    }
    let hash = key_hash(&key);
    let store = app.store()?;
    let role = if admin_token(app).is_some_and(|t| same(&t, &key)) {
        SessionRole::Admin
    } else if let Some(shop) = store.shop_of_key(&hash).await? {
        // The key must still be one of the shop's current keys (rotation is immediate here).
        if !store.shop_key_hashes(&shop).await?.contains(&hash) {
            crate::auth::sign_in_failed(app, &bucket).await?;
            return Ok(bad());
        }
        SessionRole::Shop(shop)
    } else {
        crate::auth::sign_in_failed(app, &bucket).await?;
        return Ok(bad());
    };
    let session = Session {
        role: role.clone(),
        key: match &role {
            SessionRole::Admin => crate::secrets::admin_fingerprint(app.secrets()?.link(), &key),
            SessionRole::Shop(_) => hash[..16].to_owned(),
        },
        exp: (app.now_ms() / 1000) + shared::SESSION_LIFETIME_SECS,
        nonce: crate::secrets::random_hex::<12>()?,
    };
    let wire = session.sign(&session_secret(app)?);
    let mut resp = redirect(&match role {
        SessionRole::Shop(id) => format!("/console/shop/{id}/bookings"),
        SessionRole::Admin => "/console/admin".to_owned(),
    });
    http::set(&mut resp, "set-cookie", &session_cookie(ctx, &wire));
    Ok(resp)
}
