//! Builds the widget (wasm + embed.js, content-hashed, into `dist/assets`) and the edge worker
//! (`edge/build`, with worker-build pointed at the locally installed tools).

use crate::proc::run_cmd;
use crate::{root, short_hash, Result};
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

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

/// The widget manifest the build writes: the build's folder and each split's chunk files.
pub fn manifest_path() -> PathBuf {
    root().join("dist").join("widget-manifest.json")
}

fn manifest() -> Result<serde_json::Value> {
    let manifest = fs::read_to_string(manifest_path())
        .map_err(|e| format!("widget manifest: {e} (run cargo xtask build first)"))?;
    serde_json::from_str(&manifest).map_err(|e| format!("widget manifest: {e}"))
}

/// The current widget build's name: the hash its folder is named by.
pub fn widget_build() -> Result<String> {
    let manifest = manifest()?;
    Ok(manifest["dir"]
        .as_str()
        .ok_or("the widget manifest names no folder")?
        .to_owned())
}

/// The current build's folder, `dist/assets/w/{hash}/`.
pub fn widget_dir() -> Result<PathBuf> {
    let manifest = manifest()?;
    let dir = manifest["dir"]
        .as_str()
        .ok_or("the widget manifest names no folder")?;
    Ok(assets_dir().join("w").join(dir))
}

