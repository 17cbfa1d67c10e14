//! The edge's public API against the real local runtime and its KV, seeded with the demo data.

use integration_tests::{demo, Reply, TestApp};
use shared::{MembershipStatus, WidgetView};

#[test]
fn seeded_shop_returns_its_first_view() {
    let app = TestApp::connect();
    let demo = demo();
    let shop = &demo.shops[0];

    let reply = app.get(&format!("/v1/shops/{}/widget", shop.id));

    assert_eq!(reply.status, 200, "{}", reply.body);
    assert!(reply.content_type().starts_with("application/json"));
    assert_eq!(reply.header("access-control-allow-origin"), Some("*"));
    let view: WidgetView = reply.json();
    assert_eq!(view.shop.id, shop.id);
    assert_eq!(view.shop.name, shop.name);
    assert_eq!(view.alliance.name, demo.alliance.name);
    assert_eq!(view.membership.status, MembershipStatus::Active);
    assert_eq!(view.membership.member_since, shop.membership.member_since);
    let own: Vec<_> = demo.reviews.iter().filter(|r| r.shop == shop.id).collect();
    assert_eq!(view.rating.count as usize, own.len());
    assert_eq!(
        view.rating.sum,
        own.iter().map(|r| u64::from(r.stars.get())).sum::<u64>()
    );
}

#[test]
fn first_view_holds_no_personal_data() {
    let app = TestApp::connect();
    let demo = demo();
    let shop = &demo.shops[0];

    let body = app.get(&format!("/v1/shops/{}/widget", shop.id)).body;

    for review in demo.reviews.iter().filter(|r| r.shop == shop.id) {
        assert!(
            !body.contains(&review.author),
            "reviewer name {} leaked",
            review.author
        );
    }
}

#[test]
fn shop_without_reviews_has_an_empty_summary() {
    let app = TestApp::connect();
    let demo = demo();
    let lonely = demo
        .shops
        .iter()
        .find(|s| !demo.reviews.iter().any(|r| r.shop == s.id))
        .expect("the demo has a shop without reviews");

    let view: WidgetView = app.get(&format!("/v1/shops/{}/widget", lonely.id)).json();

    assert_eq!(view.rating.count, 0);
    assert_eq!(view.rating.average_tenths(), None);
}

#[test]
fn unknown_shop_is_404_problem() {
    let app = TestApp::connect();

    let reply = app.get("/v1/shops/no-such-shop/widget");

    let problem = reply.problem(404);
    assert_eq!(problem.kind, "/problems/unknown-shop");
    // Readable cross-origin, or the widget could only say "network error".
    assert_eq!(reply.header("access-control-allow-origin"), Some("*"));
    assert_eq!(problem.field.as_deref(), Some("shop"));
    assert!(
        problem.detail.contains("no-such-shop"),
        "{}",
        problem.detail
    );
}

#[test]
fn malformed_shop_id_is_400_problem_naming_the_parameter() {
    let app = TestApp::connect();

    for bad in ["Bad_Shop", "ab", "x%20y", "-shop"] {
        let problem = app.get(&format!("/v1/shops/{bad}/widget")).problem(400);
        assert_eq!(problem.kind, "/problems/invalid-parameter", "{bad}");
        assert_eq!(problem.field.as_deref(), Some("shop"), "{bad}");
    }
}

#[test]
fn wrong_method_is_405_with_allow_header() {
    let app = TestApp::connect();

    let reply = app.send("DELETE", "/v1/shops/da-an-auto/widget", &[], b"");

    let problem = reply.problem(405);
    assert_eq!(problem.kind, "/problems/method-not-allowed");
    assert_eq!(reply.header("allow"), Some("GET, HEAD"));
}

#[test]
fn unknown_route_is_404_problem() {
    let app = TestApp::connect();

    let problem = app.get("/v1/nothing/here").problem(404);

    assert_eq!(problem.kind, "/problems/not-found");
}

