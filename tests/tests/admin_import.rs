//! The admin import: credentials, validation, and nothing stored half-way.

use integration_tests::{demo, TestApp};

fn import_of_a_new_shop(id: &str) -> shared::AllianceImport {
    let mut data = demo();
    data.shops.truncate(1);
    data.shops[0].id = shared::ShopId::parse(id).unwrap();
    data.reviews.truncate(3);
    for r in &mut data.reviews {
        r.shop = data.shops[0].id.clone();
        r.service = data.shops[0].services[0].id.to_string();
    }
    data
}

#[test]
fn import_without_credentials_is_401_and_stores_nothing() {
    let app = TestApp::connect();
    let body = serde_json::to_vec(&import_of_a_new_shop("no-auth-shop")).unwrap();

    let reply = app.send(
        "POST",
        "/v1/admin/import",
        &[("content-type", "application/json")],
        &body,
    );

    let problem = reply.problem(401);
    assert_eq!(problem.field.as_deref(), Some("authorization"));
    app.get("/v1/shops/no-auth-shop/widget").problem(404);
}

#[test]
fn import_with_a_wrong_or_malformed_token_is_403_and_stores_nothing() {
    let app = TestApp::connect();
    let body = serde_json::to_vec(&import_of_a_new_shop("bad-auth-shop")).unwrap();

    for auth in ["Bearer wrong-token", "Basic abc", "Bearer", ""] {
        let reply = app.send(
            "POST",
            "/v1/admin/import",
            &[
                ("content-type", "application/json"),
                ("authorization", auth),
                // Its own address: failed credentials count against the sign-in limit.
                ("cf-connecting-ip", "203.0.113.41"),
            ],
            &body,
        );
        let status = if auth.is_empty() { 401 } else { 403 };
        reply.problem(status);
    }
    app.get("/v1/shops/bad-auth-shop/widget").problem(404);
}

#[test]
fn inconsistent_import_is_400_naming_the_field_and_stores_nothing() {
    let app = TestApp::connect();
    let mut data = import_of_a_new_shop("half-way-shop");
    data.reviews[2].service = "teleport".into();

    let reply = app.admin_post("/v1/admin/import", &serde_json::to_vec(&data).unwrap());

    let problem = reply.problem(400);
    assert_eq!(problem.field.as_deref(), Some("reviews.service"));
    assert!(problem.detail.contains("teleport"), "{}", problem.detail);
    app.get("/v1/shops/half-way-shop/widget").problem(404);
}

#[test]
fn malformed_json_and_wrong_content_type_are_rejected() {
    let app = TestApp::connect();

    let problem = app
        .admin_post("/v1/admin/import", b"{not json")
        .problem(400);
    assert_eq!(problem.field.as_deref(), Some("body"));

    let auth = format!("Bearer {}", app.admin_token);
    let reply = app.send(
        "POST",
        "/v1/admin/import",
        &[("content-type", "text/plain"), ("authorization", &auth)],
        b"{}",
    );
    assert_eq!(reply.problem(415).field.as_deref(), Some("content-type"));
}

#[test]
fn a_one_megabyte_body_is_413() {
    let app = TestApp::connect();
    let body = vec![b' '; 1024 * 1024 + 1];

    let problem = app.admin_post("/v1/admin/import", &body).problem(413);

    assert_eq!(problem.field.as_deref(), Some("body"));
}

#[test]
fn valid_import_of_a_new_shop_is_served_at_once() {
    let app = TestApp::connect();
    let data = import_of_a_new_shop("fresh-import-shop");

    let reply = app.admin_post("/v1/admin/import", &serde_json::to_vec(&data).unwrap());

    assert_eq!(reply.status, 200, "{}", reply.body);
    let view: shared::WidgetView = app.get("/v1/shops/fresh-import-shop/widget").json();
    assert_eq!(view.rating.count, 3);
}
