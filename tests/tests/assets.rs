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

#[test]
fn the_stylesheet_may_be_read_with_credentials_and_another_builds_is_a_404_problem() {
    // Like the first view, the loader reads it with credentials to share embed.js's connection;
    // the worker passes the file through (run_worker_first) to echo the page's origin.
    let app = TestApp::connect();
    let dir = build_dir(&app);
    let page = ("origin", "https://somewhere.example");

    let reply = app.get_with(&format!("{dir}/widget.css"), &[page]);

    assert_eq!(reply.status, 200);
    assert!(
        reply.body.contains(".aw-badge"),
        "the widget's own stylesheet"
    );
    assert_eq!(
        reply.header("content-type"),
        Some("text/css; charset=utf-8")
    );
    assert_eq!(
        reply.header("cache-control"),
        Some("public, max-age=31536000, immutable")
    );
    reply.assert_readable_with_credentials_from("https://somewhere.example");
    assert_eq!(reply.header("vary"), Some("Origin"));
    assert_eq!(reply.header("x-content-type-options"), Some("nosniff"));
    // The browser's revalidation gets the file, not an empty 304 the worker would mislabel.
    let again = app.get_with(
        &format!("{dir}/widget.css"),
        &[page, ("if-none-match", "\"anything\"")],
    );
    assert_eq!(again.status, 200);
    assert_eq!(again.body, reply.body);

    let other = app.get_with("/w/0000000000/widget.css", &[page]);
    let problem = other.problem(404);
    assert_eq!(problem.kind, "/problems/not-found");
    other.assert_readable_with_credentials_from("https://somewhere.example");
}
