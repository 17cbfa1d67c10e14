use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use hmac::{Hmac, Mac};
use serde::{Deserialize, Serialize};
use sha2::Sha256;
use std::fmt;

use crate::ShopId;

/// How long a review link stays valid: 30 days.
pub const REVIEW_TOKEN_LIFETIME_SECS: u64 = 30 * 24 * 3600;

/// What a review token grants: one review of one visit to one shop, until it expires.
/// The wire form is `base64url(shop|visit|service|exp).base64url(hmac-sha256)`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ReviewToken {
    /// The shop the visit was at.
    pub shop: ShopId,
    /// The visit reviewed (a booking reference or an invite id); one review per visit.
    pub visit: String,
    /// The service of the visit, when known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub service: Option<String>,
    /// Expiry, seconds since the Unix epoch.
    pub exp: u64,
}

/// Why a review token is refused.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum TokenError {
    /// Not of the token's shape.
    Malformed,
    /// The signature does not match: forged or altered.
    BadSignature,
    /// Past its expiry.
    Expired,
    /// Issued for another shop.
    OtherShop,
}

impl fmt::Display for TokenError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            TokenError::Malformed => "review link is malformed",
            TokenError::BadSignature => "review link is not valid",
            TokenError::Expired => "review link has expired",
            TokenError::OtherShop => "review link is for another shop",
        })
    }
}

impl std::error::Error for TokenError {}

fn mac(secret: &[u8]) -> Hmac<Sha256> {
    Hmac::<Sha256>::new_from_slice(secret).expect("HMAC takes any key length")
}

/// The wire form of a token: `base64url(payload).base64url(hmac-sha256 of that)`.
fn signed(payload: &[u8], secret: &[u8]) -> String {
    let payload = URL_SAFE_NO_PAD.encode(payload);
    let mut m = mac(secret);
    m.update(payload.as_bytes());
    format!(
        "{payload}.{}",
        URL_SAFE_NO_PAD.encode(m.finalize().into_bytes())
    )
}

/// Checks `payload.signature` (constant time) and returns the decoded payload.
fn check_signature(token: &str, secret: &[u8], max_len: usize) -> Result<Vec<u8>, TokenError> {
    if token.len() > max_len {
        return Err(TokenError::Malformed);
    }
    let (payload, sig) = token.split_once('.').ok_or(TokenError::Malformed)?;
    let sig = decode_b64url(sig).ok_or(TokenError::Malformed)?;
    let mut m = mac(secret);
    m.update(payload.as_bytes());
    m.verify_slice(&sig).map_err(|_| TokenError::BadSignature)?;
    decode_b64url(payload).ok_or(TokenError::Malformed)
}

/// Decodes unpadded base64url (RFC 4648 §5), the form every token and signature takes here.
/// `None` for any other character (padding included), an impossible length, or non-zero
/// unused bits, so each value has exactly one spelling. Written out rather than taken from the
/// `base64` crate, which stays for encoding on the edge: the widget only ever decodes (to read
/// a link's claims), and this is a tenth of the crate's decoder in its wasm.
pub fn decode_b64url(text: &str) -> Option<Vec<u8>> {
    fn value(c: u8) -> Option<u32> {
        let v = match c {
            b'A'..=b'Z' => c - b'A',
            b'a'..=b'z' => c - b'a' + 26,
            b'0'..=b'9' => c - b'0' + 52,
            b'-' => 62,
            b'_' => 63,
            _ => return None,
        };
        Some(u32::from(v))
    }
    let mut out = Vec::with_capacity(text.len() / 4 * 3 + 2);
    for chunk in text.as_bytes().chunks(4) {
        let mut acc = 0u32;
        for &c in chunk {
            acc = acc << 6 | value(c)?;
        }
        match chunk.len() {
            4 => out.extend_from_slice(&[(acc >> 16) as u8, (acc >> 8) as u8, acc as u8]),
            3 if acc & 0b11 == 0 => out.extend_from_slice(&[(acc >> 10) as u8, (acc >> 2) as u8]),
            2 if acc & 0b1111 == 0 => out.push((acc >> 4) as u8),
            _ => return None,
        }
    }
    Some(out)
}

