//! The alliance as a network against the real local runtime: referrals on a full day (with
//! opt-outs), booking at another member from this shop's site, visits counted across members by
//! a keyed hash only, the member directory and the alliance-wide warranty lookup.

use integration_tests::{
    booking_form, booking_shop_with, taipei_slot, Console, TestApp, DEMO_ORIGIN,
};
use shared::BookingView;

/// A booking shop at a position of its own, far from every other test shop, with referral
/// choices `send` and `receive`.
fn placed(app: &TestApp, prefix: &str, lat: f64, send: bool, receive: bool) -> (String, String) {
    // Each run at longitudes of its own, so shops left by earlier runs on a dev edge never tie.
    let lon = -60.0 + f64::from(std::process::id() % 1000) * 0.1;
    booking_shop_with(app, prefix, 1, None, |shop| {
        shop["latitude"] = lat.into();
        shop["longitude"] = lon.into();
        shop["referrals"] = serde_json::json!({ "send": send, "receive": receive });
    })
}

/// Books every hourly start of `day` (08:00–19:00) at a one-bay shop.
fn fill_day(app: &TestApp, shop: &str, day: u64, seed: u32) {
    for (i, hour) in (8..20).enumerate() {
        let n = seed + i as u32;
        let reply = app.book_slot(
            shop,
            &taipei_slot(day, hour),
            n,
            &format!("10.7.{}.{}", n / 200, n % 200),
        );
        assert_eq!(reply.status, 201, "{hour}:00: {}", reply.body);
    }
}

fn offers(app: &TestApp, shop: &str, date: &str) -> Vec<serde_json::Value> {
    let reply = app.get(&format!(
        "/v1/shops/{shop}/referrals?service=oil&date={date}"
    ));
    assert_eq!(reply.status, 200, "{}", reply.body);
    reply.json()
}

