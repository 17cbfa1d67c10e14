//! The alliance's hosted member pages: `/shops/{id}` (zh-TW, or English with `?lang=en`), a
//! page of its own for every member, readable without JavaScript, with the widget's booking on
//! it; the printable counter card with its two QR codes; `/sitemap.xml` and `/robots.txt`.
//! Read live on every request: a suspended or revoked member's page changes at once.

use crate::error::{ApiError, ApiResult};
use crate::handlers::widget::{shop_id, unknown};
use crate::http::{self, escape};
use crate::i18n::t;
use crate::store::Store;
use shared::{
    Alliance, Locale, MembershipStatus, Provenance, PublicReview, Shop, ShopId, WidgetView,
};
use worker::{Env, Request, Response};

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

async fn member(env: &Env, id: &str) -> ApiResult<Member> {
    let id = shop_id(id)?;
    let store = Store::open(env)?;
    let shop = store.shop(&id).await?.ok_or_else(|| unknown(&id))?;
    let alliance = store.alliance().await?.ok_or_else(|| unknown(&id))?;
    let view = store
        .widget(&id)
        .await?
        .ok_or_else(|| unknown(&id))?
        .view_for(None, None);
    Ok(Member {
        shop,
        alliance,
        view,
    })
}

/// For an id that names no member: the verification page's plain "no such member" page, 404.
async fn or_no_member(env: &Env, result: ApiResult<Response>) -> ApiResult<Response> {
    match result {
        Err(ApiError::Client(p)) if matches!(p.status, 400 | 404) => {
            Ok(crate::handlers::verify::no_member(env, 404).await)
        }
        other => other,
    }
}