impl ReviewToken {
    /// A token for `visit` at `shop`, valid for 30 days from `now` (Unix seconds).
    pub fn new(shop: ShopId, visit: impl Into<String>, service: Option<String>, now: u64) -> Self {
        ReviewToken {
            shop,
            visit: visit.into(),
            service,
            exp: now + REVIEW_TOKEN_LIFETIME_SECS,
        }
    }

    /// The signed wire form.
    pub fn sign(&self, secret: &[u8]) -> String {
        signed(&encode_payload(self), secret)
    }

    /// Reads a token's claims without checking its signature: only for prefilling a form (the
    /// edge verifies every token it acts on).
    pub fn peek(token: &str) -> Option<Self> {
        let (payload, _) = token.split_once('.')?;
        decode_payload(&decode_b64url(payload)?)
    }

    /// Checks a token's signature (in constant time), expiry and shop.
    ///
    /// # Errors
    /// A [`TokenError`] saying why it is refused.
    pub fn verify(token: &str, secret: &[u8], shop: &ShopId, now: u64) -> Result<Self, TokenError> {
        let payload = check_signature(token, secret, 2048)?;
        let t: ReviewToken = decode_payload(&payload).ok_or(TokenError::Malformed)?;
        if t.exp <= now {
            return Err(TokenError::Expired);
        }
        if &t.shop != shop {
            return Err(TokenError::OtherShop);
        }
        Ok(t)
    }
}

// A tiny fixed encoding, `shop|visit|service|exp`, so `shared` needs no JSON library; each field
// percent-free because ids and visits are restricted to a safe alphabet by `visit_ok`.
fn encode_payload(t: &ReviewToken) -> Vec<u8> {
    format!(
        "{}|{}|{}|{}",
        t.shop,
        t.visit,
        t.service.as_deref().unwrap_or(""),
        t.exp
    )
    .into_bytes()
}

fn decode_payload(bytes: &[u8]) -> Option<ReviewToken> {
    let text = std::str::from_utf8(bytes).ok()?;
    let mut parts = text.split('|');
    let shop = ShopId::parse(parts.next()?).ok()?;
    let visit = parts.next()?.to_owned();
    let service = parts.next()?;
    let exp = parts.next()?.parse().ok()?;
    if parts.next().is_some() || !visit_ok(&visit) || !(service.is_empty() || visit_ok(service)) {
        return None;
    }
    Some(ReviewToken {
        shop,
        visit,
        service: (!service.is_empty()).then(|| service.to_owned()),
        exp,
    })
}

/// What a booking's manage link grants: viewing, cancelling and rescheduling one booking.
/// The wire form is `base64url(m|shop|reference|exp).base64url(hmac-sha256)`; the leading `m`
/// keeps it from ever passing as a review token, and the other way round.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ManageToken {
    /// The shop.
    pub shop: ShopId,
    /// The booking's reference code.
    pub reference: crate::Reference,
    /// Expiry, seconds since the Unix epoch.
    pub exp: u64,
}

impl ManageToken {
    /// The signed wire form.
    pub fn sign(&self, secret: &[u8]) -> String {
        signed(
            format!("m|{}|{}|{}", self.shop, self.reference, self.exp).as_bytes(),
            secret,
        )
    }

    /// Checks the signature (constant time) and expiry.
    ///
    /// # Errors
    /// A [`TokenError`].
    pub fn verify(token: &str, secret: &[u8], now: u64) -> Result<Self, TokenError> {
        check_signature(token, secret, 512)?;
        let t = Self::peek(token).ok_or(TokenError::Malformed)?;
        if t.exp <= now {
            return Err(TokenError::Expired);
        }
        Ok(t)
    }

    /// Reads the claims without checking the signature (for display only).
    pub fn peek(token: &str) -> Option<Self> {
        let (payload, _) = token.split_once('.')?;
        let bytes = decode_b64url(payload)?;
        let text = std::str::from_utf8(&bytes).ok()?;
        let mut parts = text.split('|');
        if parts.next()? != "m" {
            return None;
        }
        let shop = ShopId::parse(parts.next()?).ok()?;
        let reference = crate::Reference::parse(parts.next()?).ok()?;
        let exp = parts.next()?.parse().ok()?;
        if parts.next().is_some() {
            return None;
        }
        Some(ManageToken {
            shop,
            reference,
            exp,
        })
    }
}

/// How long a console session lasts: 12 hours, then the shop signs in again.
pub const SESSION_LIFETIME_SECS: u64 = 12 * 3600;

