//! "Review your last visit": the review-code form a walk-in customer reaches from the
//! counter card, and the page a review link opens on the alliance.

use super::*;
use crate::app::App;

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
pub async fn review(req: &Request, app: &App, id: &str) -> ApiResult<Response> {
    let result = async {
        let (m, l, home) = visit(req, app, id).await?;
        let q = http::query(req)?;
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
        let bucket = match crate::auth::miss_guard(req, app, &crate::auth::REVIEW_CODE_MISSES).await {
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
        let now_ms = app.now_ms();
        let today = shared::local_rfc3339(now_ms, &m.shop.time_zone)
            .map(|d| d[..10].to_owned())
            .unwrap_or_else(|| shared::format_rfc3339(now_ms)[..10].to_owned());
        let found: ApiResult<crate::shop_do::Redeemed> = app.shop(&m.shop.id)?
            .send(&crate::shop_do::RedeemReq { code: code.clone(), today })
            .await;
        let visit = match found {
            Ok(v) => v,
            Err(ApiError::Client(p)) => {
                if p.status == 404 {
                    crate::auth::missed(app, &crate::auth::REVIEW_CODE_MISSES, &bucket).await?;
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
        .sign(app.secrets()?.link());
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
    or_no_member(app, result).await
}

/// The page a review link opens on the alliance: the widget's reviews view, whose review form
/// reads the token from the fragment (and removes it from the address bar).
pub(super) fn write_page(m: &Member, l: Locale, home: &str) -> Response {
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
    let mut resp = review_doc(l, name, body, 200);
    http::set(&mut resp, "referrer-policy", "no-referrer");
    resp
}

/// The review-code form, with `error` next to the field when there is one.
pub(super) fn review_form(
    m: &Member,
    l: Locale,
    code: &str,
    error: Option<&str>,
    status: u16,
) -> Response {
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
    review_doc(l, name, body, status)
}

/// A review page of shop `name`: not for search engines, never stored.
fn review_doc(l: Locale, name: &str, body: String, status: u16) -> Response {
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
