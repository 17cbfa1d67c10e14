//! Booking against the real local runtime: never a double booking, idempotent retries, the
//! manage link, clean rejections of bad input, and webhooks that are never lost.

use integration_tests::{
    booking_form, booking_shop, events_in, taipei_slot, with, Console, TestApp, DEMO_ORIGIN,
};
use shared::BookingView;
use std::time::{Duration, Instant};

#[test]
fn one_hundred_concurrent_requests_for_a_two_bay_slot_book_exactly_two() {
    let app = TestApp::connect();
    let (shop, key) = booking_shop(&app, "race", 2, None);
    let start = taipei_slot(3, 10);

    let handles: Vec<_> = (0..100u32)
        .map(|i| {
            let (shop, start) = (shop.clone(), start.clone());
            std::thread::spawn(move || {
                let app = TestApp::connect();
                let reply = app.book_slot(
                    &shop,
                    &start,
                    10_000 + i,
                    &format!("10.2.{}.{}", i / 200, i % 200),
                );
                (reply.status, reply.body)
            })
        })
        .collect();
    let results: Vec<(u16, String)> = handles.into_iter().map(|h| h.join().unwrap()).collect();

    let ok = results.iter().filter(|(s, _)| *s == 201).count();
    let full: Vec<&String> = results
        .iter()
        .filter(|(s, _)| *s == 409)
        .map(|(_, b)| b)
        .collect();
    assert_eq!(
        ok,
        2,
        "{:?}",
        results.iter().map(|r| r.0).collect::<Vec<_>>()
    );
    assert_eq!(full.len(), 98);
    assert!(full
        .iter()
        .all(|b| b.contains("/problems/slot-full") && b.contains("\"field\":\"start\"")));
    let feed = app.feed(&shop, &key);
    assert_eq!(events_in(&feed), 2, "stored bookings");
    assert!(!app.slot_free(&shop, "oil", &start));
}

#[test]
fn a_retry_with_the_same_idempotency_key_returns_the_first_booking() {
    let app = TestApp::connect();
    let (shop, key) = booking_shop(&app, "idem", 2, None);
    let start = taipei_slot(3, 11);
    let form = booking_form(&start, 1);

    let first = app.book(&shop, &form, DEMO_ORIGIN, "10.3.0.1", Some("retry-abc-123"));
    let again = app.book(&shop, &form, DEMO_ORIGIN, "10.3.0.1", Some("retry-abc-123"));

    assert_eq!(first.status, 201, "{}", first.body);
    assert_eq!(again.status, 201);
    assert_eq!(again.header("idempotent-replayed"), Some("true"));
    let (a, b): (BookingView, BookingView) = (first.json(), again.json());
    assert_eq!(a.reference, b.reference);
    assert!(shared::is_reference_code(&a.reference), "{}", a.reference);
    assert_eq!(events_in(&app.feed(&shop, &key)), 1);
}

#[test]
fn cancelling_through_the_manage_link_frees_the_slot_at_once() {
    let app = TestApp::connect();
    let (shop, key) = booking_shop(&app, "cancel", 1, None);
    let start = taipei_slot(4, 9);
    let booked: BookingView = app.book_slot(&shop, &start, 2, "10.4.0.1").json();
    assert!(!app.slot_free(&shop, "oil", &start));
    assert_eq!(app.book_slot(&shop, &start, 3, "10.4.0.2").status, 409);

    let viewed: BookingView = app
        .get(&format!("/v1/bookings/{}", booked.manage_token))
        .json();
    let cancel = app.manage(&booked.manage_token, "cancel");

    assert_eq!(viewed.reference, booked.reference);
    assert_eq!(cancel.status, 200, "{}", cancel.body);
    assert_eq!(
        cancel.json::<BookingView>().status,
        shared::BookingStatus::Cancelled
    );
    assert!(app.slot_free(&shop, "oil", &start), "freed at once");
    assert_eq!(app.book_slot(&shop, &start, 4, "10.4.0.3").status, 201);
    assert_eq!(events_in(&app.feed(&shop, &key)), 1);
    let again = app.manage(&booked.manage_token, "cancel");
    assert_eq!(again.problem(409).field.as_deref(), Some("reference"));
}

