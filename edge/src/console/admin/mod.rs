//! The alliance admin console: members (add, allowed origins, suspend, reinstate, revoke, access
//! keys) with each member's figures, the review moderation queue, and the audit log.

mod moderation;

use crate::app::App;
use moderation::{audit, moderation};

use super::page::{csrf_field, Nav, Notice, OkNotices, Page};
use super::{field, redirect, Ctx, Form, Signed};
use crate::error::{ApiError, ApiResult};
use crate::handlers::members::{self, Action};
use crate::http::{escape, param};
use crate::i18n::t;
use crate::shop_do::protocol::GetStats;
use shared::{
    AllowedOrigin, HideReason, LocalizedText, Membership, MembershipStatus, ProblemKind, Shop,
    ShopId, StatusChange,
};
use worker::Response;

/// What the admin console says after each kind of change.
const ADMIN_OK: &OkNotices = &[
    (
        "added",
        "已加入會員。請發給他們存取金鑰。",
        "Member added. Issue them an access key.",
    ),
    (
        "status",
        "會員狀態已更新，徽章立即反映。",
        "Membership updated; badges show it now.",
    ),
    ("origins", "允許的網站已更新。", "Allowed origins updated."),
    (
        "keys-revoked",
        "已停用這家店的所有存取金鑰。",
        "Every access key of the shop was revoked.",
    ),
    (
        "hidden",
        "評價已隱藏，並記入公開審核紀錄。",
        "Review hidden and added to the public moderation log.",
    ),
];

/// GET pages of the admin console.
pub async fn read(
    app: &App,
    ctx: &Ctx,
    s: &Signed,
    rest: &[&str],
    q: &[(String, String)],
) -> ApiResult<Response> {
    let notice = Notice::ok(ctx.lang, param(q, "ok"), ADMIN_OK);
    match rest {
        [] | [""] => members_page(app, ctx, s, notice, None, 200).await,
        ["moderation"] => moderation(app, ctx, s, param(q, "shop"), notice, 200).await,
        ["audit"] => audit(app, ctx, s).await,
        _ => Err(super::page::not_found(ctx.lang)),
    }
}

/// Form posts of the admin console (session and CSRF already checked).
pub async fn write(
    app: &App,
    ctx: &Ctx,
    s: &Signed,
    rest: &[&str],
    form: &Form,
) -> ApiResult<Response> {
    let l = ctx.lang;
    let actor = s.actor();
    let result = match rest {
        ["members"] => match new_member(form, l) {
            Ok(shop) => members::add_member(app, &actor, shop)
                .await
                .map(|_| redirect("/console/admin?ok=added")),
            Err(e) => Err(e),
        },
        ["members", id] => {
            let id = crate::handlers::widget::shop_id(id)?;
            match field(form, "action") {
                "key" => {
                    let key = members::rotate_key(app, &actor, &id).await?;
                    return key_page(ctx, s, &id, &key);
                }
                a @ ("origin-approve" | "origin-refuse") => members::decide_origin(
                    app,
                    &actor,
                    &id,
                    field(form, "origin"),
                    a == "origin-approve",
                    field(form, "reason"),
                )
                .await
                .map(|_| redirect("/console/admin?ok=origins")),
                "revoke-keys" => members::revoke_keys(app, &actor, &id)
                    .await
                    .map(|_| redirect("/console/admin?ok=keys-revoked")),
                "origins" => {
                    let mut shop = app
                        .store()?
                        .shop(&id)
                        .await?
                        .ok_or_else(|| crate::handlers::widget::unknown(&id))?;
                    match parse_origins(field(form, "origins")) {
                        Ok(o) => {
                            shop.membership.allowed_origins = o;
                            members::update_member(app, &actor, &id, shop)
                                .await
                                .map(|_| redirect("/console/admin?ok=origins"))
                        }
                        Err(e) => Err(e),
                    }
                }
                a => match Action::parse(a) {
                    Some(action) => {
                        let change = StatusChange {
                            reason: field(form, "reason").to_owned(),
                        };
                        members::change_member_status(app, &actor, &id, action, change)
                            .await
                            .map(|_| redirect("/console/admin?ok=status"))
                    }
                    None => Err(ApiError::field(
                        ProblemKind::InvalidBody,
                        "action",
                        "unknown action",
                    )),
                },
            }
        }
        ["moderation", shop, review] => {
            let shop = crate::handlers::widget::shop_id(shop)?;
            let reason: HideReason =
                serde_json::from_value(field(form, "reason").into()).map_err(|_| {
                    ApiError::field(
                        ProblemKind::InvalidBody,
                        "reason",
                        t(l, "請選擇隱藏原因。", "Choose why the review is hidden."),
                    )
                })?;
            let mut resp =
                crate::handlers::reviews::hide_review(app, &actor, &shop, review, reason).await?;
            if resp.status_code() == 200 {
                Ok(redirect("/console/admin/moderation?ok=hidden"))
            } else {
                let p: shared::Problem = resp.json().await?;
                Err(ApiError::Client(p))
            }
        }
        _ => Err(super::page::not_found(l)),
    };
    match result {
        Ok(resp) => Ok(resp),
        Err(ApiError::Client(p)) if rest.first() == Some(&"moderation") => {
            moderation(
                app,
                ctx,
                s,
                rest.get(1).copied(),
                Notice::Error(p.detail),
                p.status,
            )
            .await
        }
        Err(ApiError::Client(p)) => {
            members_page(
                app,
                ctx,
                s,
                Notice::Error(p.detail.clone()),
                Some(form),
                p.status,
            )
            .await
        }
        Err(e) => Err(e),
    }
}

