//! The shop's bookings: the list (what needs doing, today, the next 30 days), one booking's
//! page, and the card both show with its status actions.

use super::*;
use crate::app::App;

pub(super) fn status_label(l: Locale, status: BookingStatus) -> &'static str {
    match status {
        BookingStatus::Confirmed => t(l, "已預約", "Booked"),
        BookingStatus::Arrived => t(l, "已到店", "Arrived"),
        BookingStatus::Completed => t(l, "已完成", "Completed"),
        BookingStatus::NoShow => t(l, "未到", "No-show"),
        BookingStatus::Cancelled => t(l, "已取消", "Cancelled"),
        _ => "?",
    }
}

pub(super) fn status_class(status: BookingStatus) -> &'static str {
    match status {
        BookingStatus::Confirmed => "booked",
        BookingStatus::Arrived => "arrived",
        BookingStatus::Completed => "done",
        _ => "off",
    }
}

/// One booking as a card: what, when, who, and the actions its state allows.
pub(super) fn booking_card(
    l: Locale,
    s: &Signed,
    shop: &ShopId,
    b: &ShopBooking,
    now_ms: u64,
    detail: bool,
) -> String {
    let f = &b.form;
    let vehicle = format!("{} {} {} · {}", f.make, f.model, f.year, f.plate.as_str());
    let handover = match f.handover {
        Handover::DropOff => t(l, "留車", "Drop-off"),
        _ => t(l, "現場等候", "Waits"),
    };
    let mut actions = String::new();
    let action = |value: &str, label: &str, class: &str| {
        format!(
            r#"<button type="submit" name="action" value="{value}" class="{class}">{label}</button>"#
        )
    };
    let open = matches!(b.status, BookingStatus::Confirmed | BookingStatus::Arrived);
    if open {
        let mut buttons = String::new();
        if b.status == BookingStatus::Confirmed && !b.seen {
            buttons.push_str(&action("confirm", t(l, "確認", "Confirm"), "secondary"));
        }
        if b.status == BookingStatus::Confirmed {
            buttons.push_str(&action("arrived", t(l, "已到店", "Arrived"), "secondary"));
        }
        if b.status == BookingStatus::Arrived && !b.ready {
            buttons.push_str(&action(
                "ready",
                t(l, "通知取車", "Car is ready"),
                "secondary",
            ));
        }
        buttons.push_str(&action("complete", t(l, "完成", "Complete"), "primary"));
        if b.status == BookingStatus::Confirmed && b.start_ms <= now_ms {
            buttons.push_str(&action("no-show", t(l, "未到", "No-show"), "secondary"));
        }
        let reason_id = format!("reason-{}", b.reference);
        actions = format!(
            r#"<form method="post" action="/console/shop/{shop}/bookings/{r}" class="actions">{csrf}{buttons}</form>
<details class="cancel"><summary>{cancel}</summary>
<form method="post" action="/console/shop/{shop}/bookings/{r}">{csrf}
<label for="{reason_id}">{why}</label>
<input id="{reason_id}" name="reason" required minlength="3" maxlength="300">
<button type="submit" name="action" value="cancel" class="danger">{confirm_cancel}</button>
</form></details>"#,
            r = escape(&b.reference),
            csrf = csrf_field(&s.csrf),
            cancel = t(l, "取消這筆預約…", "Cancel this booking…"),
            why = t(l, "取消原因（會告知客人）", "Reason (the customer is told)"),
            confirm_cancel = t(l, "確定取消", "Cancel booking"),
        );
    }
    let link = b.review_link.as_ref().map(|link| {
        let id = format!("link-{}", b.reference);
        format!(
            r#"<div class="copy"><label for="{id}">{label}</label><input id="{id}" readonly value="{v}"><button type="button" class="secondary" data-copy="{id}">{copy}</button><span class="copied" role="status" aria-live="polite"></span></div>"#,
            label = t(l, "客人的評價連結（30 天內有效，限用一次）", "The customer's review link (valid 30 days, once)"),
            v = escape(link),
            copy = t(l, "複製連結", "Copy link"),
        )
    });
    let reason = b.reason.as_ref().map(|r| {
        format!(
            r#"<p class="muted">{}：{}</p>"#,
            t(l, "取消原因", "Reason"),
            escape(r)
        )
    });
    let notes =
        (!f.notes.is_empty()).then(|| format!(r#"<p class="notes">{}</p>"#, escape(&f.notes)));
    let title = if detail {
        escape(&local_time(&b.start, l))
    } else {
        format!(
            r#"<a href="/console/shop/{shop}/bookings/{r}">{t}</a>"#,
            r = escape(&b.reference),
            t = escape(&local_time(&b.start, l))
        )
    };
    let phone = f.phone.as_str();
    let mut marks = String::new();
    if b.attending {
        marks.push_str(&format!(
            r#"<p class="mark attending">{}</p>"#,
            t(
                l,
                "客人已回覆：會準時到",
                "The customer replied: they'll be there"
            )
        ));
    }
    if b.ready {
        marks.push_str(&format!(
            r#"<p class="mark">{}</p>"#,
            t(
                l,
                "已通知客人取車",
                "The customer was told the car is ready"
            )
        ));
    }
    if b.email_off {
        marks.push_str(&format!(
            r#"<p class="mark">{}</p>"#,
            t(
                l,
                "客人已停止電子郵件通知",
                "The customer stopped e-mails about this booking"
            )
        ));
    }
    if let Some(from) = &b.referred_by {
        marks.push_str(&format!(
            r#"<p class="mark referral">{} {}</p>"#,
            t(l, "聯盟轉介自", "Referred by member"),
            escape(from)
        ));
    }
    if let Some(n) = b.alliance_visit.filter(|n| *n > 1) {
        let p = shared::visit_progress(n);
        let text = match l {
            Locale::En if p.trusted => {
                format!("Returning customer · alliance visit {n} · a trusted regular")
            }
            Locale::En if p.to_regular == 0 => {
                format!("Returning customer · alliance visit {n} · a regular")
            }
            Locale::En => format!(
                "Returning customer · alliance visit {n} ({} more to a regular)",
                p.to_regular
            ),
            _ if p.trusted => format!("回頭客 · 聯盟第 {n} 次 · 完全信任的常客"),
            _ if p.to_regular == 0 => format!("回頭客 · 聯盟第 {n} 次 · 常客"),
            _ => format!("回頭客 · 聯盟第 {n} 次（再 {} 次成為常客）", p.to_regular),
        };
        marks.push_str(&format!(
            r#"<p class="mark returning">{}</p>"#,
            escape(&text)
        ));
    }
    format!(
        r#"<article class="booking" id="b-{r}">
<{h}>{title} <span class="pill {class}">{status}</span>{new}</{h}>{marks}
<p><strong>{service}</strong> · {handover} · <span class="ref">{r}</span></p>
<p>{vehicle}</p>
<p>{name}{tel}</p>
{notes}{reason}{link}{actions}
</article>"#,
        r = escape(&b.reference),
        // Under the day's `h2` in the list; right under the page's `h1` on its own page.
        h = if detail { "h2" } else { "h3" },
        class = status_class(b.status),
        status = status_label(l, b.status),
        new = if b.status == BookingStatus::Confirmed && !b.seen {
            format!(r#" <span class="pill new">{}</span>"#, t(l, "新", "New"))
        } else {
            String::new()
        },
        service = escape(b.service_name.get(l)),
        vehicle = escape(&vehicle),
        name = escape(if f.name.is_empty() {
            t(l, "（已清除）", "(erased)")
        } else {
            &f.name
        }),
        tel = if phone.is_empty() {
            String::new()
        } else {
            format!(r#" · <a href="tel:{p}">{p}</a>"#, p = escape(phone))
        },
        notes = notes.unwrap_or_default(),
        reason = reason.unwrap_or_default(),
        link = link.unwrap_or_default(),
    )
}

pub(super) async fn list(
    app: &App,
    shop: &ShopId,
    from_ms: u64,
    to_ms: u64,
) -> ApiResult<Vec<ShopBooking>> {
    app.shop(shop)?.send(&ListReq { from_ms, to_ms }).await
}

/// `GET /console/shop/{id}/bookings`: what needs doing, today, and the next 30 days.
pub(super) async fn bookings(cx: &ShopCx<'_>, notice: Notice, status: u16) -> ApiResult<Response> {
    let ShopCx { app, ctx, s, shop } = *cx;
    let l = ctx.lang;
    let profile = load_shop(app, shop).await?;
    let now = app.now_ms();
    let today = shared::local_rfc3339(now, &profile.time_zone)
        .unwrap_or_else(|| shared::format_rfc3339(now))[..10]
        .to_owned();
    let all = list(
        app,
        shop,
        now.saturating_sub(14 * 86_400_000),
        now + 31 * 86_400_000,
    )
    .await?;
    let mut p = shop_page(ctx, s, shop, "bookings", t(l, "預約", "Bookings"));
    p.notice(notice);
    let open =
        |b: &&ShopBooking| matches!(b.status, BookingStatus::Confirmed | BookingStatus::Arrived);
    let attention: Vec<&ShopBooking> = all
        .iter()
        .filter(|b| b.start[..10] < *today)
        .filter(open)
        .collect();
    let todays: Vec<&ShopBooking> = all.iter().filter(|b| b.start[..10] == *today).collect();
    let later: Vec<&ShopBooking> = all.iter().filter(|b| b.start[..10] > *today).collect();
    let sections = [
        (
            t(l, "待處理（過去的預約）", "Needs attention (past bookings)"),
            attention,
            false,
        ),
        (t(l, "今天", "Today"), todays, true),
        (t(l, "接下來 30 天", "Next 30 days"), later, true),
    ];
    for (title, items, always) in sections {
        if items.is_empty() && !always {
            continue;
        }
        p.push(format!(
            "<section><h2>{title} <span class=\"count\">{}</span></h2>",
            items.len()
        ));
        if items.is_empty() {
            p.push(format!(
                r#"<p class="empty">{}</p>"#,
                t(l, "沒有預約。", "No bookings.")
            ));
        }
        for b in items {
            p.push(booking_card(l, s, shop, b, now, false));
        }
        p.push("</section>");
    }
    let sent: Vec<crate::shop_do::SentReq> = app.shop(shop)?.send(&Referrals).await?;
    let received = all.iter().filter(|b| b.referred_by.is_some()).count();
    p.push(format!(
        r#"<section class="card" id="referrals"><h2>{title}</h2><p>{sent_label}{colon}<strong>{sent}</strong> · {received_label}{colon}<strong>{received}</strong></p>"#,
        title = t(l, "聯盟轉介", "Alliance referrals"),
        sent_label = t(l, "轉介出去", "Sent"),
        colon = t(l, "：", ": "),
        sent = sent.len(),
        received_label = t(l, "轉介進來（近期預約）", "Received (recent bookings)"),
    ));
    if !sent.is_empty() {
        p.push("<ul>");
        for r in sent.iter().take(20) {
            let when = shared::local_rfc3339(r.start_ms, &profile.time_zone).unwrap_or_default();
            p.push(format!(
                "<li>{} → {} · {} <span class=\"ref\">{}</span></li>",
                escape(&local_time(&when, l)),
                escape(&r.to_shop),
                escape(&r.service),
                escape(&r.reference)
            ));
        }
        p.push("</ul>");
    }
    p.push(format!(
        r#"<p class="hint">{}</p></section>"#,
        if profile.referrals.send {
            t(l, "貴店額滿時，小工具會推薦附近有空位的會員。可在店家資料關閉。", "When you are full, the widget offers nearby members with free times. You can turn this off in the profile.")
        } else {
            t(l, "貴店已關閉轉介：額滿時不推薦其他會員。", "Referrals are off: when you are full, no other member is offered.")
        }
    ));
    p.push(invite_form(l, s, shop, &profile));
    Ok(p.respond(status))
}

/// `GET /console/shop/{id}/bookings/{ref}`.
pub(super) async fn booking(
    cx: &ShopCx<'_>,
    reference: &str,
    notice: Notice,
    status: u16,
) -> ApiResult<Response> {
    let ShopCx { app, ctx, s, shop } = *cx;
    let l = ctx.lang;
    let reference = shared::Reference::parse(reference).map_err(|_| {
        ApiError::field(
            ProblemKind::NotFound,
            "reference",
            t(l, "沒有這筆預約。", "There is no such booking."),
        )
    })?;
    let b: ShopBooking = app
        .shop(shop)?
        .send(&ConsoleBooking(ManageReq {
            reference: reference.to_owned(),
            start_ms: None,
        }))
        .await?;
    let mut p = shop_page(
        ctx,
        s,
        shop,
        "bookings",
        &format!("{} {}", t(l, "預約", "Booking"), b.reference),
    );
    p.notice(notice);
    p.push(booking_card(l, s, shop, &b, app.now_ms(), true));
    p.push(format!(
        r#"<p><a href="/console/shop/{shop}/bookings">{}</a></p>"#,
        t(l, "回到預約", "Back to bookings")
    ));
    Ok(p.respond(status))
}
