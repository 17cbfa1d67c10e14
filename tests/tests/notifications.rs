//! Messages that reach people, against the real local runtime: what the `send_email` binding
//! received (wrangler dev writes each raw message to a file; `Mailbox` reads them), and the
//! console's Messages page. Shops are placed in a time zone where it is now midday, or now
//! night, so the quiet hours are tested the same way whenever the suite runs.

use integration_tests::{
    booking_form, booking_shop_with, local_slot, unique_id, with, zone_at, Console, Mail, Mailbox,
    Reply, TestApp, DEMO_ORIGIN,
};
use shared::BookingView;

/// The shop's alert address used in these tests.
fn alert_address(shop: &str) -> String {
    format!("desk+{shop}@garage.example")
}

/// A booking shop in `zone`, with an alert address: (shop, key).
fn shop_in(app: &TestApp, prefix: &str, zone: &str) -> (String, String) {
    let zone = zone.to_owned();
    booking_shop_with(app, prefix, 2, None, move |s| {
        s["time_zone"] = zone.clone().into();
        s["alert_email"] = alert_address(s["id"].as_str().unwrap()).into();
        s["booking"]["cancel_cutoff_hours"] = 1.into();
    })
}

/// Books `start` with an e-mail address in `locale`; the booking and the address.
fn book_with_email(
    app: &TestApp,
    shop: &str,
    start: &str,
    locale: &str,
    n: u32,
) -> (BookingView, String) {
    let email = format!("{}@customer.example", unique_id("kim"));
    let form = with(
        with(booking_form(start, n), "email", email.clone()),
        "locale",
        locale,
    );
    let reply = app.book(
        shop,
        &form,
        DEMO_ORIGIN,
        &format!("10.77.{}.{}", n % 250, n % 200),
        None,
    );
    assert_eq!(reply.status, 201, "{}", reply.body);
    (reply.json(), email)
}

fn one(mails: Vec<Mail>, what: &str) -> Mail {
    assert_eq!(
        mails.len(),
        1,
        "exactly one {what}: {:#?}",
        mails.iter().map(|m| &m.subject).collect::<Vec<_>>()
    );
    mails.into_iter().next().unwrap()
}

/// The message rows of the console's Messages page, as text.
fn messages_page(console: &Console, key: &str, shop: &str) -> (String, Reply) {
    let (cookie, page) = console.open(key, &format!("/console/shop/{shop}/messages"));
    assert_eq!(page.status, 200, "{}", page.body);
    (cookie, page)
}

/// The rows of the page's table.
fn rows(page: &Reply) -> Vec<&str> {
    match page.body.split_once("<tbody>") {
        Some((_, table)) => table.split("<tr>").skip(1).collect(),
        None => Vec::new(),
    }
}

/// The id in the "send now / retry" form of the first row whose text contains `label`.
fn message_id(page: &Reply, label: &str) -> String {
    let row = rows(page)
        .into_iter()
        .find(|r| r.contains(label) && r.contains("/retry"))
        .unwrap_or_else(|| panic!("no waiting {label} row in:\n{}", page.body));
    let at = row.find("/messages/").unwrap() + "/messages/".len();
    row[at..].split('/').next().unwrap().to_owned()
}