#[test]
fn rescheduling_moves_the_booking_and_the_add_to_calendar_file_follows() {
    let app = TestApp::connect();
    let (shop, _) = booking_shop(&app, "resched", 1, None);
    let (from, to) = (taipei_slot(5, 9), taipei_slot(5, 15));
    let booked: BookingView = app.book_slot(&shop, &from, 5, "10.5.0.1").json();

    let body = serde_json::json!({ "start": to }).to_string();
    let moved = app.send(
        "POST",
        &format!("/v1/bookings/{}/reschedule", booked.manage_token),
        &[
            ("origin", DEMO_ORIGIN),
            ("content-type", "application/json"),
        ],
        body.as_bytes(),
    );

    assert_eq!(moved.status, 200, "{}", moved.body);
    assert_eq!(moved.json::<BookingView>().start, to);
    assert!(app.slot_free(&shop, "oil", &from));
    assert!(!app.slot_free(&shop, "oil", &to));
    let ics = app.get(&format!(
        "/v1/bookings/{}/calendar.ics",
        booked.manage_token
    ));
    assert!(ics.content_type().starts_with("text/calendar"));
    assert!(ics
        .body
        .contains(&format!("UID:{}@{shop}", booked.reference)));
    let utc = shared::format_rfc3339(shared::parse_instant(&to).unwrap()).replace(['-', ':'], "");
    assert!(ics.body.contains(&format!("DTSTART:{utc}")), "{}", ics.body);
}

#[test]
fn bad_input_gets_a_4xx_naming_the_field_and_nothing_is_stored() {
    let app = TestApp::connect();
    let (shop, key) = booking_shop(&app, "bad", 2, None);
    let ok_start = taipei_slot(3, 10);
    let valid = |n| booking_form(&ok_start, n);
    let cases: Vec<(&str, serde_json::Value, u16, &str)> = vec![
        (
            "past slot",
            booking_form("2026-01-05T10:00:00+08:00", 6),
            400,
            "start",
        ),
        (
            "outside hours",
            booking_form(&taipei_slot(3, 21), 7),
            400,
            "start",
        ),
        (
            "off the grid",
            booking_form(&ok_start.replace(":00:00+", ":30:00+"), 8),
            400,
            "start",
        ),
        (
            "unknown service",
            with(valid(9), "service", "teleport"),
            400,
            "service",
        ),
        (
            "malformed phone",
            with(valid(10), "phone", "12345"),
            400,
            "phone",
        ),
        (
            "no consent",
            with(valid(11), "consent", false),
            400,
            "consent",
        ),
        ("silly year", with(valid(12), "year", "1850"), 400, "year"),
        (
            "honeypot",
            with(valid(13), "website", "http://spam"),
            400,
            "website",
        ),
    ];
    for (what, form, status, field) in cases {
        let problem = app
            .book(&shop, &form, DEMO_ORIGIN, "10.6.0.1", None)
            .problem(status);
        assert_eq!(
            problem.field.as_deref(),
            Some(field),
            "{what}: {}",
            problem.detail
        );
    }
    let big = vec![b' '; 1024 * 1024 + 10];
    let reply = app.send(
        "POST",
        &format!("/v1/shops/{shop}/bookings"),
        &[
            ("content-type", "application/json"),
            ("origin", DEMO_ORIGIN),
        ],
        &big,
    );
    assert_eq!(reply.problem(413).field.as_deref(), Some("body"));
    let reply = app.send(
        "POST",
        &format!("/v1/shops/{shop}/bookings"),
        &[("content-type", "text/plain"), ("origin", DEMO_ORIGIN)],
        booking_form(&ok_start, 14).to_string().as_bytes(),
    );
    assert_eq!(reply.problem(415).field.as_deref(), Some("content-type"));
    let foreign = app.book(
        &shop,
        &booking_form(&ok_start, 15),
        "https://evil.example",
        "10.6.0.2",
        None,
    );
    assert_eq!(foreign.problem(403).field.as_deref(), Some("origin"));
    assert_eq!(foreign.header("access-control-allow-origin"), None);
    let preflight = app.send(
        "OPTIONS",
        &format!("/v1/shops/{shop}/bookings"),
        &[("origin", "https://evil.example")],
        b"",
    );
    assert_eq!(preflight.status, 403);
    let preflight = app.send(
        "OPTIONS",
        &format!("/v1/shops/{shop}/bookings"),
        &[("origin", DEMO_ORIGIN)],
        b"",
    );
    assert_eq!(
        preflight.header("access-control-allow-origin"),
        Some(DEMO_ORIGIN)
    );

    assert_eq!(events_in(&app.feed(&shop, &key)), 0, "nothing stored");
    assert!(app.slot_free(&shop, "oil", &ok_start));
}

#[test]
fn the_private_calendar_feed_needs_its_key() {
    let app = TestApp::connect();
    let (shop, _) = booking_shop(&app, "feed", 1, None);
    assert_eq!(
        app.get(&format!("/v1/shops/{shop}/calendar.ics?key=wrong"))
            .problem(403)
            .field
            .as_deref(),
        Some("key")
    );
    app.get("/v1/bookings/not-a-token").problem(403);
}

