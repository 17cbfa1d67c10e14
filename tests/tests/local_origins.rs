//! A deployment without `ALLOW_LOCAL_ORIGINS=true` (production) accepts only https sites for a
//! shop: a loopback `http://` origin is refused naming the field, wherever it comes in. Runs its
//! own edge with the switch off.

use integration_tests::{demo, OwnEdge};

#[test]
fn without_the_local_switch_http_origins_are_refused_everywhere() {
    let extra = ["--var".to_owned(), "ALLOW_LOCAL_ORIGINS:false".to_owned()];
    let edge = OwnEdge::start(18797, "local-origins-state", true, &extra);
    let app = edge.app();
    // The demo alliance lists http://127.0.0.1 sites: its import is refused whole.
    let demo_json = std::fs::read(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../demo/alliance.json"),
    )
    .unwrap();
    let refused = app.admin_post("/v1/admin/import", &demo_json).problem(400);
    assert!(
        refused
            .field
            .as_deref()
            .is_some_and(|f| f.starts_with("membership.allowed_origins")),
        "{refused:?}"
    );
    // With https sites only, it is accepted.
    let mut data: serde_json::Value = serde_json::to_value(demo()).unwrap();
    for shop in data["shops"].as_array_mut().unwrap() {
        shop["membership"]["allowed_origins"] = serde_json::json!(["https://shop.example.tw"]);
        shop["page_url"] = serde_json::Value::Null;
    }
    let ok = app.admin_post("/v1/admin/import", data.to_string().as_bytes());
    assert_eq!(ok.status, 200, "{}", ok.body);
    // Adding a member with a loopback site is refused too.
    let mut shop = data["shops"][0].clone();
    shop["id"] = "local-origin-shop".into();
    shop["membership"]["allowed_origins"] = serde_json::json!(["http://127.0.0.1:8080"]);
    let problem = app
        .admin_post("/v1/admin/shops", shop.to_string().as_bytes())
        .problem(400);
    assert_eq!(
        problem.field.as_deref(),
        Some("membership.allowed_origins[0]")
    );
    assert!(
        problem.detail.contains("ALLOW_LOCAL_ORIGINS"),
        "{}",
        problem.detail
    );
}
