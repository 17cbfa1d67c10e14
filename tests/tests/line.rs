//! LINE against the real local runtime and a local stand-in for LINE's Messaging API
//! (`LineApi`, which checks what LINE checks): the webhook's signature, linking by a one-time
//! code from the booking's LINE page or the console, pushes of every change, STOP and
//! unfollow, unlinking, and a failing or refusing LINE that neither blocks e-mail nor is
//! retried forever.

use integration_tests::{
    booking_form, booking_shop_with, line_code_in, line_text, link_staff_line_as, local_slot,
    unique_id, with, zone_at, Console, LineApi, Mailbox, TestApp, DEMO_ORIGIN,
};
use shared::BookingView;

/// A shop with an alert address in a zone where it is now midday (so no push waits out the
/// quiet hours, whenever the suite runs), and the zone's offset in hours.
fn shop(app: &TestApp, prefix: &str) -> (String, String, i64) {
    let (zone, offset) = zone_at(12);
    let (id, key) = booking_shop_with(app, prefix, 2, None, move |s| {
        s["time_zone"] = zone.clone().into();
        s["alert_email"] = format!("desk+{}@garage.example", s["id"].as_str().unwrap()).into();
    });
    (id, key, offset)
}

fn book(app: &TestApp, (shop, offset): (&str, i64), day: u64, hour: u32, n: u32) -> BookingView {
    let form = with(
        booking_form(&local_slot(offset, day, hour), n),
        "locale",
        "en",
    );
    let r = app.book(
        shop,
        &form,
        DEMO_ORIGIN,
        &format!("10.91.{}.{}", n % 200, n % 250),
        None,
    );
    assert_eq!(r.status, 201, "{}", r.body);
    r.json()
}

fn user(id: &str) -> serde_json::Value {
    serde_json::json!({ "type": "user", "userId": id })
}

fn reschedule(app: &TestApp, b: &BookingView, start: &str) {
    let r = app.send(
        "POST",
        &format!("/v1/bookings/{}/reschedule", b.manage_token),
        &[
            ("origin", DEMO_ORIGIN),
            ("content-type", "application/json"),
        ],
        serde_json::json!({ "start": start }).to_string().as_bytes(),
    );
    assert_eq!(r.status, 200, "{}", r.body);
}

#[test]
fn the_webhook_refuses_what_is_not_signed_with_the_channel_secret() {
    let app = TestApp::connect();
    let body = line_text(user("Uforger"), "K7Q2-9XFD", "rt-forged");
    let unsigned = app.send(
        "POST",
        "/v1/line/webhook",
        &[("content-type", "application/json")],
        body.to_string().as_bytes(),
    );
    assert_eq!(
        unsigned.problem(401).field.as_deref(),
        Some("x-line-signature")
    );
    let wrong = app.send(
        "POST",
        "/v1/line/webhook",
        &[
            ("content-type", "application/json"),
            ("x-line-signature", "bm90IHRoZSBzaWduYXR1cmU="),
        ],
        body.to_string().as_bytes(),
    );
    wrong.problem(401);
    // LINE's "verify" button sends no events; a signed empty list is answered 200.
    let verify = app.line_webhook(&serde_json::json!({ "destination": "Ualliance", "events": [] }));
    assert_eq!(verify.status, 200, "{}", verify.body);
}

