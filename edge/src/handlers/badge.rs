//! `GET /badge/{shop}.svg`: the no-JavaScript badge (shop, alliance, status, rating) for shops
//! to use as an `<img>` inside a link to the verification page.
//!
//! Decided like the widget's badge, from where the image is shown: browsers send the page's
//! origin as `Referer` for cross-origin images under the default referrer policy. On one of the
//! shop's listed origins it says "verified"; on any other site "not verified on this site"; with
//! no `Referer` at all (a policy of `no-referrer`, a copied image) a neutral "check membership"
//! naming the verification page. Suspended and revoked say so everywhere. Each image names the
//! shop, so a copycat cannot pass one member's badge off as its own.

use crate::app::App;
use crate::error::ApiResult;
use crate::handlers::widget::{shop_id, unknown};
use crate::http::{self, escape};
use shared::{request_origin, BadgeState, MembershipStatus};
use worker::{Request, Response};

/// Seconds a browser may keep the badge (see DESIGN.md, "Freshness"). Never a shared cache:
/// the image differs by the page that shows it.
pub const MAX_AGE: u32 = 10;

/// What the SVG says: the widget's badge states, plus "no page to judge by".
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum SvgState {
    Decided(BadgeState),
    /// An active member, but the request carried no `Referer`.
    Unknown,
}

/// Renders the SVG badge of shop `file` (`{id}.svg`) for the page that shows it.
pub async fn svg(req: &Request, app: &App, file: &str) -> ApiResult<Response> {
    let raw = file.strip_suffix(".svg").unwrap_or(file);
    let id = shop_id(raw)?;
    let doc = app
        .store()?
        .widget(&id)
        .await?
        .ok_or_else(|| unknown(&id))?;
    let referer = crate::http::header(req.headers(), "referer");
    let origin = request_origin(None, referer.as_deref());
    let state = match (doc.view.membership.status, &origin) {
        (MembershipStatus::Active, None) => SvgState::Unknown,
        (status, o) => SvgState::Decided(BadgeState::decide(
            status,
            o.as_deref(),
            &doc.allowed_origins,
            http::own_origin(req).as_deref(),
        )),
    };
    let url = req.url()?;
    let verify = format!(
        "{}/verify/{id}",
        url.host_str()
            .map(|h| match url.port() {
                Some(p) => format!("{h}:{p}"),
                None => h.to_owned(),
            })
            .unwrap_or_default()
    );
    let svg = render(&doc.view, state, &verify);
    let mut resp = http::text(svg, "image/svg+xml; charset=utf-8", 200);
    http::set(
        &mut resp,
        "cache-control",
        &format!("private, max-age={MAX_AGE}"),
    );
    http::set(&mut resp, "vary", "Referer");
    http::set(
        &mut resp,
        "content-security-policy",
        "default-src 'none'; style-src 'unsafe-inline'",
    );
    http::set(&mut resp, "access-control-allow-origin", "*");
    Ok(resp)
}

fn render(v: &shared::WidgetView, state: SvgState, verify: &str) -> String {
    const GREEN: &str = "#0b5d3b";
    const RED: &str = "#8a1c1c";
    const AMBER: &str = "#8a4b00";
    const GREY: &str = "#4a5563";
    let (fill, key, status) = match state {
        SvgState::Decided(BadgeState::Verified) => (
            GREEN,
            "verified",
            format!("✓ 聯盟會員 Member since {}", v.membership.member_since),
        ),
        SvgState::Decided(BadgeState::Suspended) => (
            RED,
            "suspended",
            "✗ 會員資格暫停 Membership suspended".to_owned(),
        ),
        SvgState::Decided(BadgeState::Revoked) => {
            (RED, "revoked", "✗ 已非會員 Membership revoked".to_owned())
        }
        SvgState::Decided(_) => (
            AMBER,
            "not-verified-here",
            "! 此網站未經驗證 Not verified on this site".to_owned(),
        ),
        SvgState::Unknown => (GREY, "check", "? 查驗會員資格 Check membership".to_owned()),
    };
    let last = match state {
        SvgState::Decided(BadgeState::Verified) if v.rating.count > 0 => format!(
            "★ {} · {} 則評價 reviews",
            v.rating.average_display(),
            v.rating.count
        ),
        SvgState::Decided(BadgeState::Verified) => "尚無評價 No reviews yet".to_owned(),
        _ => verify.to_owned(),
    };
    let shop = if v.shop.name.zh_tw == v.shop.name.en {
        v.shop.name.zh_tw.clone()
    } else {
        format!("{} {}", v.shop.name.zh_tw, v.shop.name.en)
    };
    let label = format!("{} — {} — {} — {}", shop, v.alliance.name.en, status, last);
    format!(
        r##"<svg xmlns="http://www.w3.org/2000/svg" width="280" height="72" viewBox="0 0 280 72" role="img" aria-label="{label}" data-state="{key}">
<title>{label}</title>
<rect x="0.5" y="0.5" width="279" height="71" rx="10" fill="#ffffff" stroke="{fill}"/>
<rect x="0.5" y="0.5" width="8" height="71" rx="4" fill="{fill}"/>
<g font-family="system-ui,'Noto Sans TC',sans-serif" fill="#1b2430">
<text x="20" y="21" font-size="13" font-weight="700">{shop}</text>
<text x="20" y="38" font-size="11">{alliance}</text>
<text x="20" y="53" font-size="11" fill="{fill}" font-weight="600">{status}</text>
<text x="20" y="66" font-size="10">{last}</text>
</g>
</svg>
"##,
        label = escape(&label),
        shop = escape(&shop),
        alliance = escape(&v.alliance.name.zh_tw),
        status = escape(&status),
        last = escape(&last),
    )
}
