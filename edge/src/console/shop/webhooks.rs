//! Webhook deliveries with their state and a retry, the signing secret and the private
//! calendar feed, and replacing both.

use super::*;

/// `GET /console/shop/{id}/webhooks`: the newest events, their delivery, a retry button.
pub(super) async fn webhooks(cx: &ShopCx<'_>, notice: Notice, status: u16) -> ApiResult<Response> {
    let ShopCx { app, ctx, s, shop } = *cx;
    let l = ctx.lang;
    let profile = load_shop(app, shop).await?;
    let list: Vec<Delivery> = app.shop(shop)?.send(&Deliveries).await?;
    let mut p = shop_page(ctx, s, shop, "webhooks", t(l, "通知紀錄", "Webhooks"));
    p.notice(notice);
    let feed = format!(
        "{}/v1/shops/{shop}/calendar.ics?key={}",
        ctx.origin,
        app.secrets()?.derived("feed", &profile)
    );
    p.push(format!(
        r#"<section class="card"><p>{to}{colon}<strong>{url}</strong> (<a href="/console/shop/{shop}/profile">{change}</a>)</p>
<div class="copy"><label for="secret">{secret_label}</label><input id="secret" readonly value="{secret}"><button type="button" class="secondary" data-copy="secret">{copy}</button><span class="copied" role="status" aria-live="polite"></span></div>
<div class="copy"><label for="feed">{feed_label}</label><input id="feed" readonly value="{feed}"><button type="button" class="secondary" data-copy="feed">{copy}</button><span class="copied" role="status" aria-live="polite"></span></div>
<details><summary>{rotate}…</summary><p class="hint">{rotate_hint}</p><form method="post" action="/console/shop/{shop}/webhooks/rotate">{csrf}<button type="submit" class="danger">{rotate}</button></form></details></section>"#,
        rotate = t(l, "更換密鑰與行事曆網址", "Replace the secret and calendar address"),
        rotate_hint = t(l, "若密鑰或行事曆網址外洩，請更換：舊的立即失效，接收端與行事曆訂閱都需要改用新的。", "If the secret or the calendar address leaked, replace them: the old ones stop working at once, and your receiver and calendar subscription need the new ones."),
        csrf = csrf_field(&s.csrf),
        to = t(l, "傳送到", "Sent to"),
        colon = t(l, "：", ": "),
        url = escape(profile.webhook_url.as_deref().unwrap_or(t(l, "（未設定）", "(not set)"))),
        change = t(l, "修改", "change"),
        secret_label = t(l, "簽章密鑰（Standard Webhooks，驗證 webhook-signature）", "Signing secret (Standard Webhooks: verifies webhook-signature)"),
        secret = escape(&app.secrets()?.webhook_secret(&profile)),
        feed_label = t(l, "私人行事曆訂閱網址", "Private calendar feed"),
        feed = escape(&feed),
        copy = t(l, "複製", "Copy"),
    ));
    if list.is_empty() {
        p.push(format!(
            r#"<p class="empty">{}</p>"#,
            t(
                l,
                "還沒有通知。有預約或變更時會出現在這裡。",
                "No events yet. Bookings and changes appear here."
            )
        ));
    } else {
        p.push(format!(
            r#"<table><caption>{}</caption><thead><tr><th scope="col">{}</th><th scope="col">{}</th><th scope="col">{}</th></tr></thead><tbody>"#,
            t(l, "最近 50 筆通知", "The newest 50 events"),
            t(l, "事件", "Event"),
            t(l, "狀態", "Status"),
            t(l, "動作", "Action"),
        ));
        for d in &list {
            let (state, retry) = match (d.delivered_ms, &d.last_error) {
                (Some(_), _) => (
                    format!(
                        r#"<span class="pill done">{}</span>"#,
                        t(l, "已送達", "Delivered")
                    ),
                    String::new(),
                ),
                (None, Some(err)) => (
                    format!(
                        r#"<span class="pill off">{}</span> {} · {} {}"#,
                        t(l, "失敗", "Failed"),
                        escape(err),
                        d.attempts,
                        t(l, "次嘗試", "attempts")
                    ),
                    format!(
                        r#"<form method="post" action="/console/shop/{shop}/webhooks/{id}/retry">{csrf}<button type="submit" class="secondary">{label}</button></form>"#,
                        id = escape(&d.id),
                        csrf = csrf_field(&s.csrf),
                        label = t(l, "立即重送", "Retry now"),
                    ),
                ),
                (None, None) if profile.webhook_url.is_none() => (
                    format!(
                        r#"<span class="pill off">{}</span>"#,
                        t(l, "未設定網址，不傳送", "Not sent: no webhook URL")
                    ),
                    String::new(),
                ),
                (None, None) => (
                    format!(
                        r#"<span class="pill booked">{}</span>"#,
                        t(l, "等待傳送", "Pending")
                    ),
                    String::new(),
                ),
            };
            p.push(format!(
                "<tr><td>{} <span class=\"ref\">{}</span></td><td>{state}</td><td>{retry}</td></tr>",
                escape(&d.kind),
                escape(&d.reference)
            ));
        }
        p.push("</tbody></table>");
    }
    Ok(p.respond(status))
}
