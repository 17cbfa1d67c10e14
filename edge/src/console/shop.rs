//! The shop console: bookings and their status, review links and invites, replies to reviews,
//! the shop's profile and booking rules, webhook deliveries, and the snippet generator.

use super::page::{csrf_field, local_time, Nav, Notice, Page};
use super::{field, redirect, Ctx, Form, Signed};
use crate::error::{ApiError, ApiResult};
use crate::handlers::members;
use crate::http::{escape, param};
use crate::i18n::t;
use crate::secrets::derived_secret;
use crate::shop_do::protocol::{ConsoleBooking, ConsoleReviews, Deliveries, Referrals};
use crate::shop_do::{
    Delivery, ListReq, ManageReq, ReplyReq, RetryReq, ShopAction, ShopBooking, ShopReview,
    StatusReq,
};
use crate::store::{ShopObject, Store};
use shared::{
    BookingRules, BookingStatus, DayHours, Handover, Locale, LocalizedText, ProblemKind, ReplyForm,
    Service, Shop, ShopId, TimeOfDay,
};
use worker::{Env, Response};

type Query = [(String, String)];

/// GET pages of a shop's console.
pub async fn read(
    env: &Env,
    ctx: &Ctx,
    s: &Signed,
    shop: &ShopId,
    rest: &[&str],
    q: &Query,
) -> ApiResult<Response> {
    let notice = ok_notice(ctx.lang, param(q, "ok"));
    match rest {
        [] | [""] => Ok(redirect(&format!("/console/shop/{shop}/bookings"))),
        ["bookings"] => bookings(env, ctx, s, shop, notice, 200).await,
        ["bookings", reference] => booking(env, ctx, s, shop, reference, notice, 200).await,
        ["reviews"] => reviews(env, ctx, s, shop, notice, 200).await,
        ["profile"] => {
            let profile = load_shop(env, shop).await?;
            Ok(profile_page(
                ctx,
                s,
                shop,
                &profile_fields(&profile),
                notice,
                None,
                200,
            ))
        }
        ["webhooks"] => webhooks(env, ctx, s, shop, notice, 200).await,
        ["snippet"] => super::snippet::generator(ctx, s, shop, q).await,
        _ => Err(super::page::not_found(ctx.lang)),
    }
}

/// Form posts of a shop's console (session and CSRF already checked). Success redirects to the
/// page showing the result; a refusal shows the same page with the reason.
pub async fn write(
    env: &Env,
    ctx: &Ctx,
    s: &Signed,
    shop: &ShopId,
    rest: &[&str],
    form: &Form,
) -> ApiResult<Response> {
    let l = ctx.lang;
    match rest {
        ["bookings", reference] => {
            let action = ShopAction::parse(field(form, "action")).ok_or_else(|| {
                ApiError::field(ProblemKind::InvalidBody, "action", "unknown action")
            })?;
            let req = StatusReq {
                reference: (*reference).to_owned(),
                action,
                reason: Some(field(form, "reason").to_owned()).filter(|r| !r.is_empty()),
            };
            let result: ApiResult<ShopBooking> = ShopObject::of(env, shop)?.send(&req).await;
            match result {
                Ok(b) => {
                    audit(
                        env,
                        s,
                        shop,
                        &format!("booking.{}", field(form, "action")),
                        &b.reference,
                    )
                    .await?;
                    Ok(redirect(&format!(
                        "/console/shop/{shop}/bookings/{}?ok={}",
                        b.reference,
                        field(form, "action")
                    )))
                }
                Err(ApiError::Client(p)) => {
                    booking(
                        env,
                        ctx,
                        s,
                        shop,
                        reference,
                        Notice::Error(p.detail),
                        p.status,
                    )
                    .await
                }
                Err(e) => Err(e),
            }
        }
        ["invites"] => invite(env, ctx, s, shop, form).await,
        ["reviews", id, "reply"] => {
            let text = ReplyForm {
                text: field(form, "text").to_owned(),
            }
            .validate();
            let text = match text {
                Ok(t) => t,
                Err(_) => {
                    let msg = t(
                        l,
                        "回覆需為 1 到 1000 個字。",
                        "A reply is 1 to 1000 characters.",
                    );
                    return reviews(env, ctx, s, shop, Notice::Error(msg.into()), 400).await;
                }
            };
            if !shared::visit_ok(id) {
                return Err(ApiError::field(
                    ProblemKind::InvalidParameter,
                    "review",
                    "malformed review id",
                ));
            }
            let result = ShopObject::of(env, shop)?
                .send(&ReplyReq {
                    id: (*id).to_owned(),
                    text,
                })
                .await;
            match result {
                Ok(_) => {
                    audit(env, s, shop, "review.reply", id).await?;
                    Ok(redirect(&format!(
                        "/console/shop/{shop}/reviews?ok=reply#r-{id}"
                    )))
                }
                Err(ApiError::Client(p)) => {
                    reviews(env, ctx, s, shop, Notice::Error(p.detail), p.status).await
                }
                Err(e) => Err(e),
            }
        }
        ["origins"] => {
            match members::request_origin(env, &s.actor(), shop, field(form, "origin")).await {
                Ok(_) => Ok(redirect(&format!("/console/shop/{shop}/profile?ok=origin"))),
                Err(ApiError::Client(p)) => {
                    let current = load_shop(env, shop).await?;
                    let msg = match p.status {
                        409 => t(
                            l,
                            "這個網站已在清單上或正在等待聯盟審核（最多同時 5 個）。",
                            "This site is already listed or waiting for the alliance (at most 5 wait at once).",
                        ),
                        _ => t(
                            l,
                            "網站需為 https 網址，只含通訊協定、主機與連接埠，例如 https://www.example.tw。",
                            "A site is an https origin: scheme, host and port only, e.g. https://www.example.tw.",
                        ),
                    };
                    let mut fields = profile_fields(&current);
                    fields.push(("origin".into(), field(form, "origin").to_owned()));
                    Ok(profile_page(
                        ctx,
                        s,
                        shop,
                        &fields,
                        Notice::Error(msg.into()),
                        Some(("origin", msg)),
                        p.status,
                    ))
                }
                Err(e) => Err(e),
            }
        }
        ["profile"] => {
            let current = load_shop(env, shop).await?;
            let mut fields: Fields = form
                .iter()
                .filter(|(k, _)| !matches!(k.as_str(), "csrf" | "origins" | "requested"))
                .cloned()
                .collect();
            // The sites shown are always the stored ones: the form cannot change them.
            let stored = profile_fields(&current);
            fields.extend(
                stored
                    .into_iter()
                    .filter(|(k, _)| k == "origins" || k == "requested"),
            );
            let updated = match shop_from_fields(&current, &fields, l) {
                Ok(u) => u,
                Err((field, msg)) => {
                    return Ok(profile_page(
                        ctx,
                        s,
                        shop,
                        &fields,
                        Notice::Error(msg.clone()),
                        Some((&field, &msg)),
                        400,
                    ));
                }
            };
            match members::update_member(env, &s.actor(), shop, updated).await {
                Ok(_) => Ok(redirect(&format!(
                    "/console/shop/{shop}/profile?ok=profile"
                ))),
                Err(ApiError::Client(p)) => {
                    let field = p.field.clone().unwrap_or_default();
                    let key = profile_field_for(&field);
                    let msg = profile_message(l, key, &p.detail);
                    Ok(profile_page(
                        ctx,
                        s,
                        shop,
                        &fields,
                        Notice::Error(msg.clone()),
                        Some((key, &msg)),
                        p.status,
                    ))
                }
                Err(e) => Err(e),
            }
        }
        ["webhooks", "rotate"] => {
            members::rotate_secrets(env, &s.actor(), shop).await?;
            Ok(redirect(&format!(
                "/console/shop/{shop}/webhooks?ok=rotated"
            )))
        }
        ["webhooks", id, "retry"] => {
            let result = ShopObject::of(env, shop)?
                .send(&RetryReq {
                    id: (*id).to_owned(),
                })
                .await;
            match result {
                Ok(_) => {
                    audit(env, s, shop, "webhook.retry", id).await?;
                    Ok(redirect(&format!("/console/shop/{shop}/webhooks?ok=retry")))
                }
                Err(ApiError::Client(p)) => {
                    webhooks(env, ctx, s, shop, Notice::Error(p.detail), p.status).await
                }
                Err(e) => Err(e),
            }
        }
        _ => Err(super::page::not_found(l)),
    }
}