/// Who a console session belongs to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SessionRole {
    /// A member shop, signed in with one of its access keys.
    Shop(ShopId),
    /// The alliance admin, signed in with the admin token.
    Admin,
}

/// A console session, kept in an HttpOnly cookie. The wire form is
/// `base64url(s|shop:ID or admin|key|exp|nonce).base64url(hmac-sha256)`; the leading `s` keeps it
/// from passing as any other token. `key` is the first 16 hex digits of the SHA-256 of the
/// credential it was opened with, so rotating or revoking that credential ends the session.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Session {
    /// Whose session it is.
    pub role: SessionRole,
    /// First 16 hex digits of the SHA-256 of the credential used to sign in.
    pub key: String,
    /// Expiry, seconds since the Unix epoch.
    pub exp: u64,
    /// Random, so two sign-ins never share a session (or its CSRF token).
    pub nonce: String,
}

impl Session {
    /// The signed wire form.
    pub fn sign(&self, secret: &[u8]) -> String {
        let who = match &self.role {
            SessionRole::Shop(id) => format!("shop:{id}"),
            SessionRole::Admin => "admin".to_owned(),
        };
        signed(
            format!("s|{who}|{}|{}|{}", self.key, self.exp, self.nonce).as_bytes(),
            secret,
        )
    }

    /// Checks the signature (constant time) and expiry.
    ///
    /// # Errors
    /// A [`TokenError`]: malformed, altered, or expired.
    pub fn verify(token: &str, secret: &[u8], now: u64) -> Result<Self, TokenError> {
        let payload = check_signature(token, secret, 512)?;
        let text = std::str::from_utf8(&payload).map_err(|_| TokenError::Malformed)?;
        let parts: Vec<&str> = text.split('|').collect();
        let [tag, who, key, exp, nonce] = parts.as_slice() else {
            return Err(TokenError::Malformed);
        };
        let role = match (*tag, who.strip_prefix("shop:")) {
            ("s", Some(id)) => {
                SessionRole::Shop(ShopId::parse(id).map_err(|_| TokenError::Malformed)?)
            }
            ("s", None) if *who == "admin" => SessionRole::Admin,
            _ => return Err(TokenError::Malformed),
        };
        let exp: u64 = exp.parse().map_err(|_| TokenError::Malformed)?;
        if exp <= now {
            return Err(TokenError::Expired);
        }
        Ok(Session {
            role,
            key: (*key).to_owned(),
            exp,
            nonce: (*nonce).to_owned(),
        })
    }

    /// The CSRF token every console form carries for this session: an HMAC of the session's
    /// wire form, so it is bound to one session and useless to anyone without the cookie.
    pub fn csrf(wire: &str, secret: &[u8]) -> String {
        let mut m = mac(secret);
        m.update(b"csrf|");
        m.update(wire.as_bytes());
        URL_SAFE_NO_PAD.encode(&m.finalize().into_bytes()[..18])
    }

    /// Checks a form's CSRF token against the session's, in constant time.
    pub fn csrf_ok(wire: &str, secret: &[u8], given: &str) -> bool {
        let Some(given) = decode_b64url(given) else {
            return false;
        };
        let mut m = mac(secret);
        m.update(b"csrf|");
        m.update(wire.as_bytes());
        m.verify_truncated_left(&given).is_ok() && given.len() == 18
    }
}

/// The key console sessions are signed with, derived from `LINK_SECRET` so that no further
/// secret needs configuring and rotating `LINK_SECRET` ends every session.
pub fn session_key(link_secret: &[u8]) -> Vec<u8> {
    let mut m = mac(link_secret);
    m.update(b"console-session");
    m.finalize().into_bytes().to_vec()
}

/// The console session cookie's name: `__Host-aw_console` over HTTPS (the browser then insists
/// on `Secure`, `Path=/` and no `Domain`, so no subdomain or plain-http page can set or shadow
/// it), `aw_console` on a local `http://` edge, where `__Host-` cookies cannot be set.
pub fn console_cookie_name(secure: bool) -> &'static str {
    if secure {
        "__Host-aw_console"
    } else {
        "aw_console"
    }
}