#[test]
fn a_booking_with_an_email_is_confirmed_with_its_calendar_and_one_click_unsubscribe_and_the_shop_is_alerted(
) {
    let app = TestApp::connect();
    let mailbox = Mailbox::open();
    let (zone, offset) = zone_at(12);
    let (shop, _key) = shop_in(&app, "mail-confirm", &zone);
    let start = local_slot(offset, 2, 10);
    let (booked, email) = book_with_email(&app, &shop, &start, "en", 7001);

    let mail = one(mailbox.wait_for(&email, 1, 20), "confirmation");
    assert!(
        mail.subject.starts_with("Booking confirmed: "),
        "{}",
        mail.subject
    );
    assert!(
        mail.subject.contains("10:00"),
        "the shop's local time: {}",
        mail.subject
    );
    let shop_name = "Da'an Auto Care";
    assert_eq!(
        mail.from.0, shop_name,
        "the shop is the sender's display name"
    );
    assert_eq!(mail.from.1, "bookings@alliance.example");
    assert_eq!(
        mail.header("reply-to")
            .map(|r| r.contains(&alert_address(&shop))),
        Some(true)
    );
    assert!(mail.text.contains(&booked.reference) && mail.html.contains(&booked.reference));
    assert!(mail.html.contains("<html lang=\"en\">"), "{}", mail.html);
    assert!(mail.text.contains("See, move or cancel your booking"));
    assert!(mail.link("#manage=").contains(&booked.manage_token));
    // The customer's own message does not repeat their phone number or plate.
    for private in ["0900007001", "ABC-1234"] {
        assert!(
            !mail.raw.contains(private),
            "{private} in the customer's e-mail"
        );
    }
    let (ctype, name, ics) = &mail.attachments[0];
    assert_eq!(ctype, "text/calendar");
    assert_eq!(name, &format!("booking-{}.ics", booked.reference));
    assert!(ics.contains("BEGIN:VEVENT") && ics.contains(&booked.reference));
    let unsubscribe = mail.header("list-unsubscribe").unwrap();
    assert!(
        unsubscribe.starts_with('<') && unsubscribe.ends_with("/unsubscribe>"),
        "{unsubscribe}"
    );
    assert!(unsubscribe.contains(&booked.manage_token));
    assert_eq!(
        mail.header("list-unsubscribe-post"),
        Some("List-Unsubscribe=One-Click")
    );
    assert_eq!(mail.header("content-language"), Some("en"));

    // The shop's alert names the customer and the car, in the shop's language.
    let alert = one(mailbox.wait_for(&alert_address(&shop), 1, 20), "shop alert");
    assert!(alert.subject.starts_with("新預約"), "{}", alert.subject);
    assert!(
        alert.text.contains("陳怡君") && alert.text.contains("ABC-1234"),
        "{}",
        alert.text
    );
    assert!(alert.text.contains(&format!(
        "/console/shop/{shop}/bookings/{}",
        booked.reference
    )));
    assert!(alert.header("reply-to").is_none());
    assert!(alert
        .header("list-unsubscribe")
        .unwrap()
        .contains("/alerts/unsubscribe?key="));
}

#[test]
fn one_click_unsubscribe_stops_email_at_once_and_a_browser_opening_it_changes_nothing() {
    let app = TestApp::connect();
    let console = Console::new(&app);
    let mailbox = Mailbox::open();
    let (zone, offset) = zone_at(12);
    let (shop, key) = shop_in(&app, "mail-unsub", &zone);
    let (booked, email) = book_with_email(&app, &shop, &local_slot(offset, 2, 10), "zh-TW", 7002);
    let mail = one(mailbox.wait_for(&email, 1, 20), "confirmation");
    assert!(mail.subject.starts_with("預約確認："), "{}", mail.subject);
    let url = mail
        .header("list-unsubscribe")
        .unwrap()
        .trim_matches(['<', '>'])
        .to_owned();
    let path = &url[url.find("/v1/").unwrap()..];

    // A mail scanner following the link gets a page with a button, and nothing changes.
    let page = app.get(path);
    assert_eq!(page.status, 200);
    assert!(page.content_type().starts_with("text/html"));
    assert!(
        page.body.contains("<form method=\"post\">"),
        "{}",
        page.body
    );
    let moved = app.send(
        "POST",
        &format!("/v1/bookings/{}/reschedule", booked.manage_token),
        &[
            ("origin", DEMO_ORIGIN),
            ("content-type", "application/json"),
        ],
        serde_json::json!({ "start": local_slot(offset, 2, 14) })
            .to_string()
            .as_bytes(),
    );
    assert_eq!(moved.status, 200, "{}", moved.body);
    let mails = mailbox.wait_for(&email, 2, 20);
    assert_eq!(mails.len(), 2, "the new time is told");
    assert!(
        mails[1].subject.starts_with("預約改期："),
        "{}",
        mails[1].subject
    );
    assert!(mails[1].text.contains("14:00"));

    // The one-click POST (RFC 8058) stops it at once.
    let done = app.send(
        "POST",
        path,
        &[("content-type", "application/x-www-form-urlencoded")],
        b"List-Unsubscribe=One-Click",
    );
    assert_eq!(done.status, 200, "{}", done.body);
    assert!(done.body.contains("已停止寄送"));
    assert_eq!(app.manage(&booked.manage_token, "cancel").status, 200);
    // The shop's alert about the cancellation goes; the customer's does not.
    let alerts = mailbox.wait_for(&alert_address(&shop), 3, 20);
    assert_eq!(alerts.len(), 3, "new, moved, cancelled");
    assert!(
        alerts[2].subject.starts_with("預約取消"),
        "{}",
        alerts[2].subject
    );
    std::thread::sleep(std::time::Duration::from_secs(2));
    assert_eq!(
        mailbox.to(&email).len(),
        2,
        "nothing more after the unsubscribe"
    );
    // Recorded where the shop sees the booking.
    let (_, page) = console.open(
        &key,
        &format!("/console/shop/{shop}/bookings/{}", booked.reference),
    );
    assert!(
        page.body.contains("客人已停止電子郵件通知"),
        "{}",
        page.body
    );

    // A forged link is a page saying so, not an error.
    let forged = app.send(
        "POST",
        &path.replace(&booked.manage_token[..12], "AAAAAAAAAAAA"),
        &[],
        b"",
    );
    assert_eq!(forged.status, 403, "{}", forged.body);
    assert!(forged.body.contains("連結無效"));
}

