//! The alliance's LINE Official Account (Messaging API): pushes to linked people, replies in
//! the webhook, and the webhook's signature (`x-line-signature`: base64 HMAC-SHA256 of the raw
//! body with the channel secret, checked in constant time). `LINE_API_BASE` points the client
//! at LINE (`https://api.line.me`) or, in the tests, at a local server that checks what LINE
//! checks.

use super::SendError;
use worker::{Env, Fetch, Headers, Method, Request, RequestInit};

/// The most characters LINE takes in one text message.
pub const MAX_TEXT: usize = 5000;

/// The channel's credentials and where its API is.
pub struct Line {
    base: String,
    token: String,
    secret: Vec<u8>,
    /// The account's basic id (`@…`), for "add friend" and "send the code" links.
    pub bot: Option<String>,
}

impl Line {
    /// The channel, when `LINE_CHANNEL_ACCESS_TOKEN` and `LINE_CHANNEL_SECRET` are set.
    pub fn from_env(env: &Env) -> Option<Self> {
        let secret = |name: &str| {
            env.secret(name)
                .map(|s| s.to_string())
                .ok()
                .filter(|s| !s.trim().is_empty())
        };
        Some(Self {
            token: secret("LINE_CHANNEL_ACCESS_TOKEN")?,
            secret: secret("LINE_CHANNEL_SECRET")?.into_bytes(),
            base: crate::policy::var(env, "LINE_API_BASE")
                .unwrap_or_else(|| "https://api.line.me".to_owned())
                .trim_end_matches('/')
                .to_owned(),
            bot: crate::policy::var(env, "LINE_BOT_ID"),
        })
    }

    /// Whether `signature` (the `x-line-signature` header) signs `body` with the channel secret.
    pub fn verify(&self, body: &[u8], signature: &str) -> bool {
        verify(&self.secret, body, signature)
    }

    /// Pushes one text message to a user or group. `retry_key` (the message's UUID) makes a
    /// repeat after a lost answer harmless: LINE answers it 409 and sends nothing twice.
    pub async fn push(&self, to: &str, text: &str, retry_key: &str) -> Result<(), SendError> {
        let body =
            serde_json::json!({ "to": to, "messages": [{ "type": "text", "text": clip(text) }] });
        let status = self
            .post("/v2/bot/message/push", &body, Some(retry_key))
            .await
            .map_err(SendError::Retry)?;
        match status {
            (200..=299, _) | (409, _) => Ok(()),
            (429, _) | (500..=599, _) => {
                Err(SendError::Retry(format!("LINE answered {}", status.0)))
            }
            (code, text) => Err(SendError::Permanent(format!(
                "LINE refused it ({code}): {text}"
            ))),
        }
    }

    /// Replies to a webhook event (one text message).
    pub async fn reply(&self, reply_token: &str, text: &str) -> Result<(), String> {
        let body = serde_json::json!({ "replyToken": reply_token, "messages": [{ "type": "text", "text": clip(text) }] });
        match self.post("/v2/bot/message/reply", &body, None).await? {
            (200..=299, _) => Ok(()),
            (code, text) => Err(format!("LINE reply {code}: {text}")),
        }
    }

    async fn post(
        &self,
        path: &str,
        body: &serde_json::Value,
        retry_key: Option<&str>,
    ) -> Result<(u16, String), String> {
        let headers = Headers::new();
        let set = |k: &str, v: &str| headers.set(k, v).map_err(|e| e.to_string());
        set("content-type", "application/json")?;
        set("authorization", &format!("Bearer {}", self.token))?;
        if let Some(key) = retry_key {
            set("x-line-retry-key", key)?;
        }
        let mut init = RequestInit::new();
        init.with_method(Method::Post)
            .with_headers(headers)
            .with_body(Some(body.to_string().into()));
        let req = Request::new_with_init(&format!("{}{path}", self.base), &init)
            .map_err(|e| e.to_string())?;
        let mut resp = Fetch::Request(req)
            .send()
            .await
            .map_err(|e| e.to_string())?;
        let text = resp.text().await.unwrap_or_default();
        Ok((resp.status_code(), text.chars().take(300).collect()))
    }
}

/// At most [`MAX_TEXT`] characters.
fn clip(text: &str) -> String {
    text.chars().take(MAX_TEXT).collect()
}

/// The signature check, apart for native tests.
fn verify(secret: &[u8], body: &[u8], signature: &str) -> bool {
    use base64::Engine;
    use hmac::{Hmac, Mac};
    let Ok(given) = base64::engine::general_purpose::STANDARD.decode(signature.trim()) else {
        return false;
    };
    let mut mac = Hmac::<sha2::Sha256>::new_from_slice(secret).expect("any key length");
    mac.update(body);
    mac.verify_slice(&given).is_ok()
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_signature_is_the_base64_hmac_of_the_raw_body() {
        use base64::Engine;
        use hmac::{Hmac, Mac};
        let body = br#"{"destination":"U0","events":[]}"#;
        let mut mac = Hmac::<sha2::Sha256>::new_from_slice(b"channel-secret").unwrap();
        mac.update(body);
        let good = base64::engine::general_purpose::STANDARD.encode(mac.finalize().into_bytes());
        assert!(super::verify(b"channel-secret", body, &good));
        assert!(!super::verify(b"another-secret", body, &good));
        assert!(!super::verify(
            b"channel-secret",
            br#"{"destination":"U1","events":[]}"#,
            &good
        ));
        assert!(!super::verify(b"channel-secret", body, ""));
        assert!(!super::verify(b"channel-secret", body, "not base64!"));
        assert_eq!(super::clip(&"字".repeat(6000)).chars().count(), 5000);
    }
}