/// The `Set-Cookie` value of a console session `wire` (empty with `max_age` 0 to sign out).
pub fn console_cookie(wire: &str, max_age: u64, secure: bool) -> String {
    let name = console_cookie_name(secure);
    if secure {
        format!("{name}={wire}; Path=/; Secure; HttpOnly; SameSite=Strict; Max-Age={max_age}")
    } else {
        format!("{name}={wire}; Path=/console; HttpOnly; SameSite=Strict; Max-Age={max_age}")
    }
}

/// Whether `s` may be a visit or service id inside a token: 1 to 64 of `A-Z a-z 0-9 - _`.
pub fn visit_ok(s: &str) -> bool {
    (1..=64).contains(&s.len())
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
}

#[cfg(test)]
mod tests {
    use super::*;

    const SECRET: &[u8] = b"test-secret";
    const NOW: u64 = 1_800_000_000;

    fn session(role: SessionRole) -> Session {
        Session {
            role,
            key: "0123456789abcdef".into(),
            exp: NOW + 60,
            nonce: "n1".into(),
        }
    }

    /// A token `wire` is refused as expired at `expiry` and as forged under another key.
    fn assert_expires_and_needs_the_key<T: std::fmt::Debug + PartialEq>(
        wire: &str,
        expiry: u64,
        verify: impl Fn(&str, &[u8], u64) -> Result<T, TokenError>,
    ) {
        assert_eq!(verify(wire, SECRET, expiry), Err(TokenError::Expired));
        assert_eq!(verify(wire, b"other", NOW), Err(TokenError::BadSignature));
    }

    #[test]
    fn sessions_round_trip_and_refuse_tampering_expiry_and_other_tokens() {
        let shop = session(SessionRole::Shop(ShopId::parse("da-an-auto").unwrap()));
        let wire = shop.sign(SECRET);
        assert_eq!(Session::verify(&wire, SECRET, NOW), Ok(shop.clone()));
        let admin = session(SessionRole::Admin);
        assert_eq!(Session::verify(&admin.sign(SECRET), SECRET, NOW), Ok(admin));
        assert_expires_and_needs_the_key(&wire, NOW + 60, |w, k, now| Session::verify(w, k, now));
        // Changing the shop in the payload breaks the signature.
        let (_, sig) = wire.split_once('.').unwrap();
        let forged = URL_SAFE_NO_PAD.encode("s|shop:other-shop|0123456789abcdef|1800000060|n1");
        assert_eq!(
            Session::verify(&format!("{forged}.{sig}"), SECRET, NOW),
            Err(TokenError::BadSignature)
        );
        // A manage token signed with the same key is not a session.
        let manage = ManageToken {
            shop: ShopId::parse("da-an-auto").unwrap(),
            reference: crate::Reference::parse("AB7K-29QF").unwrap(),
            exp: NOW + 60,
        }
        .sign(SECRET);
        assert_eq!(
            Session::verify(&manage, SECRET, NOW),
            Err(TokenError::Malformed)
        );
    }

    #[test]
    fn console_cookies_use_the_host_prefix_over_https() {
        assert_eq!(
            console_cookie("w", 60, true),
            "__Host-aw_console=w; Path=/; Secure; HttpOnly; SameSite=Strict; Max-Age=60"
        );
        assert_eq!(
            console_cookie("", 0, false),
            "aw_console=; Path=/console; HttpOnly; SameSite=Strict; Max-Age=0"
        );
        assert_eq!(console_cookie_name(true), "__Host-aw_console");
    }

    #[test]
    fn csrf_tokens_are_bound_to_their_session() {
        let a = session(SessionRole::Admin).sign(SECRET);
        let mut other = session(SessionRole::Admin);
        other.nonce = "n2".into();
        let b = other.sign(SECRET);
        let token = Session::csrf(&a, SECRET);
        assert!(Session::csrf_ok(&a, SECRET, &token));
        assert!(!Session::csrf_ok(&b, SECRET, &token));
        assert!(!Session::csrf_ok(&a, SECRET, ""));
        assert!(!Session::csrf_ok(&a, SECRET, "not base64!"));
        assert!(!Session::csrf_ok(&a, SECRET, &token[..8]));
    }

    fn shop(s: &str) -> ShopId {
        ShopId::parse(s).unwrap()
    }

    fn token() -> ReviewToken {
        ReviewToken::new(shop("da-an-auto"), "AB7K-29QF", Some("oil".into()), NOW)
    }

