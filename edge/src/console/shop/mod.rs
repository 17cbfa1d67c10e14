//! The shop console: bookings and their status, review links and invites, replies to reviews,
//! the shop's profile and booking rules, webhook deliveries, and the snippet generator: the
//! routes here, one module per page below.

mod bookings;
mod invites;
mod messages;
mod profile;
mod profile_page;
mod reviews;
mod webhooks;

use crate::app::App;
use bookings::*;
use invites::*;
use messages::*;
use profile::*;
use profile_page::*;
use reviews::*;
use webhooks::*;

use super::page::{csrf_field, local_time, Nav, Notice, OkNotices, Page};
use super::{field, redirect, Ctx, Form, Signed};
use crate::error::{ApiError, ApiResult};
use crate::handlers::members;
use crate::http::{escape, param};
use crate::i18n::{problem_text, t};
use crate::shop_do::protocol::{ConsoleBooking, ConsoleReviews, Deliveries, Referrals};
use crate::shop_do::{
    Delivery, ListReq, ManageReq, ReplyReq, RetryReq, ShopAction, ShopBooking, ShopReview,
    StatusReq,
};
use shared::{
    BookingRules, BookingStatus, DayHours, Handover, Locale, LocalizedText, ProblemKind, ReplyForm,
    Service, Shop, ShopId, TimeOfDay,
};
use worker::Response;

type Query = [(String, String)];

/// What every page of a shop's console is drawn with: the request's state, the console request,
/// the checked session and the shop it is for.
#[derive(Clone, Copy)]
pub(super) struct ShopCx<'a> {
    pub app: &'a App,
    pub ctx: &'a Ctx,
    pub s: &'a Signed,
    pub shop: &'a ShopId,
}