/// The headers of a recorded delivery, as a receiver's framework hands them to its library.
fn delivery_headers(id: &str, ts: &str, signature: &str) -> http::HeaderMap {
    let mut h = http::HeaderMap::new();
    h.insert("webhook-id", id.parse().unwrap());
    h.insert("webhook-timestamp", ts.parse().unwrap());
    h.insert("webhook-signature", signature.parse().unwrap());
    h
}

#[test]
fn every_event_reaches_the_webhook_exactly_once_signed_even_after_two_failures() {
    let app = TestApp::connect();
    let hook = integration_tests::Receiver::start(2);
    let (shop, key) = booking_shop(&app, "hook", 2, Some(&hook.url));
    let secret = app.webhook_secret(&key);
    let booked: BookingView = app
        .book_slot(&shop, &taipei_slot(6, 10), 20, "10.7.0.1")
        .json();
    let body = serde_json::json!({ "start": taipei_slot(6, 12) }).to_string();
    let token = &booked.manage_token;
    assert_eq!(
        app.send(
            "POST",
            &format!("/v1/bookings/{token}/reschedule"),
            &[
                ("origin", DEMO_ORIGIN),
                ("content-type", "application/json")
            ],
            body.as_bytes()
        )
        .status,
        200
    );
    assert_eq!(app.manage(token, "cancel").status, 200);

    hook.wait_for(3, 40);
    std::thread::sleep(Duration::from_secs(3)); // anything delivered twice would show up now

    let got = hook.received.lock().unwrap().clone();
    let kinds = hook.kinds();
    assert_eq!(
        kinds,
        [
            "booking.created",
            "booking.rescheduled",
            "booking.cancelled"
        ]
    );
    let ids: std::collections::HashSet<&String> = got.iter().map(|(id, ..)| id).collect();
    assert_eq!(ids.len(), 3, "each event once");
    // Verified as a receiver would, with the official Standard Webhooks library.
    assert!(secret.starts_with("whsec_"), "{secret}");
    let receiver = standardwebhooks::Webhook::new(&secret).unwrap();
    let wrong = standardwebhooks::Webhook::new("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw").unwrap();
    for (id, signature, ts, body) in &got {
        let headers = delivery_headers(id, ts, signature);
        receiver
            .verify(body.as_bytes(), &headers)
            .unwrap_or_else(|e| panic!("delivery {id} does not verify: {e}"));
        assert!(
            receiver
                .verify(format!("{body} ").as_bytes(), &headers)
                .is_err(),
            "tampered body"
        );
        assert!(
            wrong.verify(body.as_bytes(), &headers).is_err(),
            "wrong secret"
        );
        // The same delivery replayed ten minutes on: the library refuses the old timestamp.
        let old: i64 = ts.parse::<i64>().unwrap() - 600;
        let resigned = receiver.sign(id, old, body.as_bytes()).unwrap();
        let replay = delivery_headers(id, &old.to_string(), &resigned);
        assert!(matches!(
            receiver.verify(body.as_bytes(), &replay),
            Err(standardwebhooks::WebhookError::TimestampTooOldError)
        ));
        let event: serde_json::Value = serde_json::from_str(body).unwrap();
        assert!(event["timestamp"].as_str().unwrap().ends_with('Z'));
        assert_eq!(
            event["data"]["booking"]["reference"],
            booked.reference.as_str()
        );
    }
}

#[test]
fn too_many_bookings_for_one_phone_are_limited() {
    let app = TestApp::connect();
    let (shop, _) = booking_shop(&app, "phone-limit", 3, None);
    let statuses: Vec<u16> = (0..6)
        .map(|i| {
            app.book_slot(&shop, &taipei_slot(7, 9 + i), 777, &format!("10.9.1.{i}"))
                .status
        })
        .collect();
    assert_eq!(statuses, [201, 201, 201, 201, 201, 429]);
}