#[test]
fn repeat_visit_with_etag_gets_304() {
    let app = TestApp::connect();
    let first = app.get("/v1/shops/da-an-auto/widget");
    let etag = first.header("etag").expect("an etag").to_owned();

    let again = app.get_with("/v1/shops/da-an-auto/widget", &[("if-none-match", &etag)]);

    assert_eq!(again.status, 304);
    assert!(again.body.is_empty());
    assert_eq!(again.header("etag"), Some(etag.as_str()));
}

#[test]
fn cors_preflight_for_the_first_view_is_answered() {
    let app = TestApp::connect();

    let reply = app.send(
        "OPTIONS",
        "/v1/shops/da-an-auto/widget",
        &[
            ("origin", "https://somewhere.example"),
            ("access-control-request-method", "GET"),
        ],
        b"",
    );

    assert_eq!(reply.status, 204);
    assert_eq!(reply.header("access-control-allow-origin"), Some("*"));
}

#[test]
fn an_injected_kv_failure_is_a_503_problem_with_retry_after() {
    let app = TestApp::connect();

    let reply = app.get_with("/v1/shops/da-an-auto/widget", &[("x-fault-inject", "kv")]);

    let problem = reply.problem(503);
    assert_eq!(problem.kind, "/problems/unavailable");
    assert!(reply.header("retry-after").is_some());
    assert_eq!(
        reply.header("access-control-allow-origin"),
        Some("*"),
        "the widget can read it"
    );
    assert!(
        !problem.detail.contains("injected"),
        "no internals: {}",
        problem.detail
    );
    assert_eq!(
        app.get("/v1/shops/da-an-auto/widget").status,
        200,
        "only that request failed"
    );
}

/// Posts booking `form` to `shop` from the demo site with the fault `fault` injected.
fn book_with_fault(app: &TestApp, shop: &str, form: &serde_json::Value, fault: &str) -> Reply {
    app.send(
        "POST",
        &format!("/v1/shops/{shop}/bookings"),
        &[
            ("content-type", "application/json"),
            ("origin", integration_tests::DEMO_ORIGIN),
            ("x-fault-inject", fault),
        ],
        form.to_string().as_bytes(),
    )
}

#[test]
fn an_injected_durable_object_failure_is_a_503_and_stores_nothing() {
    let app = TestApp::connect();
    let (shop, key) = integration_tests::booking_shop(&app, "fault", 1, None);
    let form = integration_tests::booking_form(&integration_tests::taipei_slot(3, 10), 50);

    let reply = book_with_fault(&app, &shop, &form, "do");

    reply.problem(503);
    assert!(reply.header("retry-after").is_some());
    assert_eq!(integration_tests::events_in(&app.feed(&shop, &key)), 0);
}

#[test]
fn a_hanging_kv_read_times_out_as_a_503_instead_of_leaving_the_client_waiting() {
    let app = TestApp::connect();
    let started = std::time::Instant::now();
    let reply = app.get_with(
        "/v1/shops/da-an-auto/widget",
        &[("x-fault-inject", "kv-slow")],
    );
    let waited = started.elapsed();
    let problem = reply.problem(503);
    assert_eq!(problem.kind, "/problems/unavailable");
    assert!(reply.header("retry-after").is_some());
    assert_eq!(reply.header("access-control-allow-origin"), Some("*"));
    assert!(
        waited >= std::time::Duration::from_millis(2_500)
            && waited < std::time::Duration::from_secs(20),
        "answered after the 3 s limit, not the 60 s hang: {waited:?}"
    );
}

#[test]
fn a_hanging_durable_object_times_out_as_a_503_and_stores_nothing() {
    let app = TestApp::connect();
    let (shop, key) = integration_tests::booking_shop(&app, "hang", 1, None);
    let form = integration_tests::booking_form(&integration_tests::taipei_slot(3, 11), 51);
    let started = std::time::Instant::now();
    let reply = book_with_fault(&app, &shop, &form, "do-slow");
    let waited = started.elapsed();
    reply.problem(503);
    assert!(reply.header("retry-after").is_some());
    assert!(waited < std::time::Duration::from_secs(30), "{waited:?}");
    assert_eq!(integration_tests::events_in(&app.feed(&shop, &key)), 0);
}

