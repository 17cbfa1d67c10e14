//! Rotating `LINK_SECRET`: with the old value kept as `LINK_SECRET_PREVIOUS`, links, console
//! sessions and calendar keys made before the rotation keep working; anything signed with any
//! other secret is still refused. Runs its own edge with the rotated secrets.

use integration_tests::{demo_open_slot, taipei_slot, Console, OwnEdge, DEMO_ORIGIN};
use shared::{BookingView, ManageToken, ReviewToken, Session, SessionRole, ShopId};

const PORT: u16 = 18795;
const NEW: &str = "rotated-link-secret-0123456789abcdef";

/// An edge of the test's own on `port`, mid-rotation: `LINK_SECRET` is new and the suite's
/// secret is `LINK_SECRET_PREVIOUS`. Returns that previous secret and the edge.
fn rotated_edge(port: u16, state: &str) -> (String, OwnEdge) {
    let old = std::env::var("LINK_SECRET").expect("LINK_SECRET is set by cargo xtask test");
    let extra = [
        "--var".to_owned(),
        format!("LINK_SECRET:{NEW}"),
        "--var".to_owned(),
        format!("LINK_SECRET_PREVIOUS:{old}"),
    ];
    (old, OwnEdge::start(port, state, true, &extra))
}

#[test]
fn links_sessions_and_keys_from_before_a_rotation_keep_working_in_the_grace_period() {
    let (old, edge) = rotated_edge(PORT, "rotation-state");
    let app = edge.app();
    let demo = std::fs::read(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../demo/alliance.json"),
    )
    .unwrap();
    assert_eq!(app.admin_post("/v1/admin/import", &demo).status, 200);
    let shop = "da-an-auto";
    let made = app.book_slot(shop, &demo_open_slot(shop, 3, 10), 61_000, "10.4.0.1");
    assert_eq!(made.status, 201, "{}", made.body);
    let booking: BookingView = made.json();
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs();
    let manage = |secret: &str| {
        ManageToken {
            shop: ShopId::parse(shop).unwrap(),
            reference: shared::Reference::parse(&booking.reference).unwrap(),
            exp: now + 3600,
        }
        .sign(secret.as_bytes())
    };
    // New links are signed with the new secret; links from before still open; others do not.
    assert_eq!(
        app.get(&format!("/v1/bookings/{}", booking.manage_token))
            .status,
        200
    );
    assert!(
        ManageToken::verify(&booking.manage_token, NEW.as_bytes(), now).is_ok(),
        "new links are signed with the new secret"
    );
    assert_eq!(
        app.get(&format!("/v1/bookings/{}", manage(NEW))).status,
        200
    );
    assert_eq!(
        app.get(&format!("/v1/bookings/{}", manage(&old))).status,
        200,
        "an old link"
    );
    app.get(&format!(
        "/v1/bookings/{}",
        manage("some-other-secret-entirely-000")
    ))
    .problem(403);

    // A review link from before the rotation is accepted once.
    let review =
        ReviewToken::new(ShopId::parse(shop).unwrap(), "ROT-1", None, now).sign(old.as_bytes());
    let form = integration_tests::review_form(&review, 5, "輪替密鑰之前收到的評價連結仍然有效。");
    let posted = app.post_review(shop, &form, DEMO_ORIGIN, "10.4.0.2");
    assert_eq!(posted.status, 201, "{}", posted.body);

    // A console session from before the rotation stays signed in, and its forms still work.
    let key = app.shop_key(shop);
    let prefix = {
        use sha2::{Digest, Sha256};
        Sha256::digest(key.as_bytes())
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect::<String>()[..16]
            .to_owned()
    };
    let session = Session {
        role: SessionRole::Shop(ShopId::parse(shop).unwrap()),
        key: prefix,
        exp: now + 600,
        nonce: "rotation".into(),
    };
    let console = Console::new(&app);
    let old_cookie = format!(
        "aw_console={}",
        session.sign(&shared::session_key(old.as_bytes()))
    );
    let page = console.get(&format!("/console/shop/{shop}/bookings"), Some(&old_cookie));
    assert_eq!(page.status, 200, "{}", page.body);
    let done = console.booking_action(&old_cookie, &page, shop, &booking.reference, "arrived");
    assert_eq!(done.status, 303, "{}", done.body);
    let other = format!(
        "aw_console={}",
        session.sign(&shared::session_key(b"some-other-secret-entirely-000"))
    );
    assert_eq!(
        console
            .get(&format!("/console/shop/{shop}/bookings"), Some(&other))
            .status,
        401
    );
    edge.kill();
}

#[test]
fn during_a_rotation_webhooks_are_signed_with_both_secrets() {
    let (_, edge) = rotated_edge(18794, "rotation-hooks-state");
    let rotated = edge.app();
    let demo = std::fs::read(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../demo/alliance.json"),
    )
    .unwrap();
    assert_eq!(rotated.admin_post("/v1/admin/import", &demo).status, 200);
    // The same shop on the suite's edge, which still runs with the old secret: there its
    // webhook secret is the one the shop's receiver holds from before the rotation.
    let before = integration_tests::TestApp::connect();
    let id = integration_tests::unique_id("rot-hook");
    let hook = integration_tests::Receiver::start(0);
    for app in [&before, &rotated] {
        let mut shop = serde_json::to_value(&integration_tests::demo().shops[0]).unwrap();
        shop["id"] = id.clone().into();
        shop["webhook_url"] = hook.url.clone().into();
        shop["membership"]["allowed_origins"] = serde_json::json!([DEMO_ORIGIN]);
        shop["booking"] = serde_json::json!({
            "weekly": (1..=7).map(|d| serde_json::json!({ "weekday": d, "open": "08:00", "close": "20:00", "breaks": [] })).collect::<Vec<_>>(),
            "closures": [], "lead_minutes": 0, "horizon_days": 30, "cancel_cutoff_hours": 1, "step_minutes": 60
        });
        let added = app.admin_post("/v1/admin/shops", shop.to_string().as_bytes());
        assert_eq!(added.status, 201, "{}", added.body);
    }
    let old_secret = before.webhook_secret(&before.shop_key(&id));
    let new_secret = rotated.webhook_secret(&rotated.shop_key(&id));
    assert_ne!(old_secret, new_secret);
    let slot = taipei_slot(4, 10);
    let made = rotated.book_slot(&id, &slot, 61_500, "10.4.1.1");
    assert_eq!(made.status, 201, "{}", made.body);

    hook.wait_for(1, 30);
    let (hook_id, signature, ts, body) = hook.received.lock().unwrap()[0].clone();
    assert_eq!(signature.matches("v1,").count(), 2, "{signature}");
    let mut headers = http::HeaderMap::new();
    headers.insert("webhook-id", hook_id.parse().unwrap());
    headers.insert("webhook-timestamp", ts.parse().unwrap());
    headers.insert("webhook-signature", signature.parse().unwrap());
    for secret in [&old_secret, &new_secret] {
        standardwebhooks::Webhook::new(secret)
            .unwrap()
            .verify(body.as_bytes(), &headers)
            .unwrap_or_else(|e| panic!("{secret}: {e}"));
    }
}