#[test]
fn the_shop_says_the_car_is_ready_and_the_review_request_goes_once_with_the_same_words_for_all() {
    let app = TestApp::connect();
    let console = Console::new(&app);
    let mailbox = Mailbox::open();
    let (zone, offset) = zone_at(12);
    let (shop, key) = shop_in(&app, "mail-ready", &zone);
    let (booked, email) = book_with_email(&app, &shop, &local_slot(offset, 1, 10), "en", 7003);
    one(mailbox.wait_for(&email, 1, 20), "confirmation");
    let path = format!("/console/shop/{shop}/bookings/{}", booked.reference);
    let (cookie, page) = console.open(&key, &path);
    for (action, then) in [("arrived", 1), ("ready", 2), ("complete", 3)] {
        let page = console.get(&path, Some(&cookie));
        let done = console.booking_action(&cookie, &page, &shop, &booked.reference, action);
        assert_eq!(done.status, 303, "{action}: {}", done.body);
        let mails = mailbox.wait_for(&email, then, 20);
        assert_eq!(
            mails.len(),
            then,
            "after {action}: {:?}",
            mails.iter().map(|m| &m.subject).collect::<Vec<_>>()
        );
    }
    let _ = page;
    let mails = mailbox.to(&email);
    assert!(
        mails[1].subject.starts_with("Your car is ready"),
        "{}",
        mails[1].subject
    );
    let review = &mails[2];
    assert!(
        review.subject.starts_with("How was your visit"),
        "{}",
        review.subject
    );
    assert!(review.text.contains("good or bad"), "{}", review.text);
    assert!(review.link("#review=").starts_with(DEMO_ORIGIN));
    // "Ready" cannot be said twice, and the shop was alerted only about the booking itself.
    let page = console.get(&path, Some(&cookie));
    assert!(!page.body.contains("value=\"ready\""));
    assert!(
        page.body.contains("已通知客人取車")
            || page.body.contains("The customer was told the car is ready")
    );
    std::thread::sleep(std::time::Duration::from_secs(2));
    assert_eq!(mailbox.to(&email).len(), 3, "the review request went once");
    assert_eq!(
        mailbox.to(&alert_address(&shop)).len(),
        1,
        "no alert about the shop's own actions"
    );

    // A cancellation by the shop tells the customer why.
    let (other, email2) = book_with_email(&app, &shop, &local_slot(offset, 3, 10), "en", 7004);
    one(mailbox.wait_for(&email2, 1, 20), "confirmation");
    let path = format!("/console/shop/{shop}/bookings/{}", other.reference);
    let page = console.get(&path, Some(&cookie));
    let done = console.submit(
        &path,
        &cookie,
        &Console::csrf(&page),
        &[
            ("action", "cancel"),
            ("reason", "The lift is broken <b>today</b>"),
        ],
    );
    assert_eq!(done.status, 303, "{}", done.body);
    let mails = mailbox.wait_for(&email2, 2, 20);
    assert_eq!(mails.len(), 2);
    assert!(
        mails[1].subject.starts_with("Booking cancelled"),
        "{}",
        mails[1].subject
    );
    assert!(mails[1]
        .text
        .contains("The shop says: The lift is broken <b>today</b>"));
    assert!(
        mails[1]
            .html
            .contains("The lift is broken &lt;b&gt;today&lt;/b&gt;"),
        "text stays text"
    );
}

