//! Reviews from verified visits: single-use tokens, exact summaries under concurrency, open
//! moderation, replies, and paging that returns each review exactly once.

use integration_tests::{demo, review_form, unique_id, TestApp, DEMO_ORIGIN};
use shared::{HideReason, PublicReview, WidgetView};
use std::collections::HashSet;

fn shop_with_reviews(app: &TestApp) -> String {
    app.add_member(&unique_id("reviews"), &[DEMO_ORIGIN])
}

/// Two fresh member shops: the one under test and another.
fn two_shops(app: &TestApp) -> (String, String) {
    (shop_with_reviews(app), shop_with_reviews(app))
}

fn view(app: &TestApp, shop: &str) -> WidgetView {
    app.widget_from(shop, DEMO_ORIGIN)
}

/// Today's date in Taipei (the demo shops' time zone), `YYYY-MM-DD`.
fn taipei_today() -> String {
    days_ago(0)
}

fn days_ago(days: u64) -> String {
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_millis() as u64;
    shared::format_rfc3339(now + 8 * 3_600_000 - days * 86_400_000)[..10].to_owned()
}

/// Posts an invite with the shop's key.
fn invite(app: &TestApp, key: &str, body: serde_json::Value) -> integration_tests::Reply {
    app.send(
        "POST",
        "/v1/shop/invites",
        &[
            ("content-type", "application/json"),
            ("authorization", &format!("Bearer {key}")),
        ],
        body.to_string().as_bytes(),
    )
}

#[test]
fn an_invite_for_a_visit_that_is_not_a_recorded_past_visit_gets_no_token_and_stores_nothing() {
    let app = TestApp::connect();
    let shop = shop_with_reviews(&app);
    let key = app.shop_key(&shop);
    let ok =
        serde_json::json!({ "work_order": "WO-1001", "visit_date": days_ago(3), "service": "oil" });
    for (field, value, expected) in [
        (
            "visit_date",
            serde_json::json!(days_ago(0).replace("-", "/")),
            "visit_date",
        ),
        ("visit_date", serde_json::json!("2031-01-01"), "visit_date"),
        ("visit_date", serde_json::json!(days_ago(91)), "visit_date"),
        ("service", serde_json::json!("teleportation"), "service"),
        (
            "work_order",
            serde_json::json!("WO 1001; DROP"),
            "work_order",
        ),
        ("work_order", serde_json::json!(""), "work_order"),
    ] {
        let mut body = ok.clone();
        body[field] = value.clone();
        let reply = invite(&app, &key, body);
        let problem = reply.problem(400);
        assert_eq!(problem.field.as_deref(), Some(expected), "{field}={value}");
        assert!(!reply.body.contains("token"), "no token: {}", reply.body);
    }
    // A form without a date (a made-up visit with nothing recorded) is refused too.
    let reply = invite(
        &app,
        &key,
        serde_json::json!({ "visit": "WO-1001", "service": "oil" }),
    );
    assert_eq!(reply.problem(400).field.as_deref(), Some("visit_date"));
    // Nothing was recorded: the work order's first valid invite is accepted, its second is not.
    let first = invite(&app, &key, ok.clone());
    assert_eq!(first.status, 201, "{}", first.body);
    assert_eq!(first.json::<serde_json::Value>()["visit"], "wo-WO-1001");
    assert_eq!(
        invite(&app, &key, ok).problem(409).field.as_deref(),
        Some("work_order")
    );
    // And each invite is in the audit log.
    let auth = format!("Bearer {}", app.admin_token);
    let audit: Vec<shared::AuditEntry> = app
        .get_with("/v1/admin/audit", &[("authorization", &auth)])
        .json();
    let mine: Vec<_> = audit
        .iter()
        .filter(|e| {
            e.shop.as_ref().map(|s| s.as_str()) == Some(shop.as_str())
                && e.action == "review.invite"
        })
        .collect();
    assert_eq!(mine.len(), 1, "{mine:?}");
    assert!(mine[0].detail.contains("WO-1001"), "{}", mine[0].detail);
    assert_eq!(mine[0].actor, format!("shop:{shop}"));
}