#[test]
fn the_customer_exports_and_erases_their_data_through_the_manage_link() {
    let app = TestApp::connect();
    let (shop, key) = booking_shop(&app, "privacy", 1, None);
    let mut form = booking_form(&taipei_slot(5, 10), 60);
    form["email"] = "chen@example.tw".into();
    form["notes"] = "請順便檢查雨刷".into();
    let booked: BookingView = app
        .book(&shop, &form, DEMO_ORIGIN, "10.14.0.1", None)
        .json();
    let token = &booked.manage_token;

    let export_from = |origin: &str| {
        app.get_with(
            &format!("/v1/bookings/{token}/export"),
            &[("origin", origin)],
        )
    };
    // A manage token that leaked exports nothing elsewhere: not from another site, not bare.
    export_from("https://copycat.example.tw").problem(403);
    app.get(&format!("/v1/bookings/{token}/export"))
        .problem(403);
    let export: serde_json::Value = export_from(DEMO_ORIGIN).json();
    assert_eq!(export["stored"]["name"], "陳怡君");
    assert_eq!(export["stored"]["phone"], "+886900000060");
    assert_eq!(export["stored"]["email"], "chen@example.tw");
    assert_eq!(export["booking"]["reference"], booked.reference.as_str());

    let foreign = app.send(
        "POST",
        &format!("/v1/bookings/{token}/erase"),
        &[("origin", "https://evil.example")],
        b"",
    );
    assert_eq!(foreign.problem(403).field.as_deref(), Some("origin"));
    let erased = app.manage(token, "erase");

    assert_eq!(erased.status, 200, "{}", erased.body);
    assert_eq!(
        erased.json::<BookingView>().status,
        shared::BookingStatus::Cancelled,
        "an upcoming booking is cancelled first"
    );
    let after: serde_json::Value = export_from(DEMO_ORIGIN).json();
    for field in ["name", "phone", "plate", "notes"] {
        assert_eq!(after["stored"][field], "", "{field} erased");
    }
    assert!(after["stored"]["email"].is_null());
    assert_eq!(after["stored"]["make"], "Toyota", "the car's make stays");
    let feed = app.feed(&shop, &key);
    assert!(!feed.contains("陳怡君") && !feed.contains("+886900000060"));
}

#[test]
fn an_idempotency_key_replayed_with_another_body_is_refused_and_reveals_nothing() {
    let app = TestApp::connect();
    let (shop, key) = booking_shop(&app, "idem-body", 2, None);
    let form = booking_form(&taipei_slot(3, 12), 11);
    let first = app.book(&shop, &form, DEMO_ORIGIN, "10.3.1.1", Some("idem-body-key"));
    assert_eq!(first.status, 201, "{}", first.body);
    let made: BookingView = first.json();

    // Someone who learnt the key sends it with a booking of their own.
    let mut other = booking_form(&taipei_slot(3, 13), 12);
    other["name"] = "Mallory".into();
    let replay = app.book(
        &shop,
        &other,
        DEMO_ORIGIN,
        "10.3.1.2",
        Some("idem-body-key"),
    );

    let problem = replay.problem(422);
    assert_eq!(problem.field.as_deref(), Some("idempotency-key"));
    assert!(!replay.body.contains(&made.reference), "{}", replay.body);
    assert!(!replay.body.contains(&made.manage_token));
    assert_eq!(events_in(&app.feed(&shop, &key)), 1, "nothing stored");
}

#[test]
fn two_hundred_addresses_of_one_ipv6_64_share_one_limit_and_another_64_is_unaffected() {
    let app = TestApp::connect();
    let (shop, _) = booking_shop(&app, "v6-limit", 10, None);
    let (mut created, mut limited) = (0, 0);
    for i in 0..200u32 {
        let start = taipei_slot(1 + u64::from(i / 12), 8 + i % 12);
        let ip = format!("2001:db8:77:1::{:x}", i + 1);
        let reply = app.book_slot(&shop, &start, 71_000 + i, &ip);
        match reply.status {
            201 => created += 1,
            429 => {
                limited += 1;
                assert_eq!(reply.header("retry-after"), Some("3600"));
            }
            other => panic!("unexpected {other}: {}", reply.body),
        }
    }
    assert_eq!(
        (created, limited),
        (20, 180),
        "one /64, one bucket of 20 an hour"
    );

    let next_door = app.book_slot(&shop, &taipei_slot(3, 9), 71_500, "2001:db8:77:2::1");
    assert_eq!(next_door.status, 201, "{}", next_door.body);
}

#[test]
fn a_shop_takes_at_most_the_alliances_hourly_number_of_new_bookings() {
    let app = TestApp::connect();
    let (shop, _) = booking_shop(&app, "shop-cap", 10, None);
    let cap = integration_tests::demo()
        .alliance
        .limits
        .bookings_per_shop_hour;
    for i in 0..cap {
        let start = taipei_slot(1 + u64::from(i / 12), 8 + i % 12);
        let ip = format!("10.31.{}.{}", i / 200, i % 200);
        let reply = app.book_slot(&shop, &start, 72_000 + i, &ip);
        assert_eq!(reply.status, 201, "booking {i}: {}", reply.body);
    }
    let over = app.book_slot(&shop, &taipei_slot(20, 9), 72_999, "10.32.0.1");
    let problem = over.problem(429);
    assert!(problem.detail.contains("this hour"), "{}", problem.detail);
    assert_eq!(over.header("retry-after"), Some("3600"));
}