#[test]
fn quiet_hours_hold_everything_but_the_confirmation_until_eight() {
    let app = TestApp::connect();
    let console = Console::new(&app);
    let mailbox = Mailbox::open();
    let (zone, offset) = zone_at(1);
    let (shop, key) = shop_in(&app, "mail-quiet", &zone);
    let (_booked, email) = book_with_email(&app, &shop, &local_slot(offset, 1, 10), "en", 7005);
    one(mailbox.wait_for(&email, 1, 20), "confirmation at night");
    std::thread::sleep(std::time::Duration::from_secs(3));
    assert!(
        mailbox.to(&alert_address(&shop)).is_empty(),
        "the shop's alert waits for the morning"
    );
    let (_, page) = messages_page(&console, &key, &shop);
    let row = rows(&page)
        .into_iter()
        .find(|r| r.contains(&alert_address(&shop)))
        .expect("the alert is listed");
    assert!(row.contains("08:00"), "due at 08:00 shop time: {row}");
    assert!(row.contains("排定中") || row.contains("Scheduled"), "{row}");
}

#[test]
fn the_reminder_waits_for_the_day_before_and_ill_be_there_reaches_the_console() {
    let app = TestApp::connect();
    let console = Console::new(&app);
    let mailbox = Mailbox::open();
    let (zone, offset) = zone_at(12);
    let (shop, key) = shop_in(&app, "mail-remind", &zone);
    let (booked, email) = book_with_email(&app, &shop, &local_slot(offset, 1, 10), "en", 7006);
    one(mailbox.wait_for(&email, 1, 20), "confirmation");
    let (cookie, page) = messages_page(&console, &key, &shop);
    let row = rows(&page)
        .into_iter()
        .find(|r| r.contains("前一天提醒"))
        .expect("a reminder row");
    assert!(
        row.contains("18:00"),
        "the day before at the shop's hour: {row}"
    );
    // The shop may send it now; it goes with "I'll be there".
    let id = message_id(&page, "前一天提醒");
    let sent = console.submit(
        &format!("/console/shop/{shop}/messages/{id}/retry"),
        &cookie,
        &Console::csrf(&page),
        &[],
    );
    assert_eq!(sent.status, 303, "{}", sent.body);
    let mails = mailbox.wait_for(&email, 2, 20);
    assert_eq!(mails.len(), 2);
    let reminder = &mails[1];
    assert!(
        reminder.subject.starts_with("Tomorrow at "),
        "{}",
        reminder.subject
    );
    let attend = reminder.link("/attend");
    let path = &attend[attend.find("/v1/").unwrap()..];
    let page = app.get(path);
    assert!(page.body.contains("<form method=\"post\">"));
    let booking = format!("/console/shop/{shop}/bookings/{}", booked.reference);
    assert!(
        !console
            .get(&booking, Some(&cookie))
            .body
            .contains("會準時到"),
        "a GET changes nothing"
    );
    assert_eq!(app.send("POST", path, &[], b"").status, 200);
    let page = console.get(&booking, Some(&cookie));
    assert!(page.body.contains("客人已回覆：會準時到"), "{}", page.body);
}

#[test]
fn moving_a_booking_moves_its_reminder_and_erasing_drops_what_waits_and_the_address() {
    let app = TestApp::connect();
    let console = Console::new(&app);
    let mailbox = Mailbox::open();
    let (zone, offset) = zone_at(12);
    let (shop, key) = shop_in(&app, "mail-erase", &zone);
    let (booked, email) = book_with_email(&app, &shop, &local_slot(offset, 2, 10), "en", 7007);
    one(mailbox.wait_for(&email, 1, 20), "confirmation");
    let moved = app.send(
        "POST",
        &format!("/v1/bookings/{}/reschedule", booked.manage_token),
        &[
            ("origin", DEMO_ORIGIN),
            ("content-type", "application/json"),
        ],
        serde_json::json!({ "start": local_slot(offset, 3, 11) })
            .to_string()
            .as_bytes(),
    );
    assert_eq!(moved.status, 200, "{}", moved.body);
    mailbox.wait_for(&email, 2, 20);
    let (_, page) = messages_page(&console, &key, &shop);
    let reminders: Vec<&str> = rows(&page)
        .into_iter()
        .filter(|r| r.contains("前一天提醒") && r.contains("排定中"))
        .collect();
    assert_eq!(
        reminders.len(),
        1,
        "one reminder, for the new time: {reminders:?}"
    );
    assert_eq!(app.manage(&booked.manage_token, "erase").status, 200);
    let (_, page) = messages_page(&console, &key, &shop);
    assert!(
        !page.body.contains(&email),
        "the address is gone from the log"
    );
    assert!(
        !rows(&page).iter().any(|r| r.contains("前一天提醒")),
        "the waiting reminder is dropped"
    );
    assert!(
        page.body.contains("（已刪除）"),
        "sent rows stay, without the address"
    );
    std::thread::sleep(std::time::Duration::from_secs(2));
    assert_eq!(
        mailbox.to(&email).len(),
        2,
        "no cancellation e-mail to an erased customer"
    );
}