/// GET pages of a shop's console.
pub async fn read(
    app: &App,
    ctx: &Ctx,
    s: &Signed,
    shop: &ShopId,
    rest: &[&str],
    q: &Query,
) -> ApiResult<Response> {
    let cx = &ShopCx { app, ctx, s, shop };
    let notice = Notice::ok(ctx.lang, param(q, "ok"), SHOP_OK);
    match rest {
        [] | [""] => Ok(redirect(&format!("/console/shop/{shop}/bookings"))),
        ["bookings"] => bookings(cx, notice, 200).await,
        ["bookings", reference] => booking(cx, reference, notice, 200).await,
        ["reviews"] => reviews(cx, notice, 200).await,
        ["profile"] => {
            let profile = load_shop(app, shop).await?;
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
        ["webhooks"] => webhooks(cx, notice, 200).await,
        ["messages"] => messages(cx, notice, 200).await,
        ["snippet"] => super::snippet::generator(ctx, s, shop, q).await,
        _ => Err(super::page::not_found(ctx.lang)),
    }
}

/// Form posts of a shop's console (session and CSRF already checked). Success redirects to the
/// page showing the result; a refusal shows the same page with the reason.
pub async fn write(
    app: &App,
    ctx: &Ctx,
    s: &Signed,
    shop: &ShopId,
    rest: &[&str],
    form: &Form,
) -> ApiResult<Response> {
    let cx = &ShopCx { app, ctx, s, shop };
    let l = ctx.lang;
    match rest {
        ["bookings", reference] => {
            let action = ShopAction::parse(field(form, "action")).ok_or_else(|| {
                ApiError::field(ProblemKind::InvalidBody, "action", "unknown action")
            })?;
            let req = StatusReq {
                reference: shared::Reference::parse(reference).map_err(|_| {
                    ApiError::field(
                        ProblemKind::NotFound,
                        "reference",
                        t(l, "沒有這筆預約。", "There is no such booking."),
                    )
                })?,
                action,
                reason: Some(field(form, "reason").to_owned()).filter(|r| !r.is_empty()),
            };
            let result: ApiResult<ShopBooking> = app.shop(shop)?.send(&req).await;
            match result {
                Ok(b) => {
                    audit(
                        app,
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
                    booking(cx, reference, Notice::Error(problem_text(l, &p)), p.status).await
                }
                Err(e) => Err(e),
            }
        }
        ["invites"] => invite(cx, form).await,
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
                    return reviews(cx, Notice::Error(msg.into()), 400).await;
                }
            };
            let id = shared::ReviewId::parse(id).map_err(|_| {
                ApiError::field(
                    ProblemKind::InvalidParameter,
                    "review",
                    "malformed review id",
                )
            })?;
            let result = app
                .shop(shop)?
                .send(&ReplyReq {
                    id: id.clone(),
                    text,
                })
                .await;
            match result {
                Ok(_) => {
                    audit(app, s, shop, "review.reply", &id).await?;
                    Ok(redirect(&format!(
                        "/console/shop/{shop}/reviews?ok=reply#r-{id}"
                    )))
                }
                Err(ApiError::Client(p)) => {
                    reviews(cx, Notice::Error(problem_text(l, &p)), p.status).await
                }
                Err(e) => Err(e),
            }
        }
        ["origins"] => {
            match members::request_origin(app, &s.actor(), shop, field(form, "origin")).await {
                Ok(_) => Ok(redirect(&format!("/console/shop/{shop}/profile?ok=origin"))),
                Err(ApiError::Client(p)) => {
                    let current = load_shop(app, shop).await?;
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
            let current = load_shop(app, shop).await?;
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
            let updated = match ProfileForm::read(&fields).apply(&current, l) {
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
            match members::update_member(app, &s.actor(), shop, updated).await {
                Ok(_) => Ok(redirect(&format!(
                    "/console/shop/{shop}/profile?ok=profile"
                ))),
                Err(ApiError::Client(p)) => {
                    let field = p.field.clone().unwrap_or_default();
                    let key = profile_field_for(&field);
                    let msg = profile_message(l, key, Some(&p));
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
            members::rotate_secrets(app, &s.actor(), shop).await?;
            Ok(redirect(&format!(
                "/console/shop/{shop}/webhooks?ok=rotated"
            )))
        }
        ["messages", id, "retry"] => retry_message(cx, id).await,
        ["messages", "alerts"] => resume_alerts(cx).await,
        ["messages", "line"] => line_code(cx).await,
        ["push"] => add_push(cx, form).await,
        ["push", "remove"] => remove_push(cx, form).await,
        ["messages", "line", "unlink"] => line_unlink(cx, form).await,
        ["webhooks", id, "retry"] => {
            let result = app
                .shop(shop)?
                .send(&RetryReq {
                    id: (*id).to_owned(),
                })
                .await;
            match result {
                Ok(_) => {
                    audit(app, s, shop, "webhook.retry", id).await?;
                    Ok(redirect(&format!("/console/shop/{shop}/webhooks?ok=retry")))
                }
                Err(ApiError::Client(p)) => {
                    webhooks(cx, Notice::Error(problem_text(l, &p)), p.status).await
                }
                Err(e) => Err(e),
            }
        }
        _ => Err(super::page::not_found(l)),
    }
}

/// What the shop console says after each kind of change.
const SHOP_OK: &OkNotices = &[
    ("confirm", "已確認預約。", "Booking confirmed."),
    ("arrived", "已標記到店。", "Marked as arrived."),
    ("ready", "已通知客人可以取車。", "The customer is being told the car is ready."),
    ("complete", "已完成。請把下方的評價連結傳給客人。", "Completed. Send the customer the review link below."),
    ("no-show", "已標記未到。", "Marked as no-show."),
    ("cancel", "已取消，並通知客人的系統。", "Cancelled; the customer's system was told."),
    ("reply", "回覆已發布。", "Reply published."),
    ("profile", "店家資料已更新，小工具立即生效。", "Profile saved; the widget shows it now."),
    ("retry", "已排定立即重送。", "Queued to send again now."),
    ("alerts", "已更新電子郵件通知設定。", "E-mail alert setting saved."),
    ("line-unlinked", "已取消這個 LINE 帳號的連結。", "That LINE account is unlinked."),
    ("push", "這支手機會收到新預約通知。", "This phone gets the booking alerts."),
    ("push-removed", "已移除這支手機。", "That phone is removed."),
    ("rotated", "已更換簽章密鑰與行事曆網址：舊的已失效，請更新接收端與行事曆訂閱。", "Signing secret and calendar address replaced: the old ones no longer work. Update your receiver and calendar subscription."),
    ("origin", "已向聯盟申請新增網站；核准前徽章在該網站仍顯示未驗證。", "Site requested from the alliance; until it is approved the badge is not verified there."),
];

async fn audit(app: &App, s: &Signed, shop: &ShopId, action: &str, detail: &str) -> ApiResult<()> {
    let profile = load_shop(app, shop).await?;
    members::audit(app, &s.actor(), action, &profile, detail.to_owned()).await
}

async fn load_shop(app: &App, shop: &ShopId) -> ApiResult<Shop> {
    app.store()?
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