fn parse_origins(text: &str) -> ApiResult<Vec<AllowedOrigin>> {
    text.lines()
        .map(str::trim)
        .filter(|x| !x.is_empty())
        .map(|line| {
            AllowedOrigin::parse(line).map_err(|e| {
                ApiError::field(ProblemKind::InvalidBody, "origins", format!("{line}: {e}"))
            })
        })
        .collect()
}

fn new_member(form: &Form, l: shared::Locale) -> ApiResult<Shop> {
    let text = |zh: &str, en: &str| LocalizedText {
        zh_tw: field(form, zh).trim().to_owned(),
        en: field(form, en).trim().to_owned(),
    };
    let id = crate::handlers::widget::shop_id(field(form, "id").trim()).map_err(|_| {
        ApiError::field(
            ProblemKind::InvalidBody,
            "id",
            t(
                l,
                "店家代碼需為小寫英文、數字與 -。",
                "A shop id is lower-case letters, digits and -.",
            ),
        )
    })?;
    let coord = |name: &str, range: std::ops::RangeInclusive<f64>| -> ApiResult<f64> {
        field(form, name)
            .trim()
            .parse::<f64>()
            .ok()
            .filter(|v| range.contains(v))
            .ok_or_else(|| {
                ApiError::field(
                    ProblemKind::InvalidBody,
                    name,
                    t(
                        l,
                        "請填有效的經緯度。",
                        "Enter a valid latitude and longitude.",
                    ),
                )
            })
    };
    let zone = field(form, "time_zone").trim();
    let zone = if zone.is_empty() {
        shared::TimeZoneName::taipei()
    } else {
        shared::TimeZoneName::parse(zone)
            .map_err(|e| ApiError::field(ProblemKind::InvalidBody, "time_zone", e.to_string()))?
    };
    Ok(Shop {
        id,
        name: text("name_zh", "name_en"),
        city: text("city_zh", "city_en"),
        address: text("address_zh", "address_en"),
        phone: field(form, "phone").trim().to_owned(),
        latitude: coord("latitude", -90.0..=90.0)?,
        longitude: coord("longitude", -180.0..=180.0)?,
        time_zone: zone,
        bays: 1,
        hours: vec![],
        services: vec![],
        membership: Membership {
            requested_origins: Vec::new(),
            secrets_generation: 0,
            status: MembershipStatus::Active,
            member_since: (js_sys::Date::new_0().get_full_year()) as u16,
            allowed_origins: parse_origins(field(form, "origins"))?,
        },
        booking: None,
        webhook_url: None,
        page_url: None,
        referrals: Default::default(),
        alert_email: None,
        reminder_hour: None,
    })
}

fn status_label(l: shared::Locale, s: MembershipStatus) -> &'static str {
    match s {
        MembershipStatus::Active => t(l, "有效", "Active"),
        MembershipStatus::Suspended => t(l, "暫停", "Suspended"),
        _ => t(l, "已除名", "Revoked"),
    }
}

