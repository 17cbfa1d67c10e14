//! Sign-in against guessing: failed console sign-ins and admin bearer attempts are limited per
//! network (10 in 15 minutes, then 429), the admin's session cookie holds nothing that helps
//! guess the token, and a deployment with a short `ADMIN_TOKEN` serves no console at all.

use integration_tests::{Console, OwnEdge, TestApp};
use sha2::{Digest, Sha256};

/// A console sign-in form posted from the console's own origin, from address `ip`.
fn sign_in(app: &TestApp, key: &str, ip: &str) -> integration_tests::Reply {
    Console::new(app).post_with(
        &[("cf-connecting-ip", ip)],
        "/console/login",
        None,
        Some(&app.base),
        &[("key", key)],
    )
}

fn audit(app: &TestApp, token: &str, ip: &str) -> integration_tests::Reply {
    app.get_with(
        "/v1/admin/audit",
        &[
            ("authorization", &format!("Bearer {token}")),
            ("cf-connecting-ip", ip),
        ],
    )
}

#[test]
fn ten_failed_console_sign_ins_from_one_network_lock_it_out_and_another_network_is_unaffected() {
    let app = TestApp::connect();
    let n = std::process::id() % 60_000;
    for i in 0..10 {
        let ip = format!("2001:db8:5:{n:x}::{:x}", i + 1);
        assert_eq!(sign_in(&app, "sk_guess", &ip).status, 401, "failure {i}");
    }
    // Even the right credential is refused now, from any address of that /64.
    let locked = sign_in(&app, &app.admin_token, &format!("2001:db8:5:{n:x}::99"));
    assert_eq!(locked.status, 429, "{}", locked.body);
    let wait: u64 = locked.header("retry-after").unwrap().parse().unwrap();
    assert!((1..=900).contains(&wait), "{wait}");
    assert!(locked.body.contains("分鐘後再試"), "the page says when");
    assert!(locked.header("set-cookie").is_none(), "no session");
    // Another network signs in.
    let other = sign_in(&app, &app.admin_token, &format!("2001:db8:6:{n:x}::1"));
    assert_eq!(other.status, 303, "{}", other.body);
    assert!(other
        .header("set-cookie")
        .unwrap()
        .starts_with("aw_console="));
}

#[test]
fn ten_wrong_admin_tokens_from_one_address_lock_it_out_of_the_admin_api() {
    let app = TestApp::connect();
    let ip = format!("198.51.100.{}", std::process::id() % 200);
    for i in 0..10 {
        audit(&app, "not-the-token", &ip).problem(403);
        let _ = i;
    }
    let locked = audit(&app, &app.admin_token, &ip);
    locked.problem(429);
    assert!(locked.header("retry-after").is_some());
    audit(&app, &app.admin_token, "198.51.100.250").json::<Vec<shared::AuditEntry>>();
}

#[test]
fn the_admins_session_cookie_holds_no_hash_of_the_token() {
    let app = TestApp::connect();
    let reply = sign_in(&app, &app.admin_token, "192.0.2.77");
    let cookie = reply
        .header("set-cookie")
        .unwrap_or_else(|| panic!("{}: {}", reply.status, reply.body));
    let wire = cookie
        .strip_prefix("aw_console=")
        .unwrap()
        .split(';')
        .next()
        .unwrap();
    let secret = std::env::var("LINK_SECRET").unwrap();
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs();
    let session =
        shared::Session::verify(wire, &shared::session_key(secret.as_bytes()), now).unwrap();
    let digest: String = Sha256::digest(app.admin_token.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    assert_eq!(session.key.len(), 16);
    assert!(
        !digest.contains(&session.key),
        "an HMAC, not a hash of the token"
    );
}

#[test]
fn a_deployment_with_a_short_admin_token_serves_no_console_and_says_why() {
    let extra = ["--var".to_owned(), "ADMIN_TOKEN:too-short-token".to_owned()];
    let edge = OwnEdge::start(18796, "short-token-state", true, &extra);
    let app = edge.app();
    let console = app.get("/console");
    assert_eq!(console.status, 503, "{}", console.body);
    assert!(console.body.contains("ADMIN_TOKEN"), "{}", console.body);
    assert!(console.body.contains("32"));
    let api = audit(&app, "too-short-token", "192.0.2.1").problem(503);
    assert!(
        api.detail.contains("at least") || api.detail.contains("shorter than 32"),
        "{}",
        api.detail
    );
    // Public surfaces are unaffected.
    assert_eq!(app.get("/health").status, 200);
}

#[test]
fn the_console_session_cookie_is_never_sent_from_another_site() {
    // The widget's loader reads the first view and its stylesheet with credentials (to share
    // embed.js's connection), from shops' sites: the session cookie must not ride along. It is
    // SameSite=Strict (and on this local http edge scoped to /console as well).
    let app = TestApp::connect();
    let reply = sign_in(&app, &app.admin_token, "192.0.2.78");
    let cookie = reply
        .header("set-cookie")
        .unwrap_or_else(|| panic!("{}: {}", reply.status, reply.body));
    let attributes: Vec<&str> = cookie.split(';').map(str::trim).collect();
    assert!(attributes.contains(&"Path=/console"), "{cookie}");
    assert!(attributes.contains(&"SameSite=Strict"), "{cookie}");
}
