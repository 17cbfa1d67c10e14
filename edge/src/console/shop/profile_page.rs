//! The profile page: the form, filled from the stored profile or what was just submitted.

use super::*;

/// The attributes and the message of a field named `name` when `err` is about it.
pub(super) fn field_error(name: &str, err: Option<(&str, &str)>) -> (String, String) {
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

pub(super) fn input(
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
        v = escape(field(f, name)),
    )
}

pub(super) fn textarea(
    f: &Fields,
    name: &str,
    label: &str,
    hint: &str,
    err: Option<(&str, &str)>,
) -> String {
    let (invalid, msg) = field_error(name, err);
    format!(
        r#"<label for="{name}">{label}</label><p class="hint">{hint}</p><textarea id="{name}" name="{name}" rows="3"{invalid}>{v}</textarea>{msg}"#,
        v = escape(field(f, name)),
    )
}

/// The profile form, filled from `f` (the stored profile, or what was just submitted).
pub(super) fn profile_page(
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
        field(f, name)
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
    h.push_str(&input(
        f,
        "alert_email",
        t(
            l,
            "新預約通知信箱（選填）",
            "E-mail for new-booking alerts (optional)",
        ),
        "email",
        err,
        r#" autocomplete="email""#,
    ));
    h.push_str(&input(
        f,
        "reminder_hour",
        t(
            l,
            "前一天提醒客人的時間（8–20 點，預設 18）",
            "Hour to remind customers the day before (8–20, default 18)",
        ),
        "number",
        err,
        r#" min="8" max="20" inputmode="numeric""#,
    ));
    h.push_str("</fieldset>");

    h.push_str(&format!(
        "<fieldset><legend>{}</legend>",
        t(l, "線上預約", "Online booking")
    ));
    h.push_str(&format!(
        r#"<label class="check"><input type="checkbox" name="booking_on" value="on"{}> {}</label>"#,
        if field(f, "booking_on") == "on" {
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
                escape(field(f, &name))
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
            if field(f, name) == "on" { " checked" } else { "" }
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
            !field(f, &format!("svc_{i}_id")).is_empty()
                || !field(f, &format!("svc_{i}_zh")).is_empty()
        })
        .count();
    for i in 0..=count {
        let new = i == count;
        h.push_str(&format!(
            r#"<fieldset class="service"><legend>{}</legend>"#,
            if new {
                t(l, "新增服務（選填）", "Add a service (optional)").to_owned()
            } else {
                escape(field(f, &format!("svc_{i}_zh")))
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