#[test]
fn a_full_day_offers_the_nearest_members_with_real_free_times_and_booking_there_is_recorded_at_both(
) {
    let app = TestApp::connect();
    let (a, a_key) = placed(&app, "net-full", -30.0, true, true);
    let (b, b_key) = placed(&app, "net-near", -30.01, true, true);
    let (far, _) = placed(&app, "net-far", -30.2, true, true);
    let (closed, _) = placed(&app, "net-optout", -30.005, true, false);
    let day = 3;
    let date = &taipei_slot(day, 8)[..10];
    fill_day(&app, &a, day, 50_000);
    // Only the nearest others can be offered, and one of them is full too.
    fill_day(&app, &far, day, 51_000);

    let list = offers(&app, &a, date);
    let ids: Vec<&str> = list.iter().map(|o| o["shop"].as_str().unwrap()).collect();
    assert_eq!(
        ids.first(),
        Some(&b.as_str()),
        "the nearest member with times first: {ids:?}"
    );
    assert!(
        !ids.contains(&closed.as_str()),
        "a shop that receives no referrals is never offered"
    );
    assert!(!ids.contains(&far.as_str()), "a full member is not offered");
    assert!(!ids.contains(&a.as_str()));
    let first = &list[0];
    assert!(
        (first["distance_km"].as_f64().unwrap() - 1.1).abs() < 0.2,
        "{first}"
    );
    // Its offered times are really free at that member.
    let avail: serde_json::Value = app
        .get(&format!(
            "/v1/shops/{b}/availability?service=oil&from={date}&days=1"
        ))
        .json();
    let free: Vec<&str> = avail["days"][0]["slots"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|s| s["free"] == true)
        .map(|s| s["start"].as_str().unwrap())
        .collect();
    let offered: Vec<&str> = first["slots"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["start"].as_str().unwrap())
        .collect();
    assert!(!offered.is_empty());
    assert!(
        offered.iter().all(|s| free.contains(s)),
        "{offered:?} ⊄ {free:?}"
    );
    let body = serde_json::to_string(&list).unwrap();
    assert!(
        !body.contains("+886") && !body.contains('@'),
        "no personal data: {body}"
    );
    assert!(list.iter().all(|o| o["date"] == *date));
    // Without a date (a service this shop lacks): each member's next day with free times.
    let undated: Vec<serde_json::Value> = app
        .get(&format!("/v1/shops/{a}/referrals?service=brakes"))
        .json();
    assert!(!undated.is_empty());
    assert!(undated
        .iter()
        .all(|o| o["date"].as_str().is_some_and(|d| d.len() == 10)
            && !o["slots"].as_array().unwrap().is_empty()));

    // From a foreign site: refused, nothing stored.
    let mut form = booking_form(offered[0], 52_000);
    form["count_visits"] = false.into();
    let path = format!("/v1/shops/{a}/referrals/{b}/bookings");
    let headers = |origin: &'static str| {
        vec![
            ("content-type", "application/json"),
            ("origin", origin),
            ("cf-connecting-ip", "10.7.9.9"),
        ]
    };
    let foreign = app.send(
        "POST",
        &path,
        &headers("https://evil.example"),
        form.to_string().as_bytes(),
    );
    foreign.problem(403);
    // To a member that receives no referrals: refused.
    let refused = app.send(
        "POST",
        &format!("/v1/shops/{a}/referrals/{closed}/bookings"),
        &headers(DEMO_ORIGIN),
        form.to_string().as_bytes(),
    );
    refused.problem(403);
    let made = app.send(
        "POST",
        &path,
        &headers(DEMO_ORIGIN),
        form.to_string().as_bytes(),
    );
    assert_eq!(made.status, 201, "{}", made.body);
    let view: BookingView = made.json();
    assert_eq!(view.shop.as_str(), b);
    assert_eq!(
        view.referred_by.as_ref().map(|s| s.as_str()),
        Some(a.as_str())
    );
    assert!(!app
        .get(&format!(
            "/v1/shops/{b}/availability?service=oil&from={date}&days=1"
        ))
        .body
        .contains(&format!(r#""free":true,"start":"{}""#, offered[0])));

    // Both consoles show it: sent at A, received at B.
    let console = Console::new(&app);
    let at_a = console.get(
        &format!("/console/shop/{a}/bookings"),
        Some(&console.login(&a_key).unwrap()),
    );
    assert!(
        at_a.body.contains(&view.reference),
        "A lists the referral it sent"
    );
    assert!(at_a.body.contains(&b), "to B");
    let b_cookie = console.login(&b_key).unwrap();
    let detail = console.get(
        &format!("/console/shop/{b}/bookings/{}", view.reference),
        Some(&b_cookie),
    );
    assert!(
        detail.body.contains("聯盟轉介自") || detail.body.contains("Referred by"),
        "{}",
        detail.body
    );
    assert!(detail.body.contains(&a));

    // The customer manages it from A's site, where they booked it.
    let cancel = app.send(
        "OPTIONS",
        &format!("/v1/bookings/{}/cancel", view.manage_token),
        &[
            ("origin", DEMO_ORIGIN),
            ("access-control-request-method", "POST"),
        ],
        b"",
    );
    assert_eq!(cancel.status, 204, "{}", cancel.body);
}

#[test]
fn a_shop_that_opted_out_of_sending_never_offers() {
    let app = TestApp::connect();
    let (quiet, _) = placed(&app, "net-quiet", -20.0, false, true);
    let (_other, _) = placed(&app, "net-quiet-near", -20.001, true, true);
    let day = 4;
    fill_day(&app, &quiet, day, 53_000);
    assert!(offers(&app, &quiet, &taipei_slot(day, 8)[..10]).is_empty());
    let form = booking_form(&taipei_slot(day, 9), 53_500);
    let reply = app.send(
        "POST",
        &format!("/v1/shops/{quiet}/referrals/{_other}/bookings"),
        &[
            ("content-type", "application/json"),
            ("origin", DEMO_ORIGIN),
        ],
        form.to_string().as_bytes(),
    );
    reply.problem(403);
    let bad = app.get(&format!(
        "/v1/shops/{quiet}/referrals?service=oil&date=tomorrow"
    ));
    assert_eq!(bad.problem(400).field.as_deref(), Some("date"));
}

fn visitor_hash(phone_e164: &str) -> String {
    use hmac::{Hmac, Mac};
    use sha2::Sha256;
    let secret = std::env::var("LINK_SECRET").unwrap();
    let mut k = Hmac::<Sha256>::new_from_slice(secret.as_bytes()).unwrap();
    k.update(b"alliance-visits");
    let key = k.finalize().into_bytes();
    let mut m = Hmac::<Sha256>::new_from_slice(&key).unwrap();
    m.update(phone_e164.as_bytes());
    m.finalize()
        .into_bytes()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// Every file under `dir`, recursively.
fn files(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    if let Ok(entries) = std::fs::read_dir(dir) {
        for e in entries.flatten() {
            let p = e.path();
            if p.is_dir() {
                out.extend(files(&p));
            } else {
                out.push(p);
            }
        }
    }
    out
}

fn contains(hay: &[u8], needle: &str) -> bool {
    hay.windows(needle.len()).any(|w| w == needle.as_bytes())
}

/// The shop completes `reference` from its console; the customer's manage view after it.
fn complete(app: &TestApp, shop: &str, key: &str, booked: &BookingView) -> BookingView {
    let console = Console::new(app);
    let path = format!("/console/shop/{shop}/bookings/{}", booked.reference);
    let (cookie, page) = console.open(key, &path);
    let done = console.booking_action(&cookie, &page, shop, &booked.reference, "complete");
    assert_eq!(done.status, 303, "{}", done.body);
    app.get(&format!("/v1/bookings/{}", booked.manage_token))
        .json()
}

#[test]
fn booking_and_cancelling_ten_times_neither_reveals_nor_moves_a_visit_count() {
    let app = TestApp::connect();
    let (shop, key) = placed(&app, "net-probe", -10.2, true, true);
    let n = 64_000 + (std::process::id() % 1000);
    let phone = format!("09{:08}", n);
    let book = |hour: u32| {
        let mut form = booking_form(&taipei_slot(3, hour), n);
        form["phone"] = phone.clone().into();
        form["count_visits"] = true.into();
        app.book(&shop, &form, DEMO_ORIGIN, &format!("10.8.0.{hour}"), None)
    };
    // The real customer's two visits, both booked now; the first is completed at once.
    let real = book(8);
    let later = book(19);
    assert_eq!(
        (real.status, later.status),
        (201, 201),
        "{} {}",
        real.body,
        later.body
    );
    let done = complete(&app, &shop, &key, &real.json());
    assert_eq!(done.alliance_visit, Some(1));
    // Someone else books with that number and consent, reads what comes back, cancels, ten
    // times. Past the phone number's daily limit the answer is a 429, which says no more.
    let mut landed = 0;
    for hour in 9..19 {
        let reply = book(hour);
        assert!(
            !reply.body.contains("alliance_visit\":1")
                && !reply.body.contains("alliance_visit\":2"),
            "{}",
            reply.body
        );
        if reply.status == 429 {
            continue;
        }
        assert_eq!(reply.status, 201, "{}", reply.body);
        landed += 1;
        let made: serde_json::Value = reply.json();
        assert!(
            made["alliance_visit"].is_null(),
            "booking answer: {}",
            reply.body
        );
        let token = made["manage_token"].as_str().unwrap();
        let viewed = app.get(&format!("/v1/bookings/{token}"));
        assert!(viewed.json::<serde_json::Value>()["alliance_visit"].is_null());
        let cancel = app.manage(token, "cancel");
        assert_eq!(cancel.status, 200, "{}", cancel.body);
        assert!(cancel.json::<serde_json::Value>()["alliance_visit"].is_null());
    }
    assert!(landed >= 1, "some probes were booked and cancelled");
    // The customer's second real visit is their second, whatever was booked and cancelled.
    assert_eq!(
        complete(&app, &shop, &key, &later.json()).alliance_visit,
        Some(2)
    );
}

#[test]
fn consented_visits_at_two_members_count_two_and_no_counting_record_holds_the_number() {
    let app = TestApp::connect();
    let (e, e_key) = placed(&app, "net-visit-e", -10.0, true, true);
    let (f, f_key) = placed(&app, "net-visit-f", -10.1, true, true);
    let n = 54_000 + (std::process::id() % 1000);
    let local = format!("09{:08}", n);
    let e164 = format!("+8869{:08}", n);
    let book = |shop: &str, hour: u32, phone: &str, consent: bool| {
        let mut form = booking_form(&taipei_slot(2, hour), n);
        form["phone"] = phone.into();
        form["count_visits"] = consent.into();
        let reply = app.book(shop, &form, DEMO_ORIGIN, &format!("10.6.0.{hour}"), None);
        assert_eq!(reply.status, 201, "{}", reply.body);
        let made = reply.json::<BookingView>();
        assert_eq!(
            made.alliance_visit, None,
            "counted at completion, never at booking"
        );
        made
    };
    let mut refs = Vec::new();
    let first = complete(&app, &e, &e_key, &book(&e, 9, &local, true));
    assert_eq!(first.alliance_visit, Some(1));
    refs.push(first.reference);
    // The same number written another way is the same customer.
    let formatted = format!("{}-{}-{}", &local[..4], &local[4..7], &local[7..]);
    let second = complete(&app, &f, &f_key, &book(&f, 10, &formatted, true));
    assert_eq!(second.alliance_visit, Some(2));
    refs.push(second.reference);
    let unconsented = complete(&app, &f, &f_key, &book(&f, 11, &local, false));
    assert_eq!(unconsented.alliance_visit, None, "no consent, no count");
    refs.push(unconsented.reference);
    let third = complete(&app, &e, &e_key, &book(&e, 12, &local, true));
    assert_eq!(third.alliance_visit, Some(3));
    // The shop's console marks the returning customer.
    let console = Console::new(&app);
    let page = console.get(
        &format!("/console/shop/{e}/bookings/{}", third.reference),
        Some(&console.login(&e_key).unwrap()),
    );
    assert!(
        page.body.contains("聯盟第 3 次") || page.body.contains("alliance visit 3"),
        "{}",
        page.body
    );
    refs.push(third.reference);

    // What was written for counting: the network object's row holds the keyed hash, never the
    // number; no KV value holds the number at all.
    let state = std::env::var("EDGE_STATE").expect("EDGE_STATE is set by cargo xtask test");
    // The object's write reaches its file shortly after it answers (Durable Object writes are
    // flushed asynchronously; under a long suite's load, a moment later): scan until it is
    // there, at most 15 s. Every scan checks that no file holds the number beside the hash.
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(15);
    let mut counting = 0;
    while counting == 0 && std::time::Instant::now() < deadline {
        std::thread::sleep(std::time::Duration::from_millis(300));
        counting = scan(
            &state,
            &refs,
            &visitor_hash(&e164),
            &[local.as_str(), e164.as_str(), &e164[4..]],
        );
    }
    assert!(
        counting >= 1,
        "the count (keyed hash, no bookings) is stored under {state}"
    );
}

#[test]
fn the_directory_and_the_warranty_lookup_show_public_facts_only() {
    let app = TestApp::connect();
    let page = app.get_ok("/alliance", "text/html");
    for shop in &integration_tests::demo().shops {
        assert!(page.body.contains(&shop.name.zh_tw), "lists {}", shop.id);
        assert!(!page.body.contains(&shop.phone), "no phone numbers");
    }
    assert!(!page.body.contains('@'), "no e-mail addresses");
    assert!(
        !page.body.contains("<script>"),
        "readable without JavaScript"
    );
    for (header, value) in [
        ("x-content-type-options", "nosniff"),
        ("referrer-policy", "same-origin"),
    ] {
        assert_eq!(page.header(header), Some(value), "{header}");
    }
    assert!(page
        .header("content-security-policy")
        .is_some_and(|c| c.contains("default-src 'none'") && c.contains("frame-ancestors 'none'")));
    let en = app.get("/alliance?lang=en&service=brakes&from=Da%27an%2C%20Taipei");
    assert_eq!(en.status, 200);
    assert!(en.body.contains("Member shops"));
    let embed = app.get("/alliance?embed=1");
    assert!(
        !embed
            .header("content-security-policy")
            .unwrap()
            .contains("frame-ancestors"),
        "embeddable"
    );

    // Complete a visit from the console, then look it up at "any member".
    let (shop, key) = placed(&app, "net-warranty", -5.0, true, true);
    let made = app.book_slot(&shop, &taipei_slot(2, 10), 55_555, "10.5.0.1");
    let view: BookingView = made.json();
    let console = Console::new(&app);
    let cookie = console.login(&key).unwrap();
    let before = app.get(&format!("/v1/warranty/{}", view.reference));
    assert_eq!(
        before.problem(404).field.as_deref(),
        Some("reference"),
        "not completed yet"
    );
    let list = console.get(&format!("/console/shop/{shop}/bookings"), Some(&cookie));
    let done = console.booking_action(&cookie, &list, &shop, &view.reference, "complete");
    assert_eq!(done.status, 303, "{}", done.body);
    let found = app.get(&format!("/v1/warranty/{}", view.reference.to_lowercase()));
    assert_eq!(found.status, 200, "{}", found.body);
    let record: serde_json::Value = found.json();
    assert_eq!(record["shop"], shop.as_str());
    assert_eq!(record["date"].as_str().unwrap(), &taipei_slot(2, 10)[..10]);
    assert_eq!(record["within_months"], true);
    for private in ["陳怡君", "ABC-1234", "+886", "0905", "@"] {
        assert!(!found.body.contains(private), "{private} in {}", found.body);
    }
    let html = app.get(&format!(
        "/alliance/warranty?reference={}&lang=en",
        view.reference
    ));
    assert_eq!(html.status, 200);
    assert!(html.body.contains("Still within the warranty period"));
    assert!(!html.body.contains("陳怡君"));
    app.get("/v1/warranty/NOPE").problem(400);
    app.get("/v1/warranty/ZZZZ-ZZZZ").problem(404);
    assert_eq!(
        app.get("/alliance/warranty?reference=ZZZZ-ZZZZ").status,
        404
    );
}

/// Scans every file of the local state: how many hold the visit count's keyed hash (and no
/// booking of `refs`); asserts none of those, and no KV file, holds a form of the number.
fn scan(state: &str, refs: &[String], hash: &str, phone_forms: &[&str]) -> usize {
    let all = files(std::path::Path::new(state));
    let mut counting = 0;

    for path in &all {
        let bytes = std::fs::read(path).unwrap_or_default();
        let holds_phone = phone_forms.iter().any(|p| contains(&bytes, p));
        // The shops' own booking rows hold the customer's number (that is the booking); any other
        // file holding the keyed hash is the count, and must not.
        let holds_bookings = refs.iter().any(|r| contains(&bytes, r));
        if contains(&bytes, hash) && !holds_bookings {
            counting += 1;
            assert!(
                !holds_phone,
                "{} holds the visit count and the phone number",
                path.display()
            );
        }
        if path.to_string_lossy().contains("/kv/") {
            assert!(
                !holds_phone,
                "KV file {} holds the phone number",
                path.display()
            );
        }
    }
    counting
}
