//! The retention period: personal fields of visits older than `RETENTION_DAYS` are erased by the
//! daily sweep (also runnable by the admin); reviews stay with the shortened name only.

use integration_tests::{booking_form, booking_shop, taipei_slot, TestApp, DEMO_ORIGIN};
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
    let made = app.book_slot(&shop, &taipei_slot(2, 10), 62_000, "10.3.0.1");
    let booking: BookingView = made.json();
    let token = app.token(&shop, "RET-1", 3600);
    let review = app.review(&shop, &token, 4, "保存期限過後，評價仍然留著。", "10.3.0.2");
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
    let later = integration_tests::days_from_now(800);
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
    let made = app.book_slot(&shop, &taipei_slot(3, 11), 62_100, "10.3.0.9");
    assert_eq!(made.status, 201, "{}", made.body);
    hook.wait_for(1, 30);
    assert_eq!(hook.received.lock().unwrap().len(), 1, "delivered");
    let console = integration_tests::Console::new(&app);
    let cookie = console.login(&key).unwrap();
    let log = || {
        console
            .get(&format!("/console/shop/{shop}/webhooks"), Some(&cookie))
            .body
    };
    assert!(log().contains("booking.created"));

    sweep(&app, Some(&integration_tests::days_from_now(6)));
    assert!(log().contains("booking.created"), "kept for 7 days");
    let counts = sweep(&app, Some(&integration_tests::days_from_now(8)));
    assert!(counts["events_deleted"].as_u64().unwrap() >= 1, "{counts}");
    assert!(!log().contains("booking.created"), "gone after 7 days");
}

/// Every stored record under the local state that holds any of `needles`: each Durable Object
/// database read through SQLite (its write-ahead log applied, as the object sees it), and every
/// other file (KV values and metadata) byte for byte. SQLite's WAL files themselves are left
/// out: workerd keeps earlier page versions there until it checkpoints, which a worker may not
/// ask for (`PRAGMA wal_checkpoint` is refused), so they can hold bytes no record holds.
fn stored_records_holding(state: &str, needles: &[&str]) -> Vec<String> {
    let script = r#"
import glob, os, sqlite3, sys
root, needles, hits = sys.argv[1], sys.argv[2:], []
for f in glob.glob(os.path.join(root, "**", "*"), recursive=True):
    if os.path.isdir(f) or f.endswith(("-wal", "-shm")):
        continue
    if f.endswith(".sqlite"):
        con = sqlite3.connect("file:" + f + "?mode=ro", uri=True)
        for (t,) in con.execute("SELECT name FROM sqlite_master WHERE type = 'table'").fetchall():
            try:
                rows = con.execute('SELECT * FROM "%s"' % t.replace('"', '""')).fetchall()
            except sqlite3.Error:
                continue
            for row in rows:
                text = " ".join(str(v) for v in row)
                hits += ["%s %s: %s" % (f, t, n) for n in needles if n in text]
        con.close()
    else:
        data = open(f, "rb").read()
        hits += ["%s: %s" % (f, n) for n in needles if n.encode() in data]
print("\n".join(hits))
"#;
    let out = std::process::Command::new("python3")
        .arg("-c")
        .arg(script)
        .arg(state)
        .args(needles)
        .output()
        .expect("python3 runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .filter(|l| !l.is_empty())
        .map(str::to_owned)
        .collect()
}

#[test]
fn after_erasure_and_the_retention_sweep_no_stored_record_holds_the_customers_data() {
    let app = TestApp::connect();
    let state = std::env::var("EDGE_STATE").expect("EDGE_STATE is set by cargo xtask test");
    let hook = integration_tests::Receiver::start(0);
    let (shop, _) = booking_shop(&app, "scan-erase", 2, Some(&hook.url));
    let n = 85_000 + std::process::id() % 1000;
    let person = |i: u32| {
        let mut form = booking_form(&taipei_slot(5, 10 + i), n + i);
        form["name"] = format!("Vbnmqwe Scanned{i}").into();
        form["email"] = format!("scanned{n}x{i}@example.tw").into();
        form["plate"] = format!("SCN-{}", 4000 + i).into();
        form
    };
    let needles: Vec<String> = (0..2u32)
        .flat_map(|i| {
            let f = person(i);
            [
                f["name"].as_str().unwrap().to_owned(),
                f["email"].as_str().unwrap().to_owned(),
                f["plate"].as_str().unwrap().to_owned(),
                f["phone"].as_str().unwrap()[2..].to_owned(),
            ]
        })
        .collect();
    let refs: Vec<&str> = needles.iter().map(String::as_str).collect();
    // One customer deletes their data; the other's visit ages past the retention period.
    let first: BookingView = app
        .book(&shop, &person(0), DEMO_ORIGIN, "10.3.4.1", None)
        .json();
    let second = app.book(&shop, &person(1), DEMO_ORIGIN, "10.3.4.2", None);
    assert_eq!(second.status, 201, "{}", second.body);
    hook.wait_for(2, 30);
    assert!(
        !stored_records_holding(&state, &refs).is_empty(),
        "the scan finds the data while it is stored"
    );
    let erased = app.manage(&first.manage_token, "erase");
    assert_eq!(erased.status, 200, "{}", erased.body);
    let later = integration_tests::days_from_now(800);
    sweep(&app, Some(&later));
    let left = stored_records_holding(&state, &refs);
    assert!(left.is_empty(), "still stored:\n{}", left.join("\n"));
}