#[test]
fn a_repeated_first_view_comes_from_the_cache_and_a_write_purges_it_at_once() {
    let app = TestApp::connect();
    let (shop, _) = integration_tests::booking_shop(&app, "cache", 1, None);
    let first = app.get(&format!("/v1/shops/{shop}/widget"));
    assert_eq!(first.status, 200);
    let again = app.get(&format!("/v1/shops/{shop}/widget"));
    assert_eq!(
        again.header("x-cache"),
        Some("hit"),
        "no KV read the second time"
    );
    assert_eq!(again.body, first.body);
    // A review changes the first view: the next read is fresh, not the cached one.
    let token = app.token(&shop, "CACHE-1", 3600);
    let text = "快取之後寫入的評價要立刻看得到。";
    let posted = app.review(&shop, &token, 5, text, "10.2.9.9");
    assert_eq!(posted.status, 201, "{}", posted.body);
    let after = app.get(&format!("/v1/shops/{shop}/widget"));
    assert_eq!(after.header("x-cache"), Some("miss"));
    let view: shared::WidgetView = after.json();
    assert_eq!(view.rating.count, 1);
}

#[test]
fn the_rendered_first_view_names_a_too_long_option_and_serves_one_at_the_limit() {
    let app = TestApp::connect();
    let demo = demo();
    let shop = &demo.shops[0];

    // 36 characters (three bytes each): over the limit the OpenAPI document states.
    let long = "%E8%AA%9E".repeat(36);
    for name in ["locale", "view"] {
        let reply = app.get(&format!("/v1/shops/{}/first-view?{name}={long}", shop.id));
        assert_eq!(
            reply.problem(400).field.as_deref(),
            Some(name),
            "{}",
            reply.body
        );
    }
    // 35 characters is within it.
    let ok = app.get(&format!(
        "/v1/shops/{}/first-view?view={}",
        shop.id,
        "%E8%AA%9E".repeat(35)
    ));
    assert_eq!(ok.status, 200, "{}", ok.body);
    let doc: serde_json::Value = ok.json();
    assert!(doc["html"]
        .as_str()
        .is_some_and(|h| h.contains(&shop.name.zh_tw)));
    assert_eq!(doc["data"]["shop"]["id"], shop.id.to_string());
}

#[test]
fn the_first_view_may_be_read_with_credentials_and_depends_on_none() {
    // The loader reads it with credentials only to share embed.js's connection: the page's
    // origin is echoed with Access-Control-Allow-Credentials, errors included, and a cookie
    // changes nothing in the answer.
    let app = TestApp::connect();
    let page = ("origin", "https://somewhere.example");
    let path = "/v1/shops/da-an-auto/first-view?locale=en&view=all";

    let plain = app.get_with(path, &[page]);
    let with_cookie = app.get_with(path, &[page, ("cookie", "aw_console=forged; other=1")]);

    assert_eq!(plain.status, 200, "{}", plain.body);
    for reply in [&plain, &with_cookie] {
        reply.assert_readable_with_credentials_from("https://somewhere.example");
        let vary = reply.header("vary").unwrap_or_default();
        assert!(
            vary.contains("Origin") && vary.contains("Referer"),
            "{vary}"
        );
    }
    assert_eq!(with_cookie.body, plain.body);
    assert_eq!(with_cookie.header("etag"), plain.header("etag"));
    assert!(with_cookie.header("set-cookie").is_none());

    let unknown = app.get_with("/v1/shops/no-such-shop/first-view", &[page]);
    unknown.problem(404);
    // The loader reads the error too.
    unknown.assert_readable_with_credentials_from("https://somewhere.example");

    // Without an Origin (not a CORS request) nothing is echoed.
    let direct = app.get(path);
    assert_eq!(direct.header("access-control-allow-origin"), Some("*"));
    assert_eq!(direct.header("access-control-allow-credentials"), None);

    // The document the wasm reads keeps the plain, credential-free CORS.
    let widget = app.get_with("/v1/shops/da-an-auto/widget", &[page]);
    assert_eq!(widget.header("access-control-allow-origin"), Some("*"));
    assert_eq!(widget.header("access-control-allow-credentials"), None);
}
