//! Builds the widget (wasm + embed.js, content-hashed, into `dist/assets`) and the edge worker
//! (`edge/build`, with worker-build pointed at the locally installed tools).

use crate::setup::run_cmd;
use crate::{root, Result};
use sha2::{Digest, Sha256};
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

/// The first 10 hex digits of the SHA-256 of `bytes`.
pub fn short_hash(bytes: &[u8]) -> String {
    Sha256::digest(bytes)[..5]
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// Where the built static assets go; wrangler serves this folder.
pub fn assets_dir() -> PathBuf {
    root().join("dist").join("assets")
}

fn node_bin(name: &str) -> PathBuf {
    root().join("node_modules").join(".bin").join(name)
}

fn write(path: &Path, bytes: impl AsRef<[u8]>) -> Result {
    if let Some(parent) = path.parent() {
        fs::create_dir_all(parent).map_err(|e| format!("{}: {e}", parent.display()))?;
    }
    fs::write(path, bytes).map_err(|e| format!("{}: {e}", path.display()))
}

fn read(path: &Path) -> Result<Vec<u8>> {
    fs::read(path).map_err(|e| format!("{}: {e}", path.display()))
}

/// Builds everything.
pub fn all() -> Result {
    widget()?;
    edge()
}

/// Features the Rust wasm32 target emits by default, which wasm-opt must be told about.
const WASM_FEATURES: &[&str] = &[
    "--enable-bulk-memory",
    "--enable-mutable-globals",
    "--enable-nontrapping-float-to-int",
    "--enable-sign-ext",
    "--enable-reference-types",
    "--enable-multivalue",
];

/// Builds the widget: cargo (release, wasm32), wasm-bindgen (`--target web`), wasm-opt -Oz,
/// then content-hashed names, and embed.js stamped with them and minified by esbuild.
pub fn widget() -> Result {
    let root = root();
    println!("build: widget");
    run_cmd(Command::new("cargo").current_dir(&root).args([
        "build",
        "--quiet",
        "--release",
        "--package",
        "widget",
        "--target",
        "wasm32-unknown-unknown",
    ]))?;
    let out = root.join("target").join("widget-bindgen");
    let _ = fs::remove_dir_all(&out);
    run_cmd(Command::new("wasm-bindgen").current_dir(&root).args([
        "target/wasm32-unknown-unknown/release/widget.wasm",
        "--out-dir",
        "target/widget-bindgen",
        "--target",
        "web",
        "--no-typescript",
        "--remove-name-section",
        "--remove-producers-section",
    ]))?;
    let raw_wasm = out.join("widget_bg.wasm");
    let opt_wasm = out.join("widget_opt.wasm");
    run_cmd(
        Command::new(node_bin("wasm-opt"))
            .arg(&raw_wasm)
            .args(["-Oz", "--strip-debug", "--strip-producers"])
            .args(WASM_FEATURES)
            .arg("-o")
            .arg(&opt_wasm),
    )?;
    let wasm = read(&opt_wasm)?;
    let glue = read(&out.join("widget.js"))?;
    let hash = short_hash(&[wasm.as_slice(), glue.as_slice()].concat());
    let assets = assets_dir();
    let js_name = format!("widget-{hash}.js");
    let wasm_name = format!("widget-{hash}.wasm");
    write(&assets.join("w").join(&js_name), &glue)?;
    write(&assets.join("w").join(&wasm_name), &wasm)?;
    // Replace files in place (a running `wrangler dev` keeps serving the folder), then drop
    // the previous build's hashed files.
    for old in fs::read_dir(assets.join("w"))
        .map_err(|e| e.to_string())?
        .flatten()
    {
        let name = old.file_name().to_string_lossy().into_owned();
        if name != js_name && name != wasm_name {
            let _ = fs::remove_file(old.path());
        }
    }

    let template = String::from_utf8(read(&root.join("widget/embed/embed.js"))?)
        .map_err(|e| format!("embed.js: {e}"))?;
    let stamped = template
        .replace("__WIDGET_JS__", &js_name)
        .replace("__WIDGET_WASM__", &wasm_name)
        .replace(
            "__VERSION__",
            &format!("{}+{hash}", env!("CARGO_PKG_VERSION")),
        );
    let stamped_path = out.join("embed.js");
    write(&stamped_path, stamped)?;
    run_cmd(
        Command::new(node_bin("esbuild"))
            .arg(&stamped_path)
            .args(["--minify", "--target=es2020", "--log-level=warning"])
            .arg(format!("--outfile={}", assets.join("embed.js").display())),
    )?;
    write(&assets.join("_headers"), HEADERS)?;
    Ok(())
}

/// Response headers for the static assets (Workers static assets `_headers` format):
/// content-hashed files are immutable; embed.js is revalidated every 5 minutes so a release
/// reaches every shop's site quickly. Both may be loaded from any origin.
const HEADERS: &str = "\
/embed.js
  Cache-Control: public, max-age=300
  Access-Control-Allow-Origin: *
  X-Content-Type-Options: nosniff
/w/*
  Cache-Control: public, max-age=31536000, immutable
  Access-Control-Allow-Origin: *
  X-Content-Type-Options: nosniff
";

/// Builds the edge worker with worker-build, using the pinned wasm-bindgen CLI and the npm
/// packages' wasm-opt and esbuild (worker-build would otherwise download them from GitHub).
pub fn edge() -> Result {
    println!("build: edge");
    let bindgen =
        crate::setup::output_of(Command::new("sh").args(["-c", "command -v wasm-bindgen"]))
            .ok_or("wasm-bindgen is not on PATH")?;
    run_cmd(
        Command::new("worker-build")
            .arg("--release")
            .current_dir(root().join("edge"))
            .env("WASM_BINDGEN_BIN", bindgen)
            .env("WASM_OPT_BIN", node_bin("wasm-opt"))
            .env("ESBUILD_BIN", node_bin("esbuild")),
    )
}
