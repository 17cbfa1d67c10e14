//! The parts of a member's page: services, opening hours with today's, address and maps,
//! the first reviews, the alliance's promise, and the schema.org JSON-LD.

use super::*;

pub(super) fn services(shop: &Shop, l: Locale) -> String {
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
pub(super) fn hm(t: &shared::TimeOfDay) -> String {
    let m = t.minutes();
    format!("{:02}:{:02}", m / 60, m % 60)
}

pub(super) fn hours(shop: &Shop, l: Locale) -> String {
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

pub(super) fn address(shop: &Shop, l: Locale) -> String {
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

pub(super) fn stars_text(n: u8) -> String {
    (1..=5).map(|i| if i <= n { '★' } else { '☆' }).collect()
}

pub(super) fn reviews(m: &Member, l: Locale) -> String {
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

pub(super) fn alliance_promise(a: &Alliance, l: Locale) -> String {
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
                w.months,
                shared::grouped(w.kilometres)
            ),
            _ => format!(
                "保固：{} 個月或 {} 公里，任一會員皆可保固。",
                w.months,
                shared::grouped(w.kilometres)
            ),
        }),
        dispute = escape(a.dispute.get(l)),
    )
}

/// schema.org `AutoRepair` for the page, as JSON safe inside `<script>`: no `aggregateRating`
/// (DESIGN.md: the alliance is its members' own organisation, so its reviews are self-serving
/// markup, which Google ignores or penalises).
pub(super) fn json_ld(shop: &Shop, url: &str, l: Locale) -> String {
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
