//! embed.js and the widget are served by the worker's static assets with the right types,
//! caching and CORS.

use integration_tests::TestApp;

fn hashed_asset(app: &TestApp, ext: &str) -> String {
    let embed = app.get("/embed.js").body;
    let start = embed.find("w/widget-").expect("embed.js names the widget");
    let rest = &embed[start..];
    let name = &rest[..rest.find(['"', '\'']).unwrap()];
    let stem = name.rsplit_once('.').unwrap().0;
    format!("/{stem}.{ext}")
}

#[test]
fn embed_js_is_javascript_briefly_cached_and_loadable_from_any_origin() {
    let app = TestApp::connect();

    let reply = app.get("/embed.js");

    assert_eq!(reply.status, 200);
    assert!(reply.header("content-type").unwrap().contains("javascript"));
    assert_eq!(reply.header("cache-control"), Some("public, max-age=300"));
    assert_eq!(reply.header("access-control-allow-origin"), Some("*"));
    assert!(reply.body.contains("AllianceWidget"));
}

#[test]
fn widget_files_are_immutable_with_correct_types_and_cors() {
    let app = TestApp::connect();

    for (ext, content_type) in [("wasm", "application/wasm"), ("js", "javascript")] {
        let path = hashed_asset(&app, ext);
        let reply = app.get(&path);
        assert_eq!(reply.status, 200, "{path}");
        assert!(
            reply.header("content-type").unwrap().contains(content_type),
            "{path}"
        );
        assert_eq!(
            reply.header("cache-control"),
            Some("public, max-age=31536000, immutable"),
            "{path}"
        );
        assert_eq!(
            reply.header("access-control-allow-origin"),
            Some("*"),
            "{path}"
        );
    }
}
