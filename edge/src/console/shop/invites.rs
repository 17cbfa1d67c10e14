//! Review invites for visits outside the alliance's booking: the form, and the review link
//! and the code for the receipt it makes.

use super::*;

pub(super) fn invite_form(l: Locale, s: &Signed, shop: &ShopId, profile: &Shop) -> String {
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

pub(super) async fn invite(cx: &ShopCx<'_>, form: &Form) -> ApiResult<Response> {
    let ShopCx { app, ctx, s, shop } = *cx;
    let l = ctx.lang;
    let store = app.store()?;
    let wanted = crate::handlers::reviews::InviteForm {
        work_order: field(form, "work_order").to_owned(),
        visit_date: field(form, "visit_date").to_owned(),
        service: field(form, "service").to_owned(),
    };
    let refused = |status: u16, detail: String| async move {
        bookings(cx, Notice::Error(detail), status).await
    };
    let made = match crate::handlers::reviews::make_invite(
        app,
        store,
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