fn ok_notice(l: Locale, ok: Option<&str>) -> Notice {
    let text = match ok {
        Some("confirm") => t(l, "已確認預約。", "Booking confirmed."),
        Some("arrived") => t(l, "已標記到店。", "Marked as arrived."),
        Some("complete") => t(
            l,
            "已完成。請把下方的評價連結傳給客人。",
            "Completed. Send the customer the review link below.",
        ),
        Some("no-show") => t(l, "已標記未到。", "Marked as no-show."),
        Some("cancel") => t(
            l,
            "已取消，並通知客人的系統。",
            "Cancelled; the customer's system was told.",
        ),
        Some("reply") => t(l, "回覆已發布。", "Reply published."),
        Some("profile") => t(
            l,
            "店家資料已更新，小工具立即生效。",
            "Profile saved; the widget shows it now.",
        ),
        Some("retry") => t(l, "已排定立即重送。", "Queued to send again now."),
        Some("rotated") => t(
            l,
            "已更換簽章密鑰與行事曆網址：舊的已失效，請更新接收端與行事曆訂閱。",
            "Signing secret and calendar address replaced: the old ones no longer work. Update your receiver and calendar subscription.",
        ),
        Some("origin") => t(
            l,
            "已向聯盟申請新增網站；核准前徽章在該網站仍顯示未驗證。",
            "Site requested from the alliance; until it is approved the badge is not verified there.",
        ),
        _ => return Notice::None,
    };
    Notice::Ok(text.to_owned())
}

async fn audit(env: &Env, s: &Signed, shop: &ShopId, action: &str, detail: &str) -> ApiResult<()> {
    let store = Store::open(env)?;
    let profile = load_shop(env, shop).await?;
    members::audit(&store, &s.actor(), action, &profile, detail.to_owned()).await
}

async fn load_shop(env: &Env, shop: &ShopId) -> ApiResult<Shop> {
    Store::open(env)?
        .shop(shop)
        .await?
        .ok_or_else(|| crate::handlers::widget::unknown(shop))
}

fn shop_page<'a>(
    ctx: &'a Ctx,
    s: &'a Signed,
    shop: &'a ShopId,
    section: &'a str,
    title: &str,
) -> Page<'a> {
    let mut p = Page::new(ctx, title);
    p.nav(Nav::Shop(shop.as_str(), section), &s.csrf);
    p
}

fn status_label(l: Locale, status: BookingStatus) -> &'static str {
    match status {
        BookingStatus::Confirmed => t(l, "已預約", "Booked"),
        BookingStatus::Arrived => t(l, "已到店", "Arrived"),
        BookingStatus::Completed => t(l, "已完成", "Completed"),
        BookingStatus::NoShow => t(l, "未到", "No-show"),
        BookingStatus::Cancelled => t(l, "已取消", "Cancelled"),
        _ => "?",
    }
}

fn status_class(status: BookingStatus) -> &'static str {
    match status {
        BookingStatus::Confirmed => "booked",
        BookingStatus::Arrived => "arrived",
        BookingStatus::Completed => "done",
        _ => "off",
    }
}

