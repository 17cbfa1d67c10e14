//! The shop's reviews, hidden ones too, with its one public reply to each.

use super::*;

/// `GET /console/shop/{id}/reviews`: every review with the shop's reply form.
pub(super) async fn reviews(cx: &ShopCx<'_>, notice: Notice, status: u16) -> ApiResult<Response> {
    let ShopCx { app, ctx, s, shop } = *cx;
    let l = ctx.lang;
    let list: Vec<ShopReview> = app.shop(shop)?.send(&ConsoleReviews).await?;
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