#[test]
fn a_customer_links_line_from_the_booking_page_gets_every_change_and_can_unlink() {
    let app = TestApp::connect();
    let api = LineApi::get();
    let (shop, _, offset) = shop(&app, "line-cust");
    let b = book(&app, (&shop, offset), 3, 10, 8101);
    assert!(b.line, "the booking offers LINE");
    let page = app.get(&format!("/v1/bookings/{}/line", b.manage_token));
    assert_eq!(page.status, 200, "{}", page.body);
    let code = line_code_in(&page);
    assert!(
        page.body.contains(&format!(
            "https://line.me/R/oaMessage/%40alliance-local/?{code}"
        )),
        "{}",
        page.body
    );
    assert!(page.body.contains("data:image/svg+xml"), "a QR code");

    // A wrong code links nothing and says so.
    let someone = unique_id("Uother");
    let r = app.line_webhook(&line_text(
        user(&someone),
        "ZZZZ-ZZZZ",
        &format!("rt-{someone}"),
    ));
    assert_eq!(r.status, 200);
    let reply = &api.wait_for(&format!("rt-{someone}"), 1, 10)[0];
    assert!(
        reply.texts[0].contains("不正確或已過期") && reply.texts[0].contains("wrong or expired"),
        "{reply:?}"
    );

    let me = unique_id("Ucust");
    assert_eq!(
        app.line_webhook(&line_text(
            user(&me),
            &code.to_lowercase(),
            &format!("rt-{me}")
        ))
        .status,
        200
    );
    let reply = &api.wait_for(&format!("rt-{me}"), 1, 10)[0];
    assert!(reply.texts[0].contains(&b.reference), "{reply:?}");
    // The code worked once.
    app.line_webhook(&line_text(user(&someone), &code, &format!("rt2-{someone}")));
    assert!(api.wait_for(&format!("rt2-{someone}"), 1, 10)[0].texts[0].contains("wrong or expired"));

    reschedule(&app, &b, &local_slot(offset, 3, 14));
    let pushes = api.wait_for(&me, 1, 20);
    assert_eq!(pushes.len(), 1, "{pushes:?}");
    assert!(
        pushes[0].texts[0].starts_with("New time: "),
        "{:?}",
        pushes[0]
    );
    assert!(pushes[0].texts[0].contains(&b.reference) && pushes[0].texts[0].contains("14:00"));
    assert!(
        !pushes[0].texts[0].contains("0900008101"),
        "no phone number"
    );
    assert_eq!(pushes[0].retry_key.len(), 36, "a UUID retry key");
    assert!(
        api.wait_for(&someone, 1, 1)
            .iter()
            .all(|c| c.kind == "reply"),
        "nothing pushed to the wrong person"
    );

    // The page shows the link and undoes it; then nothing more is pushed there.
    let page = app.get(&format!("/v1/bookings/{}/line", b.manage_token));
    assert!(page.body.contains("已連結 1 個 LINE 帳號"), "{}", page.body);
    let undone = app.send(
        "POST",
        &format!("/v1/bookings/{}/line", b.manage_token),
        &[],
        b"",
    );
    assert_eq!(undone.status, 200);
    assert_eq!(app.manage(&b.manage_token, "cancel").status, 200);
    std::thread::sleep(std::time::Duration::from_secs(2));
    assert_eq!(api.wait_for(&me, 1, 0).len(), 1, "nothing after unlinking");
}

#[test]
fn shop_staff_link_a_line_group_from_the_console_get_new_bookings_and_leaving_undoes_it() {
    let app = TestApp::connect();
    let console = Console::new(&app);
    let api = LineApi::get();
    let (shop, key, offset) = shop(&app, "line-staff");
    let (cookie, page) = console.open(&key, &format!("/console/shop/{shop}/messages"));
    assert!(
        page.body.contains("尚未連結任何 LINE 帳號"),
        "{}",
        page.body
    );
    let made = console.submit(
        &format!("/console/shop/{shop}/messages/line"),
        &cookie,
        &Console::csrf(&page),
        &[],
    );
    assert_eq!(made.status, 200, "{}", made.body);
    let code = line_code_in(&made);
    let group = unique_id("Cgroup");
    let source =
        serde_json::json!({ "type": "group", "groupId": group, "userId": unique_id("Ustaff") });
    app.line_webhook(&line_text(source, &code, &format!("rt-{group}")));
    assert!(api.wait_for(&format!("rt-{group}"), 1, 10)[0].texts[0].contains("Linked"));
    let page = console.get(&format!("/console/shop/{shop}/messages"), Some(&cookie));
    assert!(
        page.body.contains(&format!("LINE {}…", &group[..6])),
        "{}",
        page.body
    );

    let b = book(&app, (&shop, offset), 4, 11, 8102);
    let pushes = api.wait_for(&group, 1, 20);
    assert_eq!(pushes.len(), 1);
    let text = &pushes[0].texts[0];
    assert!(text.starts_with("新預約"), "{text}");
    assert!(
        text.contains("陳怡君") && text.contains("ABC-1234") && text.contains(&b.reference),
        "{text}"
    );

    // The group leaves the account: nothing more goes there.
    let leave = serde_json::json!({ "destination": "Ualliance", "events": [{ "type": "leave", "timestamp": 1, "source": { "type": "group", "groupId": group }, "mode": "active", "webhookEventId": "e", "deliveryContext": { "isRedelivery": false } }] });
    assert_eq!(app.line_webhook(&leave).status, 200);
    book(&app, (&shop, offset), 4, 13, 8103);
    std::thread::sleep(std::time::Duration::from_secs(2));
    assert_eq!(api.wait_for(&group, 2, 0).len(), 1, "no push after leaving");
    let page = console.get(&format!("/console/shop/{shop}/messages"), Some(&cookie));
    assert!(page.body.contains("尚未連結任何 LINE 帳號"));
}

