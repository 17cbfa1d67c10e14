//! Web Push to the shop's phone, done in the worker: the payload encrypted as RFC 8291 says
//! (`aes128gcm`, RFC 8188: ECDH on P-256 with the subscription's key, HKDF-SHA-256 with its
//! auth secret, AES-128-GCM, one record), and the push service's request signed with VAPID
//! (RFC 8292: an ES256 JWT for the endpoint's origin). Pure functions of their inputs, so the
//! RFC's own example is the test; [`push`] sends one.

use super::SendError;
use aes_gcm::aead::{Aead, KeyInit, Payload};
use aes_gcm::{Aes128Gcm, Nonce};
use base64::engine::general_purpose::URL_SAFE_NO_PAD as B64;
use base64::Engine;
use hkdf::Hkdf;
use p256::ecdsa::{signature::Signer, Signature, SigningKey};
use p256::{PublicKey, SecretKey};
use sha2::Sha256;

/// The record size announced in the header (one record carries the whole payload).
const RECORD_SIZE: u32 = 4096;

/// The most plaintext bytes one record can carry (record size minus tag and delimiter).
pub const MAX_PLAINTEXT: usize = RECORD_SIZE as usize - 16 - 1;

/// A subscription as the browser's `PushSubscription.toJSON()` gives it.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct Subscription {
    /// The push service's URL for this browser.
    pub endpoint: String,
    /// The browser's P-256 public key, uncompressed, base64url.
    pub p256dh: String,
    /// The 16-byte auth secret, base64url.
    pub auth: String,
}

/// Why a subscription's keys cannot be used.
pub fn check_keys(p256dh: &str, auth: &str) -> Result<(), String> {
    let key = B64
        .decode(p256dh.trim_end_matches('='))
        .map_err(|_| "p256dh is not base64url".to_owned())?;
    PublicKey::from_sec1_bytes(&key).map_err(|_| "p256dh is not a P-256 public key".to_owned())?;
    let auth = B64
        .decode(auth.trim_end_matches('='))
        .map_err(|_| "auth is not base64url".to_owned())?;
    if auth.len() != 16 {
        return Err("auth must be 16 bytes".into());
    }
    Ok(())
}

/// Encrypts `plaintext` for a browser (`ua_public`, `auth`) with the sender's one-time key
/// `as_private` and `salt`: the whole `aes128gcm` body (header and one record).
pub fn encrypt(
    plaintext: &[u8],
    ua_public: &[u8],
    auth: &[u8],
    as_private: &SecretKey,
    salt: &[u8; 16],
) -> Result<Vec<u8>, String> {
    if plaintext.len() > MAX_PLAINTEXT {
        return Err(format!("a push carries at most {MAX_PLAINTEXT} bytes"));
    }
    let ua =
        PublicKey::from_sec1_bytes(ua_public).map_err(|_| "not a P-256 public key".to_owned())?;
    let as_public = as_private.public_key().to_sec1_bytes();
    let shared = p256::ecdh::diffie_hellman(as_private.to_nonzero_scalar(), ua.as_affine());
    // RFC 8291 §3.4: IKM from the ECDH secret, keyed by the auth secret and both public keys.
    let mut key_info = b"WebPush: info\0".to_vec();
    key_info.extend_from_slice(ua_public);
    key_info.extend_from_slice(&as_public);
    let mut ikm = [0u8; 32];
    Hkdf::<Sha256>::new(Some(auth), shared.raw_secret_bytes())
        .expand(&key_info, &mut ikm)
        .map_err(|e| e.to_string())?;
    // RFC 8188 §2.2: the content-encryption key and the nonce from the salt.
    let prk = Hkdf::<Sha256>::new(Some(salt), &ikm);
    let (mut cek, mut nonce) = ([0u8; 16], [0u8; 12]);
    prk.expand(b"Content-Encoding: aes128gcm\0", &mut cek)
        .map_err(|e| e.to_string())?;
    prk.expand(b"Content-Encoding: nonce\0", &mut nonce)
        .map_err(|e| e.to_string())?;
    // One record, the last: the plaintext and the delimiter 2, no padding.
    let mut record = plaintext.to_vec();
    record.push(2);
    let sealed = Aes128Gcm::new_from_slice(&cek)
        .map_err(|e| e.to_string())?
        .encrypt(
            Nonce::from_slice(&nonce),
            Payload {
                msg: &record,
                aad: b"",
            },
        )
        .map_err(|e| e.to_string())?;
    let mut body = salt.to_vec();
    body.extend_from_slice(&RECORD_SIZE.to_be_bytes());
    body.push(as_public.len() as u8);
    body.extend_from_slice(&as_public);
    body.extend_from_slice(&sealed);
    Ok(body)
}

