//! The retention period: personal fields of visits older than `RETENTION_DAYS` are erased by the
//! daily sweep (also runnable by the admin); reviews stay with the shortened name only.

use integration_tests::{
    booking_form, booking_shop, review_form, taipei_slot, TestApp, DEMO_ORIGIN,
};
use shared::BookingView;

fn sweep(app: &TestApp, as_of: Option<&str>) -> serde_json::Value {
    let auth = format!("Bearer {}", app.admin_token);
    let mut headers = vec![("authorization", auth.as_str())];
    if let Some(t) = as_of {
        headers.push(("x-test-now", t));
    }
    let reply = app.send("POST", "/v1/admin/retention", &headers, b"");
    assert_eq!(reply.status, 200, "{}", reply.body);
    reply.json()
}

#[test]
fn personal_fields_of_visits_past_the_retention_period_are_erased_and_reviews_stay() {
    let app = TestApp::connect();
    let (shop, _) = booking_shop(&app, "retain", 1, None);
    let made = app.book(
        &shop,
        &booking_form(&taipei_slot(2, 10), 62_000),
        DEMO_ORIGIN,
        "10.3.0.1",
        None,
    );
    let booking: BookingView = made.json();
    let token = app.token(&shop, "RET-1", 3600);
    let review = app.post_review(
        &shop,
        &review_form(&token, 4, "保存期限過後，評價仍然留著。"),
        DEMO_ORIGIN,
        "10.3.0.2",
    );
    assert_eq!(review.status, 201, "{}", review.body);
    let export = |app: &TestApp| -> serde_json::Value {
        app.get_with(
            &format!("/v1/bookings/{}/export", booking.manage_token),
            &[("referer", &format!("{DEMO_ORIGIN}/shop/x"))],
        )
        .json()
    };

    // Today: nothing is old enough.
    sweep(&app, None);
    assert_eq!(export(&app)["stored"]["name"], "陳怡君");

    // 800 days on (past the 730-day period): the visit's personal fields are gone.
    let later = shared::format_rfc3339(
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .as_millis() as u64
            + 800 * 86_400_000,
    );
    let counts = sweep(&app, Some(&later));
    assert_eq!(counts["retention_days"], 730);
    assert!(counts["bookings_erased"].as_u64().unwrap() >= 1, "{counts}");
    assert!(
        counts["review_names_shortened"].as_u64().unwrap() >= 1,
        "{counts}"
    );
    let stored = export(&app)["stored"].clone();
    for field in ["name", "phone", "plate", "notes"] {
        assert_eq!(stored[field], "", "{field} erased: {stored}");
    }
    assert_eq!(stored["email"], serde_json::Value::Null);
    assert_eq!(
        stored["make"], "Toyota",
        "the car's make stays for the shop's figures"
    );
    // The review stays, under the shortened name.
    let page = app.get(&format!("/v1/shops/{shop}/reviews"));
    assert!(page.body.contains("評價仍然留著"));
    assert!(page.body.contains("陳○○") && !page.body.contains("陳怡君"));
    // Idempotent: a second sweep erases nothing more for this shop.
    let again = sweep(&app, Some(&later));
    assert!(
        again["bookings_erased"].as_u64().unwrap()
            < counts["bookings_erased"].as_u64().unwrap() + 1
    );

    // Only the admin runs it.
    let anon = app.send("POST", "/v1/admin/retention", &[], b"");
    anon.problem(401);
}

#[test]
fn delivered_webhook_events_are_deleted_after_seven_days() {
    let app = TestApp::connect();
    let hook = integration_tests::Receiver::start(0);
    let (shop, key) = booking_shop(&app, "retain-events", 1, Some(&hook.url));
    let made = app.book(
        &shop,
        &booking_form(&taipei_slot(3, 11), 62_100),
        DEMO_ORIGIN,
        "10.3.0.9",
        None,
    );
    assert_eq!(made.status, 201, "{}", made.body);
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(30);
    while hook.received.lock().unwrap().is_empty() && std::time::Instant::now() < deadline {
        std::thread::sleep(std::time::Duration::from_millis(200));
    }
    assert_eq!(hook.received.lock().unwrap().len(), 1, "delivered");
    let console = integration_tests::Console::new(&app);
    let cookie = console.login(&key).unwrap();
    let log = || {
        console
            .get(&format!("/console/shop/{shop}/webhooks"), Some(&cookie))
            .body
    };
    assert!(log().contains("booking.created"));

    let days_on = |days: u64| {
        shared::format_rfc3339(
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .unwrap()
                .as_millis() as u64
                + days * 86_400_000,
        )
    };
    sweep(&app, Some(&days_on(6)));
    assert!(log().contains("booking.created"), "kept for 7 days");
    let counts = sweep(&app, Some(&days_on(8)));
    assert!(counts["events_deleted"].as_u64().unwrap() >= 1, "{counts}");
    assert!(!log().contains("booking.created"), "gone after 7 days");
}
