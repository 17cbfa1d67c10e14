//! The messages to people (e-mail to customers, the shop's own alerts) with their state and a
//! retry, and whether the shop's alerts are e-mailed.

use super::*;
use crate::shop_do::line::{LineLinks, ListLines, UnlinkLine};
use crate::shop_do::protocol::{AlertsOff, MessageLog, Messages, RetryMessage};
use shared::{Channel, MessageKind};

fn kind_label(l: Locale, k: MessageKind) -> &'static str {
    use MessageKind::*;
    match k {
        Confirmation => t(l, "預約確認", "Confirmation"),
        Reminder => t(l, "前一天提醒", "Reminder"),
        Rescheduled => t(l, "改期通知", "New time"),
        Cancelled => t(l, "取消通知", "Cancellation"),
        Ready => t(l, "取車通知", "Car is ready"),
        ReviewRequest => t(l, "評價邀請", "Review request"),
        ShopNew => t(l, "店家：新預約", "Shop: new booking"),
        ShopRescheduled => t(l, "店家：改期", "Shop: moved"),
        ShopCancelled => t(l, "店家：取消", "Shop: cancelled"),
        Agenda => t(l, "店家：每日預約", "Shop: the day's agenda"),
    }
}

fn state_label(l: Locale, state: &str) -> (&'static str, &'static str) {
    match state {
        "sent" => ("done", t(l, "已寄出", "Sent")),
        "retrying" => ("off", t(l, "重試中", "Retrying")),
        "failed" => ("off", t(l, "失敗", "Failed")),
        "skipped" => ("", t(l, "不寄送", "Not sent")),
        _ => ("booked", t(l, "排定中", "Scheduled")),
    }
}

/// `GET /console/shop/{id}/messages`.
pub(super) async fn messages(cx: &ShopCx<'_>, notice: Notice, status: u16) -> ApiResult<Response> {
    messages_with(cx, notice, None, status).await
}