    #[test]
    fn a_signed_token_verifies_for_its_shop() {
        let wire = token().sign(SECRET);
        assert_eq!(
            ReviewToken::verify(&wire, SECRET, &shop("da-an-auto"), NOW + 10),
            Ok(token())
        );
    }

    #[test]
    fn forged_altered_expired_and_other_shop_tokens_are_refused() {
        let wire = token().sign(SECRET);
        let other_secret = token().sign(b"another secret");
        assert_eq!(
            ReviewToken::verify(&other_secret, SECRET, &shop("da-an-auto"), NOW),
            Err(TokenError::BadSignature)
        );
        let (payload, sig) = wire.split_once('.').unwrap();
        let mut forged = token();
        forged.shop = shop("neihu-motors");
        let forged_payload = URL_SAFE_NO_PAD.encode(encode_payload(&forged));
        assert_eq!(
            ReviewToken::verify(
                &format!("{forged_payload}.{sig}"),
                SECRET,
                &shop("neihu-motors"),
                NOW
            ),
            Err(TokenError::BadSignature)
        );
        assert_eq!(
            ReviewToken::verify(
                &format!("{payload}x.{sig}"),
                SECRET,
                &shop("da-an-auto"),
                NOW
            ),
            Err(TokenError::BadSignature)
        );
        assert_eq!(
            ReviewToken::verify(
                &wire,
                SECRET,
                &shop("da-an-auto"),
                NOW + REVIEW_TOKEN_LIFETIME_SECS
            ),
            Err(TokenError::Expired)
        );
        assert_eq!(
            ReviewToken::verify(&wire, SECRET, &shop("neihu-motors"), NOW),
            Err(TokenError::OtherShop)
        );
        for junk in ["", "abc", "a.b.c", "!!.!!"] {
            assert!(
                ReviewToken::verify(junk, SECRET, &shop("da-an-auto"), NOW).is_err(),
                "{junk}"
            );
        }
    }

    #[test]
    fn manage_and_review_tokens_never_pass_for_each_other() {
        let m = ManageToken {
            shop: shop("da-an-auto"),
            reference: crate::Reference::parse("AB7K-29QF").unwrap(),
            exp: NOW + 100,
        };
        let wire = m.sign(SECRET);
        assert_eq!(ManageToken::verify(&wire, SECRET, NOW), Ok(m));
        assert!(ReviewToken::verify(&wire, SECRET, &shop("da-an-auto"), NOW).is_err());
        let review = token().sign(SECRET);
        assert!(ManageToken::verify(&review, SECRET, NOW).is_err());
        assert_expires_and_needs_the_key(&wire, NOW + 100, |w, k, now| {
            ManageToken::verify(w, k, now)
        });
    }

    #[test]
    fn visit_ids_are_restricted_to_a_safe_alphabet() {
        assert!(visit_ok("AB7K-29QF"));
        assert!(!visit_ok("a|b"));
        assert!(!visit_ok(""));
    }

    #[test]
    fn the_base64url_decoder_agrees_with_the_base64_crate() {
        // Every length from 0 to 64 with varied bytes, and every single byte value.
        let mut seed = 0x9e37_79b9_u32;
        for len in 0..=64usize {
            let bytes: Vec<u8> = (0..len)
                .map(|_| {
                    seed ^= seed << 13;
                    seed ^= seed >> 17;
                    seed ^= seed << 5;
                    seed as u8
                })
                .collect();
            let text = URL_SAFE_NO_PAD.encode(&bytes);
            assert_eq!(decode_b64url(&text), Some(bytes), "{text}");
        }
        for b in 0..=255u8 {
            assert_eq!(decode_b64url(&URL_SAFE_NO_PAD.encode([b])), Some(vec![b]));
        }
    }

    #[test]
    fn the_base64url_decoder_refuses_what_the_crate_refuses() {
        for bad in ["A", "AAAAA", "AB==", "A+B/", "QQ=", "QR", "QUF", "a b", "é"] {
            assert_eq!(decode_b64url(bad), None, "{bad}");
            assert!(URL_SAFE_NO_PAD.decode(bad).is_err(), "{bad}");
        }
        assert_eq!(decode_b64url(""), Some(Vec::new()));
        assert_eq!(decode_b64url("QQ"), Some(b"A".to_vec()));
        assert_eq!(decode_b64url("QUI"), Some(b"AB".to_vec()));
    }
}