#[test]
fn the_invite_after_the_alliances_daily_number_is_refused_with_retry_after() {
    let app = TestApp::connect();
    let shop = shop_with_reviews(&app);
    let key = app.shop_key(&shop);
    let per_day = demo().alliance.limits.invites_per_shop_day;
    assert_eq!(per_day, 30, "the alliance's default");
    for i in 0..per_day {
        let reply = invite(
            &app,
            &key,
            serde_json::json!({ "work_order": format!("DAY-{i}"), "visit_date": taipei_today(), "service": "oil" }),
        );
        assert_eq!(reply.status, 201, "invite {i}: {}", reply.body);
    }
    let over = invite(
        &app,
        &key,
        serde_json::json!({ "work_order": "DAY-LAST", "visit_date": taipei_today(), "service": "oil" }),
    );
    over.problem(429);
    let wait: u64 = over.header("retry-after").unwrap().parse().unwrap();
    assert!(
        (80_000..=86_400).contains(&wait),
        "until the oldest leaves the day: {wait}"
    );
    assert!(!over.body.contains("token"));
    // The admin's member table shows the week's invites next to its completed bookings.
    let console = integration_tests::Console::new(&app);
    let admin = console.login(&app.admin_token).unwrap();
    let page = console.get("/console/admin", Some(&admin));
    let row = page
        .body
        .split("<tr>")
        .find(|r| r.contains(&format!("href=\"#m-{shop}\"")))
        .unwrap_or_else(|| panic!("no row for {shop}"));
    assert!(
        row.contains(&format!("data-invites=\"{per_day}\">{per_day} / 0<")),
        "{row}"
    );
}

#[test]
fn a_review_form_cannot_change_the_service_its_visit_was_for() {
    let app = TestApp::connect();
    let shop = shop_with_reviews(&app);
    let key = app.shop_key(&shop);
    let made = invite(
        &app,
        &key,
        serde_json::json!({ "work_order": "SVC-1", "visit_date": taipei_today(), "service": "oil" }),
    );
    let token = made.json::<serde_json::Value>()["token"]
        .as_str()
        .unwrap()
        .to_owned();
    let before = view(&app, &shop).rating;
    let mut form = review_form(&token, 5, "其實是做煞車，但我想寫在別的服務上。");
    form["service"] = "brakes".into();

    let reply = app.post_review(&shop, &form, DEMO_ORIGIN, "10.0.5.1");

    assert_eq!(reply.problem(422).field.as_deref(), Some("service"));
    assert_eq!(view(&app, &shop).rating, before, "nothing stored");
    // With the visit's own service, the same link works.
    let ok = app.review(&shop, &token, 5, "機油保養很仔細，下次再來。", "10.0.5.1");
    assert_eq!(ok.status, 201, "{}", ok.body);
    assert_eq!(ok.json::<PublicReview>().content.unwrap().service, "oil");
}

