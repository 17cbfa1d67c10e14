//! The links messages carry: the customer's "stop these e-mails" (RFC 8058 one-click: a POST;
//! the same address opened in a browser shows a page with one button, so a mail scanner that
//! follows links changes nothing), the reminder's "I'll be there", and the shop's alert
//! unsubscribe. Each acts at once and says what it did, in both languages.

use super::bookings::manage_token;
use crate::app::App;
use crate::error::{ApiError, ApiResult};
use crate::http::{self, escape};
use crate::shop_do::protocol::{AlertsOff, Attend, Unsubscribe};
use crate::shop_do::ManageReq;
use shared::ProblemKind;
use worker::{Method, Request, Response};

const CSS: &str = ".code{font-size:24px;letter-spacing:2px}.button{display:inline-block;padding:10px 16px;border-radius:8px;background:#03702f;color:#fff;text-decoration:none}.button [lang=en],button [lang=en]{color:#fff}body{margin:0;font:16px/1.6 system-ui,\"Noto Sans TC\",sans-serif;color:#1b2430;background:#f5f7f9}main{max-width:36rem;margin:0 auto;padding:16px}.card{background:#fff;border:1px solid #d4dae1;border-radius:12px;padding:16px}h1{font-size:20px;margin:0 0 8px}button{font:inherit;min-height:44px;padding:8px 16px;border-radius:8px;border:0;background:#1d4ed8;color:#fff}[lang=en]{color:#4a5563}";

/// A small page: a heading and a paragraph in both languages, and optionally a button that
/// posts back to the same address.
pub(super) fn page(
    title: (&str, &str),
    text: (&str, &str),
    button: Option<(&str, &str)>,
    status: u16,
) -> Response {
    let form = button
        .map(|(zh, en)| {
            format!(
                "<form method=\"post\"><button type=\"submit\">{} <span lang=\"en\">{}</span></button></form>",
                escape(zh),
                escape(en)
            )
        })
        .unwrap_or_default();
    let body = format!(
        "<p>{}</p><p lang=\"en\">{}</p>{form}",
        escape(text.0),
        escape(text.1)
    );
    page_html(title, &body, status)
}

/// A page around `body` (already HTML): no script, images only as data URLs, forms only to
/// this edge, never framed, not indexed.
pub(super) fn page_html(title: (&str, &str), body: &str, status: u16) -> Response {
    let html = format!(
        "<!DOCTYPE html>\n<html lang=\"zh-Hant-TW\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><meta name=\"robots\" content=\"noindex\"><title>{t0}</title><style>{CSS}</style></head>\n<body><main><div class=\"card\"><h1>{t0} <span lang=\"en\">{t1}</span></h1>{body}</div></main></body></html>\n",
        t0 = escape(title.0),
        t1 = escape(title.1),
    );
    let mut resp = http::text(html, "text/html; charset=utf-8", status);
    http::set(&mut resp, "cache-control", "no-store");
    http::set(&mut resp, "content-security-policy", "default-src 'none'; img-src data:; style-src 'unsafe-inline'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'");
    http::set(&mut resp, "referrer-policy", "no-referrer");
    http::set(&mut resp, "x-robots-tag", "noindex");
    resp
}

/// The page for a link that is not valid (forged, incomplete or expired).
pub(super) fn link_refused() -> Response {
    page(
        ("連結無效", "This link does not work"),
        (
            "這個連結已失效或不完整。如需協助，請直接聯絡店家。",
            "The link has expired or is incomplete. Please contact the shop directly.",
        ),
        None,
        403,
    )
}

/// A refusal as a page: a bad or expired link is the reader's, not a server error.
fn refused(e: ApiError) -> ApiResult<Response> {
    match e {
        ApiError::Client(p) if matches!(p.status, 400 | 403 | 404 | 410) => Ok(page(
            ("連結無效", "This link does not work"),
            (
                "這個連結已失效或不完整。如需協助，請直接聯絡店家。",
                "The link has expired or is incomplete. Please contact the shop directly.",
            ),
            None,
            p.status,
        )),
        ApiError::Client(p) if p.status == 409 => Ok(page(
            ("無法回覆", "Cannot reply"),
            (
                "這筆預約已取消或已結束。",
                "This booking was cancelled or is over.",
            ),
            None,
            409,
        )),
        other => Err(other),
    }
}