#[test]
fn a_malformed_email_address_is_refused_at_booking_with_the_field_named() {
    let app = TestApp::connect();
    let (zone, offset) = zone_at(12);
    let (shop, _) = shop_in(&app, "mail-bad", &zone);
    for bad in [
        "kim@",
        "kim example.com",
        "<kim@example.com>",
        "kim@example",
    ] {
        let form = with(booking_form(&local_slot(offset, 2, 10), 7008), "email", bad);
        let reply = app.book(&shop, &form, DEMO_ORIGIN, "10.78.0.1", None);
        let p = reply.problem(400);
        assert!(
            p.errors.iter().any(|e| e.field == "email"),
            "{bad}: {}",
            reply.body
        );
    }
}

#[test]
fn a_shop_alert_address_and_reminder_hour_are_checked_where_the_shop_types_them() {
    let app = TestApp::connect();
    let console = Console::new(&app);
    let (zone, _) = zone_at(12);
    let (shop, key) = shop_in(&app, "mail-profile", &zone);
    let (cookie, page) = console.open(&key, &format!("/console/shop/{shop}/profile"));
    assert!(page.body.contains(&alert_address(&shop)));
    let mut fields: Vec<(String, String)> = Vec::new();
    for input in page.body.split("<input ").skip(1) {
        let attr = |name: &str| {
            input
                .split(&format!("{name}=\""))
                .nth(1)
                .map(|v| v.split('"').next().unwrap().to_owned())
        };
        if let (Some(n), Some(v)) = (attr("name"), attr("value")) {
            if n != "csrf" && !input.contains("type=\"checkbox\"") {
                fields.push((
                    n,
                    v.replace("&amp;", "&")
                        .replace("&#39;", "'")
                        .replace("&quot;", "\""),
                ));
            }
        }
    }
    let submit = |changes: &[(&str, &str)]| {
        let mut f: Vec<(&str, &str)> = fields
            .iter()
            .filter(|(n, _)| !changes.iter().any(|(c, _)| c == n))
            .map(|(n, v)| (n.as_str(), v.as_str()))
            .collect();
        f.extend_from_slice(changes);
        console.submit(
            &format!("/console/shop/{shop}/profile"),
            &cookie,
            &Console::csrf(&page),
            &f,
        )
    };
    let refused = submit(&[("alert_email", "desk@"), ("reminder_hour", "18")]);
    assert_eq!(refused.status, 400, "{}", refused.body);
    assert!(
        refused.body.contains("電子郵件格式不正確"),
        "{}",
        refused.body
    );
    let refused = submit(&[
        ("alert_email", "desk@garage.example"),
        ("reminder_hour", "22"),
    ]);
    assert_eq!(refused.status, 400);
    assert!(refused.body.contains("提醒時間需為 8 到 20 點"));
}

#[test]
fn the_shops_alert_unsubscribe_stops_alerts_until_the_console_resumes_them() {
    let app = TestApp::connect();
    let console = Console::new(&app);
    let mailbox = Mailbox::open();
    let (zone, offset) = zone_at(12);
    let (shop, key) = shop_in(&app, "mail-alerts", &zone);
    let desk = alert_address(&shop);
    book_with_email(&app, &shop, &local_slot(offset, 2, 10), "en", 7011);
    let alert = one(mailbox.wait_for(&desk, 1, 20), "alert");
    let url = alert
        .header("list-unsubscribe")
        .unwrap()
        .trim_matches(['<', '>'])
        .to_owned();
    let path = &url[url.find("/v1/").unwrap()..];
    let wrong = app.send("POST", &path.replace("key=", "key=x"), &[], b"");
    assert_eq!(
        wrong.status, 403,
        "a wrong key changes nothing: {}",
        wrong.body
    );
    let done = app.send(
        "POST",
        path,
        &[("content-type", "application/x-www-form-urlencoded")],
        b"List-Unsubscribe=One-Click",
    );
    assert_eq!(done.status, 200, "{}", done.body);

    let (_, email) = book_with_email(&app, &shop, &local_slot(offset, 2, 11), "en", 7012);
    one(
        mailbox.wait_for(&email, 1, 20),
        "the customer's confirmation still goes",
    );
    std::thread::sleep(std::time::Duration::from_secs(2));
    assert_eq!(mailbox.to(&desk).len(), 1, "no alert once unsubscribed");
    let (cookie, page) = messages_page(&console, &key, &shop);
    assert!(page.body.contains("店家通知信已停止"), "{}", page.body);
    let resumed = console.submit(
        &format!("/console/shop/{shop}/messages/alerts"),
        &cookie,
        &Console::csrf(&page),
        &[],
    );
    assert_eq!(resumed.status, 303, "{}", resumed.body);
    let (_, page) = messages_page(&console, &key, &shop);
    assert!(!page.body.contains("店家通知信已停止"));
    book_with_email(&app, &shop, &local_slot(offset, 2, 12), "en", 7013);
    assert_eq!(
        mailbox.wait_for(&desk, 2, 20).len(),
        2,
        "alerts again after the console resumed them"
    );
}

