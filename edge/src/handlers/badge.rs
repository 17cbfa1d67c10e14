//! `GET /badge/{shop}.svg`: the no-JavaScript badge (alliance name, status, rating) for shops
//! to use as an `<img>` inside a link to the verification page. Briefly cached.

use crate::error::ApiResult;
use crate::handlers::widget::{shop_id, unknown};
use crate::http::{self, escape};
use crate::store::Store;
use shared::MembershipStatus;
use worker::{Env, Response};

/// Seconds browsers and caches may keep the badge (see DESIGN.md, "Freshness").
pub const MAX_AGE: u32 = 10;

/// Renders the SVG badge of shop `file` (`{id}.svg`).
pub async fn svg(env: &Env, file: &str) -> ApiResult<Response> {
    let raw = file.strip_suffix(".svg").unwrap_or(file);
    let id = shop_id(raw)?;
    let doc = Store::open(env)?
        .widget(&id)
        .await?
        .ok_or_else(|| unknown(&id))?;
    let v = &doc.view;
    let (fill, status) = match v.membership.status {
        MembershipStatus::Active => (
            "#0b5d3b",
            format!("✓ 聯盟會員 Member since {}", v.membership.member_since),
        ),
        MembershipStatus::Suspended => {
            ("#8a1c1c", "✗ 會員資格暫停 Membership suspended".to_owned())
        }
        _ => ("#8a1c1c", "✗ 已非會員 Membership revoked".to_owned()),
    };
    let rating = if v.rating.count == 0 {
        "尚無評價 No reviews yet".to_owned()
    } else {
        format!(
            "★ {} · {} 則評價 reviews",
            v.rating.average_display(),
            v.rating.count
        )
    };
    let name = escape(&v.alliance.name.zh_tw);
    let label = escape(&format!("{} — {} — {}", v.alliance.name.en, status, rating));
    let svg = format!(
        r##"<svg xmlns="http://www.w3.org/2000/svg" width="280" height="72" viewBox="0 0 280 72" role="img" aria-label="{label}">
<title>{label}</title>
<rect x="0.5" y="0.5" width="279" height="71" rx="10" fill="#ffffff" stroke="{fill}"/>
<rect x="0.5" y="0.5" width="8" height="71" rx="4" fill="{fill}"/>
<g font-family="system-ui,'Noto Sans TC',sans-serif" fill="#1b2430">
<text x="20" y="24" font-size="14" font-weight="700">{name}</text>
<text x="20" y="44" font-size="12" fill="{fill}" font-weight="600">{status}</text>
<text x="20" y="62" font-size="12">{rating}</text>
</g>
</svg>
"##,
        status = escape(&status),
        rating = escape(&rating),
    );
    let mut resp = http::text(svg, "image/svg+xml; charset=utf-8", 200);
    http::set(
        &mut resp,
        "cache-control",
        &format!("public, max-age={MAX_AGE}"),
    );
    http::set(
        &mut resp,
        "content-security-policy",
        "default-src 'none'; style-src 'unsafe-inline'",
    );
    http::set(&mut resp, "access-control-allow-origin", "*");
    Ok(resp)
}
