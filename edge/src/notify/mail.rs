//! One e-mail as the `send_email` binding takes it: a whole MIME message (RFC 5322, built by
//! `mail-builder`) with a plain-text and an HTML part, the booking's calendar file when it has
//! one, the shop's name as the sender's display name, and RFC 8058 one-click unsubscribe.

use super::templates::Rendered;
use mail_builder::headers::{date::Date, raw::Raw, url::URL};
use mail_builder::MessageBuilder;

/// Everything but the words.
pub struct Envelope<'a> {
    /// The deployment's sending address (`MAIL_FROM`).
    pub from: &'a str,
    /// The display name: the shop's name.
    pub from_name: &'a str,
    /// The recipient.
    pub to: &'a str,
    /// Where a reply goes: the shop's own address, when it has one.
    pub reply_to: Option<&'a str>,
    /// The message's id, stable across retries (`<id@domain>` without the brackets).
    pub message_id: &'a str,
    /// Seconds since the epoch.
    pub date: i64,
    /// The one-click unsubscribe URL (RFC 8058).
    pub unsubscribe: &'a str,
    /// `zh-TW` or `en`.
    pub language: &'a str,
    /// A calendar file to attach: (file name, iCalendar text).
    pub calendar: Option<(String, String)>,
}

/// The raw message.
pub fn build(env: &Envelope<'_>, words: &Rendered) -> Result<String, String> {
    let mut m = MessageBuilder::new()
        .from((env.from_name, env.from))
        .to(env.to)
        .subject(words.subject.as_str())
        .message_id(env.message_id)
        .date(Date::new(env.date))
        .header("List-Unsubscribe", URL::new(env.unsubscribe))
        .header(
            "List-Unsubscribe-Post",
            Raw::new("List-Unsubscribe=One-Click"),
        )
        .header("Content-Language", Raw::new(env.language))
        .header("Auto-Submitted", Raw::new("auto-generated"))
        .text_body(words.text.as_str())
        .html_body(words.html.as_str());
    if let Some(reply) = env.reply_to {
        m = m.reply_to(reply);
    }
    if let Some((name, ics)) = &env.calendar {
        m = m.attachment("text/calendar; method=PUBLISH", name.as_str(), ics.as_str());
    }
    m.write_to_string().map_err(|e| e.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::notify::templates::{render, tests::sample};
    use shared::{Locale, MessageKind};

    #[test]
    fn a_message_has_both_parts_the_shop_as_sender_and_one_click_unsubscribe() {
        let words = render(&sample(MessageKind::Confirmation, Locale::ZhTw));
        let raw = build(
            &Envelope {
                from: "bookings@alliance.example",
                from_name: "明修車廠",
                to: "ming@example.com",
                reply_to: Some("shop@example.com"),
                message_id: "m-1@alliance.example",
                date: 1_764_700_000,
                unsubscribe: "https://edge.example/v1/notify/t/unsubscribe",
                language: "zh-TW",
                calendar: Some((
                    "booking-RSV.ics".into(),
                    "BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n".into(),
                )),
            },
            &words,
        )
        .unwrap();
        assert!(
            raw.contains("From: =?utf-8?B?"),
            "display name encoded: {raw}"
        );
        assert!(raw.contains("<bookings@alliance.example>"));
        assert!(raw.contains("To: <ming@example.com>") || raw.contains("To: ming@example.com"));
        assert!(raw.contains("Message-ID: <m-1@alliance.example>"));
        assert!(raw.contains("List-Unsubscribe: <https://edge.example/v1/notify/t/unsubscribe>"));
        assert!(raw.contains("List-Unsubscribe-Post: List-Unsubscribe=One-Click"));
        assert!(
            raw.contains("multipart/alternative")
                && raw.contains("text/html")
                && raw.contains("text/plain")
        );
        assert!(raw.contains("text/calendar"));
        assert!(
            raw.contains("Reply-To: <shop@example.com>")
                || raw.contains("Reply-To: shop@example.com")
        );
    }
}