/// `GET /shops/{id}`: the member's page.
pub async fn page(req: &Request, env: &Env, id: &str) -> ApiResult<Response> {
    let result = async {
        let q = http::query(req)?;
        let l = page_lang(&q);
        let home = http::own_origin(req).unwrap_or_default();
        let m = member(env, id).await?;
        Ok(render(&m, l, &home))
    }
    .await;
    or_no_member(env, result).await
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

fn services(shop: &Shop, l: Locale) -> String {
    let mut h = format!(
        r#"<section><h2>{}</h2><ul class="services">"#,
        t(l, "服務項目", "Services")
    );
    for s in &shop.services {
        h.push_str(&format!(
            r#"<li><strong>{}</strong><span>{}</span><span class="muted">{}</span></li>"#,
            escape(s.name.get(l)),
            escape(s.price.get(l)),
            escape(&match l {
                Locale::En => format!("about {} min", s.duration_minutes),
                _ => format!("約 {} 分鐘", s.duration_minutes),
            }),
        ));
    }
    h.push_str("</ul></section>");
    h
}

/// `HH:MM` of the opening hours' times.
fn hm(t: &shared::TimeOfDay) -> String {
    let m = t.minutes();
    format!("{:02}:{:02}", m / 60, m % 60)
}

fn hours(shop: &Shop, l: Locale) -> String {
    let mut h = format!(r#"<section><h2>{}</h2>"#, t(l, "營業時間", "Opening hours"));
    if let Some(rules) = &shop.booking {
        let today = shared::local_weekday(js_sys::Date::now() as u64, &shop.time_zone);
        h.push_str(r#"<table class="opening"><tbody>"#);
        for (i, (zh, en)) in WEEKDAYS.iter().enumerate() {
            let weekday = i as u8 + 1;
            let is_today = today == Some(weekday);
            let spans: Vec<String> = rules
                .weekly
                .iter()
                .filter(|d| d.weekday == weekday)
                .map(|d| {
                    let mut s = format!("{}–{}", hm(&d.open), hm(&d.close));
                    for (a, b) in &d.breaks {
                        s.push_str(&match l {
                            Locale::En => format!(" (closed {}–{})", hm(a), hm(b)),
                            _ => format!("（{}–{} 休息）", hm(a), hm(b)),
                        });
                    }
                    s
                })
                .collect();
            let when = if spans.is_empty() {
                t(l, "休息", "Closed").to_owned()
            } else {
                spans.join(", ")
            };
            h.push_str(&format!(
                r#"<tr{}><th scope="row">{}{}</th><td>{}</td></tr>"#,
                if is_today {
                    r#" class="today" aria-current="date""#
                } else {
                    ""
                },
                if l == Locale::En { *en } else { *zh },
                if is_today {
                    format!(" <span class=\"tag\">{}</span>", t(l, "今天", "today"))
                } else {
                    String::new()
                },
                escape(&when),
            ));
        }
        h.push_str("</tbody></table>");
    }
    for line in &shop.hours {
        h.push_str(&format!(r#"<p class="muted">{}</p>"#, escape(line.get(l))));
    }
    h.push_str("</section>");
    h
}

fn address(shop: &Shop, l: Locale) -> String {
    let coords = format!("{:.6},{:.6}", shop.latitude, shop.longitude);
    let query: String = url::form_urlencoded::byte_serialize(
        format!("{} {}", shop.name.get(l), shop.address.get(l)).as_bytes(),
    )
    .collect();
    format!(
        r#"<section><h2>{title}</h2><p>{address}</p><p class="actions"><a class="button secondary" href="https://www.google.com/maps/search/?api=1&amp;query={coords}">{google}</a> <a class="button secondary" href="https://maps.apple.com/?ll={coords}&amp;q={query}">{apple}</a></p></section>"#,
        title = t(l, "地址", "Address"),
        address = escape(shop.address.get(l)),
        google = t(l, "Google 地圖", "Google Maps"),
        apple = t(l, "Apple 地圖", "Apple Maps"),
    )
}

fn stars_text(n: u8) -> String {
    (1..=5).map(|i| if i <= n { '★' } else { '☆' }).collect()
}

fn reviews(m: &Member, l: Locale) -> String {
    let mut h = format!(
        r#"<section id="reviews"><h2>{}</h2>"#,
        t(l, "評價", "Reviews")
    );
    let shown: Vec<&PublicReview> = m.view.reviews.iter().collect();
    if shown.is_empty() {
        h.push_str(&format!(
            r#"<p class="empty">{}</p>"#,
            t(l, "還沒有評價。", "No reviews yet.")
        ));
    }
    for r in shown {
        let date = shared::parse_rfc3339(&r.created_at)
            .and_then(|ms| shared::local_rfc3339(ms, &m.shop.time_zone))
            .map(|d| d[..10].to_owned())
            .unwrap_or_default();
        match &r.content {
            Some(c) => {
                let service = m
                    .shop
                    .services
                    .iter()
                    .find(|s| s.id == c.service)
                    .map(|s| s.name.get(l).to_owned())
                    .unwrap_or_default();
                let stars = c.stars.get();
                let provenance = match c.provenance {
                    Provenance::Booked => t(
                        l,
                        "經聯盟預約並完成",
                        "Booked and completed through the alliance",
                    ),
                    Provenance::Invited => {
                        t(l, "店家於維修後邀請", "Invited by the shop after a visit")
                    }
                };
                h.push_str(&format!(
                    r#"<article class="review" lang="{rl}"><p><span class="stars" role="img" aria-label="{label}">{stars}</span> <strong>{author}</strong> <time datetime="{date}">{date}</time></p><p class="muted" lang="{ul}">{service} · {provenance}</p><p class="text">{text}</p>{reply}</article>"#,
                    rl = c.language.tag(),
                    ul = l.tag(),
                    label = escape(&match l {
                        Locale::En => format!("{stars} of 5 stars"),
                        _ => format!("{stars} 顆星（滿分 5）"),
                    }),
                    stars = stars_text(stars),
                    author = escape(&c.author),
                    service = escape(&service),
                    text = escape(&c.text),
                    reply = c
                        .reply
                        .as_ref()
                        .map(|rep| format!(
                            r#"<div class="reply" lang="{}"><p><strong>{}</strong></p><p>{}</p></div>"#,
                            l.tag(),
                            t(l, "店家回覆", "The shop's reply"),
                            escape(&rep.text)
                        ))
                        .unwrap_or_default(),
                ));
            }
            None => h.push_str(&format!(
                r#"<article class="review hidden"><p class="muted">{}</p></article>"#,
                t(
                    l,
                    "這則評價已由聯盟依公開的審核規則隱藏。",
                    "The alliance hid this review under its published moderation rules."
                )
            )),
        }
    }
    h.push_str(&format!(
        r#"<p class="muted">{}</p></section>"#,
        t(
            l,
            "每則評價都來自聯盟記錄的到店：經聯盟預約並由店家完成，或店家以工單號碼記錄的到店。",
            "Every review is of a visit the alliance recorded: booked through it and completed by the shop, or recorded by the shop with its work-order number."
        )
    ));
    h
}

fn alliance_promise(a: &Alliance, l: Locale) -> String {
    let standards: String = a
        .standards
        .iter()
        .map(|s| format!("<li>{}</li>", escape(s.get(l))))
        .collect();
    let w = a.warranty;
    format!(
        r#"<section class="card"><h2>{title}</h2><ul>{standards}</ul><p><strong>{warranty}</strong></p><p class="muted">{dispute}</p></section>"#,
        title = escape(&match l {
            Locale::En => format!("What every member of {} promises", a.name.get(l)),
            _ => format!("{} 每家會員的承諾", a.name.get(l)),
        }),
        warranty = escape(&match l {
            Locale::En => format!(
                "Warranty: {} months or {} km, honoured at any member.",
                w.months, w.kilometres
            ),
            _ => format!(
                "保固：{} 個月或 {} 公里，任一會員皆可保固。",
                w.months, w.kilometres
            ),
        }),
        dispute = escape(a.dispute.get(l)),
    )
}

/// schema.org `AutoRepair` for the page, as JSON safe inside `<script>`: no `aggregateRating`
/// (DESIGN.md: the alliance is its members' own organisation, so its reviews are self-serving
/// markup, which Google ignores or penalises).
fn json_ld(shop: &Shop, url: &str, l: Locale) -> String {
    let mut hours = Vec::new();
    if let Some(rules) = &shop.booking {
        for d in &rules.weekly {
            let Some((_, day)) = WEEKDAYS.get(usize::from(d.weekday).wrapping_sub(1)) else {
                continue;
            };
            // Breaks split the day into the spans the shop is open.
            let mut from = hm(&d.open);
            let mut breaks = d.breaks.clone();
            breaks.sort_by_key(|(a, _)| a.minutes());
            for (a, b) in &breaks {
                hours.push(serde_json::json!({
                    "@type": "OpeningHoursSpecification",
                    "dayOfWeek": format!("https://schema.org/{day}"),
                    "opens": from, "closes": hm(a),
                }));
                from = hm(b);
            }
            hours.push(serde_json::json!({
                "@type": "OpeningHoursSpecification",
                "dayOfWeek": format!("https://schema.org/{day}"),
                "opens": from, "closes": hm(&d.close),
            }));
        }
    }
    let ld = serde_json::json!({
        "@context": "https://schema.org",
        "@type": "AutoRepair",
        "@id": url,
        "url": url,
        "name": shop.name.get(l),
        "alternateName": shop.name.get(if l == Locale::En { Locale::ZhTw } else { Locale::En }),
        "telephone": shop.phone,
        "address": {
            "@type": "PostalAddress",
            "streetAddress": shop.address.get(l),
            "addressLocality": shop.city.get(l),
            "addressCountry": "TW",
        },
        "geo": {
            "@type": "GeoCoordinates",
            "latitude": shop.latitude,
            "longitude": shop.longitude,
        },
        "openingHoursSpecification": hours,
        "makesOffer": shop.services.iter().map(|s| serde_json::json!({
            "@type": "Offer",
            "itemOffered": { "@type": "Service", "name": s.name.get(l) },
        })).collect::<Vec<_>>(),
    });
    // `<` never appears raw, so no text can close the script element.
    ld.to_string()
        .replace('<', "\\u003c")
        .replace('>', "\\u003e")
        .replace('&', "\\u0026")
}

/// `GET /sitemap.xml`: the directory and every active member's page, both languages.
pub async fn sitemap(req: &Request, env: &Env) -> ApiResult<Response> {
    let home = http::own_origin(req).unwrap_or_default();
    let store = Store::open(env)?;
    let mut shops: Vec<Shop> = store
        .all_shops_cached()
        .await?
        .into_iter()
        .filter(|s| s.membership.status == MembershipStatus::Active)
        .collect();
    shops.sort_by(|a, b| a.id.as_str().cmp(b.id.as_str()));
    let mut x = String::from(
        r#"<?xml version="1.0" encoding="UTF-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" xmlns:xhtml="http://www.w3.org/1999/xhtml">
"#,
    );
    let mut entry = |zh: String, en: String| {
        for loc in [&zh, &en] {
            x.push_str(&format!(
                "<url><loc>{}</loc><xhtml:link rel=\"alternate\" hreflang=\"zh-TW\" href=\"{}\"/><xhtml:link rel=\"alternate\" hreflang=\"en\" href=\"{}\"/></url>\n",
                escape(loc),
                escape(&zh),
                escape(&en)
            ));
        }
    };
    entry(
        format!("{home}/alliance"),
        format!("{home}/alliance?lang=en"),
    );
    for s in &shops {
        entry(
            page_url(&home, &s.id, Locale::ZhTw),
            page_url(&home, &s.id, Locale::En),
        );
    }
    x.push_str("</urlset>\n");
    let mut resp = http::text(x, "application/xml; charset=utf-8", 200);
    http::set(&mut resp, "cache-control", "public, max-age=300");
    Ok(resp)
}

/// `GET /robots.txt`: the public pages may be indexed; the consoles and the API may not.
pub fn robots(req: &Request) -> Response {
    let home = http::own_origin(req).unwrap_or_default();
    let body = format!(
        "User-agent: *\nAllow: /alliance\nAllow: /shops/\nAllow: /verify/\nDisallow: /console\nDisallow: /v1/\nDisallow: /alliance/warranty\n\nSitemap: {home}/sitemap.xml\n"
    );
    let mut resp = http::text(body, "text/plain; charset=utf-8", 200);
    http::set(&mut resp, "cache-control", "public, max-age=3600");
    resp
}

/// The card's and the review page's QR code of `url`, as inline SVG (no XML declaration).
fn qr_svg(url: &str, label: &str) -> ApiResult<String> {
    use qrcode::render::svg;
    let code = qrcode::QrCode::with_error_correction_level(url.as_bytes(), qrcode::EcLevel::M)
        .map_err(|e| ApiError::Internal(format!("QR code of {url}: {e}")))?;
    let image = code
        .render::<svg::Color<'_>>()
        .min_dimensions(180, 180)
        .quiet_zone(true)
        .build();
    let start = image.find("<svg").unwrap_or(0);
    Ok(image[start..].replacen(
        "<svg",
        &format!(
            r#"<svg class="qr" role="img" aria-label="{}""#,
            escape(label)
        ),
        1,
    ))
}

/// `GET /shops/{id}/card`: the counter card, an A6 page to print: the shop's name, a QR code to
/// its page, and one to "review your last visit" (the invite flow: a code the shop gave).
pub async fn card(req: &Request, env: &Env, id: &str) -> ApiResult<Response> {
    let result = async {
        let q = http::query(req)?;
        let l = page_lang(&q);
        let home = http::own_origin(req).unwrap_or_default();
        let m = member(env, id).await?;
        let id = &m.shop.id;
        let page = page_url(&home, id, l);
        let review = review_url(&home, id, l);
        let body = format!(
            r#"<main id="main" class="counter-card"><p class="muted">{alliance}</p><h1>{name}</h1>
<div class="qrs"><figure>{qr_page}<figcaption><strong>{book}</strong><br><span class="url">{page_text}</span></figcaption></figure>
<figure>{qr_review}<figcaption><strong>{rev}</strong><br>{rev_hint}</figcaption></figure></div>
<p class="muted no-print">{print_hint}</p></main>"#,
            alliance = escape(m.alliance.name.get(l)),
            name = escape(m.shop.name.get(l)),
            qr_page = qr_svg(&page, t(l, "本店頁面的 QR 碼", "QR code of this shop's page"))?,
            book = t(l, "預約、評價與會員驗證", "Book, read reviews, check membership"),
            page_text = escape(page.split("://").nth(1).unwrap_or(&page)),
            qr_review = qr_svg(&review, t(l, "評價上次到店的 QR 碼", "QR code to review your last visit"))?,
            rev = t(l, "評價您上次的到店", "Review your last visit"),
            rev_hint = t(l, "請輸入收據上的評價代碼", "Enter the review code on your receipt"),
            print_hint = t(l, "用 A6 紙張列印（瀏覽器的「列印」）。", "Print on A6 paper (your browser's Print)."),
        );
        Ok(Doc {
            lang: l,
            title: format!("{} · {}", m.shop.name.get(l), t(l, "櫃台卡", "Counter card")),
            head: "<meta name=\"robots\" content=\"noindex\">\n<link rel=\"stylesheet\" href=\"/shops/card.css\">\n".into(),
            body,
            class: "card-page",
        }
        .respond(200))
    }
    .await;
    or_no_member(env, result).await
}

/// The page where a customer writes the review a link's token is for (the token goes in the
/// fragment, `#review=…`): the widget's reviews, with its review form.
pub fn write_url(home: &str, shop: &ShopId, l: Locale) -> String {
    match l {
        Locale::En => format!("{home}/shops/{shop}/review?form=1&lang=en"),
        _ => format!("{home}/shops/{shop}/review?form=1"),
    }
}

/// The "review your last visit" page of shop `id` in language `l`.
pub fn review_url(home: &str, shop: &ShopId, l: Locale) -> String {
    match l {
        Locale::En => format!("{home}/shops/{shop}/review?lang=en"),
        _ => format!("{home}/shops/{shop}/review"),
    }
}

/// `GET /shops/{id}/review[?code=…]`: "review your last visit", where the counter card's second
/// QR code leads. A walk-in customer enters the review code the shop gave them with the visit
/// (recorded as an invite, so within the alliance's daily limit and audited); a code of a
/// recorded, unreviewed visit of the last 90 days opens the review form on the shop's page
/// (`303` to `/shops/{id}#review=…`). Codes that match nothing count against the address
/// block (30 an hour), so they cannot be guessed.
pub async fn review(req: &Request, env: &Env, id: &str) -> ApiResult<Response> {
    let result = async {
        let q = http::query(req)?;
        let l = page_lang(&q);
        let home = http::own_origin(req).unwrap_or_default();
        let m = member(env, id).await?;
        if m.shop.membership.status != MembershipStatus::Active {
            return Ok(render(&m, l, &home));
        }
        if http::param(&q, "form") == Some("1") {
            return Ok(write_page(&m, l, &home));
        }
        let code = http::param(&q, "code")
            .map(|c| c.trim().to_ascii_uppercase())
            .filter(|c| !c.is_empty());
        let Some(code) = code else {
            return Ok(review_form(&m, l, "", None, 200));
        };
        if !shared::is_reference_code(&code) {
            let msg = t(l, "評價代碼的格式像 AB7K-29QF（8 個英數字，中間一個連字號）。", "A review code looks like AB7K-29QF (eight letters and digits with a hyphen).");
            return Ok(review_form(&m, l, &code, Some(msg), 400));
        }
        let bucket = match crate::auth::miss_guard(req, env, &crate::auth::REVIEW_CODE_MISSES).await {
            Ok(b) => b,
            Err(ApiError::Limited(_, secs)) => {
                let minutes = secs.div_ceil(60);
                let msg = match l {
                    Locale::En => format!("Too many codes that match no visit from this network. Try again in {minutes} minutes."),
                    _ => format!("這個網路輸入了太多不存在的代碼，請 {minutes} 分鐘後再試。"),
                };
                let mut resp = review_form(&m, l, &code, Some(&msg), 429);
                http::set(&mut resp, "retry-after", &secs.to_string());
                return Ok(resp);
            }
            Err(e) => return Err(e),
        };
        let now_ms = js_sys::Date::now() as u64;
        let today = shared::local_rfc3339(now_ms, &m.shop.time_zone)
            .map(|d| d[..10].to_owned())
            .unwrap_or_else(|| shared::format_rfc3339(now_ms)[..10].to_owned());
        let found: ApiResult<crate::shop_do::Redeemed> = crate::store::ShopObject::of(env, &m.shop.id)?
            .send(&crate::shop_do::RedeemReq { code: code.clone(), today })
            .await;
        let visit = match found {
            Ok(v) => v,
            Err(ApiError::Client(p)) => {
                if p.status == 404 {
                    crate::auth::missed(env, &crate::auth::REVIEW_CODE_MISSES, &bucket).await?;
                }
                let msg = match p.status {
                    404 => t(l, "這家店沒有這個評價代碼的到店紀錄。請確認收據上的代碼，或請店家協助。", "This shop has no visit with this review code. Check the code on your receipt, or ask the shop."),
                    409 => t(l, "這次到店已經評價過了，謝謝您！", "This visit has already been reviewed. Thank you!"),
                    _ => t(l, "這次到店已超過 90 天，無法再評價。", "This visit is more than 90 days ago and can no longer be reviewed."),
                };
                return Ok(review_form(&m, l, &code, Some(msg), p.status));
            }
            Err(e) => return Err(e),
        };
        let token = shared::ReviewToken::new(
            m.shop.id.clone(),
            visit.visit,
            Some(visit.service),
            now_ms / 1000,
        )
        .sign(&crate::secrets::link_secret(env)?);
        let mut resp = http::text(String::new(), "text/plain; charset=utf-8", 303);
        http::set(
            &mut resp,
            "location",
            &format!("{}#review={token}", write_url(&home, &m.shop.id, l)),
        );
        http::set(&mut resp, "cache-control", "no-store");
        http::set(&mut resp, "referrer-policy", "no-referrer");
        Ok(resp)
    }
    .await;
    or_no_member(env, result).await
}

/// The page a review link opens on the alliance: the widget's reviews view, whose review form
/// reads the token from the fragment (and removes it from the address bar).
fn write_page(m: &Member, l: Locale, home: &str) -> Response {
    let name = m.shop.name.get(l);
    let choice = crate::embed::Choice {
        view: "reviews",
        locale: if l == Locale::En { "en" } else { "zh-TW" },
        theme: "light",
        accent: String::new(),
    };
    let body = format!(
        r#"<main id="main"><p class="muted">{alliance}</p><h1>{title}</h1>{widget}<noscript><p class="muted">{noscript}</p></noscript><p><a href="/shops/{id}?lang={lang}">{back}</a></p></main>"#,
        alliance = escape(m.alliance.name.get(l)),
        title = escape(&match l {
            Locale::En => format!("Review your visit to {name}"),
            _ => format!("評價您在{name}的到店"),
        }),
        widget = crate::embed::snippet(home, &m.shop.id, &choice),
        noscript = t(
            l,
            "寫評價需要 JavaScript。",
            "Writing a review needs JavaScript."
        ),
        id = m.shop.id,
        lang = l.tag(),
        back = t(l, "回到店家頁面", "Back to the shop's page"),
    );
    let mut resp = Doc {
        lang: l,
        title: format!("{} · {name}", t(l, "評價到店", "Review a visit")),
        head: "<meta name=\"robots\" content=\"noindex\">\n".into(),
        body,
        class: "member-page",
    }
    .respond(200);
    http::set(&mut resp, "cache-control", "no-store");
    http::set(&mut resp, "referrer-policy", "no-referrer");
    resp
}

/// The review-code form, with `error` next to the field when there is one.
fn review_form(m: &Member, l: Locale, code: &str, error: Option<&str>, status: u16) -> Response {
    let id = &m.shop.id;
    let name = m.shop.name.get(l);
    let (invalid, message) = match error {
        Some(e) => (
            r#" aria-invalid="true" aria-describedby="code-error""#,
            format!(
                r#"<p class="field-error" id="code-error" role="alert">{}</p>"#,
                escape(e)
            ),
        ),
        None => ("", String::new()),
    };
    let body = format!(
        r#"<main id="main"><p class="muted">{alliance}</p><h1>{title}</h1><section class="card"><p>{intro}</p>
<form method="get" action="/shops/{id}/review"><input type="hidden" name="lang" value="{lang}">
<label for="code">{label}</label>{message}<input id="code" name="code" value="{code}" required maxlength="9" autocomplete="off" autocapitalize="characters" spellcheck="false" placeholder="AB7K-29QF"{invalid}>
<button type="submit" class="primary">{go}</button></form></section>
<p class="muted">{booked}</p><p><a href="/shops/{id}?lang={lang}">{back}</a></p></main>"#,
        alliance = escape(m.alliance.name.get(l)),
        title = escape(&match l {
            Locale::En => format!("Review your visit to {name}"),
            _ => format!("評價您在{name}的到店"),
        }),
        intro = t(l, "店家在您到店時會給您一組評價代碼（印在收據上或由櫃台告知）。輸入代碼後即可評價這次到店；每次到店只能評價一次。", "The shop gives you a review code with your visit (on your receipt, or at the counter). Enter it to review that visit; each visit can be reviewed once."),
        lang = l.tag(),
        label = t(l, "評價代碼", "Review code"),
        code = escape(code),
        go = t(l, "開始評價", "Write my review"),
        booked = t(l, "經聯盟線上預約的客人，會在店家完成維修後自動收到評價連結。", "Customers who booked through the alliance get their review link when the shop completes the visit."),
        back = t(l, "回到店家頁面", "Back to the shop's page"),
    );
    let mut resp = Doc {
        lang: l,
        title: format!("{} · {name}", t(l, "評價到店", "Review a visit")),
        head: "<meta name=\"robots\" content=\"noindex\">\n".into(),
        body,
        class: "member-page",
    }
    .respond(status);
    http::set(&mut resp, "cache-control", "no-store");
    resp
}
