//! Web Push to the shop's phone against the real local runtime: the console stores a
//! subscription, the shop's alerts are pushed to its endpoint (here a local push service)
//! encrypted as RFC 8291 says, which this test decrypts with the browser's side of the keys,
//! and signed with VAPID (RFC 8292), which it verifies; a subscription the push service calls
//! gone is forgotten; a malformed one is refused and nothing stored.

use base64::engine::general_purpose::URL_SAFE_NO_PAD as B64;
use base64::Engine;
use integration_tests::{
    booking_form, booking_shop_with, local_slot, with, zone_at, Console, TestApp, DEMO_ORIGIN,
};
use std::io::Write;
use std::sync::{Arc, Mutex};

/// What a push service received: (path, headers, body).
type Pushes = Arc<Mutex<Vec<(String, Vec<(String, String)>, Vec<u8>)>>>;

/// A push service on loopback: answers 201, or 410 for paths starting with `/gone`.
fn push_service() -> (String, Pushes) {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let got: Pushes = Arc::default();
    let log = got.clone();
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            let (first, headers, body) = integration_tests::read_request(&stream);
            let path = first
                .split_whitespace()
                .nth(1)
                .unwrap_or_default()
                .to_owned();
            let status = if path.starts_with("/gone") {
                "410 Gone"
            } else {
                "201 Created"
            };
            log.lock().unwrap().push((path, headers, body));
            let mut s = stream;
            let _ = write!(
                s,
                "HTTP/1.1 {status}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
            );
        }
    });
    (base, got)
}

/// The browser's side of a subscription: its key pair and auth secret.
struct Browser {
    key: p256::SecretKey,
    auth: [u8; 16],
}

impl Browser {
    fn new() -> Self {
        use rand_core::RngCore;
        let mut auth = [0u8; 16];
        rand_core::OsRng.fill_bytes(&mut auth);
        Self {
            key: p256::SecretKey::random(&mut rand_core::OsRng),
            auth,
        }
    }

    fn p256dh(&self) -> String {
        B64.encode(self.key.public_key().to_sec1_bytes())
    }

    /// Decrypts an `aes128gcm` body (RFC 8188 / 8291) as a browser does.
    fn decrypt(&self, body: &[u8]) -> Vec<u8> {
        use aes_gcm::aead::{Aead, KeyInit};
        let salt = &body[..16];
        let rs = u32::from_be_bytes(body[16..20].try_into().unwrap());
        assert_eq!(rs, 4096, "record size");
        let idlen = body[20] as usize;
        let as_public = &body[21..21 + idlen];
        let ciphertext = &body[21 + idlen..];
        let sender = p256::PublicKey::from_sec1_bytes(as_public).unwrap();
        let shared = p256::ecdh::diffie_hellman(self.key.to_nonzero_scalar(), sender.as_affine());
        let ua_public = self.key.public_key().to_sec1_bytes();
        let mut info = b"WebPush: info\0".to_vec();
        info.extend_from_slice(&ua_public);
        info.extend_from_slice(as_public);
        let mut ikm = [0u8; 32];
        hkdf::Hkdf::<sha2::Sha256>::new(Some(&self.auth), shared.raw_secret_bytes())
            .expand(&info, &mut ikm)
            .unwrap();
        let prk = hkdf::Hkdf::<sha2::Sha256>::new(Some(salt), &ikm);
        let (mut cek, mut nonce) = ([0u8; 16], [0u8; 12]);
        prk.expand(b"Content-Encoding: aes128gcm\0", &mut cek)
            .unwrap();
        prk.expand(b"Content-Encoding: nonce\0", &mut nonce)
            .unwrap();
        let mut plain = aes_gcm::Aes128Gcm::new_from_slice(&cek)
            .unwrap()
            .decrypt(aes_gcm::Nonce::from_slice(&nonce), ciphertext)
            .expect("the body decrypts with the browser's keys");
        assert_eq!(plain.pop(), Some(2), "one record, the last");
        plain
    }
}

fn subscribe(
    console: &Console,
    key: &str,
    shop: &str,
    endpoint: &str,
    browser: &Browser,
) -> integration_tests::Reply {
    let (cookie, page) = console.open(key, &format!("/console/shop/{shop}/messages"));
    assert!(page.body.contains("id=\"push-enable\""), "{}", page.body);
    console.submit(
        &format!("/console/shop/{shop}/push"),
        &cookie,
        &Console::csrf(&page),
        &[
            ("endpoint", endpoint),
            ("p256dh", &browser.p256dh()),
            ("auth", &B64.encode(browser.auth)),
        ],
    )
}

