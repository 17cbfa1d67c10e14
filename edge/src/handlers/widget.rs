//! `GET /v1/shops/{id}/widget`: the widget's first view in one request and one KV read, with
//! the badge decided from the request's own `Origin`/`Referer`.

use crate::app::App;
use crate::error::{ApiError, ApiResult};
use crate::http;
use serde::Serialize;
use shared::{request_origin, ProblemKind, ShopId, WidgetView};
use worker::{Request, Response};

/// Parses a shop id from the path, or answers 400 naming the parameter.
pub fn shop_id(raw: &str) -> ApiResult<ShopId> {
    ShopId::parse(raw).map_err(|e| {
        ApiError::field(
            ProblemKind::InvalidParameter,
            "shop",
            format!("{e}: {raw:?}"),
        )
    })
}

/// 404 for a shop the alliance does not know.
pub fn unknown(shop: &ShopId) -> ApiError {
    ApiError::field(
        ProblemKind::UnknownShop,
        "shop",
        format!("shop {shop} is not a member of the alliance"),
    )
}

/// What the pages about one member read: its profile, the alliance's, and its stored first view.
pub struct MemberRecords {
    /// The member.
    pub shop: shared::Shop,
    /// The alliance.
    pub alliance: shared::Alliance,
    /// Its first view, once its object has written one.
    pub widget: Option<shared::WidgetDoc>,
}

/// The records of member `raw` (400 for a malformed id, 404 for no such member), the three KV
/// reads made at once.
pub async fn member_records(app: &App, raw: &str) -> ApiResult<MemberRecords> {
    let id = shop_id(raw)?;
    let store = app.store()?;
    let (shop, alliance, widget) =
        futures_util::try_join!(store.shop(&id), store.alliance(), store.widget(&id))?;
    Ok(MemberRecords {
        shop: shop.ok_or_else(|| unknown(&id))?,
        alliance: alliance.ok_or_else(|| unknown(&id))?,
        widget,
    })
}

/// The first view of shop `id` as the requesting page sees it (the badge decided from the
/// request's own `Origin`/`Referer`), and whether it came from this location's cache.
async fn view_for_page(req: &Request, app: &App, id: &str) -> ApiResult<(WidgetView, bool)> {
    let shop = shop_id(id)?;
    let store = app.store()?;
    let (doc, cached) = store
        .widget_cached(&shop)
        .await?
        .ok_or_else(|| unknown(&shop))?;
    let headers = req.headers();
    let origin = request_origin(
        headers.get("origin").ok().flatten().as_deref(),
        headers.get("referer").ok().flatten().as_deref(),
    );
    let view = doc.view_for(origin.as_deref(), http::own_origin(req).as_deref());
    Ok((view, cached))
}

/// A JSON body with an ETag (304 when the client has it), revalidated on every view, keyed on
/// the page's origin by caches, and saying where the document came from.
fn revalidated(req: &Request, body: String, cached: bool) -> ApiResult<Response> {
    let etag = http::etag(&body);
    let mut resp = if http::not_modified(req, &etag) {
        Response::empty()?.with_status(304)
    } else {
        http::json(body, 200)
    };
    http::set(&mut resp, "etag", &etag);
    // Where the document came from: this location's cache (no KV read) or KV.
    http::set(&mut resp, "x-cache", if cached { "hit" } else { "miss" });
    // Revalidated on every view (304 when unchanged): a shop's own change (a reply, a
    // revocation) shows on the next reload where it was made.
    http::set(&mut resp, "cache-control", "no-cache");
    // The badge depends on where the page is: caches must key on it.
    http::set(&mut resp, "vary", "Origin, Referer");
    Ok(resp)
}

/// Serves the first view of shop `id` for the requesting origin, with an ETag so repeat
/// visits get 304. Public data only; any origin may read it.
pub async fn get(req: &Request, app: &App, id: &str) -> ApiResult<Response> {
    let (view, cached) = view_for_page(req, app, id).await?;
    revalidated(req, serde_json::to_string(&view)?, cached)
}

/// The widget build the worker renders with: the content hash of the widget's folder
/// (`w/{hash}/`), given by `cargo xtask build`; `dev` in a build it did not make.
pub const WIDGET_BUILD: &str = match option_env!("ALLIANCE_WIDGET_BUILD") {
    Some(build) => build,
    None => "dev",
};

/// The first view rendered at the edge: the widget's own components as HTML, and the document
/// they were rendered from, which the browser hydrates them with.
#[derive(Debug, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct FirstView {
    /// The widget build that rendered `html`: a loader of another build must not hydrate it
    /// (it mounts the widget itself instead).
    pub build: &'static str,
    /// The first view's HTML, for the `<div>` in the placeholder's shadow root. All text in it
    /// is escaped; it holds no script, no inline style and no event attribute.
    pub html: String,
    /// The document `html` shows, as `GET /v1/shops/{id}/widget` serves it to this page.
    pub data: WidgetView,
}

