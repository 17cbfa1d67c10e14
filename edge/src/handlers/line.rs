//! LINE: the webhook the alliance's LINE Official Account calls (`POST /v1/line/webhook`,
//! signed; unsigned or mis-signed bodies are refused with 401 before anything is read), which
//! links a person who sends a one-time code, and undoes their links when they send STOP or
//! unfollow; and the customer's LINE page for a booking (`/v1/bookings/{token}/line`): the
//! code, a QR code and a button that opens LINE with it, the link's state, and "unlink".

use super::bookings::manage_token;
use crate::app::App;
use crate::error::{ApiError, ApiResult};
use crate::http::{self, escape};
use crate::notify::line::Line;
use crate::shop_do::line::{
    ForgetLine, LineCode, LineLinks, LinkLine, ListLines, NewLineCode, RedeemLineCode, Redemption,
    UnlinkLine,
};
use serde::Deserialize;
use shared::{ProblemKind, ShopId};
use worker::{Method, Request, Response};

/// The most bytes a webhook body may have (LINE sends a few KB).
const MAX_BODY: usize = 256 * 1024;

#[derive(Deserialize)]
struct Body {
    #[serde(default)]
    events: Vec<Event>,
}

#[derive(Deserialize)]
struct Event {
    #[serde(rename = "type")]
    kind: String,
    #[serde(rename = "replyToken")]
    reply_token: Option<String>,
    source: Option<Source>,
    message: Option<Message>,
}

#[derive(Deserialize)]
struct Source {
    #[serde(rename = "userId")]
    user_id: Option<String>,
    #[serde(rename = "groupId")]
    group_id: Option<String>,
    #[serde(rename = "roomId")]
    room_id: Option<String>,
}

#[derive(Deserialize)]
struct Message {
    #[serde(rename = "type")]
    kind: String,
    text: Option<String>,
}

fn configured(app: &App) -> ApiResult<Line> {
    Line::from_env(app.env()).ok_or_else(|| {
        ApiError::Unavailable(
            "LINE is not configured (LINE_CHANNEL_ACCESS_TOKEN, LINE_CHANNEL_SECRET)".into(),
        )
    })
}

const HELP: &str = "請傳送預約確認頁或店家後台顯示的 8 碼連結代碼（例如 K7Q2-9XFD）。\nSend the 8-character link code shown with your booking or in the shop's console (e.g. K7Q2-9XFD).";

/// Whether `text` asks to stop every message here.
fn is_stop(text: &str) -> bool {
    matches!(
        text.trim().to_ascii_lowercase().as_str(),
        "stop" | "停止" | "取消通知" | "unsubscribe"
    )
}

/// `POST /v1/line/webhook`.
pub async fn webhook(req: &mut Request, app: &App) -> ApiResult<Response> {
    let line = configured(app)?;
    let body = http::read_body(req, "application/json", MAX_BODY).await?;
    let signature = http::header(req.headers(), "x-line-signature").unwrap_or_default();
    if !line.verify(&body, &signature) {
        return Err(ApiError::field(
            ProblemKind::Unauthorized,
            "x-line-signature",
            "the body is not signed with the channel secret",
        ));
    }
    let body: Body = serde_json::from_slice(&body).map_err(|e| {
        ApiError::field(
            ProblemKind::InvalidBody,
            "events",
            format!("not a LINE webhook body: {e}"),
        )
    })?;
    // An empty list is LINE's "verify" button: answered 200 like any other.
    for event in body.events {
        let Some(id) = event.source.as_ref().and_then(|s| {
            s.group_id
                .clone()
                .or_else(|| s.room_id.clone())
                .or_else(|| s.user_id.clone())
        }) else {
            continue;
        };
        let answer = match (event.kind.as_str(), &event.message) {
            ("unfollow" | "leave", _) => {
                forget(app, &id).await?;
                None
            }
            ("follow" | "join", _) => Some(HELP.to_owned()),
            ("message", Some(m)) if m.kind == "text" => {
                let text = m.text.clone().unwrap_or_default();
                Some(if is_stop(&text) {
                    forget(app, &id).await?;
                    "已停止：不會再傳 LINE 訊息給您。\nStopped: no more LINE messages will be sent here.".to_owned()
                } else {
                    redeem(app, &id, &text).await?
                })
            }
            ("message", _) => Some(HELP.to_owned()),
            _ => None,
        };
        if let (Some(text), Some(token)) = (answer, &event.reply_token) {
            if let Err(e) = line.reply(token, &text).await {
                worker::console_error!("LINE reply failed: {e}");
            }
        }
    }
    Ok(http::json("{}".into(), 200))
}

/// Links `id` by the code it sent; the reply says what happened.
async fn redeem(app: &App, id: &str, text: &str) -> ApiResult<String> {
    let code = text.trim();
    if code.chars().count() > 20 || !shared::is_reference_code(&code.to_ascii_uppercase()) {
        return Ok(format!(
            "這不是連結代碼。\nThat is not a link code.\n{HELP}"
        ));
    }
    let got: Redemption = app
        .network()?
        .send(&RedeemLineCode {
            code: code.to_owned(),
            line_id: id.to_owned(),
        })
        .await?;
    Ok(match got {
        Redemption::Linked { shop, reference } => {
            let name = app
                .store()?
                .shop(&shop)
                .await?
                .map(|s| (s.name.zh_tw, s.name.en))
                .unwrap_or_default();
            let linked = app
                .shop(&shop)?
                .send(&LinkLine { line_id: id.to_owned(), reference: reference.clone() })
                .await;
            match (linked, reference) {
                (Err(ApiError::Client(_)), _) => "這筆預約已結束，無法連結。\nThis booking is over; nothing was linked.".to_owned(),
                (Err(e), _) => return Err(e),
                (Ok(_), Some(r)) => format!(
                    "已連結：{} 的預約 {r} 的確認、提醒與通知會傳到這裡。回覆「停止」可取消。\nLinked: messages about booking {r} at {} come here. Reply STOP to undo.",
                    name.0, name.1
                ),
                (Ok(_), None) => format!(
                    "已連結：{} 的新預約、改期與取消會傳到這裡。回覆「停止」可取消。\nLinked: {}'s new, moved and cancelled bookings come here. Reply STOP to undo.",
                    name.0, name.1
                ),
            }
        }
        Redemption::Unknown => format!("這個代碼不正確或已過期，沒有連結任何預約。\nThat code is wrong or expired; nothing was linked.\n{HELP}"),
        Redemption::Limited => "錯誤的代碼太多次，請一小時後再試。\nToo many wrong codes; please try again in an hour.".to_owned(),
    })
}