#[test]
fn a_review_with_a_fresh_token_appears_and_changes_the_summary_exactly() {
    let app = TestApp::connect();
    let shop = shop_with_reviews(&app);
    let key = app.shop_key(&shop);
    let invite = app.send(
        "POST",
        "/v1/shop/invites",
        &[
            ("content-type", "application/json"),
            ("authorization", &format!("Bearer {key}")),
        ],
        serde_json::json!({ "work_order": "AB7K-29QF", "visit_date": taipei_today(), "service": "oil" })
            .to_string()
            .as_bytes(),
    );
    assert_eq!(invite.status, 201, "{}", invite.body);
    let token = invite.json::<serde_json::Value>()["token"]
        .as_str()
        .unwrap()
        .to_owned();
    let before = view(&app, &shop).rating;

    let reply = app.review(&shop, &token, 4, "換機油很快，價格也很透明。", "10.0.0.1");

    assert_eq!(reply.status, 201, "{}", reply.body);
    assert_eq!(
        reply.header("access-control-allow-origin"),
        Some(DEMO_ORIGIN)
    );
    let posted: PublicReview = reply.json();
    let after = view(&app, &shop);
    assert_eq!(after.rating.count, before.count + 1);
    assert_eq!(after.rating.sum, before.sum + 4);
    assert_eq!(after.reviews[0].id, posted.id, "first view shows it");
    let content = after.reviews[0].content.as_ref().unwrap();
    assert_eq!(content.author, "陳○○", "shortened name only");
    assert!(content.verified_visit);
    assert_eq!(
        content.provenance,
        shared::Provenance::Invited,
        "invited, and says so"
    );
    assert_eq!(
        (after.rating.booked, after.rating.invited()),
        (before.booked, before.invited() + 1)
    );
    let newest = app.all_reviews(&shop, "newest", None, 5);
    assert_eq!(newest[0].id, posted.id);
}

#[test]
fn reused_expired_forged_and_other_shop_tokens_are_rejected_and_store_nothing() {
    let app = TestApp::connect();
    let (shop, other) = two_shops(&app);
    let token = app.token(&shop, "VISIT-1", 3600);
    assert_eq!(
        app.review(&shop, &token, 5, "第一次使用這個連結。", "10.0.1.1")
            .status,
        201
    );
    let count = view(&app, &shop).rating.count;

    let one_star = |token: &str, text: &str, ip: &str| app.review(&shop, token, 1, text, ip);
    let reused = one_star(&token, "第二次使用同一個連結。", "10.0.1.2");
    let expired_token = app.token(&shop, "VISIT-2", -1);
    let expired = one_star(&expired_token, "這個連結已經過期了。", "10.0.1.3");
    let forged_token = {
        let (payload, _) = app
            .token(&shop, "VISIT-3", 3600)
            .split_once('.')
            .map(|(p, s)| (p.to_owned(), s.to_owned()))
            .unwrap();
        format!("{payload}.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")
    };
    let forged = one_star(&forged_token, "偽造的連結不應該有效。", "10.0.1.4");
    let other_token = app.token(&other, "VISIT-4", 3600);
    let other_shop = one_star(&other_token, "別家店的連結不應該有效。", "10.0.1.5");

    assert_eq!(reused.problem(409).kind, "/problems/token-used");
    assert_eq!(expired.problem(410).kind, "/problems/token-expired");
    assert_eq!(forged.problem(403).kind, "/problems/invalid-token");
    assert_eq!(other_shop.problem(403).kind, "/problems/invalid-token");
    for r in [&reused, &expired, &forged, &other_shop] {
        assert_eq!(r.json::<shared::Problem>().field.as_deref(), Some("token"));
    }
    assert_eq!(view(&app, &shop).rating.count, count, "nothing stored");
    assert_eq!(
        app.all_reviews(&shop, "newest", None, 20).len(),
        count as usize
    );
}

#[test]
fn writes_from_a_foreign_origin_are_refused_and_store_nothing() {
    let app = TestApp::connect();
    let shop = shop_with_reviews(&app);
    let token = app.token(&shop, "VISIT-F", 3600);

    let foreign = app.post_review(
        &shop,
        &review_form(&token, 5, "從別的網站送出的評價。"),
        "https://evil.example",
        "10.0.2.1",
    );
    let preflight = app.send(
        "OPTIONS",
        &format!("/v1/shops/{shop}/reviews"),
        &[
            ("origin", "https://evil.example"),
            ("access-control-request-method", "POST"),
        ],
        b"",
    );

    assert_eq!(foreign.problem(403).kind, "/problems/foreign-origin");
    assert_eq!(foreign.header("access-control-allow-origin"), None);
    assert_eq!(preflight.status, 403);
    assert_eq!(view(&app, &shop).rating.count, 0);
    // The token was not spent: the real site can still use it.
    assert_eq!(
        app.review(&shop, &token, 5, "從店家自己的網站送出。", "10.0.2.2")
            .status,
        201
    );
}