/// Benchmark, not a test (run by hand against `cargo xtask dev`, figures in BENCHMARKS.md):
/// how long after a booking is made its confirmation reaches the e-mail binding, one booking
/// at a time, 20 times. `cargo test -p integration-tests --test notifications -- --ignored
/// --nocapture confirmation_latency`
#[test]
#[ignore]
fn confirmation_latency() {
    let app = TestApp::connect();
    let mailbox = Mailbox::open();
    let (zone, offset) = zone_at(12);
    let (shop, _) = shop_in(&app, "mail-bench", &zone);
    let mut ms = Vec::new();
    for i in 0..20u32 {
        let start = std::time::Instant::now();
        let (_, email) = book_with_email(
            &app,
            &shop,
            &local_slot(offset, 2 + u64::from(i / 10), 8 + i % 10),
            "en",
            7100 + i,
        );
        let answered = start.elapsed();
        while mailbox.to(&email).is_empty() {
            assert!(start.elapsed().as_secs() < 30, "no confirmation");
            std::thread::sleep(std::time::Duration::from_millis(10));
        }
        ms.push((start.elapsed().as_millis(), answered.as_millis()));
    }
    ms.sort();
    let median = ms[ms.len() / 2];
    println!(
        "confirmation e-mail after the booking request: median {} ms (booking answered after {} ms), min {} ms, max {} ms, n = {}",
        median.0, median.1, ms[0].0, ms[ms.len() - 1].0, ms.len()
    );
}

#[test]
fn the_shop_gets_the_days_agenda_at_opening_time() {
    let app = TestApp::connect();
    let console = Console::new(&app);
    let mailbox = Mailbox::open();
    // Now 09:xx in the shop's zone; it opens at 11:00, so today's agenda waits for 11:00.
    let (zone, offset) = zone_at(9);
    let (shop, key) = booking_shop_with(&app, "mail-agenda", 2, None, {
        let zone = zone.clone();
        move |s| {
            s["time_zone"] = zone.clone().into();
            s["alert_email"] = alert_address(s["id"].as_str().unwrap()).into();
            s["booking"]["weekly"] = (1..=7)
                .map(|d| serde_json::json!({ "weekday": d, "open": "11:00", "close": "20:00", "breaks": [] }))
                .collect();
        }
    });
    let (today, _) = book_with_email(&app, &shop, &local_slot(offset, 0, 13), "en", 7021);
    let (page_cookie, page) = messages_page(&console, &key, &shop);
    let row = rows(&page)
        .into_iter()
        .find(|r| r.contains("店家：每日預約"))
        .expect("the agenda is scheduled")
        .to_owned();
    assert!(row.contains("11:00") && row.contains("排定中"), "{row}");
    let id = message_id(&page, "店家：每日預約");
    let sent = console.submit(
        &format!("/console/shop/{shop}/messages/{id}/retry"),
        &page_cookie,
        &Console::csrf(&page),
        &[],
    );
    assert_eq!(sent.status, 303);
    let mails = mailbox.wait_for(&alert_address(&shop), 2, 20);
    let agenda = mails
        .iter()
        .find(|m| m.subject.starts_with("今日預約"))
        .expect("the agenda e-mail");
    assert!(agenda.subject.contains("1 筆"), "{}", agenda.subject);
    assert!(
        agenda.text.contains("13:00 機油保養 · 陳怡君") && agenda.text.contains(&today.reference),
        "{}",
        agenda.text
    );
}
