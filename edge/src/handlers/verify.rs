//! `GET /verify/{shop}`: the membership verification page anyone can check, as plain HTML
//! (no JavaScript), readable at phone width, in both languages. Live: read on every request.

use crate::app::App;
use crate::error::{ApiError, ApiResult};
use crate::http::{self, escape};
use shared::{LocalizedText, MembershipStatus};
use worker::{Request, Response};

fn both(t: &LocalizedText) -> String {
    if t.zh_tw == t.en {
        escape(&t.zh_tw)
    } else {
        format!(
            "{} <span lang=\"en\">{}</span>",
            escape(&t.zh_tw),
            escape(&t.en)
        )
    }
}

/// The look both verification pages share.
const BASE_CSS: &str = r#"body{margin:0;font:16px/1.6 system-ui,"Noto Sans TC",sans-serif;color:#1b2430;background:#f5f7f9}
main{max-width:40rem;margin:0 auto;padding:16px}
.card{background:#fff;border:1px solid #d4dae1;border-radius:12px;padding:16px;margin:16px 0}
h1{font-size:22px;margin:0;line-height:1.3}
[lang=en]{color:#4a5563}
a{color:#1d4ed8}"#;

/// A verification page (the member's or "no such member"): revalidated on every view, no
/// script, images only as data URLs, never framed, no referrer sent on.
fn page_response(html: String, status: u16) -> Response {
    let mut resp = http::text(html, "text/html; charset=utf-8", status);
    http::set(&mut resp, "cache-control", "no-cache");
    http::set(&mut resp, "content-security-policy", "default-src 'none'; img-src data:; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'");
    http::set(&mut resp, "referrer-policy", "no-referrer");
    resp
}

/// Whether the client asked for JSON rather than a page (an API client's `Accept`).
fn wants_json(req: &Request) -> bool {
    let accept = crate::http::header(req.headers(), "accept")
        .unwrap_or_default()
        .to_ascii_lowercase();
    accept.contains("json") && !accept.contains("text/html")
}

/// Renders the verification page of shop `id`. For an id that is no member (a copycat's
/// link), a person gets a plain page saying so; an API client asking for JSON, the problem.
pub async fn page(req: &Request, app: &App, id: &str) -> ApiResult<Response> {
    match member_page(app, id).await {
        Err(ApiError::Client(p)) if !wants_json(req) && matches!(p.status, 400 | 404) => {
            Ok(no_member(app, p.status).await)
        }
        other => other,
    }
}

/// A bilingual page (zh-TW, with English in `lang="en"` spans) in the verification pages' look.
fn html_page(title: &str, css: &str, main: &str) -> String {
    format!(
        r#"<!DOCTYPE html>
<html lang="zh-TW">
<head>
<meta charset="utf-8" />
<meta name="viewport" content="width=device-width, initial-scale=1" />
<title>{title}</title>
<style>
{BASE_CSS}
{css}</style>
</head>
<body>
<main>
{main}</main>
</body>
</html>
"#
    )
}

/// The page for an id that names no member: both languages, no JavaScript, a link to the
/// directory of real members.
pub async fn no_member(app: &App, status: u16) -> Response {
    let alliance = match app.store() {
        Ok(store) => store.alliance().await.ok().flatten(),
        Err(_) => None,
    };
    let name = alliance.as_ref().map(|a| both(&a.name)).unwrap_or_default();
    let html = html_page(
        "查無此會員 No such member",
        r#".card{border-color:#8a1c1c}
h1{color:#8a1c1c}
"#,
        &format!(
            r#"<p>{name}</p>
<section class="card" data-status="no-member">
<h1>✗ 查無此會員 <span lang="en">No such member</span></h1>
<p>本聯盟沒有使用這個代號的會員車廠。若有網站以此連結宣稱是聯盟會員，該宣稱未經聯盟驗證。</p>
<p lang="en">No member of the alliance has this id. A site that links here to claim membership is not verified by the alliance.</p>
</section>
<p><a href="/alliance">查看所有會員車廠</a> · <a href="/alliance?lang=en" lang="en">See every member shop</a></p>
"#
        ),
    );
    let mut resp = page_response(html, status);
    http::set(&mut resp, "vary", "Accept");
    resp
}

async fn member_page(app: &App, id: &str) -> ApiResult<Response> {
    let m = crate::handlers::widget::member_records(app, id).await?;
    let (shop, alliance) = (m.shop, m.alliance);
    let rating = m.widget.map(|d| d.view.rating).unwrap_or_default();
    let reviews = if rating.count == 0 {
        "<p>尚無評價 <span lang=\"en\">No reviews yet</span></p>".to_owned()
    } else {
        format!(
            "<p class=\"rating\">★ {avg} · {n} 則評價 <span lang=\"en\">{n} reviews</span></p>\n<p class=\"provenance\">{b} 則經聯盟預約並完成 · {i} 則由店家於維修後邀請<br /><span lang=\"en\">{b} booked and completed through the alliance · {i} invited by the shop after a visit</span></p>",
            avg = rating.average_display(),
            n = rating.count,
            b = rating.booked,
            i = rating.invited(),
        )
    };
    let m = &shop.membership;
    let (class, status) = match m.status {
        MembershipStatus::Active => (
            "active",
            "✓ 有效會員 <span lang=\"en\">Active member</span>",
        ),
        MembershipStatus::Suspended => (
            "lapsed",
            "✗ 會員資格暫停中 <span lang=\"en\">Membership suspended</span>",
        ),
        _ => (
            "lapsed",
            "✗ 已撤銷會員資格 <span lang=\"en\">Membership revoked: not a member</span>",
        ),
    };
    let standards: String = alliance
        .standards
        .iter()
        .map(|s| format!("<li>{}</li>", both(s)))
        .collect();
    let origins: String = m
        .allowed_origins
        .iter()
        .map(|o| format!("<li><code>{}</code></li>", escape(o.as_str())))
        .collect();
    let origins = if origins.is_empty() {
        "<p>（無）<span lang=\"en\">None</span></p>".to_owned()
    } else {
        format!("<ul>{origins}</ul>")
    };
    let checked = js_sys::Date::new_0()
        .to_iso_string()
        .as_string()
        .unwrap_or_default();
    let phone_link: String = shop
        .phone
        .chars()
        .filter(|c| c.is_ascii_digit() || *c == '+')
        .collect();
    let w = alliance.warranty;
    let html = html_page(
        &format!(
            "{} · 會員驗證 Membership verification",
            escape(&shop.name.zh_tw)
        ),
        r#"header{display:flex;gap:12px;align-items:center}
header p{margin:0;font-weight:600}
.status{font-size:20px;font-weight:700;margin:8px 0}
.active .status{color:#0b5d3b}
.lapsed .status{color:#8a1c1c}
h2{font-size:17px;margin:20px 0 6px}
code{overflow-wrap:anywhere}
"#,
        &format!(
            r#"<header><img src="{logo}" alt="" width="48" height="48" /><p>{alliance}</p></header>
<section class="card {class}" aria-live="polite">
<h1>{shop_both}</h1>
<p class="status" data-status="{status_key}">{status}</p>
<p>自 {since} 年起為會員 <span lang="en">Member since {since}</span></p>
<p><small>查核時間 <span lang="en">Checked at</span> <time datetime="{checked}">{checked}</time></small></p>
</section>
<h2>評價 <span lang="en">Reviews</span></h2>
{reviews}
<p><small>每則評價都來自聯盟記錄的到店：經聯盟預約並由店家完成，或店家以工單號碼記錄的到店。<span lang="en">Every review is of a visit the alliance recorded: booked through it and completed by the shop, or recorded by the shop with its work-order number.</span></small></p>
<h2>聯盟標準 <span lang="en">Standards every member keeps</span></h2>
<ul>{standards}</ul>
<h2>保固 <span lang="en">Warranty</span></h2>
<p>{months} 個月或 {km} 公里，任一會員皆可保固。<span lang="en">{months} months or {km} km, honoured at any member.</span></p>
<h2>爭議處理 <span lang="en">Disputes</span></h2>
<p>{dispute}</p>
<h2>聯絡店家 <span lang="en">Contact the shop</span></h2>
<p>{address}<br /><a href="tel:{phone_link}">{phone}</a></p>
<h2>徽章有效網域 <span lang="en">Sites where this shop's badge is valid</span></h2>
{origins}
<p><small>徽章若出現在其他網站，即非經聯盟驗證。<span lang="en">A badge shown on any other site is not verified by the alliance.</span></small></p>
"#,
            logo = escape(&http::svg_data_url(&alliance.logo_svg)),
            alliance = both(&alliance.name),
            shop_both = both(&shop.name),
            status_key = format!("{:?}", m.status).to_lowercase(),
            since = m.member_since,
            dispute = both(&alliance.dispute),
            address = both(&shop.address),
            phone = escape(&shop.phone),
            months = w.months,
            km = shared::grouped(w.kilometres),
        ),
    );
    let resp = page_response(html, 200);
    Ok(resp)
}