#[test]
fn bad_fields_are_each_named_and_nothing_is_stored() {
    let app = TestApp::connect();
    let shop = shop_with_reviews(&app);
    let token = app.token(&shop, "VISIT-B", 3600);
    let mut form = review_form(&token, 6, "short");
    form["service"] = "teleport".into();
    form["author"] = "".into();

    let problem = app
        .post_review(&shop, &form, DEMO_ORIGIN, "10.0.3.1")
        .problem(400);

    let fields: Vec<&str> = problem.errors.iter().map(|e| e.field.as_str()).collect();
    assert_eq!(fields, ["stars", "text", "service", "author"]);
    assert_eq!(problem.field.as_deref(), Some("stars"));
    // Why, as data next to the English detail: what the widget translates.
    let reasons: Vec<shared::Reason> = problem.errors.iter().map(|e| e.reason).collect();
    assert_eq!(
        reasons,
        [
            shared::Reason::OutOfRange,
            shared::Reason::TooShort { min: 10 },
            shared::Reason::NotOffered,
            shared::Reason::Required
        ]
    );
    let mut form = review_form(&token, 5, "contains a bell \u{7} character");
    let p = app
        .post_review(&shop, &form, DEMO_ORIGIN, "10.0.3.2")
        .problem(400);
    assert_eq!(p.field.as_deref(), Some("text"));
    assert_eq!(p.errors[0].reason, shared::Reason::ControlCharacters);
    form["text"] = "a perfectly fine review text".into();
    form["website"] = "http://spam.example".into();
    assert_eq!(
        app.post_review(&shop, &form, DEMO_ORIGIN, "10.0.3.3")
            .problem(400)
            .field
            .as_deref(),
        Some("website")
    );
    assert_eq!(view(&app, &shop).rating.count, 0);
}

#[test]
fn twenty_concurrent_reviews_keep_the_summary_exact() {
    let app = TestApp::connect();
    let shop = shop_with_reviews(&app);
    let before = view(&app, &shop).rating;

    let handles: Vec<_> = (0..20)
        .map(|i| {
            let shop = shop.clone();
            std::thread::spawn(move || {
                let app = TestApp::connect();
                let token = app.token(&shop, &format!("CONC-{i}"), 3600);
                let stars = (i % 5) + 1;
                app.review(
                    &shop,
                    &token,
                    stars,
                    "同時送出的評價之一，內容足夠長。",
                    &format!("10.1.0.{i}"),
                )
                .status
            })
        })
        .collect();
    let statuses: Vec<u16> = handles.into_iter().map(|h| h.join().unwrap()).collect();

    assert!(statuses.iter().all(|s| *s == 201), "{statuses:?}");
    let after = view(&app, &shop).rating;
    assert_eq!(after.count, before.count + 20);
    let stored = app.all_reviews(&shop, "newest", None, 20);
    let recomputed = shared::RatingSummary::from_stars(
        stored
            .iter()
            .filter_map(|r| r.content.as_ref().map(|c| c.stars)),
    );
    assert_eq!(after, recomputed);
    assert_eq!(after.average_display(), "3.0");
}