#[test]
fn a_failing_line_retries_without_holding_back_email_a_refusal_stops_and_stop_unlinks() {
    let app = TestApp::connect();
    let console = Console::new(&app);
    let api = LineApi::get();
    let mailbox = Mailbox::open();
    let (shop, key, offset) = shop(&app, "line-fail");
    let link = |id: &str| link_staff_line_as(&app, &key, &shop, id);
    let (failing, refusing, stopping) = (unique_id("Ufail"), unique_id("Ubad"), unique_id("Ustop"));
    let limited = unique_id("Ulimit");
    link(&limited);
    link(&failing);
    link(&refusing);
    link(&stopping);
    let b = book(&app, (&shop, offset), 5, 10, 8104);
    // The e-mail alert goes at once, whatever LINE does.
    let desk = format!("desk+{shop}@garage.example");
    assert_eq!(mailbox.wait_for(&desk, 1, 20).len(), 1);
    assert_eq!(api.wait_for(&stopping, 1, 20).len(), 1);
    // Two 500s, then accepted: delivered once (backoff 2 s, 4 s).
    let pushes = api.wait_for(&failing, 1, 30);
    assert_eq!(pushes.len(), 1, "delivered after two failures: {pushes:?}");
    assert!(pushes[0].texts[0].contains(&b.reference));
    // A 429 is tried again later, once.
    assert_eq!(
        api.wait_for(&limited, 1, 30).len(),
        1,
        "delivered after a 429"
    );
    // A 400 is shown as failed, and not tried again.
    let (_, page) = console.open(&key, &format!("/console/shop/{shop}/messages"));
    let row = page
        .body
        .split_once("<tbody>")
        .expect("a table of messages")
        .1
        .split("<tr>")
        .find(|r| r.contains(&refusing) && r.contains("店家：新預約"))
        .expect("the refused push is listed");
    assert!(
        row.contains("失敗") && row.contains("LINE refused it (400)"),
        "{row}"
    );
    assert!(api.wait_for(&refusing, 1, 0).is_empty());

    // STOP from LINE undoes every link of that account.
    app.line_webhook(&line_text(
        user(&stopping),
        "STOP",
        &format!("rt2-{stopping}"),
    ));
    assert!(api.wait_for(&format!("rt2-{stopping}"), 1, 10)[0].texts[0].contains("Stopped"));
    book(&app, (&shop, offset), 5, 12, 8105);
    assert_eq!(mailbox.wait_for(&desk, 2, 20).len(), 2);
    std::thread::sleep(std::time::Duration::from_secs(2));
    assert_eq!(api.wait_for(&stopping, 2, 0).len(), 1, "nothing after STOP");
}

/// Benchmark, not a test (by hand against `cargo xtask dev`; figures in BENCHMARKS.md): how
/// long after a booking its LINE push to the shop's linked staff reaches LINE's API (here the
/// local stand-in), one booking at a time, 20 times. `cargo test -p integration-tests --test
/// line -- --ignored --nocapture push_latency`
#[test]
#[ignore]
fn push_latency() {
    let app = TestApp::connect();
    let console = Console::new(&app);
    let api = LineApi::get();
    let (shop, key, offset) = shop(&app, "line-bench");
    let staff = unique_id("Ubench");
    let (cookie, page) = console.open(&key, &format!("/console/shop/{shop}/messages"));
    let made = console.submit(
        &format!("/console/shop/{shop}/messages/line"),
        &cookie,
        &Console::csrf(&page),
        &[],
    );
    app.line_webhook(&line_text(
        user(&staff),
        &line_code_in(&made),
        &format!("rt-{staff}"),
    ));
    api.wait_for(&format!("rt-{staff}"), 1, 10);
    let mut ms = Vec::new();
    for i in 0..20u32 {
        let start = std::time::Instant::now();
        book(
            &app,
            (&shop, offset),
            2 + u64::from(i / 10),
            8 + i % 10,
            8300 + i,
        );
        while api.wait_for(&staff, i as usize + 1, 0).len() <= i as usize {
            assert!(start.elapsed().as_secs() < 30, "no push");
            std::thread::sleep(std::time::Duration::from_millis(5));
        }
        ms.push(start.elapsed().as_millis());
    }
    ms.sort();
    println!(
        "LINE push after the booking request: median {} ms, min {} ms, max {} ms, n = {}",
        ms[ms.len() / 2],
        ms[0],
        ms[ms.len() - 1],
        ms.len()
    );
}
