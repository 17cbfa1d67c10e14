//! Alliance membership: the badge bound to the shop's own origins, the verification page, the
//! SVG badge, and the admin API that suspends, reinstates and revokes, with its audit log.

use integration_tests::{demo, unique_id, TestApp};
use shared::{AuditEntry, BadgeState, MembershipStatus};

const ALLOWED: &str = "https://shop.example.tw";

#[test]
fn badge_is_verified_only_on_the_shops_own_origins() {
    let app = TestApp::connect();
    let shop = app.add_member(
        &unique_id("origin"),
        &[ALLOWED, "https://www.shop.example.tw"],
    );

    let on_own = app.widget_from(&shop, "https://www.shop.example.tw");
    let elsewhere = app.widget_from(&shop, "https://copycat.example.tw");
    let other_port = app.widget_from(&shop, "https://shop.example.tw:8443");
    let no_origin = app
        .get(&format!("/v1/shops/{shop}/widget"))
        .json::<shared::WidgetView>();

    assert_eq!(on_own.membership.badge, BadgeState::Verified);
    assert_eq!(elsewhere.membership.badge, BadgeState::NotVerifiedHere);
    assert_eq!(other_port.membership.badge, BadgeState::NotVerifiedHere);
    assert_eq!(no_origin.membership.badge, BadgeState::NotVerifiedHere);
}

#[test]
fn badge_falls_back_to_the_referer_and_varies_caching_by_origin() {
    let app = TestApp::connect();
    let shop = app.add_member(&unique_id("referer"), &[ALLOWED]);

    let reply = app.get_with(
        &format!("/v1/shops/{shop}/widget"),
        &[("referer", "https://shop.example.tw/booking?x=1")],
    );

    assert_eq!(
        reply.json::<shared::WidgetView>().membership.badge,
        BadgeState::Verified
    );
    assert!(
        reply.header("vary").unwrap().contains("Origin"),
        "{:?}",
        reply.header("vary")
    );
}

#[test]
fn etag_differs_between_a_verified_and_an_unverified_origin() {
    let app = TestApp::connect();
    let shop = app.add_member(&unique_id("etag"), &[ALLOWED]);
    let path = format!("/v1/shops/{shop}/widget");

    let verified = app.get_with(&path, &[("origin", ALLOWED)]);
    let foreign = app.get_with(
        &path,
        &[
            ("origin", "https://copycat.example.tw"),
            ("if-none-match", verified.header("etag").unwrap()),
        ],
    );

    assert_eq!(
        foreign.status, 200,
        "a cached verified badge must not be reused on another origin"
    );
}

/// Asserts that the verification page and the SVG badge of `shop` both show `status`.
fn assert_shown_on_pages(app: &TestApp, shop: &str, status: &str) {
    let verify = app.get(&format!("/verify/{shop}"));
    assert!(verify.body.contains(&format!("data-status=\"{status}\"")));
    assert!(app.get(&format!("/badge/{shop}.svg")).body.contains(status));
}

#[test]
fn suspend_reinstate_and_revoke_show_on_every_surface_at_once() {
    let app = TestApp::connect();
    let shop = app.add_member(&unique_id("lifecycle"), &[ALLOWED]);

    let reply = app.membership_action(&shop, "suspend", "dues unpaid since March");
    assert_eq!(reply.status, 200, "{}", reply.body);
    assert_eq!(
        app.widget_from(&shop, ALLOWED).membership.badge,
        BadgeState::Suspended
    );
    assert_shown_on_pages(&app, &shop, "suspended");

    assert_eq!(
        app.membership_action(&shop, "reinstate", "dues paid")
            .status,
        200
    );
    assert_eq!(
        app.widget_from(&shop, ALLOWED).membership.badge,
        BadgeState::Verified
    );

    assert_eq!(
        app.membership_action(&shop, "revoke", "failed the standards audit")
            .status,
        200
    );
    let view = app.widget_from(&shop, ALLOWED);
    assert_eq!(view.membership.status, MembershipStatus::Revoked);
    assert_eq!(view.membership.badge, BadgeState::Revoked);
    assert_shown_on_pages(&app, &shop, "revoked");

    let problem = app
        .membership_action(&shop, "reinstate", "changed our mind")
        .problem(409);
    assert_eq!(problem.field.as_deref(), Some("status"));
}

#[test]
fn every_membership_change_is_in_the_audit_log() {
    let app = TestApp::connect();
    let shop = app.add_member(&unique_id("audit"), &[ALLOWED]);
    app.membership_action(&shop, "suspend", "reason one");
    app.membership_action(&shop, "revoke", "reason two");

    let auth = format!("Bearer {}", app.admin_token);
    let entries: Vec<AuditEntry> = app
        .get_with("/v1/admin/audit", &[("authorization", &auth)])
        .json();

    let mine: Vec<&AuditEntry> = entries
        .iter()
        .filter(|e| e.shop.as_ref().map(|s| s.as_str()) == Some(shop.as_str()))
        .collect();
    let actions: Vec<&str> = mine.iter().map(|e| e.action.as_str()).collect();
    assert_eq!(
        actions,
        ["member.revoke", "member.suspend", "member.add"],
        "newest first"
    );
    assert_eq!(mine[0].detail, "reason two");
    assert!(mine
        .iter()
        .all(|e| e.actor == "alliance-admin" && e.at.ends_with('Z')));
}

