//! The edge's secrets and what is derived from them: `LINK_SECRET` (and the previous one during
//! a rotation), the per-shop secrets derived from it (calendar feed key, webhook signing key),
//! keyed hashes for visit counts and rate-limit counters, shop access keys and their hashes.
//! A leaf: it reads the environment and nothing of the edge but its error type.

use crate::error::{ApiError, ApiResult};
use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;
use worker::Env;

/// What an admin console session records of the token it was opened with: an HMAC under a key
/// derived from `LINK_SECRET`, so the cookie reveals nothing that helps guess the token.
pub fn admin_fingerprint(link_secret: &[u8], token: &str) -> String {
    use hmac::{Hmac, Mac};
    let mut mac = Hmac::<Sha256>::new_from_slice(link_secret).expect("any key length");
    mac.update(b"admin-session:");
    mac.update(token.as_bytes());
    hex::encode(&mac.finalize().into_bytes()[..8])
}

/// Hex SHA-256 of a shop access key: only this is stored.
pub fn key_hash(key: &str) -> String {
    hex::encode(Sha256::digest(key.as_bytes()))
}

/// `N` bytes from the platform's cryptographic random source.
pub fn random_bytes<const N: usize>() -> ApiResult<[u8; N]> {
    let mut bytes = [0u8; N];
    getrandom::getrandom(&mut bytes).map_err(|e| ApiError::Internal(format!("random: {e}")))?;
    Ok(bytes)
}

/// `N` random bytes in hex (ids, nonces).
pub fn random_hex<const N: usize>() -> ApiResult<String> {
    Ok(hex::encode(random_bytes::<N>()?))
}

/// A new random shop access key (`sk_` and 32 random bytes in hex).
pub fn new_shop_key() -> ApiResult<String> {
    Ok(format!("sk_{}", random_hex::<32>()?))
}

/// `LINK_SECRET` and, during a rotation, the one before it: read once per request (by the
/// router's [`crate::app::App`], or by the shop's object) and handed to what derives from them.
pub struct Secrets {
    link: Vec<u8>,
    previous: Option<Vec<u8>>,
}

impl Secrets {
    /// Reads `LINK_SECRET` (at least 16 bytes) and `LINK_SECRET_PREVIOUS` (ignored when shorter).
    pub fn from_env(env: &Env) -> ApiResult<Self> {
        let link = env
            .secret("LINK_SECRET")
            .map(|s| s.to_string())
            .map_err(|_| ApiError::Internal("LINK_SECRET secret is not configured".into()))?;
        if link.len() < 16 {
            return Err(ApiError::Internal("LINK_SECRET is too short".into()));
        }
        let previous = env
            .secret("LINK_SECRET_PREVIOUS")
            .map(|s| s.to_string())
            .ok()
            .filter(|s| s.len() >= 16)
            .map(String::into_bytes);
        Ok(Self {
            link: link.into_bytes(),
            previous,
        })
    }

    /// The secret that signs review, manage and session tokens (`LINK_SECRET`).
    pub fn link(&self) -> &[u8] {
        &self.link
    }

    /// Checks a signed token with `LINK_SECRET`, and when its signature does not match, with the
    /// previous secret during a rotation's grace period. Returns the result and the secret that
    /// verified it.
    pub fn verify_rotating<T>(
        &self,
        check: impl Fn(&[u8]) -> Result<T, shared::TokenError>,
    ) -> (Result<T, shared::TokenError>, &[u8]) {
        let first = check(&self.link);
        if matches!(first, Err(shared::TokenError::BadSignature)) {
            if let Some(previous) = &self.previous {
                let second = check(previous);
                if second.is_ok() {
                    return (second, previous);
                }
            }
        }
        (first, &self.link)
    }

    /// A per-shop secret derived from `LINK_SECRET` for `purpose` (`webhook`, `feed`) and the
    /// shop's secrets generation: nothing to store; rotating `LINK_SECRET` rotates them all, and
    /// bumping the shop's generation (its console's "rotate", a revoked membership) rotates the
    /// shop's.
    pub fn derived(&self, purpose: &str, shop: &shared::Shop) -> String {
        derive(
            &self.link,
            purpose,
            &shop.id,
            shop.membership.secrets_generation,
        )
    }

    /// Whether `key` is the shop's current derived secret for `purpose`, under `LINK_SECRET` or,
    /// during a rotation, the previous one (constant time).
    pub fn derived_matches(&self, purpose: &str, shop: &shared::Shop, key: &str) -> bool {
        let generation = shop.membership.secrets_generation;
        let current = same(key, &derive(&self.link, purpose, &shop.id, generation));
        let previous = self
            .previous
            .as_ref()
            .is_some_and(|p| same(key, &derive(p, purpose, &shop.id, generation)));
        current | previous
    }