/// The Messages page, with a LINE link code just made for the shop's staff.
async fn messages_with(
    cx: &ShopCx<'_>,
    notice: Notice,
    code: Option<crate::shop_do::line::LineCode>,
    status: u16,
) -> ApiResult<Response> {
    let ShopCx { app, ctx, s, shop } = *cx;
    let l = ctx.lang;
    let profile = load_shop(app, shop).await?;
    let log: MessageLog = app.shop(shop)?.send(&Messages).await?;
    let list = log.messages;
    let mut p = shop_page(ctx, s, shop, "messages", t(l, "訊息", "Messages"));
    p.notice(notice);
    let alerts = match &profile.alert_email {
        Some(to) if log.alerts_email_off => format!(
            "{} <strong>{}</strong>",
            t(
                l,
                "店家通知信已停止（由通知信中的取消訂閱連結）：",
                "The shop's alert e-mails are off (by the unsubscribe link in one of them):"
            ),
            escape(to)
        ),
        Some(to) => format!(
            "{} <strong>{}</strong>",
            t(
                l,
                "新預約、改期與取消會寄到",
                "New, moved and cancelled bookings are e-mailed to"
            ),
            escape(to)
        ),
        None => t(
            l,
            "尚未設定通知信箱：新預約不會寄信給店家。",
            "No alert address: the shop gets no e-mail about bookings.",
        )
        .to_owned(),
    };
    let resume = if log.alerts_email_off {
        format!(
            r#"<form method="post" action="/console/shop/{shop}/messages/alerts">{csrf}<button type="submit" class="secondary">{label}</button></form>"#,
            csrf = csrf_field(&s.csrf),
            label = t(l, "恢復寄送店家通知信", "Resume the shop's alert e-mails"),
        )
    } else {
        String::new()
    };
    p.push(format!(
        r#"<section class="card"><p>{alerts} (<a href="/console/shop/{shop}/profile">{change}</a>)</p>
<p class="hint">{hint}</p>{resume}</section>"#,
        change = t(l, "修改", "change"),
        hint = t(l, "客人留下電子郵件時，會收到預約確認、前一天提醒、變更與取車通知；晚上 9 點到早上 8 點（店家時間）只寄預約確認，其餘等到早上。", "Customers who give an e-mail address get the confirmation, a reminder the day before, changes and \"car is ready\"; between 21:00 and 08:00 shop time only confirmations go, the rest wait for the morning."),
    ));
    p.push(line_section(cx, &code).await?);
    p.push(push_section(cx).await?);
    if list.is_empty() {
        p.push(format!(
            r#"<p class="empty">{}</p>"#,
            t(
                l,
                "還沒有訊息。有預約時會出現在這裡。",
                "No messages yet. They appear here when bookings come in."
            )
        ));
        return Ok(p.respond(status));
    }
    p.push(format!(
        r#"<table><caption>{}</caption><thead><tr><th scope="col">{}</th><th scope="col">{}</th><th scope="col">{}</th><th scope="col">{}</th></tr></thead><tbody>"#,
        t(l, "最近 100 則訊息", "The newest 100 messages"),
        t(l, "訊息", "Message"),
        t(l, "收件人", "To"),
        t(l, "狀態", "Status"),
        t(l, "動作", "Action"),
    ));
    for m in &list {
        let (class, label) = state_label(l, &m.state);
        let mut state = format!(r#"<span class="pill {class}">{label}</span>"#);
        if m.state == "sent" {
            if let Some(at) = m.sent_ms {
                state.push_str(&format!(
                    " {}",
                    escape(&local_time(
                        &shared::local_rfc3339(at, &profile.time_zone).unwrap_or_default(),
                        l
                    ))
                ));
            }
        } else if m.state == "pending" || m.state == "retrying" {
            state.push_str(&format!(
                " {}",
                escape(&local_time(
                    &shared::local_rfc3339(m.due_ms, &profile.time_zone).unwrap_or_default(),
                    l
                ))
            ));
        }
        if let Some(err) = &m.last_error {
            state.push_str(&format!(
                " · {} ({} {})",
                escape(err),
                m.attempts,
                t(l, "次嘗試", "attempts")
            ));
        }
        let button = match m.state.as_str() {
            "failed" | "retrying" => Some(t(l, "立即重送", "Retry now")),
            "pending" => Some(t(l, "立即寄出", "Send now")),
            _ => None,
        };
        let retry = if let Some(label) = button {
            format!(
                r#"<form method="post" action="/console/shop/{shop}/messages/{id}/retry">{csrf}<button type="submit" class="secondary">{label}</button></form>"#,
                id = escape(&m.id),
                csrf = csrf_field(&s.csrf),
            )
        } else {
            String::new()
        };
        let channel = match m.channel {
            Channel::Email => t(l, "電子郵件", "E-mail"),
            Channel::Line => "LINE",
            Channel::Push => t(l, "手機通知", "Phone"),
        };
        p.push(format!(
            "<tr><td>{} <span class=\"ref\">{}</span></td><td>{channel} {}</td><td>{state}</td><td>{retry}</td></tr>",
            kind_label(l, m.kind),
            escape(&m.reference),
            if m.recipient.is_empty() { t(l, "（已刪除）", "(erased)").to_owned() } else { escape(&m.recipient) },
        ));
    }
    p.push("</tbody></table>");
    Ok(p.respond(status))
}

/// `POST /console/shop/{id}/messages/{msg}/retry`.
pub(super) async fn retry_message(cx: &ShopCx<'_>, id: &str) -> ApiResult<Response> {
    let ShopCx { app, s, shop, ctx } = *cx;
    match app
        .shop(shop)?
        .send(&RetryMessage { id: id.to_owned() })
        .await
    {
        Ok(_) => {
            audit(app, s, shop, "message.retry", id).await?;
            Ok(redirect(&format!("/console/shop/{shop}/messages?ok=retry")))
        }
        Err(ApiError::Client(p)) => {
            messages(cx, Notice::Error(problem_text(ctx.lang, &p)), p.status).await
        }
        Err(e) => Err(e),
    }
}

/// `POST /console/shop/{id}/messages/alerts`: the shop's alert e-mails on again.
pub(super) async fn resume_alerts(cx: &ShopCx<'_>) -> ApiResult<Response> {
    let ShopCx { app, s, shop, .. } = *cx;
    app.shop(shop)?.send(&AlertsOff(false)).await?;
    audit(app, s, shop, "alerts.resume", shop.as_str()).await?;
    Ok(redirect(&format!(
        "/console/shop/{shop}/messages?ok=alerts"
    )))
}

/// The LINE section: the staff's linked LINE accounts, unlink buttons, and a fresh code.
async fn line_section(
    cx: &ShopCx<'_>,
    code: &Option<crate::shop_do::line::LineCode>,
) -> ApiResult<String> {
    let ShopCx { app, ctx, s, shop } = *cx;
    let l = ctx.lang;
    let Some(line) = crate::notify::line::Line::from_env(app.env()) else {
        return Ok(format!(
            r#"<section class="card"><h2>LINE</h2><p class="hint">{}</p></section>"#,
            t(
                l,
                "聯盟尚未設定 LINE 官方帳號。",
                "The alliance has not set up its LINE account yet."
            )
        ));
    };
    let links: LineLinks = app.shop(shop)?.send(&ListLines { reference: None }).await?;
    let csrf = csrf_field(&s.csrf);
    let mut h = format!(
        r#"<section class="card"><h2>LINE</h2><p class="hint">{}</p>"#,
        t(l, "把店裡的手機或 LINE 群組連結到聯盟的 LINE 官方帳號，新預約、改期與取消就會即時傳到 LINE。", "Link the shop's phone or LINE group to the alliance's LINE account: new, moved and cancelled bookings arrive there at once.")
    );
    if links.staff.is_empty() {
        h.push_str(&format!(
            "<p>{}</p>",
            t(
                l,
                "尚未連結任何 LINE 帳號。",
                "No LINE account is linked yet."
            )
        ));
    } else {
        h.push_str("<ul class=\"links\">");
        for link in &links.staff {
            let shown: String = link.line_id.chars().take(6).collect();
            h.push_str(&format!(
                r#"<li>LINE {shown}… <form method="post" action="/console/shop/{shop}/messages/line/unlink">{csrf}<input type="hidden" name="line_id" value="{id}"><button type="submit" class="secondary">{unlink}</button></form></li>"#,
                id = escape(&link.line_id),
                unlink = t(l, "取消連結", "Unlink"),
            ));
        }
        h.push_str("</ul>");
    }
    match code {
        Some(c) => {
            let (open, add) = crate::handlers::line::links(&line, &c.code)
                .unwrap_or_else(|| (String::new(), String::new()));
            h.push_str(&format!(
                r#"<p role="status">{send} <strong class="code">{code}</strong> {within}</p>{open}"#,
                send = t(l, "用要接收通知的 LINE 帳號，傳送這個代碼給聯盟帳號：", "From the LINE account that should get the alerts, send this code to the alliance's account:"),
                code = escape(&c.code),
                within = t(l, "（1 小時內有效）", "(works for 1 hour)"),
                open = if open.is_empty() {
                    String::new()
                } else {
                    format!(
                        r#"<p><a href="{}">{}</a> · <a href="{}">{}</a></p>"#,
                        escape(&add),
                        t(l, "加入聯盟帳號", "Add the alliance's account"),
                        escape(&open),
                        t(l, "在 LINE 開啟並傳送", "Open LINE and send it")
                    )
                },
            ));
        }
        None => h.push_str(&format!(
            r#"<form method="post" action="/console/shop/{shop}/messages/line">{csrf}<button type="submit" class="secondary">{}</button></form>"#,
            t(l, "連結一個 LINE 帳號", "Link a LINE account")
        )),
    }
    h.push_str("</section>");
    Ok(h)
}

/// `POST /console/shop/{id}/messages/line`: a code for the staff's LINE account.
pub(super) async fn line_code(cx: &ShopCx<'_>) -> ApiResult<Response> {
    let ShopCx { app, s, shop, .. } = *cx;
    let code = crate::handlers::line::code(app, shop, None).await?;
    audit(app, s, shop, "line.code", shop.as_str()).await?;
    messages_with(cx, Notice::None, Some(code), 200).await
}

/// `POST /console/shop/{id}/messages/line/unlink`.
pub(super) async fn line_unlink(cx: &ShopCx<'_>, form: &Form) -> ApiResult<Response> {
    let ShopCx { app, s, shop, .. } = *cx;
    let id = field(form, "line_id");
    if id.is_empty() || id.len() > 64 {
        return Err(ApiError::field(
            ProblemKind::InvalidBody,
            "line_id",
            "which LINE account?",
        ));
    }
    app.shop(shop)?
        .send(&UnlinkLine {
            line_id: Some(id.to_owned()),
            reference: None,
        })
        .await?;
    audit(app, s, shop, "line.unlink", shop.as_str()).await?;
    Ok(redirect(&format!(
        "/console/shop/{shop}/messages?ok=line-unlinked"
    )))
}

/// The VAPID key, when the deployment has one.
fn vapid(app: &crate::app::App) -> Option<p256::ecdsa::SigningKey> {
    let env = app.env();
    let text = crate::policy::var(env, "VAPID_PRIVATE_KEY")
        .or_else(|| env.secret("VAPID_PRIVATE_KEY").ok().map(|s| s.to_string()))?;
    crate::notify::webpush::vapid_key(&text).ok()
}

/// The phone section: the console as a web app with Web Push. The button works with the
/// console's script (service worker, permission, subscription), and says what went wrong
/// next to itself; the phones added are listed with "remove".
async fn push_section(cx: &ShopCx<'_>) -> ApiResult<String> {
    use crate::shop_do::protocol::{ListPush, PushDevice};
    let ShopCx { app, ctx, s, shop } = *cx;
    let l = ctx.lang;
    let title = t(l, "這支手機", "This phone");
    let Some(key) = vapid(app) else {
        return Ok(format!(
            r#"<section class="card"><h2>{title}</h2><p class="hint">{}</p></section>"#,
            t(
                l,
                "聯盟尚未設定手機通知（VAPID 金鑰）。",
                "The alliance has not set up phone alerts (a VAPID key)."
            )
        ));
    };
    let devices: Vec<PushDevice> = app.shop(shop)?.send(&ListPush).await?;
    let csrf = csrf_field(&s.csrf);
    let mut h = format!(
        r#"<section class="card" id="push"><h2>{title}</h2><p class="hint">{hint}</p>
<form method="post" action="/console/shop/{shop}/push" id="push-form" data-key="{key}" data-denied="{denied}" data-unsupported="{unsupported}" data-failed="{failed}" data-working="{working}">{csrf}<input type="hidden" name="endpoint"><input type="hidden" name="p256dh"><input type="hidden" name="auth"><button type="button" class="secondary" id="push-enable" hidden>{enable}</button></form>
<p id="push-status" class="field-error" role="status" aria-live="polite"></p>"#,
        hint = t(l, "在手機上開啟主控台並加入主畫面，按下按鈕後，新預約、改期與取消就會以手機通知送達（不需要 LINE）。", "Open the console on the phone and add it to the home screen; after the button, new, moved and cancelled bookings arrive as phone notifications (no LINE needed)."),
        key = escape(&crate::notify::webpush::vapid_public(&key)),
        enable = t(l, "在這支手機接收通知", "Get alerts on this phone"),
        denied = t(l, "通知權限被拒絕：請在瀏覽器設定允許通知後再試。", "Notifications are blocked: allow them in the browser's settings and try again."),
        unsupported = t(l, "這個瀏覽器不支援手機通知；請用 Chrome、Edge、Firefox，或在 iPhone 上先加入主畫面。", "This browser cannot receive alerts; use Chrome, Edge or Firefox, or on an iPhone add the console to the home screen first."),
        failed = t(l, "無法連上瀏覽器的通知服務，請稍後再試。", "The browser's push service could not be reached; please try again later."),
        working = t(l, "正在設定…", "Setting up…"),
    );
    if devices.is_empty() {
        h.push_str(&format!(
            "<p>{}</p>",
            t(l, "還沒有手機接收通知。", "No phone gets alerts yet.")
        ));
    } else {
        h.push_str("<ul class=\"links\">");
        for d in &devices {
            let host = url::Url::parse(&d.endpoint)
                .ok()
                .and_then(|u| u.host_str().map(str::to_owned))
                .unwrap_or_default();
            h.push_str(&format!(
                r#"<li>{} {} <form method="post" action="/console/shop/{shop}/push/remove">{csrf}<input type="hidden" name="endpoint" value="{e}"><button type="submit" class="secondary">{remove}</button></form></li>"#,
                escape(&host),
                escape(&local_time(&shared::local_rfc3339(d.created_ms, "Asia/Taipei").unwrap_or_default(), l)),
                e = escape(&d.endpoint),
                remove = t(l, "移除", "Remove"),
            ));
        }
        h.push_str("</ul>");
    }
    h.push_str("</section>");
    Ok(h)
}

/// `POST /console/shop/{id}/push`: the subscription the console's script made.
pub(super) async fn add_push(cx: &ShopCx<'_>, form: &Form) -> ApiResult<Response> {
    let ShopCx { app, s, shop, ctx } = *cx;
    let l = ctx.lang;
    let sub = crate::notify::webpush::Subscription {
        endpoint: field(form, "endpoint").to_owned(),
        p256dh: field(form, "p256dh").to_owned(),
        auth: field(form, "auth").to_owned(),
    };
    let refused = |field: &str| {
        ApiError::field(
            ProblemKind::InvalidBody,
            field,
            t(
                l,
                "這個瀏覽器給的通知訂閱無效。",
                "The browser's subscription is not valid.",
            ),
        )
    };
    if sub.endpoint.len() > 1000
        || shared::check_webhook_url(
            &sub.endpoint,
            crate::policy::allow_private_webhooks(app.env()),
        )
        .is_err()
    {
        return Err(refused("endpoint"));
    }
    crate::notify::webpush::check_keys(&sub.p256dh, &sub.auth).map_err(|_| refused("p256dh"))?;
    app.shop(shop)?
        .send(&crate::shop_do::protocol::AddPush(sub))
        .await?;
    audit(app, s, shop, "push.add", shop.as_str()).await?;
    Ok(redirect(&format!(
        "/console/shop/{shop}/messages?ok=push#push"
    )))
}

/// `POST /console/shop/{id}/push/remove`.
pub(super) async fn remove_push(cx: &ShopCx<'_>, form: &Form) -> ApiResult<Response> {
    let ShopCx { app, s, shop, .. } = *cx;
    let endpoint = field(form, "endpoint");
    if endpoint.is_empty() {
        return Err(ApiError::field(
            ProblemKind::InvalidBody,
            "endpoint",
            "which phone?",
        ));
    }
    app.shop(shop)?
        .send(&crate::shop_do::protocol::RemovePush {
            endpoint: endpoint.to_owned(),
        })
        .await?;
    audit(app, s, shop, "push.remove", shop.as_str()).await?;
    Ok(redirect(&format!(
        "/console/shop/{shop}/messages?ok=push-removed#push"
    )))
}