/// Longest `locale` or `view` a snippet sends (a BCP 47 tag is at most 35 characters).
const MAX_OPTION: usize = 35;

/// `GET /v1/shops/{id}/first-view?locale=&view=`: the first view rendered to HTML by the same
/// components the widget hydrates. `locale` and `view` fall back as the widget's do (zh-TW,
/// `all`), so the edge and a client-side mount show the same thing for the same snippet.
pub async fn first_view(req: &Request, app: &App, id: &str) -> ApiResult<Response> {
    let q = http::query(req)?;
    let option = |name: &str| -> ApiResult<String> {
        let value = http::param(&q, name).unwrap_or("");
        if value.chars().count() > MAX_OPTION {
            return Err(ApiError::field(
                ProblemKind::InvalidParameter,
                name,
                format!("{name} is at most {MAX_OPTION} characters"),
            ));
        }
        Ok(value.to_owned())
    };
    let (locale, parts) = (option("locale")?, option("view")?);
    let (data, cached) = view_for_page(req, app, id).await?;
    let opts = widget::MountOptions {
        shop: data.shop.id.to_string(),
        locale,
        api: http::own_origin(req).unwrap_or_default(),
        prefill: Default::default(),
        view: parts,
        open: false,
    };
    let html = widget::render_first_view(opts, data.clone());
    let body = serde_json::to_string(&FirstView {
        build: WIDGET_BUILD,
        html,
        data,
    })?;
    revalidated(req, body, cached)
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

/// The CORS headers of what the loader reads *with* credentials (the first view and the
/// stylesheet): the page's own origin, echoed, and `Access-Control-Allow-Credentials`.
///
/// Why credentials: Chromium keeps a page's requests without credentials (a cross-origin
/// `fetch()` by default) off the connections its requests with them (the snippet's script and
/// image) came on, so without them the first view waited for a handshake of its own (TCP and
/// TLS: one or two round trips on a real network, DESIGN.md "The first view's connection").
/// Nothing here depends on credentials: the edge's only cookies are the consoles' (the session
/// `SameSite=Strict`, the language `Lax` and scoped to `/console`), which a page on another
/// site never sends, and the answer is the same with or without one (`edge_api.rs` tests it),
/// so any page may read it.
/// Without an `Origin` (not a CORS request) it is `*` as before.
pub fn with_page_cors(req: &Request, mut resp: Response) -> Response {
    cors(&mut resp);
    if let Some(origin) = http::header(req.headers(), "origin") {
        http::set(&mut resp, "access-control-allow-origin", &origin);
        http::set(&mut resp, "access-control-allow-credentials", "true");
    }
    // Whichever it is, the answer depends on the Origin (the first view's badge did already).
    let vary = http::header(resp.headers(), "vary").unwrap_or_default();
    if !vary.to_ascii_lowercase().contains("origin") {
        let vary = if vary.is_empty() {
            "Origin".to_owned()
        } else {
            format!("{vary}, Origin")
        };
        http::set(&mut resp, "vary", &vary);
    }
    resp
}

/// `GET /w/{build}/widget.css`: the widget's stylesheet, a static file of the build's folder.
/// The worker runs first for it (`run_worker_first` in `wrangler.toml`) only so that it can carry
/// [`with_page_cors`]'s headers, which a static file's fixed headers cannot (the origin must be
/// echoed); the bytes are the file's, immutable like every file of the folder.
pub async fn stylesheet(req: &Request, app: &App) -> ApiResult<Response> {
    // A plain GET: the browser's conditional headers would turn the file into a 304 without it.
    let file = worker::Request::new(req.url()?.as_str(), worker::Method::Get)?;
    let mut found = app.env().assets("ASSETS")?.fetch_request(file).await?;
    if found.status_code() != 200 {
        return Err(ApiError::client(
            ProblemKind::NotFound,
            format!(
                "no stylesheet at {}: not a build this edge serves",
                req.path()
            ),
        ));
    }
    let mut resp = Response::from_bytes(found.bytes().await?)?;
    http::set(&mut resp, "content-type", "text/css; charset=utf-8");
    http::set(
        &mut resp,
        "cache-control",
        "public, max-age=31536000, immutable",
    );
    http::set(&mut resp, "x-content-type-options", "nosniff");
    Ok(resp)
}

fn cors(resp: &mut Response) {
    http::set(resp, "access-control-allow-origin", "*");
    http::set(resp, "access-control-expose-headers", "etag");
}
