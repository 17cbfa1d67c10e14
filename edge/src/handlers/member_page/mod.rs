//! The alliance's hosted member pages: `/shops/{id}` (zh-TW, or English with `?lang=en`), a
//! page of its own for every member, readable without JavaScript, with the widget's booking on
//! it; the printable counter card with its two QR codes; `/sitemap.xml` and `/robots.txt`.
//! Read live on every request: a suspended or revoked member's page changes at once.

mod card;
mod review;
mod sections;
mod sitemap;

use crate::app::App;
pub use card::card;
pub use review::{review, review_url, write_url};
use sections::*;
pub use sitemap::{robots, sitemap};

use crate::error::{ApiError, ApiResult};
use crate::handlers::widget::unknown;
use crate::http::{self, escape};
use crate::i18n::t;
use shared::{
    Alliance, Locale, MembershipStatus, Provenance, PublicReview, Shop, ShopId, WidgetView,
};
use worker::{Request, Response};

/// The pages' policy: scripts only from this origin (the widget's loader and its wasm), no
/// inline script or style, never framed.
const CSP: &str = "default-src 'none'; script-src 'self' 'wasm-unsafe-eval'; connect-src 'self'; img-src 'self' data:; style-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

/// ISO weekdays 1 to 7 in both languages; the English is also schema.org's day name.
const WEEKDAYS: [(&str, &str); 7] = [
    ("週一", "Monday"),
    ("週二", "Tuesday"),
    ("週三", "Wednesday"),
    ("週四", "Thursday"),
    ("週五", "Friday"),
    ("週六", "Saturday"),
    ("週日", "Sunday"),
];

/// The counter card's print rules (A6), apart from the consoles' stylesheet so that no other
/// page prints on A6.
pub const CARD_CSS: &str = "@page { size: A6; margin: 6mm; }
@media print {
  body { background: #fff; }
  .no-print { display: none; }
  .counter-card { padding: 0; max-width: none; }
  .counter-card h1 { font-size: 20px; }
  .counter-card svg.qr { max-width: 44mm; }
}
";

/// The pages' sharing image (1200 × 630), for LINE's and Facebook's link previews.
pub const OG_PNG: &[u8] = include_bytes!("og.png");

/// The member pages' language: English with `?lang=en`, else zh-TW. Each language has a URL
/// of its own (for `hreflang` and the canonical link), so the browser's languages never
/// change what a URL shows.
fn page_lang(q: &[(String, String)]) -> Locale {
    http::param(q, "lang")
        .and_then(Locale::from_tag)
        .unwrap_or(Locale::ZhTw)
}

/// The absolute URL of a member's page in language `l` on the alliance's origin `home`.
pub fn page_url(home: &str, shop: &ShopId, l: Locale) -> String {
    match l {
        Locale::En => format!("{home}/shops/{shop}?lang=en"),
        _ => format!("{home}/shops/{shop}"),
    }
}

/// An HTML page of the member pages' look.
struct Doc<'a> {
    lang: Locale,
    title: String,
    /// Extra `<head>` lines (canonical, Open Graph, JSON-LD), already safe HTML.
    head: String,
    body: String,
    class: &'a str,
}

impl Doc<'_> {
    fn respond(self, status: u16) -> Response {
        let html = format!(
            r#"<!DOCTYPE html>
<html lang="{lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title}</title>
<link rel="stylesheet" href="/console/console.css">
{head}</head>
<body class="{class}">
{body}
</body>
</html>
"#,
            lang = self.lang.tag(),
            title = escape(&self.title),
            head = self.head,
            class = self.class,
            body = self.body,
        );
        let mut resp = http::text(html, "text/html; charset=utf-8", status);
        http::set(&mut resp, "cache-control", "no-cache");
        http::set(&mut resp, "content-security-policy", CSP);
        http::set(&mut resp, "x-content-type-options", "nosniff");
        http::set(
            &mut resp,
            "referrer-policy",
            "strict-origin-when-cross-origin",
        );
        resp
    }
}

/// What a member page is made of, read from the store.
struct Member {
    shop: Shop,
    alliance: Alliance,
    view: WidgetView,
}

async fn member(app: &App, id: &str) -> ApiResult<Member> {
    let m = crate::handlers::widget::member_records(app, id).await?;
    let (shop, alliance) = (m.shop, m.alliance);
    let view = m
        .widget
        .ok_or_else(|| unknown(&shop.id))?
        .view_for(None, None);
    Ok(Member {
        shop,
        alliance,
        view,
    })
}