#[test]
fn the_shops_alerts_reach_its_phone_encrypted_for_it_and_signed_with_vapid() {
    let app = TestApp::connect();
    let console = Console::new(&app);
    let (service, pushes) = push_service();
    let (zone, offset) = zone_at(12);
    let (shop, key) = booking_shop_with(&app, "push", 2, None, move |s| {
        s["time_zone"] = zone.clone().into()
    });
    let browser = Browser::new();
    let endpoint = format!("{service}/wpush/abc123");
    assert_eq!(
        subscribe(&console, &key, &shop, &endpoint, &browser).status,
        303
    );
    let gone = Browser::new();
    assert_eq!(
        subscribe(&console, &key, &shop, &format!("{service}/gone/xyz"), &gone).status,
        303
    );

    let form = with(
        booking_form(&local_slot(offset, 2, 10), 8201),
        "locale",
        "en",
    );
    let booked = app.book(&shop, &form, DEMO_ORIGIN, "10.92.0.1", None);
    assert_eq!(booked.status, 201, "{}", booked.body);
    let reference = booked.json::<serde_json::Value>()["reference"]
        .as_str()
        .unwrap()
        .to_owned();
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
    while pushes.lock().unwrap().len() < 2 && std::time::Instant::now() < deadline {
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
    let got = pushes.lock().unwrap().clone();
    let (_, headers, body) = got
        .iter()
        .find(|(p, _, _)| p == "/wpush/abc123")
        .expect("a push to the phone");
    let header = |n: &str| {
        headers
            .iter()
            .find(|(k, _)| k == n)
            .map(|(_, v)| v.as_str())
            .unwrap_or_default()
    };
    assert_eq!(header("content-encoding"), "aes128gcm");
    assert_eq!(header("ttl"), "86400");
    // VAPID: an ES256 JWT for the push service's origin, verified with the key it names.
    let vapid = header("authorization");
    let (t, k) = vapid
        .strip_prefix("vapid t=")
        .unwrap()
        .split_once(", k=")
        .unwrap();
    let parts: Vec<&str> = t.split('.').collect();
    let claims: serde_json::Value = serde_json::from_slice(&B64.decode(parts[1]).unwrap()).unwrap();
    assert_eq!(claims["aud"], service.as_str());
    assert!(claims["exp"].as_u64().unwrap() > integration_tests::now_ms() / 1000);
    assert!(claims["sub"].as_str().unwrap().starts_with("mailto:"));
    use p256::ecdsa::signature::Verifier;
    let public = p256::ecdsa::VerifyingKey::from_sec1_bytes(&B64.decode(k).unwrap()).unwrap();
    let sig = p256::ecdsa::Signature::from_slice(&B64.decode(parts[2]).unwrap()).unwrap();
    assert!(
        public
            .verify(format!("{}.{}", parts[0], parts[1]).as_bytes(), &sig)
            .is_ok(),
        "the VAPID signature verifies"
    );
    // The payload, decrypted with the browser's keys.
    let payload: serde_json::Value = serde_json::from_slice(&browser.decrypt(body)).unwrap();
    assert!(
        payload["title"].as_str().unwrap().starts_with("新預約"),
        "{payload}"
    );
    assert!(
        payload["body"].as_str().unwrap().contains("陳怡君"),
        "{payload}"
    );
    assert!(payload["url"]
        .as_str()
        .unwrap()
        .ends_with(&format!("/console/shop/{shop}/bookings/{reference}")));

    // The subscription the push service called gone is forgotten.
    let (_, page) = console.open(&key, &format!("/console/shop/{shop}/messages"));
    let phones = page
        .body
        .split("id=\"push\"")
        .nth(1)
        .unwrap()
        .split("</section>")
        .next()
        .unwrap();
    assert_eq!(phones.matches("/push/remove").count(), 1, "{phones}");
}

#[test]
fn a_malformed_subscription_is_refused_and_nothing_is_stored() {
    let app = TestApp::connect();
    let console = Console::new(&app);
    let (shop, key) = booking_shop_with(&app, "push-bad", 2, None, |_| {});
    let browser = Browser::new();
    for (endpoint, p256dh) in [
        ("ftp://push.example/x", browser.p256dh()),
        ("https://push.example/x", "BCVx".to_owned()),
        ("not a url", browser.p256dh()),
    ] {
        let (cookie, page) = console.open(&key, &format!("/console/shop/{shop}/messages"));
        let r = console.submit(
            &format!("/console/shop/{shop}/push"),
            &cookie,
            &Console::csrf(&page),
            &[
                ("endpoint", endpoint),
                ("p256dh", &p256dh),
                ("auth", &B64.encode(browser.auth)),
            ],
        );
        assert_eq!(r.status, 400, "{endpoint}: {}", r.body);
    }
    let (_, page) = console.open(&key, &format!("/console/shop/{shop}/messages"));
    assert!(page.body.contains("還沒有手機接收通知"), "nothing stored");
}
