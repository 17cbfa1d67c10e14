//! The API contract: `/openapi.json` (generated from the code, `edge/src/openapi/`) documents
//! exactly the routes the edge has (read from the router, `edge/src/routes.rs`), and the served
//! document is the file.
//! Response conformance is checked by the schemathesis run in `cargo xtask test`.

use integration_tests::TestApp;
use std::collections::BTreeSet;

/// `/v1/shops/{}/widget` style paths from the router's match arms.
fn routed_paths() -> BTreeSet<String> {
    let source = include_str!("../../edge/src/routes.rs");
    let mut paths = BTreeSet::new();
    for line in source
        .lines()
        .map(str::trim)
        .filter(|l| l.starts_with("[\"") && l.contains("=>"))
    {
        let pattern = &line[1..line.find(']').unwrap()];
        let mut expansions = vec![String::new()];
        for part in pattern.split(", ") {
            let part = part.trim();
            let segments: Vec<String> = if let Some(lit) = part.strip_prefix('"') {
                vec![lit.trim_end_matches('"').to_owned()]
            } else if let Some((_, alts)) = part.split_once(" @ ") {
                alts.trim_matches(|c| c == '(' || c == ')')
                    .split(" | ")
                    .map(|a| a.trim_matches('"').to_owned())
                    .collect()
            } else {
                vec!["{}".to_owned()]
            };
            expansions = expansions
                .iter()
                .flat_map(|p| segments.iter().map(move |s| format!("{p}/{s}")))
                .collect();
        }
        paths.extend(expansions);
    }
    paths
}

/// The document's paths with every template written `{}` (and `{id}.svg` as one segment).
fn documented_paths(doc: &serde_json::Value) -> BTreeSet<String> {
    doc["paths"]
        .as_object()
        .unwrap()
        .keys()
        .map(|p| {
            p.split('/')
                .map(|s| if s.starts_with('{') { "{}" } else { s })
                .collect::<Vec<_>>()
                .join("/")
        })
        .collect()
}

#[test]
fn every_route_is_documented_and_every_documented_path_is_routed() {
    let doc: serde_json::Value =
        serde_json::from_str(include_str!("../../edge/openapi.json")).unwrap();
    let routed = routed_paths();
    let documented = documented_paths(&doc);

    let undocumented: Vec<_> = routed.difference(&documented).collect();
    let unrouted: Vec<_> = documented.difference(&routed).collect();
    assert!(
        undocumented.is_empty(),
        "routes missing from edge/openapi.json: {undocumented:?}"
    );
    assert!(
        unrouted.is_empty(),
        "documented paths with no route: {unrouted:?}"
    );
    assert!(
        routed.len() >= 20,
        "the route scan found {} routes",
        routed.len()
    );
    assert_eq!(doc["openapi"], "3.1.0");
}

#[test]
fn the_edge_serves_the_document() {
    let app = TestApp::connect();
    let reply = app.get("/openapi.json");
    assert_eq!(reply.status, 200);
    let served: serde_json::Value = reply.json();
    let file: serde_json::Value =
        serde_json::from_str(include_str!("../../edge/openapi.json")).unwrap();
    assert_eq!(served, file);
}

/// The shop object's protocol (`edge/src/shop_do/protocol.rs`): every command has a path of its
/// own, the object's dispatcher handles every command, and no other source names an object
/// path (callers send typed commands).
#[test]
fn every_object_command_is_dispatched_and_no_caller_names_its_path() {
    let protocol = include_str!("../../edge/src/shop_do/protocol.rs");
    let dispatcher = include_str!("../../edge/src/shop_do.rs");
    // Every other source file of the edge.
    let mut sources = Vec::new();
    let mut dirs = vec![std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../edge/src")];
    while let Some(dir) = dirs.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                dirs.push(path);
            } else if path.extension().is_some_and(|e| e == "rs") && !path.ends_with("protocol.rs")
            {
                let text = std::fs::read_to_string(&path).unwrap();
                sources.push((path.display().to_string(), text));
            }
        }
    }
    assert!(sources.len() > 30, "read the edge's sources");
    let commands: Vec<(&str, &str)> = protocol
        .lines()
        .map(str::trim)
        .filter_map(|l| {
            let (ty, rest) = l.split_once(" => \"")?;
            Some((ty, rest.split('"').next()?))
        })
        .collect();
    assert!(commands.len() >= 26, "{commands:?}");
    let mut paths: Vec<&str> = commands.iter().map(|(_, p)| *p).collect();
    paths.sort_unstable();
    paths.dedup();
    assert_eq!(paths.len(), commands.len(), "two commands share a path");
    for (ty, path) in &commands {
        assert!(
            dispatcher.contains(&format!("{ty} => |")),
            "the object does not dispatch {ty}"
        );
        let quoted = format!("\"{path}\"");
        for (file, text) in &sources {
            assert!(
                !text.contains(&quoted),
                "{file} names the object path {quoted}"
            );
        }
    }
}