/// For an id that names no member: the verification page's plain "no such member" page, 404.
async fn or_no_member(app: &App, result: ApiResult<Response>) -> ApiResult<Response> {
    match result {
        Err(ApiError::Client(p)) if matches!(p.status, 400 | 404) => {
            Ok(crate::handlers::verify::no_member(app, 404).await)
        }
        other => other,
    }
}

/// What every member page starts from: the member, the page's language and the alliance's
/// origin.
async fn visit(req: &Request, app: &App, id: &str) -> ApiResult<(Member, Locale, String)> {
    let l = page_lang(&http::query(req)?);
    let home = http::own_origin(req).unwrap_or_default();
    Ok((member(app, id).await?, l, home))
}

/// `GET /shops/{id}`: the member's page.
pub async fn page(req: &Request, app: &App, id: &str) -> ApiResult<Response> {
    let result = async {
        let (m, l, home) = visit(req, app, id).await?;
        Ok(render(&m, l, &home))
    }
    .await;
    or_no_member(app, result).await
}

fn render(m: &Member, l: Locale, home: &str) -> Response {
    let shop = &m.shop;
    let id = &shop.id;
    let name = shop.name.get(l);
    let canonical = page_url(home, id, l);
    let other = match l {
        Locale::En => Locale::ZhTw,
        _ => Locale::En,
    };
    let mut head = format!(
        r#"<link rel="canonical" href="{canonical}">
<link rel="alternate" hreflang="zh-TW" href="{zh}">
<link rel="alternate" hreflang="en" href="{en}">
<link rel="alternate" hreflang="x-default" href="{zh}">
"#,
        canonical = escape(&canonical),
        zh = escape(&page_url(home, id, Locale::ZhTw)),
        en = escape(&page_url(home, id, Locale::En)),
    );
    let switch = format!(
        r#"<a class="lang" href="{}" hreflang="{}" lang="{}">{}</a>"#,
        escape(&page_url(home, id, other)),
        other.tag(),
        other.tag(),
        t(other, "中文", "English"),
    );
    let top = format!(
        r#"<header><p class="product"><img src="{logo}" alt="" width="28" height="28" class="logo"> <a href="/alliance?lang={lang}">{alliance}</a></p>{switch}</header>"#,
        logo = escape(&http::svg_data_url(&m.alliance.logo_svg)),
        lang = l.tag(),
        alliance = escape(m.alliance.name.get(l)),
    );
    let status = shop.membership.status;
    if status != MembershipStatus::Active {
        head.push_str("<meta name=\"robots\" content=\"noindex\">\n");
        let (text, code) = match status {
            MembershipStatus::Suspended => (
                t(
                    l,
                    "這家店的聯盟會員資格暫停中：目前不是可驗證的會員，也不接受線上預約。",
                    "This shop's alliance membership is suspended: it is not a verified member now and takes no online bookings.",
                ),
                200,
            ),
            _ => (
                t(
                    l,
                    "這家店已不是聯盟會員：會員資格已撤銷。",
                    "This shop is no longer a member of the alliance: its membership was revoked.",
                ),
                410,
            ),
        };
        let body = format!(
            r#"{top}<main id="main"><h1>{name}</h1><section class="card lapsed" data-status="{key}"><p class="notice error" role="status">{text}</p><p><a href="/verify/{id}">{verify}</a></p></section><p><a href="/alliance?lang={lang}">{others}</a></p></main>"#,
            name = escape(name),
            key = status_key(status),
            verify = t(l, "查看會員驗證頁", "See the membership verification page"),
            lang = l.tag(),
            others = t(l, "查看其他會員車廠", "See the alliance's member shops"),
        );
        return Doc {
            lang: l,
            title: format!("{name} · {}", m.alliance.name.get(l)),
            head,
            body,
            class: "member-page",
        }
        .respond(code);
    }
    let rating = &m.view.rating;
    let rating_line = if rating.count == 0 {
        t(l, "尚無評價", "No reviews yet").to_owned()
    } else {
        match l {
            Locale::En => format!("★ {} · {} reviews", rating.average_display(), rating.count),
            _ => format!("★ {} · {} 則評價", rating.average_display(), rating.count),
        }
    };
    let description = format!(
        "{} · {} · {}",
        rating_line,
        shop.city.get(l),
        t(l, "聯盟會員車廠", "Alliance member shop")
    );
    head.push_str(&format!(
        r#"<meta name="description" content="{desc}">
<meta property="og:type" content="website">
<meta property="og:url" content="{canonical}">
<meta property="og:title" content="{title}">
<meta property="og:description" content="{desc}">
<meta property="og:image" content="{home}/shops/og.png">
<meta property="og:image:width" content="1200">
<meta property="og:image:height" content="630">
<meta property="og:locale" content="{og_locale}">
<script type="application/ld+json">{ld}</script>
"#,
        desc = escape(&description),
        canonical = escape(&canonical),
        title = escape(name),
        home = escape(home),
        og_locale = if l == Locale::En { "en_US" } else { "zh_TW" },
        ld = json_ld(shop, &canonical, l),
    ));
    let phone_link: String = shop
        .phone
        .chars()
        .filter(|c| c.is_ascii_digit() || *c == '+')
        .collect();
    let mut b = String::new();
    b.push_str(&top);
    b.push_str(r#"<main id="main">"#);
    b.push_str(&format!(
        r#"<section class="card member-head"><h1>{name}</h1><p class="muted">{city}</p>
<p class="member-badge" data-badge="verified">✓ {member} <span class="muted">{since}</span></p>
<p><a href="/verify/{id}">{verify}</a></p>
<p class="rating" data-count="{count}">{rating_line}</p>{provenance}
<p class="actions"><a class="button primary" href="tel:{phone_link}">{call} {phone}</a> {book}</p></section>"#,
        name = escape(name),
        city = escape(shop.city.get(l)),
        member = escape(&match l {
            Locale::En => format!("Verified member of {}", m.alliance.name.get(l)),
            _ => format!("{} 驗證會員", m.alliance.name.get(l)),
        }),
        since = escape(&match l {
            Locale::En => format!("since {}", shop.membership.member_since),
            _ => format!("自 {} 年起", shop.membership.member_since),
        }),
        verify = t(l, "查核會員資格", "Check this membership"),
        count = rating.count,
        provenance = if rating.count == 0 {
            String::new()
        } else {
            format!(
                r#"<p class="muted">{}</p>"#,
                escape(&match l {
                    Locale::En => format!("{} booked and completed through the alliance · {} invited by the shop after a visit", rating.booked, rating.invited()),
                    _ => format!("{} 則經聯盟預約並完成 · {} 則由店家於維修後邀請", rating.booked, rating.invited()),
                })
            )
        },
        call = t(l, "打電話", "Call"),
        phone = escape(&shop.phone),
        book = if m.view.shop.bookable {
            format!(r##"<a class="button secondary" href="#book">{}</a>"##, t(l, "線上預約", "Book online"))
        } else {
            String::new()
        },
    ));
    // The booking: the widget's own snippet, so this page gains whatever the widget gains.
    b.push_str(&format!(
        r#"<section id="book"><h2>{}</h2>"#,
        t(l, "預約", "Book")
    ));
    if m.view.shop.bookable {
        let choice = crate::embed::Choice {
            view: "booking",
            locale: if l == Locale::En { "en" } else { "zh-TW" },
            theme: "light",
            accent: String::new(),
        };
        b.push_str(&crate::embed::snippet(home, id, &choice));
        b.push_str(&format!(
            r#"<noscript><p class="muted">{}</p></noscript>"#,
            t(
                l,
                "線上預約需要 JavaScript；也可以直接打電話預約。",
                "Online booking needs JavaScript; you can also call to book."
            )
        ));
    } else {
        b.push_str(&format!(
            r#"<p class="muted">{}</p>"#,
            t(
                l,
                "這家店目前不接受線上預約，請打電話預約。",
                "This shop takes no online bookings at the moment; call to book."
            )
        ));
    }
    b.push_str("</section>");
    b.push_str(&services(shop, l));
    b.push_str(&hours(shop, l));
    b.push_str(&address(shop, l));
    b.push_str(&reviews(m, l));
    b.push_str(&alliance_promise(&m.alliance, l));
    b.push_str("</main>");
    Doc {
        lang: l,
        title: format!("{name} · {}", m.alliance.name.get(l)),
        head,
        body: b,
        class: "member-page",
    }
    .respond(200)
}

fn status_key(s: MembershipStatus) -> &'static str {
    match s {
        MembershipStatus::Active => "active",
        MembershipStatus::Suspended => "suspended",
        _ => "revoked",
    }
}