/// One booking as a card: what, when, who, and the actions its state allows.
fn booking_card(
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

async fn list(env: &Env, shop: &ShopId, from_ms: u64, to_ms: u64) -> ApiResult<Vec<ShopBooking>> {
    ShopObject::of(env, shop)?
        .send(&ListReq { from_ms, to_ms })
        .await
}

/// `GET /console/shop/{id}/bookings`: what needs doing, today, and the next 30 days.
async fn bookings(
    env: &Env,
    ctx: &Ctx,
    s: &Signed,
    shop: &ShopId,
    notice: Notice,
    status: u16,
) -> ApiResult<Response> {
    let l = ctx.lang;
    let profile = load_shop(env, shop).await?;
    let now = js_sys::Date::now() as u64;
    let today = shared::local_rfc3339(now, &profile.time_zone)
        .unwrap_or_else(|| shared::format_rfc3339(now))[..10]
        .to_owned();
    let all = list(
        env,
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
    let sent: Vec<crate::shop_do::SentReq> = ShopObject::of(env, shop)?.send(&Referrals).await?;
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

fn invite_form(l: Locale, s: &Signed, shop: &ShopId, profile: &Shop) -> String {
    let options: String = profile
        .services
        .iter()
        .map(|svc| {
            format!(
                r#"<option value="{}">{}</option>"#,
                escape(&svc.id),
                escape(svc.name.get(l))
            )
        })
        .collect();
    format!(
        r#"<section class="card"><h2>{title}</h2><p class="muted">{intro}</p>
<form method="post" action="/console/shop/{shop}/invites">{csrf}
<label for="work_order">{visit}</label><input id="work_order" name="work_order" required maxlength="32" pattern="[A-Za-z0-9_\-]+" autocomplete="off">
<label for="visit_date">{date}</label><input id="visit_date" name="visit_date" type="date" required>
<label for="invite-service">{service}</label><select id="invite-service" name="service">{options}</select>
<button type="submit" class="secondary">{make}</button></form></section>"#,
        title = t(l, "邀請過去的客人評價", "Invite a past customer to review"),
        intro = t(
            l,
            "給未經聯盟預約的客人（現場或電話預約）：記錄該次維修的工單號碼、日期與服務，產生一次性的評價連結。評價會標示為「店家於維修後邀請」。經聯盟預約並完成的客人會自動收到連結。每天最多邀請的數量由聯盟設定，每次邀請都記入稽核紀錄。",
            "For customers who did not book through the alliance (walk-ins, phone bookings): record the visit's work-order number, date and service to make a single-use review link. The review is labelled \"invited by the shop after a visit\". Customers whose alliance bookings you complete get their links automatically. The alliance sets how many invites a day you may make; each one is in the audit log."
        ),
        date = t(l, "維修日期（90 天內）", "Visit date (within 90 days)"),
        csrf = csrf_field(&s.csrf),
        visit = t(
            l,
            "工單號碼（英數字）",
            "Work-order number (letters and digits)"
        ),
        service = t(l, "服務項目", "Service"),
        make = t(l, "產生評價連結", "Make review link"),
    )
}

async fn invite(
    env: &Env,
    ctx: &Ctx,
    s: &Signed,
    shop: &ShopId,
    form: &Form,
) -> ApiResult<Response> {
    let l = ctx.lang;
    let store = Store::open(env)?;
    let wanted = crate::handlers::reviews::InviteForm {
        work_order: field(form, "work_order").to_owned(),
        visit_date: field(form, "visit_date").to_owned(),
        service: field(form, "service").to_owned(),
    };
    let refused = |status: u16, detail: String| async move {
        bookings(env, ctx, s, shop, Notice::Error(detail), status).await
    };
    let made = match crate::handlers::reviews::make_invite(
        env,
        &store,
        shop,
        &s.actor(),
        &ctx.origin,
        wanted,
    )
    .await
    {
        Ok(made) => made,
        Err(ApiError::Limited(_, _)) => {
            let msg = t(
                l,
                "今天的評價邀請已達聯盟上限；經聯盟預約並完成的客人仍會自動收到評價連結。",
                "You have made today's number of review invites the alliance allows; customers whose alliance bookings you complete still get their links.",
            );
            return refused(429, msg.into()).await;
        }
        Err(ApiError::Client(p)) if p.status == 409 => {
            let msg = t(
                l,
                "這張工單已經產生過評價邀請；每次維修只能邀請一次。",
                "This work order already has a review invite; each visit gets one.",
            );
            return refused(409, msg.into()).await;
        }
        Err(ApiError::Client(p)) => {
            let msg = match p.field.as_deref() {
                Some("work_order") => t(
                    l,
                    "工單號碼需為 1 到 32 個英文字母、數字、- 或 _。",
                    "The work-order number is 1 to 32 letters, digits, - or _.",
                ),
                Some("visit_date") => t(
                    l,
                    "維修日期需為今天或之前 90 天內的日期。",
                    "The visit date must be today or within the last 90 days.",
                ),
                _ => t(
                    l,
                    "請選擇本店提供的服務。",
                    "Choose one of the shop's services.",
                ),
            };
            return refused(p.status, msg.into()).await;
        }
        Err(e) => return Err(e),
    };
    let link = made.link;
    let mut p = shop_page(ctx, s, shop, "bookings", t(l, "評價連結", "Review link"));
    p.notice(Notice::Ok(
        t(
            l,
            "已記錄這次維修並產生評價連結，請傳給客人。",
            "Visit recorded and review link ready; send it to the customer.",
        )
        .into(),
    ));
    p.push(format!(
        r#"<div class="copy card"><label for="invite-link">{label}</label><input id="invite-link" readonly value="{v}"><button type="button" class="secondary" data-copy="invite-link">{copy}</button><span class="copied" role="status" aria-live="polite"></span></div>
<p><a href="/console/shop/{shop}/bookings">{back}</a></p>"#,
        label = t(l, "評價連結（30 天內有效，限用一次）", "Review link (valid 30 days, once)"),
        v = escape(&link),
        copy = t(l, "複製連結", "Copy link"),
        back = t(l, "回到預約", "Back to bookings"),
    ));
    p.push(format!(
        r#"<section class="card"><h2>{title}</h2><p class="review-code" id="review-code">{code}</p><p class="muted">{how}</p></section>"#,
        title = t(l, "收據上的評價代碼", "Review code for the receipt"),
        code = escape(&made.code),
        how = t(
            l,
            "把這組代碼寫在收據上或告訴客人：客人掃描櫃台卡上「評價您上次的到店」的 QR 碼，輸入代碼即可評價這次維修（與上面的連結是同一次評價，只能用一次）。",
            "Write this code on the receipt or tell the customer: they scan the counter card's \"Review your last visit\" QR code and enter it to review this visit (the same single review as the link above)."
        ),
    ));
    Ok(p.respond(201))
}

/// `GET /console/shop/{id}/bookings/{ref}`.
async fn booking(
    env: &Env,
    ctx: &Ctx,
    s: &Signed,
    shop: &ShopId,
    reference: &str,
    notice: Notice,
    status: u16,
) -> ApiResult<Response> {
    let l = ctx.lang;
    if !shared::is_reference_code(reference) {
        return Err(ApiError::field(
            ProblemKind::NotFound,
            "reference",
            t(l, "沒有這筆預約。", "There is no such booking."),
        ));
    }
    let b: ShopBooking = ShopObject::of(env, shop)?
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
    p.push(booking_card(
        l,
        s,
        shop,
        &b,
        js_sys::Date::now() as u64,
        true,
    ));
    p.push(format!(
        r#"<p><a href="/console/shop/{shop}/bookings">{}</a></p>"#,
        t(l, "回到預約", "Back to bookings")
    ));
    Ok(p.respond(status))
}

/// `GET /console/shop/{id}/reviews`: every review with the shop's reply form.
async fn reviews(
    env: &Env,
    ctx: &Ctx,
    s: &Signed,
    shop: &ShopId,
    notice: Notice,
    status: u16,
) -> ApiResult<Response> {
    let l = ctx.lang;
    let list: Vec<ShopReview> = ShopObject::of(env, shop)?.send(&ConsoleReviews).await?;
    let mut p = shop_page(ctx, s, shop, "reviews", t(l, "評價", "Reviews"));
    p.notice(notice);
    if list.is_empty() {
        p.push(format!(
            r#"<p class="empty">{}</p>"#,
            t(
                l,
                "還沒有評價。完成預約後，把評價連結傳給客人。",
                "No reviews yet. Complete a booking and send the customer its review link."
            )
        ));
    }
    for r in &list {
        let stars = "★".repeat(r.stars as usize) + &"☆".repeat(5 - r.stars as usize);
        let hidden = r
            .hidden
            .map(|h| {
                format!(
                    r#"<p class="notice error">{}: {}</p>"#,
                    t(l, "聯盟已隱藏", "Hidden by the alliance"),
                    h.as_str()
                )
            })
            .unwrap_or_default();
        let existing = r.reply.as_ref().map(|x| x.text.as_str()).unwrap_or("");
        let id = escape(&r.id);
        p.push(format!(
            r#"<article class="review" id="r-{id}">
<p><span class="stars" role="img" aria-label="{n} / 5">{stars}</span> · {author} · {date}</p>
<p class="text">{text}</p>{hidden}
<form method="post" action="/console/shop/{shop}/reviews/{id}/reply">{csrf}
<label for="reply-{id}">{label}</label>
<textarea id="reply-{id}" name="text" rows="3" maxlength="1000" required>{existing}</textarea>
<button type="submit" class="secondary">{save}</button></form>
</article>"#,
            n = r.stars,
            author = escape(&r.author),
            date = escape(r.created_at.get(..10).unwrap_or("")),
            text = escape(&r.text),
            csrf = csrf_field(&s.csrf),
            label = if existing.is_empty() {
                t(l, "回覆", "Reply")
            } else {
                t(l, "修改回覆", "Edit reply")
            },
            existing = escape(existing),
            save = t(l, "發布回覆", "Publish reply"),
        ));
    }
    Ok(p.respond(status))
}

/// `GET /console/shop/{id}/webhooks`: the newest events, their delivery, a retry button.
async fn webhooks(
    env: &Env,
    ctx: &Ctx,
    s: &Signed,
    shop: &ShopId,
    notice: Notice,
    status: u16,
) -> ApiResult<Response> {
    let l = ctx.lang;
    let profile = load_shop(env, shop).await?;
    let list: Vec<Delivery> = ShopObject::of(env, shop)?.send(&Deliveries).await?;
    let mut p = shop_page(ctx, s, shop, "webhooks", t(l, "通知紀錄", "Webhooks"));
    p.notice(notice);
    let feed = format!(
        "{}/v1/shops/{shop}/calendar.ics?key={}",
        ctx.origin,
        derived_secret(env, "feed", &profile)?
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
        secret = escape(&crate::secrets::webhook_secret(env, &profile)?),
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

/// The profile form's values, by field name.
type Fields = Vec<(String, String)>;

fn get<'a>(fields: &'a Fields, name: &str) -> &'a str {
    fields
        .iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.as_str())
        .unwrap_or("")
}

fn profile_fields(shop: &Shop) -> Fields {
    let mut f: Fields = vec![
        ("name_zh".into(), shop.name.zh_tw.clone()),
        ("name_en".into(), shop.name.en.clone()),
        ("city_zh".into(), shop.city.zh_tw.clone()),
        ("city_en".into(), shop.city.en.clone()),
        ("address_zh".into(), shop.address.zh_tw.clone()),
        ("address_en".into(), shop.address.en.clone()),
        ("phone".into(), shop.phone.clone()),
        (
            "hours_zh".into(),
            shop.hours
                .iter()
                .map(|h| h.zh_tw.clone())
                .collect::<Vec<_>>()
                .join("\n"),
        ),
        (
            "hours_en".into(),
            shop.hours
                .iter()
                .map(|h| h.en.clone())
                .collect::<Vec<_>>()
                .join("\n"),
        ),
        ("bays".into(), shop.bays.to_string()),
        ("origins".into(), members::origins_text(shop, "\n")),
        (
            "requested".into(),
            shop.membership
                .requested_origins
                .iter()
                .map(|o| o.as_str())
                .collect::<Vec<_>>()
                .join("\n"),
        ),
        ("page_url".into(), shop.page_url.clone().unwrap_or_default()),
        (
            "webhook_url".into(),
            shop.webhook_url.clone().unwrap_or_default(),
        ),
    ];
    if shop.referrals.send {
        f.push(("referrals_send".into(), "on".into()));
    }
    if shop.referrals.receive {
        f.push(("referrals_receive".into(), "on".into()));
    }
    if let Some(b) = &shop.booking {
        f.push(("booking_on".into(), "on".into()));
        for d in &b.weekly {
            f.push((format!("open_{}", d.weekday), d.open.to_string()));
            f.push((format!("close_{}", d.weekday), d.close.to_string()));
            if let Some((a, z)) = d.breaks.first() {
                f.push((format!("break_from_{}", d.weekday), a.to_string()));
                f.push((format!("break_to_{}", d.weekday), z.to_string()));
            }
        }
        f.push(("closures".into(), b.closures.join("\n")));
        f.push(("lead_minutes".into(), b.lead_minutes.to_string()));
        f.push(("horizon_days".into(), b.horizon_days.to_string()));
        f.push((
            "cancel_cutoff_hours".into(),
            b.cancel_cutoff_hours.to_string(),
        ));
        f.push(("step_minutes".into(), b.step_minutes.to_string()));
    }
    for (i, svc) in shop.services.iter().enumerate() {
        f.push((format!("svc_{i}_id"), svc.id.clone()));
        f.push((format!("svc_{i}_zh"), svc.name.zh_tw.clone()));
        f.push((format!("svc_{i}_en"), svc.name.en.clone()));
        f.push((format!("svc_{i}_minutes"), svc.duration_minutes.to_string()));
        f.push((format!("svc_{i}_bays"), svc.bays.to_string()));
        f.push((format!("svc_{i}_price_zh"), svc.price.zh_tw.clone()));
        f.push((format!("svc_{i}_price_en"), svc.price.en.clone()));
    }
    f
}

/// What to tell the shop about a refused profile field, in the page's language (the stored
/// profile's checks word their problems in English for the API).
fn profile_message(l: Locale, key: &str, detail: &str) -> String {
    let text = match key {
        "page_url" => t(
            l,
            "放小工具的網頁網址必須在貴店的網站（允許的來源）之內。",
            "The page with the widget must be an address on one of your sites (allowed origins).",
        ),
        "webhook_url" => t(
            l,
            "Webhook 網址必須是公開的 https 網址。",
            "The webhook URL must be a public https address.",
        ),
        "origins" => t(
            l,
            "網站需為 https 網址（本機測試可用 http），最多 20 個。",
            "Sites must be https origins (http only for local testing), at most 20.",
        ),
        "hours" => t(
            l,
            "營業時間或預約規則不一致，請檢查。",
            "The opening hours or booking rules do not fit together; please check them.",
        ),
        "services" => t(
            l,
            "每項服務需有時間，占用工位需在 1 到本店工位數之間。",
            "Each service needs a duration and 1 to the shop's number of bays.",
        ),
        "" => return detail.to_owned(),
        _ => t(
            l,
            "這一欄需要填寫，且不能太長。",
            "This field is required and must not be too long.",
        ),
    };
    text.to_owned()
}

/// Which form field a stored-profile problem is about.
fn profile_field_for(problem_field: &str) -> &'static str {
    match problem_field {
        "name.zh-TW" => "name_zh",
        "name.en" => "name_en",
        "city.zh-TW" => "city_zh",
        "city.en" => "city_en",
        "address.zh-TW" => "address_zh",
        "address.en" => "address_en",
        "phone" => "phone",
        "booking" => "hours",
        "time_zone" => "hours",
        "services" => "services",
        "page_url" => "page_url",
        "webhook_url" => "webhook_url",
        f if f.starts_with("membership") => "origins",
        _ => "",
    }
}

type FieldErr = (String, String);

fn bad(field: &str, msg: impl Into<String>) -> FieldErr {
    (field.to_owned(), msg.into())
}

/// Builds the new profile from the form; the first problem names its field.
fn shop_from_fields(current: &Shop, f: &Fields, l: Locale) -> Result<Shop, FieldErr> {
    let mut shop = current.clone();
    let text = |zh: &str, en: &str| LocalizedText {
        zh_tw: get(f, zh).trim().to_owned(),
        en: get(f, en).trim().to_owned(),
    };
    shop.name = text("name_zh", "name_en");
    shop.city = text("city_zh", "city_en");
    shop.address = text("address_zh", "address_en");
    shop.phone = get(f, "phone").trim().to_owned();
    let zh: Vec<&str> = get(f, "hours_zh")
        .lines()
        .map(str::trim)
        .filter(|x| !x.is_empty())
        .collect();
    let en: Vec<&str> = get(f, "hours_en")
        .lines()
        .map(str::trim)
        .filter(|x| !x.is_empty())
        .collect();
    if zh.len() != en.len() {
        return Err(bad(
            "hours_zh",
            t(
                l,
                "營業時間的中文與英文需要一樣多行。",
                "The opening hours need as many English lines as Chinese ones.",
            ),
        ));
    }
    shop.hours = zh
        .iter()
        .zip(&en)
        .map(|(z, e)| LocalizedText {
            zh_tw: (*z).into(),
            en: (*e).into(),
        })
        .collect();
    shop.bays = get(f, "bays")
        .trim()
        .parse()
        .ok()
        .filter(|n| (1..=50).contains(n))
        .ok_or_else(|| {
            bad(
                "bays",
                t(l, "工位數需為 1 到 50。", "Bays must be 1 to 50."),
            )
        })?;
    // The shop's sites are the alliance's to grant (requested below the form), never saved here.
    let opt = |name: &str| Some(get(f, name).trim().to_owned()).filter(|v| !v.is_empty());
    shop.page_url = opt("page_url");
    shop.webhook_url = opt("webhook_url");
    shop.referrals = shared::Referrals {
        send: get(f, "referrals_send") == "on",
        receive: get(f, "referrals_receive") == "on",
    };
    shop.booking = if get(f, "booking_on") == "on" {
        let time = |name: &str| -> Result<Option<TimeOfDay>, FieldErr> {
            match opt(name) {
                None => Ok(None),
                Some(v) => serde_json::from_value(v.clone().into())
                    .map(Some)
                    .map_err(|_| {
                        bad(
                            name,
                            format!(
                                "{v}: {}",
                                t(l, "請用 24 小時制 HH:MM。", "use 24-hour HH:MM.")
                            ),
                        )
                    }),
            }
        };
        let mut weekly = Vec::new();
        for day in 1..=7u8 {
            let (open, close) = (
                time(&format!("open_{day}"))?,
                time(&format!("close_{day}"))?,
            );
            match (open, close) {
                (None, None) => {}
                (Some(open), Some(close)) if open < close => {
                    let breaks = match (time(&format!("break_from_{day}"))?, time(&format!("break_to_{day}"))?) {
                        (Some(a), Some(z)) if open <= a && a < z && z <= close => vec![(a, z)],
                        (None, None) => vec![],
                        _ => return Err(bad(&format!("break_from_{day}"), t(l, "休息時間需在營業時間內，且開始早於結束。", "A break must lie within the opening hours and start before it ends."))),
                    };
                    weekly.push(DayHours { weekday: day, open, close, breaks });
                }
                _ => return Err(bad(&format!("open_{day}"), t(l, "請填開門與打烊時間，且開門早於打烊；公休日兩格都留空。", "Give both opening and closing times, opening first; leave both empty on closed days."))),
            }
        }
        let number = |name: &str, max: u32| -> Result<u32, FieldErr> {
            get(f, name)
                .trim()
                .parse::<u32>()
                .ok()
                .filter(|n| *n <= max)
                .ok_or_else(|| {
                    bad(
                        name,
                        format!("{} 0–{max}", t(l, "請填整數", "Enter a whole number")),
                    )
                })
        };
        let mut closures = Vec::new();
        for line in get(f, "closures")
            .lines()
            .map(str::trim)
            .filter(|x| !x.is_empty())
        {
            let ok =
                line.len() == 10 && shared::parse_rfc3339(&format!("{line}T00:00:00Z")).is_some();
            if !ok {
                return Err(bad(
                    "closures",
                    format!(
                        "{line}: {}",
                        t(
                            l,
                            "日期請用 YYYY-MM-DD，每行一天。",
                            "use YYYY-MM-DD, one date per line."
                        )
                    ),
                ));
            }
            closures.push(line.to_owned());
        }
        let rules = BookingRules {
            weekly,
            closures,
            lead_minutes: number("lead_minutes", 60 * 24 * 14)?,
            horizon_days: number("horizon_days", 366)? as u16,
            cancel_cutoff_hours: number("cancel_cutoff_hours", 24 * 14)? as u16,
            step_minutes: number("step_minutes", 240)? as u16,
        };
        rules.validate().map_err(|e| bad("hours", e))?;
        Some(rules)
    } else {
        None
    };
    let mut services = Vec::new();
    for i in 0..=current.services.len() {
        let id = get(f, &format!("svc_{i}_id")).trim();
        if id.is_empty() || get(f, &format!("svc_{i}_remove")) == "on" {
            continue;
        }
        if !shared::visit_ok(id) || id.len() > 32 {
            return Err(bad(
                &format!("svc_{i}_id"),
                t(
                    l,
                    "服務代碼需為英數字、- 或 _（最多 32 字）。",
                    "A service code is letters, digits, - or _ (at most 32).",
                ),
            ));
        }
        if services.iter().any(|s: &Service| s.id == id) {
            return Err(bad(
                &format!("svc_{i}_id"),
                t(l, "服務代碼重複。", "Two services have the same code."),
            ));
        }
        let minutes = get(f, &format!("svc_{i}_minutes"))
            .trim()
            .parse()
            .ok()
            .filter(|m| (5..=1440).contains(m))
            .ok_or_else(|| {
                bad(
                    &format!("svc_{i}_minutes"),
                    t(
                        l,
                        "時間需為 5 到 1440 分鐘。",
                        "Duration must be 5 to 1440 minutes.",
                    ),
                )
            })?;
        let bays = get(f, &format!("svc_{i}_bays"))
            .trim()
            .parse()
            .ok()
            .filter(|b| *b >= 1 && *b <= shop.bays)
            .ok_or_else(|| {
                bad(
                    &format!("svc_{i}_bays"),
                    t(
                        l,
                        "工位數需為 1 到本店工位數。",
                        "Bays must be 1 to the shop's bays.",
                    ),
                )
            })?;
        let name = text(&format!("svc_{i}_zh"), &format!("svc_{i}_en"));
        if name.zh_tw.is_empty() || name.en.is_empty() {
            return Err(bad(
                &format!("svc_{i}_zh"),
                t(
                    l,
                    "服務名稱需有中文與英文。",
                    "A service needs a Chinese and an English name.",
                ),
            ));
        }
        services.push(Service {
            id: id.to_owned(),
            name,
            duration_minutes: minutes,
            price: text(&format!("svc_{i}_price_zh"), &format!("svc_{i}_price_en")),
            bays,
        });
    }
    if services.is_empty() {
        return Err(bad(
            "services",
            t(l, "至少需要一項服務。", "List at least one service."),
        ));
    }
    shop.services = services;
    Ok(shop)
}

/// The attributes and the message of a field named `name` when `err` is about it.
fn field_error(name: &str, err: Option<(&str, &str)>) -> (String, String) {
    match err {
        Some((field, msg)) if field == name => (
            format!(r#" aria-invalid="true" aria-describedby="{name}-error""#),
            format!(
                r#"<p id="{name}-error" class="field-error">{}</p>"#,
                escape(msg)
            ),
        ),
        _ => (String::new(), String::new()),
    }
}

fn input(
    f: &Fields,
    name: &str,
    label: &str,
    kind: &str,
    err: Option<(&str, &str)>,
    extra: &str,
) -> String {
    let (invalid, msg) = field_error(name, err);
    format!(
        r#"<label for="{name}">{label}</label><input id="{name}" name="{name}" type="{kind}" value="{v}"{invalid}{extra}>{msg}"#,
        v = escape(get(f, name)),
    )
}

fn textarea(f: &Fields, name: &str, label: &str, hint: &str, err: Option<(&str, &str)>) -> String {
    let (invalid, msg) = field_error(name, err);
    format!(
        r#"<label for="{name}">{label}</label><p class="hint">{hint}</p><textarea id="{name}" name="{name}" rows="3"{invalid}>{v}</textarea>{msg}"#,
        v = escape(get(f, name)),
    )
}

/// The profile form, filled from `f` (the stored profile, or what was just submitted).
fn profile_page(
    ctx: &Ctx,
    s: &Signed,
    shop: &ShopId,
    f: &Fields,
    notice: Notice,
    err: Option<(&str, &str)>,
    status: u16,
) -> Response {
    let l = ctx.lang;
    let mut p = Page::new(ctx, t(l, "店家資料", "Profile"));
    p.nav(Nav::Shop(shop.as_str(), "profile"), &s.csrf);
    p.notice(notice);
    let mut h = format!(
        r#"<form method="post" action="/console/shop/{shop}/profile" class="profile">{}"#,
        csrf_field(&s.csrf)
    );
    h.push_str(&format!(
        "<fieldset><legend>{}</legend>",
        t(l, "基本資料", "About the shop")
    ));
    for (name, label) in [
        ("name_zh", t(l, "店名（中文）", "Name (Chinese)")),
        ("name_en", t(l, "店名（英文）", "Name (English)")),
        ("city_zh", t(l, "地區（中文）", "Area (Chinese)")),
        ("city_en", t(l, "地區（英文）", "Area (English)")),
        ("address_zh", t(l, "地址（中文）", "Address (Chinese)")),
        ("address_en", t(l, "地址（英文）", "Address (English)")),
    ] {
        h.push_str(&input(
            f,
            name,
            label,
            "text",
            err,
            " required maxlength=\"200\"",
        ));
    }
    h.push_str(&input(
        f,
        "phone",
        t(l, "電話", "Phone"),
        "tel",
        err,
        " required maxlength=\"30\"",
    ));
    h.push_str(&textarea(
        f,
        "hours_zh",
        t(
            l,
            "營業時間說明（中文）",
            "Opening hours as shown (Chinese)",
        ),
        t(
            l,
            "每行一組，例如「週一至週五 08:30–18:30」。",
            "One line per group of days.",
        ),
        err,
    ));
    h.push_str(&textarea(
        f,
        "hours_en",
        t(
            l,
            "營業時間說明（英文）",
            "Opening hours as shown (English)",
        ),
        t(l, "與中文同樣行數。", "As many lines as the Chinese."),
        err,
    ));
    h.push_str("</fieldset>");

    h.push_str(&format!(
        "<fieldset><legend>{}</legend>",
        t(l, "網站與通知", "Site and notifications")
    ));
    let list = |name: &str| -> String {
        get(f, name)
            .lines()
            .filter(|o| !o.trim().is_empty())
            .map(|o| format!("<li><code>{}</code></li>", escape(o)))
            .collect()
    };
    let (sites, waiting) = (list("origins"), list("requested"));
    h.push_str(&format!(
        r#"<p class="label">{title}</p><p class="hint">{hint}</p><ul class="origins" data-origins="listed">{sites}</ul>{waiting}"#,
        title = t(l, "貴店網站（由聯盟核准）", "Your sites (granted by the alliance)"),
        hint = t(l, "徽章只在這些網站上顯示「已驗證」，評價與預約也只接受從這些網站送出。要新增網站，請在本頁下方向聯盟申請。", "The badge is verified, and reviews and bookings accepted, only on these. To add a site, request it from the alliance below this form."),
        sites = if sites.is_empty() { format!("<li>{}</li>", t(l, "（無）", "(none)")) } else { sites },
        waiting = if waiting.is_empty() {
            String::new()
        } else {
            format!(
                r#"<p class="hint">{}</p><ul class="origins" data-origins="requested">{waiting}</ul>"#,
                t(l, "等待聯盟審核：", "Waiting for the alliance's decision:")
            )
        },
    ));
    h.push_str(&input(
        f,
        "page_url",
        t(
            l,
            "放小工具的網頁網址",
            "Address of the page with the widget",
        ),
        "url",
        err,
        "",
    ));
    h.push_str(&input(
        f,
        "webhook_url",
        t(l, "Webhook 網址（選填）", "Webhook URL (optional)"),
        "url",
        err,
        "",
    ));
    h.push_str("</fieldset>");

    h.push_str(&format!(
        "<fieldset><legend>{}</legend>",
        t(l, "線上預約", "Online booking")
    ));
    h.push_str(&format!(
        r#"<label class="check"><input type="checkbox" name="booking_on" value="on"{}> {}</label>"#,
        if get(f, "booking_on") == "on" {
            " checked"
        } else {
            ""
        },
        t(l, "接受線上預約", "Take online bookings")
    ));
    h.push_str(&input(
        f,
        "bays",
        t(l, "工位數", "Service bays"),
        "number",
        err,
        r#" min="1" max="50" required"#,
    ));
    if let Some((field, msg)) = err.filter(|(field, _)| *field == "hours") {
        h.push_str(&format!(
            r#"<p id="{field}-error" class="field-error">{}</p>"#,
            escape(msg)
        ));
    }
    h.push_str(&format!(
        r#"<table class="hours"><caption>{}</caption><thead><tr><th scope="col">{}</th><th scope="col">{}</th><th scope="col">{}</th><th scope="col">{}</th><th scope="col">{}</th></tr></thead><tbody>"#,
        t(l, "每週營業時間（公休日留空）", "Weekly hours (leave closed days empty)"),
        t(l, "星期", "Day"), t(l, "開門", "Opens"), t(l, "打烊", "Closes"), t(l, "休息起", "Break from"), t(l, "休息迄", "Break to"),
    ));
    let days_zh = ["一", "二", "三", "四", "五", "六", "日"];
    let days_en = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];
    for d in 1..=7usize {
        let day = match l {
            Locale::En => days_en[d - 1].to_owned(),
            _ => format!("週{}", days_zh[d - 1]),
        };
        h.push_str(&format!("<tr><th scope=\"row\">{day}</th>"));
        for (part, label) in [
            ("open", t(l, "開門", "Opens")),
            ("close", t(l, "打烊", "Closes")),
            ("break_from", t(l, "休息起", "Break from")),
            ("break_to", t(l, "休息迄", "Break to")),
        ] {
            let name = format!("{part}_{d}");
            let invalid = err
                .filter(|(field, _)| *field == name)
                .map(|_| r#" aria-invalid="true""#)
                .unwrap_or("");
            h.push_str(&format!(
                r#"<td data-label="{label}"><input name="{name}" type="time" value="{}" aria-label="{day} {label}"{invalid}></td>"#,
                escape(get(f, &name))
            ));
        }
        h.push_str("</tr>");
        if let Some((field, msg)) = err.filter(|(field, _)| field.ends_with(&format!("_{d}"))) {
            h.push_str(&format!(
                r#"<tr><td colspan="5"><p id="{field}-error" class="field-error">{}</p></td></tr>"#,
                escape(msg)
            ));
        }
    }
    h.push_str("</tbody></table>");
    h.push_str(&textarea(
        f,
        "closures",
        t(l, "公休日期", "Closed dates"),
        t(l, "每行一天，YYYY-MM-DD。", "One per line, YYYY-MM-DD."),
        err,
    ));
    for (name, label) in [
        (
            "lead_minutes",
            t(
                l,
                "最短預約前置時間（分鐘）",
                "Earliest booking, minutes from now",
            ),
        ),
        (
            "horizon_days",
            t(l, "最遠可預約天數", "Bookable days ahead"),
        ),
        (
            "cancel_cutoff_hours",
            t(
                l,
                "客人可自行更改至開始前幾小時",
                "Customers may change until hours before",
            ),
        ),
        (
            "step_minutes",
            t(l, "時段間隔（分鐘）", "Slot step, minutes"),
        ),
    ] {
        h.push_str(&input(f, name, label, "number", err, r#" min="0""#));
    }
    h.push_str("</fieldset>");

    h.push_str(&format!(
        "<fieldset><legend>{}</legend>",
        t(l, "聯盟轉介", "Alliance referrals")
    ));
    for (name, label) in [
        (
            "referrals_send",
            t(
                l,
                "額滿時推薦附近有空位的會員",
                "When full, offer nearby members with free times",
            ),
        ),
        (
            "referrals_receive",
            t(
                l,
                "接受其他會員轉介的客人",
                "Take customers other members refer",
            ),
        ),
    ] {
        h.push_str(&format!(
            r#"<label class="check"><input type="checkbox" name="{name}" value="on"{}> {label}</label>"#,
            if get(f, name) == "on" { " checked" } else { "" }
        ));
    }
    h.push_str("</fieldset>");
    h.push_str(&format!(
        "<fieldset><legend>{}</legend>",
        t(l, "服務項目", "Services")
    ));
    if let Some((_, msg)) = err.filter(|(field, _)| *field == "services") {
        h.push_str(&format!(
            r#"<p id="services-error" class="field-error">{}</p>"#,
            escape(msg)
        ));
    }
    let count = (0..)
        .take_while(|i| {
            !get(f, &format!("svc_{i}_id")).is_empty() || !get(f, &format!("svc_{i}_zh")).is_empty()
        })
        .count();
    for i in 0..=count {
        let new = i == count;
        h.push_str(&format!(
            r#"<fieldset class="service"><legend>{}</legend>"#,
            if new {
                t(l, "新增服務（選填）", "Add a service (optional)").to_owned()
            } else {
                escape(get(f, &format!("svc_{i}_zh")))
            }
        ));
        for (part, label, kind, extra) in [
            (
                "id",
                t(l, "代碼（英數字）", "Code (letters, digits)"),
                "text",
                r#" maxlength="32""#,
            ),
            ("zh", t(l, "名稱（中文）", "Name (Chinese)"), "text", ""),
            ("en", t(l, "名稱（英文）", "Name (English)"), "text", ""),
            (
                "minutes",
                t(l, "所需時間（分鐘）", "Duration (minutes)"),
                "number",
                r#" min="5" max="1440""#,
            ),
            (
                "bays",
                t(l, "占用工位", "Bays it takes"),
                "number",
                r#" min="1""#,
            ),
            (
                "price_zh",
                t(l, "價格（中文）", "Price (Chinese)"),
                "text",
                "",
            ),
            (
                "price_en",
                t(l, "價格（英文）", "Price (English)"),
                "text",
                "",
            ),
        ] {
            h.push_str(&input(
                f,
                &format!("svc_{i}_{part}"),
                label,
                kind,
                err,
                extra,
            ));
        }
        if !new {
            h.push_str(&format!(r#"<label class="check"><input type="checkbox" name="svc_{i}_remove" value="on"> {}</label>"#, t(l, "移除這項服務", "Remove this service")));
        }
        h.push_str("</fieldset>");
    }
    h.push_str("</fieldset>");
    h.push_str(&format!(
        r#"<button type="submit" class="primary">{}</button></form>"#,
        t(l, "儲存", "Save")
    ));
    h.push_str(&format!(
        r#"<section class="card"><h2>{title}</h2><p class="muted">{intro}</p><form method="post" action="/console/shop/{shop}/origins">{csrf}{input}<button type="submit" class="secondary">{send}</button></form></section>"#,
        title = t(l, "申請新增網站", "Request a site"),
        intro = t(l, "聯盟核准後，徽章才會在該網站顯示「已驗證」；核准或拒絕都會記入稽核紀錄。", "Once the alliance approves it, the badge is verified there; approvals and refusals are in the audit log."),
        csrf = csrf_field(&s.csrf),
        input = input(f, "origin", t(l, "網站（例如 https://www.example.tw）", "Site (e.g. https://www.example.tw)"), "url", err, ""),
        send = t(l, "送出申請", "Send request"),
    ));
    p.push(h);
    p.respond(status)
}