#[test]
fn a_status_change_without_a_reason_is_rejected_and_changes_nothing() {
    let app = TestApp::connect();
    let shop = app.add_member(&unique_id("noreason"), &[ALLOWED]);

    let problem = app.membership_action(&shop, "revoke", "   ").problem(400);

    assert_eq!(problem.field.as_deref(), Some("reason"));
    assert_eq!(
        app.widget_from(&shop, ALLOWED).membership.badge,
        BadgeState::Verified
    );
}

#[test]
fn non_https_allowed_origins_are_rejected_at_write_time() {
    let app = TestApp::connect();
    let id = unique_id("http-origin");
    let mut shop = serde_json::to_value(&demo().shops[0]).unwrap();
    shop["id"] = id.clone().into();

    for bad in [
        "http://shop.example.tw",
        "shop.example.tw",
        "https://shop.example.tw/about",
        "ftp://x.tw",
    ] {
        shop["membership"]["allowed_origins"] = serde_json::json!([ALLOWED, bad]);
        let problem = app
            .admin_post("/v1/admin/shops", shop.to_string().as_bytes())
            .problem(400);
        assert_eq!(
            problem.field.as_deref(),
            Some("membership.allowed_origins[1]"),
            "{bad}"
        );
    }
    app.get(&format!("/v1/shops/{id}/widget")).problem(404);
}

#[test]
fn editing_allowed_origins_moves_the_badge_and_keeps_the_status() {
    let app = TestApp::connect();
    let id = app.add_member(&unique_id("edit"), &[ALLOWED]);
    let mut shop = serde_json::to_value(&demo().shops[0]).unwrap();
    shop["id"] = id.clone().into();
    shop["membership"]["allowed_origins"] = serde_json::json!(["https://new-site.example.tw"]);
    shop["membership"]["status"] = "revoked".into(); // ignored: status changes only via actions
    let auth = format!("Bearer {}", app.admin_token);

    let reply = app.send(
        "PUT",
        &format!("/v1/admin/shops/{id}"),
        &[
            ("content-type", "application/json"),
            ("authorization", &auth),
        ],
        shop.to_string().as_bytes(),
    );

    assert_eq!(reply.status, 200, "{}", reply.body);
    assert_eq!(
        app.widget_from(&id, ALLOWED).membership.badge,
        BadgeState::NotVerifiedHere
    );
    assert_eq!(
        app.widget_from(&id, "https://new-site.example.tw")
            .membership
            .badge,
        BadgeState::Verified
    );
}

