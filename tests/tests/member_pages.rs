//! The alliance's hosted member pages against the real local runtime: what a customer reads
//! there (and what personal data never appears), the sitemap and robots.txt search engines
//! read, a membership change showing at once, and the walk-in review codes behind the counter
//! card's "review your last visit".

use integration_tests::{
    booking_form, booking_shop, taipei_slot, well_formed, Reply, TestApp, DEMO_ORIGIN,
};

/// The JSON-LD block of a page.
fn json_ld(page: &str) -> serde_json::Value {
    let start = page
        .find(r#"<script type="application/ld+json">"#)
        .expect("the page has JSON-LD")
        + r#"<script type="application/ld+json">"#.len();
    let end = start + page[start..].find("</script>").unwrap();
    serde_json::from_str(&page[start..end]).expect("JSON-LD parses as JSON")
}

fn invite(app: &TestApp, key: &str, work_order: &str) -> serde_json::Value {
    let today = &taipei_slot(0, 0)[..10];
    let reply = app.send(
        "POST",
        "/v1/shop/invites",
        &[
            ("authorization", &format!("Bearer {key}")),
            ("content-type", "application/json"),
        ],
        serde_json::json!({ "work_order": work_order, "visit_date": today, "service": "oil" })
            .to_string()
            .as_bytes(),
    );
    assert_eq!(reply.status, 201, "{}", reply.body);
    reply.json()
}

/// `GET` without following redirects.
fn get_once(app: &TestApp, path: &str, ip: &str) -> Reply {
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .max_redirects(0)
        .build()
        .into();
    let mut resp = agent
        .get(format!("{}{path}", app.base))
        .header("cf-connecting-ip", ip)
        .call()
        .expect("the edge answers");
    Reply {
        status: resp.status().as_u16(),
        headers: resp
            .headers()
            .iter()
            .map(|(k, v)| (k.as_str().to_owned(), v.to_str().unwrap_or("").to_owned()))
            .collect(),
        body: resp.body_mut().read_to_string().unwrap_or_default(),
    }
}

#[test]
fn a_members_page_shows_the_shop_in_both_languages_and_no_customers_data() {
    let app = TestApp::connect();
    let (shop, _) = booking_shop(&app, "page", 2, None);
    let mut form = booking_form(&taipei_slot(2, 10), 4242);
    form["name"] = "鄭美玲".into();
    form["plate"] = "PGE-4242".into();
    form["email"] = "mei.ling@example.com".into();
    let booked = app.book(&shop, &form, DEMO_ORIGIN, "10.42.0.1", None);
    assert_eq!(booked.status, 201, "{}", booked.body);

    for (query, lang, heading) in [
        ("", "zh-TW", "大安汽車保養廠"),
        ("?lang=en", "en", "Da'an Auto Care"),
    ] {
        let page = app.get(&format!("/shops/{shop}{query}"));
        assert_eq!(page.status, 200, "{}", page.body);
        assert_eq!(
            page.header("content-type"),
            Some("text/html; charset=utf-8")
        );
        assert!(page.body.contains(&format!(r#"<html lang="{lang}">"#)));
        assert!(page.body.contains(heading), "{lang}: names the shop");
        assert!(page.body.contains(r#"data-badge="verified""#));
        assert!(
            page.body.contains("20,000 km") || page.body.contains("20,000 公里"),
            "{lang}: the warranty's kilometres as people write them"
        );
        assert!(page.body.contains(&format!(r#"href="/verify/{shop}""#)));
        assert!(page.body.contains(r#"href="tel:"#));
        assert!(
            page.body
                .contains(&format!(r#"data-alliance-shop="{shop}""#)),
            "the widget's booking"
        );
        let csp = page.header("content-security-policy").unwrap_or_default();
        assert!(
            csp.contains("script-src 'self' 'wasm-unsafe-eval'") && !csp.contains("unsafe-inline"),
            "{csp}"
        );
        assert!(page.body.contains(&format!(
            r#"<link rel="canonical" href="{}/shops/{shop}{query}">"#,
            app.base
        )));
        assert!(
            page.body.contains(r#"hreflang="zh-TW""#) && page.body.contains(r#"hreflang="en""#)
        );
        let ld = json_ld(&page.body);
        assert_eq!(ld["@type"], "AutoRepair");
        assert_eq!(ld["geo"]["@type"], "GeoCoordinates");
        assert_eq!(ld["openingHoursSpecification"].as_array().unwrap().len(), 7);
        assert!(ld.get("aggregateRating").is_none());
        for private in ["鄭美玲", "0900004242", "mei.ling@example.com", "PGE-4242"] {
            assert!(
                !page.body.contains(private),
                "{lang}: the page shows {private:?}"
            );
        }
    }
    // The booking on that page works: the alliance's own origin is the member's site.
    let from_home = app.book(
        &shop,
        &booking_form(&taipei_slot(3, 11), 4243),
        &app.base,
        "10.42.0.2",
        None,
    );
    assert_eq!(from_home.status, 201, "{}", from_home.body);
    let from_elsewhere = app.book(
        &shop,
        &booking_form(&taipei_slot(3, 12), 4244),
        "https://copycat.example",
        "10.42.0.3",
        None,
    );
    from_elsewhere.problem(403);
    assert_eq!(
        app.widget_from(&shop, &app.base).membership.badge,
        shared::BadgeState::Verified
    );
}

#[test]
fn the_sitemap_lists_exactly_the_active_members_and_a_revoked_page_changes_at_once() {
    let app = TestApp::connect();
    let active = app.add_member(&integration_tests::unique_id("map-a"), &[DEMO_ORIGIN]);
    let suspended = app.add_member(&integration_tests::unique_id("map-s"), &[DEMO_ORIGIN]);
    let revoked = app.add_member(&integration_tests::unique_id("map-r"), &[DEMO_ORIGIN]);
    assert_eq!(app.get(&format!("/shops/{revoked}")).status, 200);
    assert_eq!(
        app.membership_action(&suspended, "suspend", "dispute under review")
            .status,
        200
    );
    assert_eq!(
        app.membership_action(&revoked, "revoke", "left the alliance")
            .status,
        200
    );

    let map = app.get("/sitemap.xml");
    assert_eq!(map.status, 200);
    assert_eq!(
        map.header("content-type"),
        Some("application/xml; charset=utf-8")
    );
    let doc = well_formed(&map.body, "the sitemap");
    let locs: Vec<String> = doc
        .descendants()
        .filter(|n| n.has_tag_name("loc"))
        .map(|n| n.text().unwrap_or_default().to_owned())
        .collect();
    assert!(locs.contains(&format!("{}/alliance", app.base)));
    assert!(locs.contains(&format!("{}/shops/{active}", app.base)));
    assert!(locs.contains(&format!("{}/shops/{active}?lang=en", app.base)));
    // Exactly the active members: every member page listed is an active member's.
    for loc in locs.iter().filter(|l| l.contains("/shops/")) {
        let id = loc
            .rsplit("/shops/")
            .next()
            .unwrap()
            .trim_end_matches("?lang=en");
        let view = app.widget_from(id, DEMO_ORIGIN);
        assert_eq!(
            view.membership.status,
            shared::MembershipStatus::Active,
            "{loc}"
        );
    }
    for gone in [&suspended, &revoked] {
        assert!(
            !locs.iter().any(|l| l.contains(&format!("/shops/{gone}"))),
            "{gone} left the sitemap"
        );
    }

    let page = app.get(&format!("/shops/{revoked}?lang=en"));
    assert_eq!(page.status, 410, "{}", page.body);
    assert!(page.body.contains("no longer a member"));
    assert!(page
        .body
        .contains(r#"<meta name="robots" content="noindex">"#));
    assert!(
        !page.body.contains("data-alliance-shop"),
        "no booking on a revoked member's page"
    );
    let page = app.get(&format!("/shops/{suspended}"));
    assert_eq!(page.status, 200);
    assert!(page.body.contains("暫停") && page.body.contains("noindex"));

    let robots = app.get("/robots.txt");
    assert_eq!(robots.status, 200);
    assert!(robots
        .body
        .contains(&format!("Sitemap: {}/sitemap.xml", app.base)));
    assert!(robots.body.contains("Disallow: /console"));
}

#[test]
fn a_page_for_no_member_says_so_and_the_warranty_page_opens_as_its_form() {
    let app = TestApp::connect();
    let page = app.get("/shops/no-such-member-9");
    assert_eq!(page.status, 404);
    assert!(page.body.contains("查無此會員") && page.body.contains("No such member"));
    let card = app.get("/shops/no-such-member-9/card");
    assert_eq!(card.status, 404);
    let form = app.get("/alliance/warranty?lang=en");
    assert_eq!(form.status, 200, "{}", form.body);
    assert!(form
        .body
        .contains(r#"<form method="get" action="/alliance/warranty">"#));
}

#[test]
fn a_review_code_opens_the_form_for_its_recorded_visit_once_and_cannot_be_guessed() {
    let app = TestApp::connect();
    let (shop, key) = booking_shop(&app, "code", 1, None);
    let made = invite(&app, &key, "WO-7001");
    let code = made["code"].as_str().unwrap().to_owned();
    assert!(shared::is_reference_code(&code), "{code}");
    assert!(made["link"].as_str().unwrap().contains("#review="));

    let malformed = get_once(&app, &format!("/shops/{shop}/review?code=12"), "10.43.0.1");
    assert_eq!(malformed.status, 400);
    assert!(malformed.body.contains(r#"id="code-error""#));
    let unknown = get_once(
        &app,
        &format!("/shops/{shop}/review?code=ZZZZ-ZZZZ&lang=en"),
        "10.43.0.1",
    );
    assert_eq!(unknown.status, 404);
    assert!(unknown.body.contains("has no visit with this review code"));

    let opened = get_once(
        &app,
        &format!("/shops/{shop}/review?code={}", code.to_lowercase()),
        "10.43.0.1",
    );
    assert_eq!(opened.status, 303, "{}", opened.body);
    let location = opened.header("location").unwrap().to_owned();
    let prefix = format!("{}/shops/{shop}/review?form=1#review=", app.base);
    assert!(location.starts_with(&prefix), "{location}");
    let token = &location[prefix.len()..];
    // The token is for the recorded visit and its service; written from the page it opens.
    let review = integration_tests::review_form(token, 5, "現場保養，代碼從收據上輸入。");
    let posted = app.post_review(&shop, &review, &app.base, "10.43.0.2");
    assert_eq!(posted.status, 201, "{}", posted.body);
    let again = get_once(
        &app,
        &format!("/shops/{shop}/review?code={code}"),
        "10.43.0.1",
    );
    assert_eq!(again.status, 409);

    // Guessing: 30 codes that match nothing from one address block, then 429.
    // (An address of this run's own: a dev edge keeps its counters between runs.)
    let pid = std::process::id();
    let ip = &format!("10.44.{}.{}", pid / 250 % 250, pid % 250);
    for i in 0..30 {
        let r = get_once(&app, &format!("/shops/{shop}/review?code=ZZZZ-{i:04}"), ip);
        assert_eq!(r.status, 404, "miss {i}");
    }
    let limited = get_once(&app, &format!("/shops/{shop}/review?code={code}"), ip);
    assert_eq!(limited.status, 429);
    assert!(limited.header("retry-after").is_some());
    // Another block is not affected.
    let other = &format!("10.45.{}.{}", pid / 250 % 250, pid % 250);
    assert_eq!(
        get_once(&app, &format!("/shops/{shop}/review?code={code}"), other).status,
        409
    );
}
