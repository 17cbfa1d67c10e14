//! Messages to people: the templates (`templates`), the e-mail they become (`mail`), and the
//! channels that carry them. What is sent and when is the shop object's outbox
//! (`shop_do/messages.rs`); this module knows how.

pub mod line;
pub mod mail;
pub mod templates;
pub mod webpush;

use crate::error::ApiResult;
use shared::Shop;
use worker::Env;

/// The binding name of the e-mail sender in wrangler.toml.
pub const EMAIL_BINDING: &str = "EMAIL";

/// Why a message did not go.
#[derive(Debug)]
pub enum SendError {
    /// Worth another attempt later (a 5xx, a 429, a binding that threw for no stated reason).
    Retry(String),
    /// Never worth another: the channel refused the message or the recipient for good.
    Permanent(String),
}

/// A new message's id: a random UUID (LINE's retry key must be one; the e-mail's Message-ID
/// is built from it).
pub fn message_id() -> ApiResult<String> {
    let bytes = crate::secrets::random_bytes::<16>()?;
    Ok(uuid::Builder::from_random_bytes(bytes)
        .into_uuid()
        .hyphenated()
        .to_string())
}

/// The sending address (`MAIL_FROM`), and the domain Message-IDs are made in.
fn sender(env: &Env) -> (String, String) {
    let from = crate::policy::var(env, "MAIL_FROM")
        .unwrap_or_else(|| "bookings@alliance.invalid".to_owned());
    let domain = from
        .rsplit_once('@')
        .map(|(_, d)| d.to_owned())
        .unwrap_or_default();
    (from, domain)
}

/// Sends one e-mail through the binding. The Message-ID is the message's own id, so a message
/// sent again after a crash is the same message to every mail system that de-duplicates.
pub async fn send_email(
    env: &Env,
    shop: &Shop,
    m: &crate::shop_do::MessageRow,
    words: &templates::Rendered,
    unsubscribe: &str,
    calendar: Option<(String, String)>,
) -> Result<(), SendError> {
    let (from, domain) = sender(env);
    let message_id = format!("{}@{domain}", m.id);
    let language = m.locale.clone();
    let envelope = mail::Envelope {
        from: &from,
        from_name: shop
            .name
            .get(shared::Locale::from_tag(&m.locale).unwrap_or_default()),
        to: &m.recipient,
        reply_to: if m.kind.starts_with("shop_") {
            None
        } else {
            shop.alert_email.as_deref()
        },
        message_id: &message_id,
        date: (js_sys::Date::now() / 1000.0) as i64,
        unsubscribe,
        language: &language,
        calendar,
    };
    let raw = mail::build(&envelope, words).map_err(SendError::Permanent)?;
    let binding = env
        .send_email(EMAIL_BINDING)
        .map_err(|e| SendError::Permanent(format!("no e-mail binding {EMAIL_BINDING}: {e}")))?;
    let message = worker::EmailMessage::new(&from, &m.recipient, &raw)
        .map_err(|e| SendError::Permanent(format!("e-mail refused: {e:?}")))?;
    match binding.send(&message).await {
        Ok(_) => Ok(()),
        Err(e) => Err(binding_error(format!("{e:?}"))),
    }
}

/// What the e-mail binding's error means: it says "not allowed" or "invalid" when the message
/// or the address can never be sent (a restricted binding, a refused address); anything else
/// (a timeout, the service unavailable, a daily quota reached) is worth trying again.
fn binding_error(text: String) -> SendError {
    if text.contains("not allowed") || text.contains("invalid") {
        SendError::Permanent(text)
    } else {
        SendError::Retry(text)
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_refused_address_stops_and_anything_else_is_tried_again() {
        use super::{binding_error, SendError::*};
        assert!(matches!(
            binding_error("Error: email to x@y.z not allowed".into()),
            Permanent(_)
        ));
        assert!(matches!(
            binding_error("Error: invalid message-id".into()),
            Permanent(_)
        ));
        assert!(matches!(
            binding_error("Error: internal error; reference = 8a1".into()),
            Retry(_)
        ));
        assert!(matches!(
            binding_error("Error: daily sending limit reached".into()),
            Retry(_)
        ));
    }
}