#[test]
fn admin_endpoints_reject_missing_wrong_and_malformed_credentials() {
    let app = TestApp::connect();
    let shop = &demo().shops[1].id;
    let routes = [
        ("POST", "/v1/admin/shops".to_owned()),
        ("PUT", format!("/v1/admin/shops/{shop}")),
        ("POST", format!("/v1/admin/shops/{shop}/revoke")),
        ("GET", "/v1/admin/audit".to_owned()),
        ("POST", "/v1/admin/import".to_owned()),
    ];
    for (i, (method, path)) in routes.iter().enumerate() {
        // An address per route: failed credentials count against the sign-in limit (10).
        let ip = format!("203.0.113.{}", 50 + i);
        for (auth, status) in [
            (None, 401),
            (Some("Bearer nope"), 403),
            (Some("Token abc"), 403),
            (Some("Bearer "), 403),
        ] {
            let mut headers = vec![
                ("content-type", "application/json"),
                ("cf-connecting-ip", ip.as_str()),
            ];
            if let Some(a) = auth {
                headers.push(("authorization", a));
            }
            let reply = app.send(method, path, &headers, br#"{"reason":"x"}"#);
            reply.problem(status);
        }
    }
    let view = app.widget_from(shop.as_str(), "http://127.0.0.1:8080");
    assert_eq!(
        view.membership.status,
        MembershipStatus::Active,
        "nothing changed"
    );
}

#[test]
fn verification_page_renders_well_formed_for_every_demo_shop() {
    let app = TestApp::connect();
    for shop in demo().shops {
        let reply = app.get_ok(&format!("/verify/{}", shop.id), "text/html");
        let doc =
            integration_tests::well_formed(&reply.body, &format!("verify page of {}", shop.id));
        let text: String = doc.descendants().filter_map(|n| n.text()).collect();
        assert!(text.contains(&shop.name.zh_tw));
        assert!(text.contains(&shop.phone));
        assert!(text.contains(&shop.membership.member_since.to_string()));
        for origin in &shop.membership.allowed_origins {
            assert!(text.contains(origin.as_str()), "{origin}");
        }
        assert!(!reply.body.contains("<script"), "no JavaScript");
    }
    let json = [("accept", "application/problem+json")];
    app.get_with("/verify/no-such-shop", &json).problem(404);
    app.get_with("/verify/Bad!", &json).problem(400);
}

#[test]
fn a_copycats_link_to_an_unknown_member_gets_a_plain_page_saying_so() {
    let app = TestApp::connect();
    for path in ["/verify/no-such-shop", "/verify/Bad!"] {
        let reply = app.get_with(path, &[("accept", "text/html,*/*;q=0.8")]);
        assert!(
            matches!(reply.status, 404 | 400),
            "{path}: {}",
            reply.status
        );
        assert!(reply.content_type().starts_with("text/html"));
        let doc = integration_tests::well_formed(&reply.body, path);
        let text: String = doc.descendants().filter_map(|n| n.text()).collect();
        assert!(text.contains("查無此會員"), "{text}");
        assert!(
            text.contains("No member of the alliance has this id"),
            "{text}"
        );
        assert!(doc
            .descendants()
            .any(|n| n.attribute("href") == Some("/alliance")));
        assert!(!reply.body.contains("<script"), "no JavaScript");
    }
}

#[test]
fn svg_badge_depends_on_the_pages_referer_and_names_the_shop() {
    let app = TestApp::connect();
    let shop = app.add_member(&unique_id("svg-ref"), &[ALLOWED]);
    let path = format!("/badge/{shop}.svg");
    let listed = app.get_with(&path, &[("referer", "https://shop.example.tw/contact")]);
    let foreign = app.get_with(&path, &[("referer", "https://copycat.example.tw/")]);
    let none = app.get(&path);

    let mut seen = Vec::new();
    for (reply, state) in [
        (&listed, "verified"),
        (&foreign, "not-verified-here"),
        (&none, "check"),
    ] {
        assert_eq!(reply.status, 200);
        assert_eq!(reply.header("vary"), Some("Referer"));
        assert!(reply
            .header("cache-control")
            .unwrap()
            .starts_with("private"));
        let doc = roxmltree::Document::parse(&reply.body)
            .unwrap_or_else(|e| panic!("{state} badge is not well-formed: {e}"));
        assert_eq!(doc.root_element().attribute("data-state"), Some(state));
        let text: String = doc.descendants().filter_map(|n| n.text()).collect();
        assert!(
            text.contains(&format!("Test shop {shop}")),
            "{state}: {text}"
        );
        seen.push(text);
    }
    assert!(seen[0].contains("聯盟會員") && !seen[0].contains("未經驗證"));
    assert!(seen[1].contains("Not verified on this site"), "{}", seen[1]);
    assert!(seen[2].contains("Check membership"), "{}", seen[2]);
    assert!(
        seen[2].contains(&format!("/verify/{shop}")),
        "states the verify URL"
    );
    assert!(
        !seen[1].contains("Member since"),
        "no membership claim on a foreign site"
    );
    assert!(!seen[2].contains("Member since"));
}

#[test]
fn svg_badge_renders_well_formed_for_every_demo_shop() {
    let app = TestApp::connect();
    for shop in demo().shops {
        let reply = app.get_ok(&format!("/badge/{}.svg", shop.id), "image/svg+xml");
        assert_eq!(reply.header("cache-control"), Some("private, max-age=10"));
        assert_eq!(reply.header("vary"), Some("Referer"));
        let doc = roxmltree::Document::parse(&reply.body)
            .unwrap_or_else(|e| panic!("badge of {} is not well-formed: {e}", shop.id));
        assert_eq!(doc.root_element().tag_name().name(), "svg");
        let text: String = doc.descendants().filter_map(|n| n.text()).collect();
        assert!(text.contains("北台灣獨立車廠聯盟"));
    }
    app.get("/badge/no-such-shop.svg").problem(404);
}

#[test]
fn network_figures_count_active_members_only() {
    let app = TestApp::connect();
    let shop = app.add_member(&unique_id("network"), &[ALLOWED]);
    let other = demo().shops[2].id.to_string();
    let before = app.widget_from(&other, ALLOWED).network.members;

    app.membership_action(&shop, "suspend", "paused for the test");
    let during = app.widget_from(&other, ALLOWED).network.members;
    app.membership_action(&shop, "reinstate", "back again");
    let after = app.widget_from(&other, ALLOWED).network.members;

    assert_eq!(during, before - 1);
    assert_eq!(after, before);
}

#[test]
fn the_verification_page_says_how_the_reviews_visits_are_known() {
    let app = TestApp::connect();
    let shop = app.add_member(&unique_id("verify-prov"), &[integration_tests::DEMO_ORIGIN]);
    let token = app.token(&shop, "PROV-VERIFY-1", 3600);
    let posted = app.review(&shop, &token, 5, "師傅很仔細，也說明了保固。", "10.0.9.1");
    assert_eq!(posted.status, 201, "{}", posted.body);
    let page = app.get(&format!("/verify/{shop}"));
    assert!(
        page.body
            .contains("0 則經聯盟預約並完成 · 1 則由店家於維修後邀請"),
        "{}",
        page.body
    );
    assert!(page.body.contains(
        "0 booked and completed through the alliance · 1 invited by the shop after a visit"
    ));
}
