//! The admin console's review moderation queue and the audit log.

use crate::app::App;
use crate::console::page::{csrf_field, Nav, Notice, Page};
use crate::console::{Ctx, Signed};
use crate::error::ApiResult;
use crate::http::escape;
use crate::i18n::t;
use crate::shop_do::protocol::ConsoleReviews;
use crate::shop_do::ShopReview;
use shared::HideReason;
use worker::Response;

pub(super) async fn moderation(
    app: &App,
    ctx: &Ctx,
    s: &Signed,
    only: Option<&str>,
    notice: Notice,
    status: u16,
) -> ApiResult<Response> {
    let l = ctx.lang;
    let store = app.store()?;
    let all_docs = store.all_widgets().await?;
    let mut docs: Vec<&shared::WidgetDoc> = all_docs
        .iter()
        .filter(|d| d.view.rating.count + d.view.hidden_reviews > 0)
        .collect();
    if let Some(only) = only.filter(|o| !o.is_empty()) {
        docs.retain(|d| d.view.shop.id.as_str() == only);
    }
    let mut lists = Vec::new();
    for chunk in docs.chunks(8) {
        lists.extend(
            futures_util::future::join_all(chunk.iter().map(|d| async move {
                let id = d.view.shop.id.clone();
                let list: ApiResult<Vec<ShopReview>> = app.shop(&id)?.send(&ConsoleReviews).await;
                list.map(|reviews| (id, d.view.shop.name.get(l).to_owned(), reviews))
            }))
            .await,
        );
    }
    let mut all = Vec::new();
    for item in lists {
        let (id, name, reviews) = item?;
        all.extend(reviews.into_iter().map(|r| (id.clone(), name.clone(), r)));
    }
    // Lowest ratings first (where abuse and disputes are), then newest.
    all.sort_by(|a, b| {
        a.2.hidden
            .is_some()
            .cmp(&b.2.hidden.is_some())
            .then(a.2.stars.cmp(&b.2.stars))
            .then(b.2.created_at.cmp(&a.2.created_at))
    });
    all.truncate(60);
    let mut p = Page::new(ctx, t(l, "評價審核", "Review moderation"));
    p.nav(Nav::Admin("moderation"), &s.csrf);
    p.notice(notice);
    let filter: String = std::iter::once(format!(
        r#"<option value="">{}</option>"#,
        t(l, "全部會員", "All members")
    ))
    .chain(all_docs.iter().map(|d| {
        let id = d.view.shop.id.as_str();
        format!(
            r#"<option value="{id}"{}>{}</option>"#,
            if only == Some(id) { " selected" } else { "" },
            escape(d.view.shop.name.get(l))
        )
    }))
    .collect();
    p.push(format!(
        r#"<form method="get" action="/console/admin/moderation" class="actions"><label for="only">{}</label><select id="only" name="shop">{filter}</select><button type="submit" class="secondary">{}</button></form>"#,
        t(l, "會員", "Member"),
        t(l, "篩選", "Filter"),
    ));
    p.push(format!(r#"<p class="hint">{}</p>"#, t(l, "低分評價優先。隱藏的評價會以原因取代內容公開顯示，並記入公開審核紀錄；評分不再計入。", "Lowest ratings first. A hidden review is replaced by its reason in public, enters the public moderation log, and leaves the rating.")));
    let reasons = [
        (HideReason::Abuse, t(l, "辱罵或仇恨言論", "Abuse or hate")),
        (
            HideReason::PersonalData,
            t(l, "含個人資料", "Personal data"),
        ),
        (HideReason::Spam, t(l, "廣告或不實", "Spam or fake")),
        (
            HideReason::OffTopic,
            t(l, "與到店消費無關", "Not about a visit"),
        ),
    ];
    for (shop, name, r) in &all {
        let stars = "★".repeat(r.stars as usize) + &"☆".repeat(5 - r.stars as usize);
        let action = match r.hidden {
            Some(h) => format!(
                r#"<p class="notice error">{}: {}</p>"#,
                t(l, "已隱藏", "Hidden"),
                h.as_str()
            ),
            None => {
                let options: String = reasons
                    .iter()
                    .map(|(v, t)| format!(r#"<option value="{}">{t}</option>"#, v.as_str()))
                    .collect();
                format!(
                    r#"<form method="post" action="/console/admin/moderation/{shop}/{id}" class="actions">{csrf}<label for="why-{shop}-{id}">{why}</label><select id="why-{shop}-{id}" name="reason" required><option value="">—</option>{options}</select><button type="submit" class="danger">{hide}</button></form>"#,
                    id = escape(&r.id),
                    csrf = csrf_field(&s.csrf),
                    why = t(l, "隱藏原因", "Reason"),
                    hide = t(l, "隱藏", "Hide"),
                )
            }
        };
        p.push(format!(
            r#"<article class="review"><p><strong>{name}</strong> · <span class="stars" role="img" aria-label="{n} / 5">{stars}</span> · {author} · {date}</p><p class="text">{text}</p>{action}</article>"#,
            name = escape(name),
            n = r.stars,
            author = escape(&r.author),
            date = escape(r.created_at.get(..10).unwrap_or("")),
            text = escape(&r.text),
        ));
    }
    if all.is_empty() {
        p.push(format!(
            r#"<p class="empty">{}</p>"#,
            t(l, "沒有評價。", "No reviews.")
        ));
    }
    Ok(p.respond(status))
}

pub(super) async fn audit(app: &App, ctx: &Ctx, s: &Signed) -> ApiResult<Response> {
    let l = ctx.lang;
    let entries = app.store()?.audit(100).await?;
    let mut p = Page::new(ctx, t(l, "稽核紀錄", "Audit log"));
    p.nav(Nav::Admin("audit"), &s.csrf);
    p.push(format!(
        r#"<table><caption>{}</caption><thead><tr><th scope="col">{}</th><th scope="col">{}</th><th scope="col">{}</th><th scope="col">{}</th></tr></thead><tbody>"#,
        t(l, "最新 100 筆管理與店家操作", "The newest 100 admin and shop writes"),
        t(l, "時間（UTC）", "When (UTC)"), t(l, "操作者", "Who"), t(l, "動作", "What"), t(l, "細節", "Detail"),
    ));
    for e in &entries {
        p.push(format!(
            "<tr><td>{}</td><td>{}</td><td>{} {}</td><td>{}</td></tr>",
            escape(e.at.get(..16).unwrap_or(&e.at).replace('T', " ").as_str()),
            escape(&e.actor),
            escape(&e.action),
            escape(e.shop.as_ref().map(|s| s.as_str()).unwrap_or("")),
            escape(&e.detail),
        ));
    }
    p.push("</tbody></table>");
    if entries.is_empty() {
        p.push(format!(
            r#"<p class="empty">{}</p>"#,
            t(l, "還沒有紀錄。", "Nothing yet.")
        ));
    }
    Ok(p.respond(200))
}