#[test]
fn a_hidden_review_leaves_the_summary_and_becomes_a_public_placeholder() {
    let app = TestApp::connect();
    let shop = shop_with_reviews(&app);
    for (i, stars) in [5, 1].into_iter().enumerate() {
        let token = app.token(&shop, &format!("HIDE-{i}"), 3600);
        assert_eq!(
            app.review(
                &shop,
                &token,
                stars,
                "要被審核的評價內容在這裡。",
                "10.0.4.1"
            )
            .status,
            201
        );
    }
    let target = app.all_reviews(&shop, "lowest", None, 5)[0].clone();

    let hidden = app.admin_post(
        &format!("/v1/admin/shops/{shop}/reviews/{}/hide", target.id),
        br#"{"reason":"personal-data"}"#,
    );

    assert_eq!(hidden.status, 200, "{}", hidden.body);
    let v = view(&app, &shop);
    assert_eq!((v.rating.count, v.rating.sum, v.hidden_reviews), (1, 5, 1));
    let listed = app.all_reviews(&shop, "newest", None, 5);
    let placeholder = listed
        .iter()
        .find(|r| r.id == target.id)
        .expect("still listed, as a placeholder");
    assert_eq!(placeholder.hidden, Some(HideReason::PersonalData));
    assert!(placeholder.content.is_none(), "no text, name or stars");
    let log: Vec<shared::ModerationEntry> = app.get("/v1/moderation").json();
    assert!(log.iter().any(|e| e.review == target.id
        && e.shop.as_str() == shop
        && e.reason == HideReason::PersonalData));
    let again = app.admin_post(
        &format!("/v1/admin/shops/{shop}/reviews/{}/hide", target.id),
        br#"{"reason":"spam"}"#,
    );
    assert_eq!(again.problem(409).field.as_deref(), Some("review"));
    let bad_reason = app.admin_post(
        &format!("/v1/admin/shops/{shop}/reviews/{}/hide", target.id),
        br#"{"reason":"dislike"}"#,
    );
    assert_eq!(bad_reason.problem(400).field.as_deref(), Some("reason"));
}

#[test]
fn the_shop_replies_once_per_review_and_can_edit_it() {
    let app = TestApp::connect();
    let (shop, other) = two_shops(&app);
    let token = app.token(&shop, "REPLY-1", 3600);
    let review: PublicReview = app
        .review(&shop, &token, 4, "很好的服務，下次再來。", "10.0.5.1")
        .json();
    let key = app.shop_key(&shop);
    let other_key = app.shop_key(&other);
    let put = |key: &str, text: &str| {
        let body = serde_json::json!({ "text": text }).to_string();
        app.send(
            "PUT",
            &format!("/v1/shop/reviews/{}/reply", review.id),
            &[
                ("content-type", "application/json"),
                ("authorization", &format!("Bearer {key}")),
            ],
            body.as_bytes(),
        )
    };

    assert_eq!(put(&key, "謝謝您的肯定！").status, 200);
    assert_eq!(put(&key, "謝謝您的肯定，歡迎再來！").status, 200);
    let listed = app.all_reviews(&shop, "newest", None, 5);
    let reply = listed[0]
        .content
        .as_ref()
        .unwrap()
        .reply
        .as_ref()
        .expect("reply shown");
    assert_eq!(reply.text, "謝謝您的肯定，歡迎再來！");
    assert_eq!(
        view(&app, &shop).reviews[0]
            .content
            .as_ref()
            .unwrap()
            .reply
            .as_ref()
            .unwrap()
            .text,
        reply.text
    );
    put(&other_key, "not my review").problem(404);
    app.send(
        "PUT",
        &format!("/v1/shop/reviews/{}/reply", review.id),
        &[("content-type", "application/json")],
        br#"{"text":"x"}"#,
    )
    .problem(401);
    put("sk_wrong", "x").problem(403);
    assert_eq!(put(&key, "").problem(400).field.as_deref(), Some("text"));
}