/// Builds the widget, split so the first view downloads only what it shows:
/// 1. cargo (release, wasm32) with `--emit-relocs`, so the linked module keeps what the
///    splitter needs to move functions;
/// 2. wasm-split cuts every `#[wasm_split]` function (booking, manage, review form; see
///    `widget/src/components/deferred.rs`) and the code only it reaches into chunks, and
///    writes `__wasm_split.js`, which fetches a chunk the first time it is needed;
/// 3. wasm-bindgen (`--target web`) on the main module, wasm-opt -Oz on every module;
/// 4. everything goes into `w/{hash}/` (the hash of all the files: the chunks find each
///    other by relative URL), and embed.js is stamped with that folder and minified.
pub fn widget() -> Result {
    let root = root();
    println!("build: widget");
    run_cmd(
        Command::new("cargo")
            .current_dir(&root)
            .args([
                "build",
                "--quiet",
                "--release",
                "--package",
                "widget",
                "--target",
                "wasm32-unknown-unknown",
            ])
            .env(
                "CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUSTFLAGS",
                "-Clink-args=--emit-relocs",
            ),
    )?;
    let out = root.join("target").join("widget-bindgen");
    let _ = fs::remove_dir_all(&out);
    fs::create_dir_all(&out).map_err(|e| format!("{}: {e}", out.display()))?;
    let linked = read(&root.join("target/wasm32-unknown-unknown/release/widget.wasm"))?;
    let split_main = out.join("widget_split.wasm");
    let split = wasm_split_cli_support::transform({
        let mut opts = wasm_split_cli_support::Options::new(&linked);
        opts.output_dir = &out;
        opts.main_out_path = &split_main;
        opts.main_module = "./widget.js";
        opts.link_name = "./__wasm_split.js";
        opts
    })
    .map_err(|e| format!("wasm-split: {e:#}"))?;
    run_cmd(Command::new("wasm-bindgen").current_dir(&root).args([
        "target/widget-bindgen/widget_split.wasm",
        "--out-dir",
        "target/widget-bindgen",
        "--out-name",
        "widget",
        "--target",
        "web",
        "--no-typescript",
        "--keep-lld-exports",
        "--remove-name-section",
        "--remove-producers-section",
    ]))?;
    let mut modules = vec![out.join("widget_bg.wasm")];
    modules.extend(split.split_modules.iter().cloned());
    let mut files: Vec<(String, Vec<u8>)> = Vec::new();
    for module in &modules {
        let opt = module.with_extension("opt");
        run_cmd(
            Command::new(node_bin("wasm-opt"))
                .arg(module)
                .args(["-Oz", "--strip-debug", "--strip-producers"])
                .args(WASM_FEATURES)
                .arg("-o")
                .arg(&opt),
        )?;
        let name = module
            .file_name()
            .and_then(|n| n.to_str())
            .ok_or("wasm-split wrote a file without a name")?
            .to_owned();
        files.push((name, read(&opt)?));
    }
    // The glue and the chunk loader, minified (ES module exports keep their names): the glue is
    // 48 KB as wasm-bindgen writes it, 22 KB minified (7.6 → 5.8 KB brotli).
    for name in ["widget.js", "__wasm_split.js"] {
        let min = out.join(name).with_extension("min.js");
        run_cmd(
            Command::new(node_bin("esbuild"))
                .arg(out.join(name))
                // wasm-bindgen lists the chunk loader once per import under the same key.
                .args([
                    "--minify",
                    "--format=esm",
                    "--target=es2020",
                    "--log-level=error",
                ])
                .arg(format!("--outfile={}", min.display())),
        )?;
        files.push((name.to_owned(), read(&min)?));
    }
    // The stylesheet, for the loader to adopt with the edge's first view (the wasm carries the
    // same text for the client-side mount).
    files.push((
        "widget.css".to_owned(),
        read(&root.join("widget/src/widget.css"))?,
    ));
    files.sort();
    let hash = short_hash(
        &files
            .iter()
            .flat_map(|(name, bytes)| [name.as_bytes(), bytes.as_slice()].concat())
            .collect::<Vec<u8>>(),
    );
    let assets = assets_dir();
    let dir = assets.join("w").join(&hash);
    // The build before this one (carried over when this build is the same as the last).
    let last = manifest().ok();
    let field = |k: &str| last.as_ref().and_then(|m| m[k].as_str()).map(str::to_owned);
    let previous = match field("dir") {
        Some(dir) if dir == hash => field("previous"),
        other => other,
    };
    for (name, bytes) in &files {
        write(&dir.join(name), bytes)?;
    }
    // Which chunk files each split needs, for the size check.
    let splits: serde_json::Map<String, serde_json::Value> = split
        .prefetch_map
        .iter()
        .map(|(split, stems)| {
            let files = stems.iter().map(|s| format!("{s}.wasm").into()).collect();
            (split.clone(), serde_json::Value::Array(files))
        })
        .collect();
    write(
        &manifest_path(),
        serde_json::json!({ "dir": hash, "previous": previous, "splits": splits }).to_string(),
    )?;
    // The previous build's folder stays: a page opened before a deploy still finds the chunks
    // of the build it loaded (its booking flow would fail to load otherwise). Older ones go.
    for old in fs::read_dir(assets.join("w"))
        .map_err(|e| e.to_string())?
        .flatten()
    {
        let name = old.file_name().to_string_lossy().into_owned();
        if name != hash && Some(&name) != previous.as_ref() {
            let path = old.path();
            let _ = fs::remove_dir_all(&path).or_else(|_| fs::remove_file(&path));
        }
    }

    let template = String::from_utf8(read(&root.join("widget/embed/embed.js"))?)
        .map_err(|e| format!("embed.js: {e}"))?;
    let stamped = template.replace("__WIDGET_DIR__", &hash).replace(
        "__VERSION__",
        &format!("{}+{hash}", env!("CARGO_PKG_VERSION")),
    );
    let stamped_path = out.join("embed.js");
    write(&stamped_path, stamped)?;
    run_cmd(
        Command::new(node_bin("esbuild"))
            .arg(&stamped_path)
            // Its Chinese strings as UTF-8, not \u escapes (half the bytes): the file is served
            // with `charset=utf-8`, so a host page in another encoding (Big5) decodes it right.
            .args([
                "--minify",
                "--target=es2020",
                "--charset=utf8",
                "--log-level=warning",
            ])
            .arg(format!("--outfile={}", assets.join("embed.js").display())),
    )?;
    write(&assets.join("_headers"), HEADERS)?;
    Ok(())
}

/// Response headers for the static assets (Workers static assets `_headers` format):
/// content-hashed files are immutable; embed.js is revalidated every 5 minutes so a release
/// reaches every shop's site quickly. Both may be loaded from any origin. (The stylesheet,
/// `/w/*/widget.css`, is answered by the worker instead, `run_worker_first` in `wrangler.toml`:
/// the loader reads it with credentials, which needs the page's origin echoed.)
const HEADERS: &str = "\
/embed.js
  Content-Type: text/javascript; charset=utf-8
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
        crate::proc::output_of(Command::new("sh").args(["-c", "command -v wasm-bindgen"]))
            .ok_or("wasm-bindgen is not on PATH")?;
    run_cmd(
        Command::new("worker-build")
            .arg("--release")
            .current_dir(root().join("edge"))
            .env("WASM_BINDGEN_BIN", bindgen)
            .env("WASM_OPT_BIN", node_bin("wasm-opt"))
            .env("ESBUILD_BIN", node_bin("esbuild"))
            // The widget build the worker's first view is rendered for (`WIDGET_BUILD`).
            .env("ALLIANCE_WIDGET_BUILD", widget_build()?),
    )
}
