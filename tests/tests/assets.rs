//! embed.js and the widget are served by the worker's static assets with the right types,
//! caching and CORS.

use integration_tests::TestApp;

/// The build's folder (`/w/{hash}/`) as embed.js names it: the build (10 hex digits) is the
/// tail of its version, `"{crate version}+{hash}"`, and the folder's name.
fn build_dir(app: &TestApp) -> String {
    let embed = app.get("/embed.js").body;
    let hash = embed
        .match_indices('+')
        .map(|(i, _)| &embed[i + 1..])
        .find_map(|rest| {
            let hash = rest.get(..10)?;
            (hash.bytes().all(|b| b.is_ascii_hexdigit()) && rest[10..].starts_with('"'))
                .then_some(hash)
        })
        .expect("embed.js names the widget's build in its version, x.y.z+{hash}");
    assert!(
        embed.contains(&format!("\"{hash}\"")) && embed.contains("\"w/\""),
        "embed.js loads the build's folder, w/{hash}/"
    );
    format!("/w/{hash}")
}

#[test]
fn embed_js_is_javascript_briefly_cached_and_loadable_from_any_origin() {
    let app = TestApp::connect();

    let reply = app.get("/embed.js");

    assert_eq!(reply.status, 200);
    // Its Chinese strings are UTF-8 bytes: the charset must be said, or a host page in Big5
    // would decode them in its own encoding.
    assert_eq!(
        reply.header("content-type"),
        Some("text/javascript; charset=utf-8")
    );
    assert!(reply.body.contains("聯盟小工具暫時無法載入"));
    assert_eq!(reply.header("cache-control"), Some("public, max-age=300"));
    assert_eq!(reply.header("access-control-allow-origin"), Some("*"));
    assert!(reply.body.contains("AllianceWidget"));
}

#[test]
fn widget_files_are_immutable_with_correct_types_and_cors() {
    let app = TestApp::connect();

    let dir = build_dir(&app);
    // The stylesheet, the glue, the main module, the chunk loader and the booking flow's own chunk.
    for (file, content_type) in [
        ("widget.css", "text/css"),
        ("widget.js", "javascript"),
        ("widget_bg.wasm", "application/wasm"),
        ("__wasm_split.js", "javascript"),
        ("split_booking.wasm", "application/wasm"),
    ] {
        let path = format!("{dir}/{file}");
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