    /// Whether `key` was the shop's derived secret for `purpose` in an earlier generation.
    pub fn derived_was(&self, purpose: &str, shop: &shared::Shop, key: &str) -> bool {
        (0..shop.membership.secrets_generation)
            .any(|g| same(key, &derive(&self.link, purpose, &shop.id, g)))
    }

    /// The shop's webhook signing secret as Standard Webhooks writes it: `whsec_` and the key in
    /// base64. Shown in the console and `GET /v1/shop/setup`.
    pub fn webhook_secret(&self, shop: &shared::Shop) -> String {
        use base64::Engine;
        format!(
            "whsec_{}",
            base64::engine::general_purpose::STANDARD.encode(webhook_key(&self.link, shop))
        )
    }

    /// The keys deliveries are signed with: the current one and, during a `LINK_SECRET`
    /// rotation, the one receivers still hold.
    pub fn webhook_keys(&self, shop: &shared::Shop) -> Vec<Vec<u8>> {
        let mut keys = vec![webhook_key(&self.link, shop)];
        if let Some(previous) = &self.previous {
            keys.push(webhook_key(previous, shop));
        }
        keys
    }

    /// The keyed hash counting a customer's visits across the alliance: HMAC-SHA256 of the
    /// normalised (E.164) phone number under a key derived from `LINK_SECRET`. Only this is
    /// stored with the count, never the number; without the secret it cannot be reversed by
    /// trying numbers.
    pub fn visitor_key(&self, phone_e164: &str) -> String {
        hex::encode(self.keyed_hash(b"alliance-visits", phone_e164))
    }

    /// The key a rate limit counts `value` under (a client's address block, a phone number): a
    /// keyed hash, so the counters the objects keep hold no address or number.
    pub fn rate_key(&self, value: &str) -> String {
        hex::encode(&self.keyed_hash(b"alliance-rate-limits", value)[..16])
    }

    /// HMAC-SHA256 of `value` under a key derived from `LINK_SECRET` for `purpose`.
    fn keyed_hash(&self, purpose: &[u8], value: &str) -> [u8; 32] {
        use hmac::{Hmac, Mac};
        let mut key = Hmac::<Sha256>::new_from_slice(&self.link).expect("any key length");
        key.update(purpose);
        let key = key.finalize().into_bytes();
        let mut mac = Hmac::<Sha256>::new_from_slice(&key).expect("any key length");
        mac.update(value.as_bytes());
        mac.finalize().into_bytes().into()
    }
}

fn derive(secret: &[u8], purpose: &str, shop: &shared::ShopId, generation: u32) -> String {
    use hmac::{Hmac, Mac};
    let mut mac = Hmac::<Sha256>::new_from_slice(secret).expect("any key length");
    // Generation 0 keeps the first release's input, so its secrets stay valid.
    if generation == 0 {
        mac.update(format!("{purpose}:{shop}").as_bytes());
    } else {
        mac.update(format!("{purpose}:{shop}:{generation}").as_bytes());
    }
    hex::encode(&mac.finalize().into_bytes()[..20])
}

/// The shop's webhook signing key under `link` (24 bytes, derived like the other per-shop
/// secrets, with its own purpose and the shop's generation).
fn webhook_key(link: &[u8], shop: &shared::Shop) -> Vec<u8> {
    use hmac::{Hmac, Mac};
    let mut mac = Hmac::<Sha256>::new_from_slice(link).expect("any key length");
    mac.update(
        format!(
            "standard-webhooks:{}:{}",
            shop.id, shop.membership.secrets_generation
        )
        .as_bytes(),
    );
    mac.finalize().into_bytes()[..24].to_vec()
}

/// The `webhook-signature` header of a delivery (Standard Webhooks): `v1,<base64 HMAC-SHA256
/// of "{id}.{timestamp}.{body}">` for each key, space-separated.
pub fn webhook_signature(keys: &[Vec<u8>], id: &str, timestamp: u64, body: &str) -> String {
    use base64::Engine;
    use hmac::{Hmac, Mac};
    keys.iter()
        .map(|key| {
            let mut mac = Hmac::<Sha256>::new_from_slice(key).expect("any key length");
            mac.update(format!("{id}.{timestamp}.{body}").as_bytes());
            format!(
                "v1,{}",
                base64::engine::general_purpose::STANDARD.encode(mac.finalize().into_bytes())
            )
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// Compares two strings in constant time (for keys given in URLs).
pub fn same(a: &str, b: &str) -> bool {
    let (a, b) = (Sha256::digest(a.as_bytes()), Sha256::digest(b.as_bytes()));
    bool::from(a.ct_eq(&b))
}