/// `GET|POST /v1/bookings/{token}/unsubscribe`.
pub async fn unsubscribe(req: &Request, app: &App, token: &str) -> ApiResult<Response> {
    let t = match manage_token(app, token) {
        Ok(t) => t,
        Err(e) => return refused(e),
    };
    if req.method() != Method::Post {
        return Ok(page(
            ("停止電子郵件通知", "Stop e-mails"),
            ("不再收到這筆預約的電子郵件（確認、提醒與變更）。預約本身不受影響。", "No more e-mail about this booking (confirmation, reminder, changes). The booking itself stays."),
            Some(("停止寄送", "Stop e-mails")),
            200,
        ));
    }
    let cmd = Unsubscribe(ManageReq {
        reference: t.reference,
        start_ms: None,
    });
    match app.shop(&t.shop)?.send(&cmd).await {
        Ok(_) => Ok(page(
            ("已停止寄送", "E-mails stopped"),
            (
                "這筆預約不會再寄電子郵件給您。",
                "You will get no more e-mail about this booking.",
            ),
            None,
            200,
        )),
        Err(e) => refused(e),
    }
}

/// `GET|POST /v1/bookings/{token}/attend`: the reminder's "I'll be there".
pub async fn attend(req: &Request, app: &App, token: &str) -> ApiResult<Response> {
    let t = match manage_token(app, token) {
        Ok(t) => t,
        Err(e) => return refused(e),
    };
    if req.method() != Method::Post {
        return Ok(page(
            ("確認會到", "Confirm you're coming"),
            (
                "按下按鈕，店家就會知道您會準時到。",
                "Press the button and the shop will know you'll be there.",
            ),
            Some(("我會準時到", "I'll be there")),
            200,
        ));
    }
    let cmd = Attend(ManageReq {
        reference: t.reference,
        start_ms: None,
    });
    match app.shop(&t.shop)?.send(&cmd).await {
        Ok(_) => Ok(page(
            ("謝謝，店家已收到", "Thanks, the shop knows"),
            (
                "我們已告訴店家您會準時到。",
                "We told the shop you'll be there.",
            ),
            None,
            200,
        )),
        Err(e) => refused(e),
    }
}

/// `GET|POST /v1/shops/{id}/alerts/unsubscribe?key=…`: the shop's alert e-mails off (the
/// console turns them on again).
pub async fn alerts_off(req: &Request, app: &App, id: &str) -> ApiResult<Response> {
    let bad = || {
        refused(ApiError::field(
            ProblemKind::InvalidToken,
            "key",
            "this link is not valid",
        ))
    };
    let Ok(id) = shared::ShopId::parse(id) else {
        return bad();
    };
    let q = http::query(req)?;
    let key = http::field(&q, "key");
    let Some(shop) = app.store()?.shop(&id).await? else {
        return bad();
    };
    if !app.secrets()?.derived_matches("alerts", &shop, key) {
        return bad();
    }
    if req.method() != Method::Post {
        return Ok(page(
            ("停止店家通知信", "Stop the shop's alert e-mails"),
            ("不再以電子郵件通知新預約、改期與取消。可在後台的「訊息」頁恢復。", "No more e-mail about new, moved and cancelled bookings. The console's Messages page turns them on again."),
            Some(("停止寄送", "Stop e-mails")),
            200,
        ));
    }
    app.shop(&id)?.send(&AlertsOff(true)).await?;
    Ok(page(
        ("已停止寄送", "E-mails stopped"),
        ("店家通知信已停止。", "The shop's alert e-mails are off."),
        None,
        200,
    ))
}