/// Undoes every link of `id`, at every shop it was linked at.
async fn forget(app: &App, id: &str) -> ApiResult<()> {
    let gone: crate::shop_do::line::Forgotten = app
        .network()?
        .send(&ForgetLine {
            line_id: id.to_owned(),
        })
        .await?;
    for shop in gone.shops {
        app.shop(&shop)?
            .send(&UnlinkLine {
                line_id: Some(id.to_owned()),
                reference: None,
            })
            .await?;
    }
    Ok(())
}

/// A fresh code for `shop` (and a booking, for a customer).
pub async fn code(
    app: &App,
    shop: &ShopId,
    reference: Option<shared::Reference>,
) -> ApiResult<LineCode> {
    app.network()?
        .send(&NewLineCode {
            shop: shop.clone(),
            reference,
        })
        .await
}

/// The link that opens LINE with `code` typed to the alliance's account, and the one that adds
/// the account as a friend.
pub fn links(line: &Line, code: &str) -> Option<(String, String)> {
    let bot = line.bot.as_deref()?;
    let enc = |s: &str| url::form_urlencoded::byte_serialize(s.as_bytes()).collect::<String>();
    Some((
        format!("https://line.me/R/oaMessage/{}/?{}", enc(bot), enc(code)),
        format!("https://line.me/R/ti/p/{}", enc(bot)),
    ))
}

/// `GET|POST /v1/bookings/{token}/line`: the customer's LINE page for a booking.
pub async fn booking_page(req: &mut Request, app: &App, token: &str) -> ApiResult<Response> {
    let t = match manage_token(app, token) {
        Ok(t) => t,
        Err(_) => return Ok(super::notify::link_refused()),
    };
    let Some(line) = Line::from_env(app.env()) else {
        return Ok(super::notify::page(
            ("LINE 尚未開放", "LINE is not available"),
            (
                "聯盟尚未設定 LINE 官方帳號。",
                "The alliance has not set up its LINE account yet.",
            ),
            None,
            503,
        ));
    };
    let object = app.shop(&t.shop)?;
    if req.method() == Method::Post {
        object
            .send(&UnlinkLine {
                line_id: None,
                reference: Some(t.reference.clone()),
            })
            .await?;
        return Ok(super::notify::page(
            ("已取消 LINE 連結", "LINE unlinked"),
            (
                "這筆預約不會再傳 LINE 訊息。",
                "No more LINE messages about this booking.",
            ),
            None,
            200,
        ));
    }
    let links: LineLinks = object
        .send(&ListLines {
            reference: Some(t.reference.clone()),
        })
        .await?;
    let code = code(app, &t.shop, Some(t.reference.clone())).await?;
    let (open, add) = links_or_plain(&line, &code.code);
    let qr = qrcode::QrCode::new(open.as_bytes())
        .map(|q| {
            q.render::<qrcode::render::svg::Color>()
                .min_dimensions(180, 180)
                .build()
        })
        .unwrap_or_default();
    let state = if links.customers > 0 {
        format!(
            "<p><strong>已連結 {n} 個 LINE 帳號</strong> <span lang=\"en\">Linked to {n} LINE account(s)</span></p><form method=\"post\"><button type=\"submit\">取消 LINE 連結 <span lang=\"en\">Unlink LINE</span></button></form>",
            n = links.customers
        )
    } else {
        String::new()
    };
    let body = format!(
        "<p>1. {add_zh} <a href=\"{add}\">{bot}</a> <span lang=\"en\">Add the alliance's LINE account</span></p>\
<p>2. 傳送這個代碼 <span lang=\"en\">Send this code</span>: <strong class=\"code\">{code}</strong></p>\
<p><a class=\"button\" href=\"{open}\">在 LINE 開啟並傳送 <span lang=\"en\">Open LINE and send it</span></a></p>\
<p class=\"qr\"><img alt=\"QR code: open LINE with the code\" width=\"180\" height=\"180\" src=\"{qr}\"></p>\
<p class=\"hint\">代碼 7 天內有效，只能用一次。<span lang=\"en\">The code works once, for 7 days.</span></p>{state}",
        add_zh = "加入聯盟的 LINE 官方帳號",
        add = escape(&add),
        bot = escape(line.bot.as_deref().unwrap_or("LINE")),
        code = escape(&code.code),
        open = escape(&open),
        qr = escape(&http::svg_data_url(&qr)),
    );
    Ok(super::notify::page_html(
        ("用 LINE 接收通知", "Get messages on LINE"),
        &body,
        200,
    ))
}

fn links_or_plain(line: &Line, code: &str) -> (String, String) {
    links(line, code).unwrap_or_else(|| {
        (
            "https://line.me/R/".to_owned(),
            "https://line.me/R/".to_owned(),
        )
    })
}