/// The VAPID key pair from its private scalar (`VAPID_PRIVATE_KEY`, 32 bytes: base64url or
/// hex).
pub fn vapid_key(private_b64: &str) -> Result<SigningKey, String> {
    let text = private_b64.trim().trim_end_matches('=');
    // 64 hex digits are accepted too (what the local `.dev.vars` generator writes).
    let bytes = if text.len() == 64 && text.chars().all(|c| c.is_ascii_hexdigit()) {
        hex::decode(text).map_err(|e| e.to_string())?
    } else {
        B64.decode(text)
            .map_err(|_| "VAPID_PRIVATE_KEY is not base64url".to_owned())?
    };
    SigningKey::from_slice(&bytes)
        .map_err(|_| "VAPID_PRIVATE_KEY is not a P-256 private key".to_owned())
}

/// The VAPID public key as browsers take it (`applicationServerKey`): uncompressed, base64url.
pub fn vapid_public(key: &SigningKey) -> String {
    B64.encode(key.verifying_key().to_encoded_point(false).as_bytes())
}

/// The `Authorization` header for a push to `endpoint`: `vapid t=<JWT>, k=<public key>`, the
/// JWT (ES256) naming the endpoint's origin, expiring in 12 hours, with a contact.
pub fn vapid_authorization(
    key: &SigningKey,
    endpoint: &str,
    now_s: u64,
    contact: &str,
) -> Result<String, String> {
    let url = url::Url::parse(endpoint).map_err(|e| format!("endpoint: {e}"))?;
    let aud = url.origin().ascii_serialization();
    let header = B64.encode(br#"{"typ":"JWT","alg":"ES256"}"#);
    let claims = B64.encode(
        serde_json::json!({ "aud": aud, "exp": now_s + 12 * 3600, "sub": contact }).to_string(),
    );
    let signing_input = format!("{header}.{claims}");
    let signature: Signature = key.sign(signing_input.as_bytes());
    Ok(format!(
        "vapid t={signing_input}.{}, k={}",
        B64.encode(signature.to_bytes()),
        vapid_public(key)
    ))
}

/// Sends `payload` (JSON the service worker shows) to one subscription. A 404 or 410 means the
/// browser dropped the subscription: [`SendError::Permanent`] starting with `gone:`.
pub async fn push(
    sub: &Subscription,
    payload: &[u8],
    key: &SigningKey,
    contact: &str,
) -> Result<(), SendError> {
    let permanent = SendError::Permanent;
    let ua = B64
        .decode(sub.p256dh.trim_end_matches('='))
        .map_err(|_| permanent("bad p256dh".into()))?;
    let auth = B64
        .decode(sub.auth.trim_end_matches('='))
        .map_err(|_| permanent("bad auth".into()))?;
    let one_time = SecretKey::from_slice(
        &crate::secrets::random_bytes::<32>().map_err(|e| SendError::Retry(format!("{e:?}")))?,
    )
    .map_err(|_| SendError::Retry("a one-time key".into()))?;
    let salt =
        crate::secrets::random_bytes::<16>().map_err(|e| SendError::Retry(format!("{e:?}")))?;
    let body = encrypt(payload, &ua, &auth, &one_time, &salt).map_err(SendError::Permanent)?;
    let now_s = (js_sys::Date::now() / 1000.0) as u64;
    let authorization =
        vapid_authorization(key, &sub.endpoint, now_s, contact).map_err(SendError::Permanent)?;
    let headers = worker::Headers::new();
    for (k, v) in [
        ("authorization", authorization.as_str()),
        ("content-encoding", "aes128gcm"),
        ("content-type", "application/octet-stream"),
        ("ttl", "86400"),
        ("urgency", "high"),
    ] {
        headers
            .set(k, v)
            .map_err(|e| SendError::Retry(e.to_string()))?;
    }
    let mut init = worker::RequestInit::new();
    init.with_method(worker::Method::Post)
        .with_headers(headers)
        .with_redirect(worker::RequestRedirect::Manual)
        .with_body(Some(js_sys::Uint8Array::from(body.as_slice()).into()));
    let req = worker::Request::new_with_init(&sub.endpoint, &init)
        .map_err(|e| permanent(e.to_string()))?;
    let resp = worker::Fetch::Request(req)
        .send()
        .await
        .map_err(|e| SendError::Retry(e.to_string()))?;
    match resp.status_code() {
        200..=299 => Ok(()),
        404 | 410 => Err(permanent(format!(
            "gone: the push service answered {}",
            resp.status_code()
        ))),
        429 | 500..=599 => Err(SendError::Retry(format!(
            "push service answered {}",
            resp.status_code()
        ))),
        code => Err(permanent(format!("push service refused it ({code})"))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn b(s: &str) -> Vec<u8> {
        B64.decode(s).unwrap()
    }

    /// RFC 8291 §5 and Appendix A: the same keys and salt give the RFC's bytes.
    #[test]
    fn the_rfc_8291_example_encrypts_to_the_rfcs_bytes() {
        let as_private =
            SecretKey::from_slice(&b("yfWPiYE-n46HLnH0KqZOF1fJJU3MYrct3AELtAQ-oRw")).unwrap();
        assert_eq!(
            B64.encode(as_private.public_key().to_sec1_bytes()),
            "BP4z9KsN6nGRTbVYI_c7VJSPQTBtkgcy27mlmlMoZIIgDll6e3vCYLocInmYWAmS6TlzAC8wEqKK6PBru3jl7A8"
        );
        let salt: [u8; 16] = b("DGv6ra1nlYgDCS1FRnbzlw").try_into().unwrap();
        let body = encrypt(
            b"When I grow up, I want to be a watermelon",
            &b("BCVxsr7N_eNgVRqvHtD0zTZsEc6-VV-JvLexhqUzORcxaOzi6-AYWXvTBHm4bjyPjs7Vd8pZGH6SRpkNtoIAiw4"),
            &b("BTBZMqHH6r4Tts7J_aSIgg"),
            &as_private,
            &salt,
        )
        .unwrap();
        assert_eq!(
            B64.encode(body),
            "DGv6ra1nlYgDCS1FRnbzlwAAEABBBP4z9KsN6nGRTbVYI_c7VJSPQTBtkgcy27mlmlMoZIIgDll6e3vCYLocInmYWAmS6TlzAC8wEqKK6PBru3jl7A_yl95bQpu6cVPTpK4Mqgkf1CXztLVBSt2Ks3oZwbuwXPXLWyouBWLVWGNWQexSgSxsj_Qulcy4a-fN"
        );
    }

    #[test]
    fn the_vapid_header_is_an_es256_jwt_for_the_endpoints_origin_that_its_key_verifies() {
        use p256::ecdsa::{signature::Verifier, VerifyingKey};
        let key = vapid_key(&B64.encode([7u8; 32])).unwrap();
        let h = vapid_authorization(
            &key,
            "https://push.example.net/wpush/v2/abc?x=1",
            1_000,
            "mailto:ops@alliance.example",
        )
        .unwrap();
        let (t, k) = h
            .strip_prefix("vapid t=")
            .unwrap()
            .split_once(", k=")
            .unwrap();
        assert_eq!(k, vapid_public(&key));
        let parts: Vec<&str> = t.split('.').collect();
        let claims: serde_json::Value = serde_json::from_slice(&b(parts[1])).unwrap();
        assert_eq!(claims["aud"], "https://push.example.net");
        assert_eq!(claims["exp"], 1_000 + 12 * 3600);
        assert_eq!(claims["sub"], "mailto:ops@alliance.example");
        let public = VerifyingKey::from_sec1_bytes(&b(k)).unwrap();
        let sig = Signature::from_slice(&b(parts[2])).unwrap();
        assert!(public
            .verify(format!("{}.{}", parts[0], parts[1]).as_bytes(), &sig)
            .is_ok());
        assert!(vapid_key("not base64!").is_err());
        assert!(check_keys("BCVxsr7N_eNgVRqvHtD0zTZsEc6-VV-JvLexhqUzORcxaOzi6-AYWXvTBHm4bjyPjs7Vd8pZGH6SRpkNtoIAiw4", "BTBZMqHH6r4Tts7J_aSIgg").is_ok());
        assert!(check_keys("BCVx", "BTBZMqHH6r4Tts7J_aSIgg").is_err());
        assert!(check_keys("BCVxsr7N_eNgVRqvHtD0zTZsEc6-VV-JvLexhqUzORcxaOzi6-AYWXvTBHm4bjyPjs7Vd8pZGH6SRpkNtoIAiw4", "short").is_err());
    }
}