#[test]
fn a_webhook_that_redirects_is_a_failed_delivery_shown_in_the_console_and_never_followed() {
    let app = TestApp::connect();
    let target = integration_tests::Receiver::start(0);
    let hop = integration_tests::Receiver::redirecting(&target.url);
    let (shop, key) = booking_shop(&app, "hook-redirect", 1, Some(&hop.url));
    let booked = app.book_slot(&shop, &taipei_slot(6, 15), 23, "10.7.0.9");
    assert_eq!(booked.status, 201, "{}", booked.body);

    let console = Console::new(&app);
    let cookie = console.login(&key).unwrap();
    let deadline = Instant::now() + Duration::from_secs(30);
    let page = loop {
        let page = console.get(&format!("/console/shop/{shop}/webhooks"), Some(&cookie));
        if page.body.contains("redirects are not followed") || Instant::now() > deadline {
            break page;
        }
        std::thread::sleep(Duration::from_millis(300));
    };
    assert!(
        page.body.contains("HTTP 302 redirect"),
        "the failure is shown: {}",
        page.body
    );
    std::thread::sleep(Duration::from_secs(2));
    assert!(
        target.received.lock().unwrap().is_empty(),
        "the redirect's target never got the event"
    );
}

#[test]
fn rotating_a_shops_secrets_or_revoking_it_ends_the_old_feed_address_and_webhook_secret() {
    let app = TestApp::connect();
    let (shop, key) = booking_shop(&app, "rotate-secrets", 1, None);
    let setup = |key: &str| -> serde_json::Value { app.setup(key).json() };
    let path = |v: &serde_json::Value| {
        let url = v["calendar_feed"].as_str().unwrap().to_owned();
        url[url.find("/v1/").unwrap()..].to_owned()
    };
    let before = setup(&key);
    assert_eq!(app.get(&path(&before)).status, 200);

    let console = Console::new(&app);
    let (cookie, page) = console.open(&key, &format!("/console/shop/{shop}/webhooks"));
    let rotate = format!("/console/shop/{shop}/webhooks/rotate");
    let rotated = console.submit(&rotate, &cookie, &Console::csrf(&page), &[]);
    assert_eq!(rotated.status, 303, "{}", rotated.body);

    let old = app.get(&path(&before));
    assert_eq!(old.problem(404).field.as_deref(), Some("key"));
    let after = setup(&key);
    assert_ne!(after["webhook_secret"], before["webhook_secret"]);
    assert_eq!(app.get(&path(&after)).status, 200, "the new address works");

    // Revoking the membership ends them too.
    assert_eq!(
        app.membership_action(&shop, "revoke", "left the alliance")
            .status,
        200
    );
    app.get(&path(&after)).problem(404);
}

#[test]
fn erasing_a_booking_leaves_no_personal_data_in_its_webhook_events() {
    let app = TestApp::connect();
    // The first two deliveries fail, so the booking's event is still waiting when it is erased.
    let hook = integration_tests::Receiver::start(2);
    let (shop, _) = booking_shop(&app, "erase-events", 1, Some(&hook.url));
    let n = 83_000 + std::process::id() % 1000;
    let mut form = booking_form(&taipei_slot(9, 10), n);
    form["name"] = "Qwerty Erasable".into();
    form["email"] = format!("erasable{n}@example.tw").into();
    form["plate"] = "ERA-9876".into();
    form["notes"] = "gate code 4471".into();
    let phone = form["phone"].as_str().unwrap().to_owned();
    let made: BookingView = app.book(&shop, &form, DEMO_ORIGIN, "10.7.3.1", None).json();
    let erased = app.manage(&made.manage_token, "erase");
    assert_eq!(erased.status, 200, "{}", erased.body);

    hook.wait_for(2, 40);
    let got = hook.received.lock().unwrap().clone();
    let kinds = hook.kinds();
    assert_eq!(kinds, ["booking.created", "booking.cancelled"]);
    for (_, _, _, body) in &got {
        for personal in [
            "Qwerty Erasable",
            &phone[2..],
            &format!("erasable{n}@"),
            "ERA-9876",
            "gate code",
        ] {
            assert!(!body.contains(personal), "{personal} in {body}");
        }
        let event: serde_json::Value = serde_json::from_str(body).unwrap();
        assert_eq!(event["data"]["booking"]["erased"], true, "{body}");
        assert_eq!(
            event["data"]["booking"]["reference"],
            made.reference.as_str()
        );
    }
}