#[test]
fn paging_returns_every_demo_review_exactly_once_under_every_sort() {
    let app = TestApp::connect();
    let demo = demo();
    let shop = &demo.shops[0];
    let expected: HashSet<String> = demo
        .reviews
        .iter()
        .filter(|r| r.shop == shop.id)
        .map(|r| r.id.clone())
        .collect();

    for sort in ["newest", "highest", "lowest"] {
        for limit in [1, 3, 5] {
            let all = app.all_reviews(shop.id.as_str(), sort, None, limit);
            let ids: Vec<String> = all.iter().map(|r| r.id.clone()).collect();
            assert_eq!(ids.len(), expected.len(), "{sort} by {limit}: {ids:?}");
            assert_eq!(
                ids.iter().cloned().collect::<HashSet<_>>(),
                expected,
                "{sort} by {limit}"
            );
            let stars: Vec<u8> = all
                .iter()
                .map(|r| r.content.as_ref().unwrap().stars.get())
                .collect();
            match sort {
                "highest" => assert!(stars.windows(2).all(|w| w[0] >= w[1]), "{stars:?}"),
                "lowest" => assert!(stars.windows(2).all(|w| w[0] <= w[1]), "{stars:?}"),
                _ => assert!(all.windows(2).all(|w| w[0].created_at >= w[1].created_at)),
            }
        }
    }
    let oil = app.all_reviews(shop.id.as_str(), "newest", Some("oil"), 2);
    let want = demo
        .reviews
        .iter()
        .filter(|r| r.shop == shop.id && r.service == "oil")
        .count();
    assert_eq!(oil.len(), want);
    assert!(oil
        .iter()
        .all(|r| r.content.as_ref().unwrap().service == "oil"));
}

#[test]
fn review_pages_reject_bad_parameters() {
    let app = TestApp::connect();
    assert_eq!(
        app.get("/v1/shops/da-an-auto/reviews?sort=best")
            .problem(400)
            .field
            .as_deref(),
        Some("sort")
    );
    assert_eq!(
        app.get("/v1/shops/da-an-auto/reviews?limit=500")
            .problem(400)
            .field
            .as_deref(),
        Some("limit")
    );
    assert_eq!(
        app.get("/v1/shops/da-an-auto/reviews?service=a%7Cb")
            .problem(400)
            .field
            .as_deref(),
        Some("service")
    );
    app.get("/v1/shops/no-such-shop/reviews").problem(404);
}

#[test]
fn too_many_reviews_from_one_address_are_limited() {
    let app = TestApp::connect();
    let shop = shop_with_reviews(&app);
    let statuses: Vec<u16> = (0..11)
        .map(|i| {
            let token = app.token(&shop, &format!("RATE-{i}"), 3600);
            app.review(&shop, &token, 5, "同一個地址送出很多評價。", "10.9.9.9")
                .status
        })
        .collect();

    assert_eq!(&statuses[..10], &[201; 10]);
    assert_eq!(statuses[10], 429);
}

#[test]
fn the_consoles_invite_form_records_the_visit_and_names_what_is_wrong() {
    let app = TestApp::connect();
    let shop = shop_with_reviews(&app);
    let key = app.shop_key(&shop);
    let console = integration_tests::Console::new(&app);
    let cookie = console.login(&key).unwrap();
    let page = console.get(&format!("/console/shop/{shop}/bookings"), Some(&cookie));
    assert!(
        page.body.contains(r#"name="visit_date""#),
        "the form asks for the date"
    );
    let csrf = integration_tests::Console::csrf(&page);
    let path = format!("/console/shop/{shop}/invites");
    let post = |wo: &str, date: &str| {
        console.post(
            &path,
            Some(&cookie),
            Some(&app.base),
            &[
                ("csrf", &csrf),
                ("work_order", wo),
                ("visit_date", date),
                ("service", "oil"),
            ],
        )
    };

    let future = post("CON-1", "2031-01-01");
    assert_eq!(future.status, 400, "{}", future.body);
    assert!(
        future.body.contains("90 天內"),
        "the message names the date"
    );
    let made = post("CON-1", &taipei_today());
    assert_eq!(made.status, 201, "{}", made.body);
    assert!(made.body.contains("#review="), "the link is shown");
    let again = post("CON-1", &taipei_today());
    assert_eq!(again.status, 409, "{}", again.body);
    assert!(again.body.contains("這張工單已經產生過評價邀請"));
}