async fn members_page(
    app: &App,
    ctx: &Ctx,
    s: &Signed,
    notice: Notice,
    form: Option<&Form>,
    status: u16,
) -> ApiResult<Response> {
    let l = ctx.lang;
    let store = app.store()?;
    let docs = store.all_widgets().await?;
    let mut shops: Vec<(Shop, shared::RatingSummary)> = store
        .all_shops()
        .await?
        .into_iter()
        .map(|shop| {
            let rating = docs
                .iter()
                .find(|d| d.view.shop.id == shop.id)
                .map(|d| d.view.rating.clone())
                .unwrap_or_default();
            (shop, rating)
        })
        .collect();
    shops.sort_by(|a, b| a.0.id.as_str().cmp(b.0.id.as_str()));
    // Each member's figures come from its own object: a few at a time.
    let mut stats = Vec::new();
    for chunk in shops.chunks(8) {
        stats.extend(
            futures_util::future::join_all(chunk.iter().map(|(shop, _)| async move {
                let obj = app.shop(&shop.id)?;
                obj.send(&GetStats).await
            }))
            .await,
        );
    }
    let mut p = Page::new(ctx, t(l, "聯盟會員", "Alliance members"));
    p.nav(Nav::Admin(""), &s.csrf);
    p.notice(notice);
    p.push(format!(
        r#"<table class="figures"><caption>{}</caption><thead><tr><th scope="col">{}</th><th scope="col">{}</th><th scope="col">{}</th><th scope="col">{}</th><th scope="col">{}</th><th scope="col">{}</th><th scope="col">{}</th></tr></thead><tbody>"#,
        t(l, "各會員數字", "Figures per member"),
        t(l, "店家", "Shop"), t(l, "狀態", "Status"), t(l, "預約", "Bookings"), t(l, "完成", "Completed"), t(l, "評價（平均）", "Reviews (average)"), t(l, "近 7 天：邀請評價／完成預約", "Last 7 days: review invites / completed bookings"), t(l, "轉介出／入", "Referrals out/in"),
    ));
    for ((shop, rating), st) in shops.iter().zip(&stats) {
        let st = st.as_ref().cloned().unwrap_or_default();
        p.push(format!(
            r##"<tr><th scope="row"><a href="#m-{id}">{name}</a></th><td>{status}</td><td>{}</td><td>{}</td><td>{} ({})</td><td data-invites="{}">{} / {}</td><td>{} / {}</td></tr>"##,
            st.bookings, st.completed, st.reviews, rating.average_display(), st.invites_week, st.invites_week, st.completed_week, st.referrals_sent, st.referrals_received,
            id = shop.id,
            name = escape(shop.name.get(l)),
            status = status_label(l, shop.membership.status),
        ));
    }
    p.push("</tbody></table>");
    for (shop, _) in &shops {
        let id = shop.id.as_str();
        let origins = members::origins_text(shop, "\n");
        let csrf = csrf_field(&s.csrf);
        let status_actions: &[(&str, &str, &str)] = match shop.membership.status {
            MembershipStatus::Active => &[
                ("suspend", "暫停會員資格", "Suspend"),
                ("revoke", "除名", "Revoke"),
            ],
            MembershipStatus::Suspended => &[
                ("reinstate", "恢復會員資格", "Reinstate"),
                ("revoke", "除名", "Revoke"),
            ],
            _ => &[],
        };
        let mut status_forms = String::new();
        for (action, zh, en) in status_actions {
            status_forms.push_str(&format!(
                r#"<details><summary>{label}…</summary><form method="post" action="/console/admin/members/{id}">{csrf}
<label for="reason-{action}-{id}">{why}</label><input id="reason-{action}-{id}" name="reason" required maxlength="500">
<button type="submit" name="action" value="{action}" class="danger">{label}</button></form></details>"#,
                label = t(l, zh, en),
                why = t(l, "原因（記入稽核紀錄）", "Reason (kept in the audit log)"),
            ));
        }
        let keys = if shop.membership.status == MembershipStatus::Revoked {
            String::new()
        } else {
            format!(
                r#"<form method="post" action="/console/admin/members/{id}" class="actions">{csrf}<button type="submit" name="action" value="key" class="secondary">{issue}</button><button type="submit" name="action" value="revoke-keys" class="secondary">{revoke}</button></form>"#,
                issue = t(
                    l,
                    "發新金鑰（舊的立即失效）",
                    "Issue new key (the old one stops)"
                ),
                revoke = t(l, "停用所有金鑰", "Revoke all keys"),
            )
        };
        let requests: String = shop
            .membership
            .requested_origins
            .iter()
            .enumerate()
            .map(|(i, o)| {
                format!(
                    r#"<li data-requested="{o}"><code>{o}</code><form method="post" action="/console/admin/members/{id}" class="actions">{csrf}<input type="hidden" name="origin" value="{o}"><button type="submit" name="action" value="origin-approve" class="secondary">{approve}</button></form>
<details><summary>{refuse}…</summary><form method="post" action="/console/admin/members/{id}">{csrf}<input type="hidden" name="origin" value="{o}"><label for="refuse-{id}-{i}">{why}</label><input id="refuse-{id}-{i}" name="reason" required minlength="3" maxlength="500"><button type="submit" name="action" value="origin-refuse" class="danger">{refuse}</button></form></details></li>"#,
                    o = escape(o.as_str()),
                    approve = t(l, "核准", "Approve"),
                    refuse = t(l, "拒絕", "Refuse"),
                    why = t(l, "原因（記入稽核紀錄）", "Reason (kept in the audit log)"),
                )
            })
            .collect();
        let requests = if requests.is_empty() {
            String::new()
        } else {
            format!(
                r#"<section class="requests"><h3>{}</h3><ul>{requests}</ul></section>"#,
                t(l, "店家申請的網站", "Sites the shop requested")
            )
        };
        p.push(format!(
            r#"<article class="member" id="m-{id}"><h2>{name} <span class="pill {class}">{status}</span></h2>
<p class="muted">{id} · {city} · <a href="/verify/{id}">{verify}</a></p>
{requests}
<details class="manage"><summary>{manage}</summary>
{keys}
<form method="post" action="/console/admin/members/{id}">{csrf}
<label for="origins-{id}">{origins_label}</label><textarea id="origins-{id}" name="origins" rows="2">{origins}</textarea>
<button type="submit" name="action" value="origins" class="secondary">{save}</button></form>
{status_forms}</details></article>"#,
            name = escape(shop.name.get(l)),
            class = if shop.membership.status == MembershipStatus::Active { "done" } else { "off" },
            status = status_label(l, shop.membership.status),
            city = escape(shop.city.get(l)),
            verify = t(l, "驗證頁", "Verification page"),
            manage = t(l, "管理金鑰、網站與會員資格", "Keys, sites and membership"),
            origins_label = t(l, "允許的網站（每行一個）", "Allowed origins (one per line)"),
            origins = escape(&origins),
            save = t(l, "儲存網站", "Save origins"),
        ));
    }
    let value = |name: &str| escape(form.map(|f| field(f, name)).unwrap_or(""));
    let mut add = format!(
        r#"<section class="card"><h2>{}</h2><form method="post" action="/console/admin/members">{}"#,
        t(l, "加入新會員", "Add a member"),
        csrf_field(&s.csrf)
    );
    for &(name, zh, en, extra) in NEW_MEMBER_FIELDS {
        let label = t(l, zh, en);
        add.push_str(&format!(r#"<label for="new-{name}">{label}</label><input id="new-{name}" name="{name}" value="{}"{extra}>"#, value(name)));
    }
    add.push_str(&format!(
        r#"<label for="new-origins">{}</label><textarea id="new-origins" name="origins" rows="2">{}</textarea><button type="submit" class="primary">{}</button></form></section>"#,
        t(l, "網站（每行一個）", "Sites (one per line)"),
        value("origins"),
        t(l, "加入", "Add member"),
    ));
    p.push(add);
    Ok(p.respond(status))
}

/// The add-a-member form's fields: name, zh-TW and English label, input attributes.
const NEW_MEMBER_FIELDS: &[(&str, &str, &str, &str)] = &[
    (
        "id",
        "店家代碼（小寫英文、數字、-）",
        "Shop id (lower-case letters, digits, -)",
        r#" required pattern="[a-z0-9\-]+""#,
    ),
    ("name_zh", "店名（中文）", "Name (Chinese)", " required"),
    ("name_en", "店名（英文）", "Name (English)", " required"),
    ("city_zh", "地區（中文）", "Area (Chinese)", " required"),
    ("city_en", "地區（英文）", "Area (English)", " required"),
    (
        "address_zh",
        "地址（中文）",
        "Address (Chinese)",
        " required",
    ),
    (
        "address_en",
        "地址（英文）",
        "Address (English)",
        " required",
    ),
    ("phone", "電話", "Phone", " required"),
    (
        "latitude",
        "緯度",
        "Latitude",
        r#" required inputmode="decimal""#,
    ),
    (
        "longitude",
        "經度",
        "Longitude",
        r#" required inputmode="decimal""#,
    ),
    (
        "time_zone",
        "時區",
        "Time zone",
        r#" placeholder="Asia/Taipei""#,
    ),
];

fn key_page(ctx: &Ctx, s: &Signed, id: &ShopId, key: &str) -> ApiResult<Response> {
    let l = ctx.lang;
    let mut p = Page::new(ctx, t(l, "新的存取金鑰", "New access key"));
    p.nav(Nav::Admin(""), &s.csrf);
    p.notice(Notice::Ok(t(l, "金鑰只會顯示這一次，請立即交給店家。舊的金鑰已失效。", "The key is shown only this once: give it to the shop now. The old key no longer works.").into()));
    p.push(format!(
        r#"<div class="copy card"><label for="new-key">{id}</label><input id="new-key" readonly value="{key}"><button type="button" class="primary" data-copy="new-key">{copy}</button><span class="copied" role="status" aria-live="polite"></span></div><p><a href="/console/admin">{back}</a></p>"#,
        key = escape(key),
        copy = t(l, "複製金鑰", "Copy key"),
        back = t(l, "回到會員", "Back to members"),
    ));
    Ok(p.respond(201))
}
