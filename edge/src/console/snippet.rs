//! The embed-snippet generator and its live preview: the preview page is the generated snippet
//! itself, served by the edge, so what the shop sees is what its site will show.

use super::page::{Nav, Page};
use super::{Ctx, Signed};
use crate::app::App;
use crate::error::{ApiError, ApiResult};
use crate::http::{self, escape, param};
use crate::i18n::t;
use shared::{Locale, ProblemKind, ShopId};
use worker::{Request, Response};

use crate::embed::{snippet, Choice};

/// `GET /console/shop/{id}/snippet`: choose, preview, copy.
pub async fn generator(
    ctx: &Ctx,
    s: &Signed,
    shop: &ShopId,
    q: &[(String, String)],
) -> ApiResult<Response> {
    let l = ctx.lang;
    let c = Choice::from_query(q);
    let code = snippet(&ctx.origin, shop, &c);
    let mut p = Page::new(ctx, t(l, "嵌入碼", "Embed snippet"));
    p.nav(Nav::Shop(shop.as_str(), "snippet"), &s.csrf);
    let radios = |name: &str, legend: &str, current: &str, options: &[(&str, &str)]| {
        let mut h = format!(r#"<fieldset class="choice"><legend>{legend}</legend>"#);
        for (value, label) in options {
            h.push_str(&format!(
                r#"<label class="check"><input type="radio" name="{name}" value="{value}"{}> {label}</label>"#,
                if *value == current { " checked" } else { "" }
            ));
        }
        h.push_str("</fieldset>");
        h
    };
    let mut form = format!(
        r#"<form method="get" action="/console/shop/{shop}/snippet" id="snippet-form" class="card">"#
    );
    form.push_str(&radios(
        "view",
        t(l, "顯示內容", "What to show"),
        c.view,
        &[
            (
                "all",
                t(
                    l,
                    "全部（徽章、評價、預約）",
                    "Everything (badge, reviews, booking)",
                ),
            ),
            ("badge", t(l, "只有會員徽章", "Membership badge only")),
            ("reviews", t(l, "評價", "Reviews")),
            ("booking", t(l, "預約", "Booking")),
        ],
    ));
    form.push_str(&radios(
        "locale",
        t(l, "語言", "Language"),
        c.locale,
        &[("zh-TW", "繁體中文"), ("en", "English")],
    ));
    form.push_str(&radios(
        "theme",
        t(l, "外觀", "Theme"),
        c.theme,
        &[
            ("light", t(l, "淺色", "Light")),
            ("dark", t(l, "深色", "Dark")),
            ("auto", t(l, "跟隨訪客系統", "Follow the visitor's system")),
        ],
    ));
    form.push_str(&format!(
        r#"<label for="accent">{}</label><input id="accent" name="accent" type="color" value="{}">
<button type="submit" class="secondary">{}</button></form>"#,
        t(l, "主色", "Accent colour"),
        if c.accent.is_empty() {
            "#0f766e"
        } else {
            &c.accent
        },
        t(l, "更新預覽", "Update preview"),
    ));
    p.push(member_page_card(ctx, shop));
    p.push(form);
    p.push(format!(
        r#"<section id="generated" aria-live="polite">
<div class="copy"><label for="snippet">{label}</label><textarea id="snippet" readonly rows="5">{code}</textarea><button type="button" class="primary" data-copy="snippet">{copy}</button><span class="copied" role="status" aria-live="polite"></span></div>
<h2>{preview}</h2>
<p class="hint">{preview_hint}</p>
<iframe class="preview" title="{preview}" src="/console/preview?{query}" loading="lazy" sandbox="allow-scripts"></iframe>
</section>"#,
        label = t(l, "複製這段程式碼，貼到網站上要顯示小工具的位置", "Copy this and paste it where the widget should appear on your site"),
        code = escape(&code),
        copy = t(l, "複製程式碼", "Copy snippet"),
        preview = t(l, "預覽", "Preview"),
        preview_hint = t(l, "預覽不在貴店網站上，所以徽章會顯示「未在此網站驗證」；貼到貴店網站後會顯示已驗證。", "The preview is not on your site, so its badge says it is not verified here; on your own site it shows as verified."),
        query = escape(&c.query(shop)),
    ));
    p.push(format!(
        r#"<section class="card"><h2>{how}</h2>
<ul>
<li><strong>HTML</strong>{c} {html}</li>
<li><strong>WordPress</strong>{c} {wp}</li>
<li><strong>{builders}</strong>{c} {builders_how}</li>
<li><strong>Content-Security-Policy</strong>{c} {csp} <code>script-src {edge} 'wasm-unsafe-eval'; connect-src {edge}; img-src {edge} data:</code></li>
</ul></section>"#,
        how = t(l, "怎麼貼", "Where to paste it"),
        c = t(l, "：", ":"),
        html = t(l, "貼在網頁 &lt;body&gt; 裡要顯示的位置。", "paste it inside &lt;body&gt; where the widget should appear."),
        wp = t(l, "在頁面編輯器加入「自訂 HTML」區塊，貼上後發布。", "add a “Custom HTML” block in the page editor, paste, and publish."),
        builders = t(l, "Wix、Squarespace、Google 協作平台等", "Wix, Squarespace, Google Sites and other builders"),
        builders_how = t(l, "使用「嵌入程式碼」或「自訂程式碼」區塊貼上；若平台把程式碼放進 iframe，小工具仍可運作，但徽章會顯示未驗證，請把該平台的網域也加到店家資料的網站清單。", "use the “Embed code” or “Custom code” block. If the builder wraps the code in an iframe, the widget still works but its badge is not verified there: add the builder's domain to your sites in the profile."),
        csp = t(l, "若網站有嚴格的內容安全政策，請加入：", "if your site has a strict policy, add:"),
        edge = escape(&ctx.origin),
    ));
    Ok(p.respond(200))
}

/// The shop's page on the alliance, for shops without a site of their own and for the links
/// of its other profiles; and the printable counter card with its QR codes.
fn member_page_card(ctx: &Ctx, shop: &ShopId) -> String {
    let l = ctx.lang;
    let url = crate::handlers::member_page::page_url(&ctx.origin, shop, Locale::ZhTw);
    format!(
        r#"<section class="card" id="member-page"><h2>{title}</h2><p class="hint">{intro}</p>
<div class="copy"><label for="page-url">{label}</label><input id="page-url" readonly value="{url}"><button type="button" class="secondary" data-copy="page-url">{copy}</button><span class="copied" role="status" aria-live="polite"></span></div>
<ul><li>{google}</li><li>{line}</li><li>{facebook}</li></ul>
<p><a href="/shops/{shop}?lang={lang}" target="_blank" rel="noopener">{open}</a> · <a href="/shops/{shop}/card?lang={lang}" target="_blank" rel="noopener">{card}</a></p></section>"#,
        title = t(l, "本店在聯盟的網頁", "Your shop's page on the alliance"),
        intro = t(l, "沒有自己的網站也能上線：這個網頁有會員徽章、評價、服務、營業時間與線上預約，英文版加上 ?lang=en。", "Online even without a website: this page has your badge, reviews, services, hours and online booking; add ?lang=en for English."),
        label = t(l, "網頁網址", "Page address"),
        url = escape(&url),
        copy = t(l, "複製網址", "Copy address"),
        google = t(l, "Google 商家檔案：在「預約」連結或「網站」欄位貼上。", "Google Business Profile: paste it as the booking link or the website."),
        line = t(l, "LINE 官方帳號：貼在主頁的按鈕或圖文選單的連結。", "LINE Official Account: paste it as a profile button or rich-menu link."),
        facebook = t(l, "Facebook 粉絲專頁：貼在「網站」欄位，或設定「立即預約」按鈕。", "Facebook Page: paste it as the website, or as the \"Book now\" button's link."),
        lang = l.tag(),
        open = t(l, "打開本店網頁", "Open the page"),
        card = t(l, "列印櫃台卡（QR 碼）", "Print the counter card (QR codes)"),
    )
}

/// `GET /console/preview?shop=…&view=…`: a page holding exactly the generated snippet. The
/// console frames it with `sandbox="allow-scripts"` and no `allow-same-origin`, and the page
/// sends the same sandbox as its CSP: it runs in an opaque origin, so the widget it shows can
/// read no console cookie or storage and reach no console page as the signed-in shop.
pub async fn preview(req: &Request, app: &App) -> ApiResult<Response> {
    let q = http::query(req)?;
    let shop = crate::handlers::widget::shop_id(param(&q, "shop").unwrap_or(""))?;
    if app.store()?.widget(&shop).await?.is_none() {
        return Err(ApiError::Client(shared::Problem::new(
            ProblemKind::UnknownShop,
            format!("shop {shop} is not a member of the alliance"),
        )));
    }
    let c = Choice::from_query(&q);
    let origin = req.url()?.origin().ascii_serialization();
    let lang = Locale::from_tag(c.locale).unwrap_or_default();
    let body = format!(
        r#"<!doctype html><html lang="{}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>Preview</title><link rel="stylesheet" href="/console/console.css"></head><body class="preview-body {}">
{}
</body></html>"#,
        lang.tag(),
        c.theme,
        snippet(&origin, &shop, &c)
    );
    let mut resp = http::text(body, "text/html; charset=utf-8", 200);
    http::set(&mut resp, "cache-control", "no-store");
    http::set(
        &mut resp,
        "content-security-policy",
        "sandbox allow-scripts; default-src 'none'; script-src 'self' 'wasm-unsafe-eval'; connect-src 'self'; img-src 'self' data:; style-src 'self'; frame-ancestors 'self'; base-uri 'none'",
    );
    Ok(resp)
}
