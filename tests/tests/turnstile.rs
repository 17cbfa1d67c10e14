//! Optional Turnstile on bookings, against a local siteverify stub: this test runs its own edge
//! with `TURNSTILE_SECRET` set and `TURNSTILE_VERIFY_URL` pointing at the stub.

use integration_tests::{booking_form, demo_open_slot, OwnEdge, DEMO_ORIGIN};
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpListener;
use std::sync::{Arc, Mutex};

/// A siteverify stand-in: `good-token` passes, anything else fails. Records what it was sent.
fn siteverify() -> (String, Arc<Mutex<Vec<serde_json::Value>>>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}/siteverify", listener.local_addr().unwrap());
    let seen = Arc::new(Mutex::new(Vec::new()));
    let log = seen.clone();
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            let mut reader = BufReader::new(stream.try_clone().unwrap());
            let mut len = 0usize;
            let mut line = String::new();
            loop {
                line.clear();
                reader.read_line(&mut line).unwrap();
                if line.trim().is_empty() {
                    break;
                }
                if let Some(v) = line.to_ascii_lowercase().strip_prefix("content-length:") {
                    len = v.trim().parse().unwrap();
                }
            }
            let mut body = vec![0; len];
            reader.read_exact(&mut body).unwrap();
            let json: serde_json::Value = serde_json::from_slice(&body).unwrap();
            let ok = json["response"] == "good-token";
            log.lock().unwrap().push(json);
            let answer = format!("{{\"success\":{ok}}}");
            let mut s = stream;
            let _ = write!(s, "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{answer}", answer.len());
        }
    });
    (url, seen)
}

#[test]
fn with_turnstile_on_a_booking_needs_a_passing_check() {
    let (url, seen) = siteverify();
    let port = 18798;
    let extra = [
        "--var".to_owned(),
        "TURNSTILE_SECRET:turnstile-test-secret".to_owned(),
        "--var".to_owned(),
        format!("TURNSTILE_VERIFY_URL:{url}"),
    ];
    let edge = OwnEdge::start(port, "turnstile-state", true, &extra);
    let app = edge.app();
    let demo = std::fs::read(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../demo/alliance.json"),
    )
    .unwrap();
    assert_eq!(app.admin_post("/v1/admin/import", &demo).status, 200);
    let shop = "da-an-auto";
    let start = demo_open_slot(shop, 3, 10);

    let missing = app.book_slot(shop, &start, 1, "10.10.0.1");
    let mut form = booking_form(&start, 2);
    form["turnstile"] = "bad-token".into();
    let failing = app.book(shop, &form, DEMO_ORIGIN, "10.10.0.2", None);
    form["turnstile"] = "good-token".into();
    let passing = app.book(shop, &form, DEMO_ORIGIN, "10.10.0.3", None);

    assert_eq!(missing.problem(400).field.as_deref(), Some("turnstile"));
    assert_eq!(failing.problem(403).field.as_deref(), Some("turnstile"));
    assert_eq!(passing.status, 201, "{}", passing.body);
    let calls = seen.lock().unwrap();
    assert_eq!(calls.len(), 2, "no check without a token");
    assert!(calls
        .iter()
        .all(|c| c["secret"] == "turnstile-test-secret" && c["remoteip"] != ""));
}
