//! Storage operations per request type, as the edge reports them in `x-ops` (test
//! instrumentation, local only): the first view's budget is asserted (one request, at most one
//! KV read, none when the Cache API holds it, no Durable Object call), and the whole table is
//! printed for BENCHMARKS.md:
//!
//! `cargo test -p integration-tests --test ops -- --nocapture` (against `cargo xtask dev`, with
//! `EDGE_URL`, `ADMIN_TOKEN` and `LINK_SECRET` set as for the other suites).

use integration_tests::{booking_shop, taipei_slot, TestApp, DEMO_ORIGIN};
use std::collections::BTreeMap;

/// The counts of one `x-ops` header.
fn ops(reply: &integration_tests::Reply) -> BTreeMap<String, u32> {
    let header = reply
        .header("x-ops")
        .expect("x-ops header (FAULT_INJECTION=on in .dev.vars)");
    header
        .split_whitespace()
        .filter_map(|kv| kv.split_once('='))
        .map(|(k, v)| (k.to_owned(), v.parse().expect("a count")))
        .collect()
}

#[test]
fn storage_operations_per_request_type() {
    let app = TestApp::connect();
    let (shop, key) = booking_shop(&app, "ops", 2, None);
    let widget = format!("/v1/shops/{shop}/widget");
    let origin = [("origin", DEMO_ORIGIN)];
    let mut table: Vec<(&str, u16, BTreeMap<String, u32>)> = Vec::new();

    // The first view, from the Cache API (`cache` is `hit` or `miss`) and `kv_reads` KV reads.
    let first_view = |cache: &str, kv_reads: u32| {
        let reply = app.get_with(&widget, &origin);
        assert_eq!(reply.header("x-cache"), Some(cache));
        let o = ops(&reply);
        assert_eq!(
            (o["kv-read"], o["kv-list"], o["do"]),
            (kv_reads, 0, 0),
            "first view on a {cache}: {o:?}"
        );
        (reply, o)
    };
    // A write just purged this location's copy: the first read goes to KV.
    let (miss, o) = first_view("miss", 1);
    table.push(("first view, Cache API miss", miss.status, o));

    let (hit, o) = first_view("hit", 0);
    table.push(("first view, Cache API hit", hit.status, o));

    let etag = hit.header("etag").expect("etag").to_owned();
    let revalidated = app.get_with(
        &widget,
        &[("origin", DEMO_ORIGIN), ("if-none-match", &etag)],
    );
    assert_eq!(revalidated.status, 304);
    let o = ops(&revalidated);
    assert_eq!(o["kv-read"] + o["do"], 0, "a 304 from the cache: {o:?}");
    table.push(("first view, 304 (repeat visit)", revalidated.status, o));

    let token = app.token(&shop, "OPS-1", 3600);
    let text = "保養仔細，說明清楚，下次還會再來。";
    let posted = app.review(&shop, &token, 4, text, "10.7.0.1");
    assert_eq!(posted.status, 201, "{}", posted.body);
    table.push(("review submitted", posted.status, ops(&posted)));

    let page = app.get(&format!("/v1/shops/{shop}/reviews?sort=newest&limit=5"));
    assert_eq!(page.status, 200);
    table.push(("reviews page (5)", page.status, ops(&page)));

    let slots = app.get(&format!(
        "/v1/shops/{shop}/availability?service=oil&days=14"
    ));
    assert_eq!(slots.status, 200, "{}", slots.body);
    table.push(("availability, 14 days", slots.status, ops(&slots)));

    let booked = app.book_slot(&shop, &taipei_slot(2, 10), 71, "10.7.0.2");
    assert_eq!(booked.status, 201, "{}", booked.body);
    table.push(("booking created", booked.status, ops(&booked)));

    let taken = app.book_slot(&shop, &taipei_slot(2, 10), 72, "10.7.0.3");
    let again = app.book_slot(&shop, &taipei_slot(2, 10), 73, "10.7.0.4");
    assert_eq!(
        (taken.status, again.status),
        (201, 409),
        "two bays, then full"
    );
    table.push(("booking refused (slot full)", again.status, ops(&again)));

    let badge = app.get_with(
        &format!("/badge/{shop}.svg"),
        &[("referer", &format!("{DEMO_ORIGIN}/"))],
    );
    assert_eq!(badge.status, 200);
    table.push(("badge SVG", badge.status, ops(&badge)));

    let verify = app.get(&format!("/verify/{shop}"));
    assert_eq!(verify.status, 200);
    table.push(("verification page", verify.status, ops(&verify)));

    let setup = app.setup(&key);
    assert_eq!(setup.status, 200);
    table.push(("shop API call (key checked)", setup.status, ops(&setup)));

    println!("| request | status | KV reads | KV lists | KV writes | KV deletes | Durable Object calls |");
    println!("|---|---|---|---|---|---|---|");
    for (what, status, o) in &table {
        println!(
            "| {what} | {status} | {} | {} | {} | {} | {} |",
            o["kv-read"], o["kv-list"], o["kv-write"], o["kv-delete"], o["do"]
        );
    }
}

#[test]
fn the_directory_reads_the_member_list_from_the_cache_until_a_member_changes() {
    let app = TestApp::connect();
    let shop = app.add_member(&integration_tests::unique_id("ops-dir"), &[DEMO_ORIGIN]);
    let first = app.get("/alliance");
    assert_eq!(first.status, 200);
    assert!(first.body.contains(&format!("Test shop {shop}")) || first.body.contains("大安"));
    let again = app.get("/alliance");
    let o = ops(&again);
    assert_eq!(
        (o["kv-list"], o["do"]),
        (0, 0),
        "second view from the cache: {o:?}"
    );
    assert!(
        o["kv-read"] <= 1,
        "at most the alliance's own record: {o:?}"
    );

    // A write drops the cached list at once: the suspended member leaves the directory.
    assert_eq!(
        app.membership_action(&shop, "suspend", "dues unpaid")
            .status,
        200
    );
    let after = app.get("/alliance?lang=en");
    assert!(ops(&after)["kv-list"] >= 1, "read anew after the write");
    assert!(
        !after.body.contains(&format!("Test shop {shop}")),
        "suspended: not listed"
    );
}

#[test]
fn guessing_warranty_references_is_limited_per_network() {
    let app = TestApp::connect();
    let ip = format!("198.18.{}.1", std::process::id() % 250);
    let lookup = |reference: &str, ip: &str| {
        app.get_with(
            &format!("/v1/warranty/{reference}"),
            &[("cf-connecting-ip", ip)],
        )
    };
    for i in 0..30u32 {
        let reference = format!("ZZZZ-{:04}", 1000 + i).replace('0', "Z");
        let miss = lookup(&reference, &ip);
        assert!(
            matches!(miss.status, 404 | 400),
            "{}: {}",
            miss.status,
            miss.body
        );
    }
    let blocked = lookup("AB7K-29QF", &ip);
    blocked.problem(429);
    assert!(blocked.header("retry-after").is_some());
    let page = app.get_with(
        "/alliance/warranty?reference=AB7K-29QF",
        &[("cf-connecting-ip", &ip)],
    );
    assert_eq!(page.status, 429, "the page says so too");
    assert!(page.body.contains("分鐘後再試"));
    lookup("AB7K-29QF", "198.19.250.1").problem(404);
}
