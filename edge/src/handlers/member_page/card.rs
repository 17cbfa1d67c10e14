//! The printable counter card and its QR codes, made at the edge.

use super::*;
use crate::app::App;

/// The card's and the review page's QR code of `url`, as inline SVG (no XML declaration).
pub(super) fn qr_svg(url: &str, label: &str) -> ApiResult<String> {
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
pub async fn card(req: &Request, app: &App, id: &str) -> ApiResult<Response> {
    let result = async {
        let (m, l, home) = visit(req, app, id).await?;
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
    or_no_member(app, result).await
}
