//! The size budget: embed.js, the stylesheet, the widget and the first view the edge renders,
//! brotli-compressed as served, and the worker (gzip, as wrangler uploads it), must stay within
//! the limits in `size-budget.json`.

use crate::build::assets_dir;
use crate::{root, Result};
use std::io::Write;

/// Brotli (quality 11, as a CDN serves static files) size of `bytes`.
pub fn brotli_len(bytes: &[u8]) -> usize {
    let mut out = Vec::new();
    {
        let mut w = brotli::CompressorWriter::new(&mut out, 4096, 11, 22);
        w.write_all(bytes).expect("compress in memory");
    }
    out.len()
}

fn budget(budgets: &serde_json::Value, key: &str) -> Result<usize> {
    budgets[key]
        .as_u64()
        .map(|n| n as usize)
        .ok_or_else(|| format!("size-budget.json lacks a number for {key:?}"))
}

fn budgets() -> Result<serde_json::Value> {
    serde_json::from_str(
        &std::fs::read_to_string(root().join("size-budget.json"))
            .map_err(|e| format!("size-budget.json: {e}"))?,
    )
    .map_err(|e| format!("size-budget.json: {e}"))
}

/// Prints each measure against its budget; fails naming every one over.
fn enforce(groups: &[(&str, usize, &str)]) -> Result {
    let budgets = budgets()?;
    let mut failures = Vec::new();
    println!("size: {:<12} {:>9} {:>9}", "budget", "bytes", "limit");
    for &(key, measured, what) in groups {
        let limit = budget(&budgets, key)?;
        println!("size: {key:<12} {measured:>9} {limit:>9}  ({what})");
        if measured > limit {
            failures.push(format!(
                "{key} ({what}) is {measured} B, over its budget of {limit} B"
            ));
        }
    }
    if failures.is_empty() {
        Ok(())
    } else {
        Err(format!("size budget exceeded: {}", failures.join("; ")))
    }
}

/// The built asset `name` of this build (`embed.js`, or a file of the build's folder), brotli.
fn asset_brotli(name: &str) -> Result<usize> {
    let path = if name == "embed.js" {
        assets_dir().join(name)
    } else {
        crate::build::widget_dir()?.join(name)
    };
    let bytes = std::fs::read(&path).map_err(|e| format!("{}: {e}", path.display()))?;
    Ok(brotli_len(&bytes))
}

/// Measures the built assets, prints raw and brotli sizes, and fails past a budget.
///
/// Budgets (in `size-budget.json`, brotli bytes): `embed_js`, the loader alone; `stylesheet`,
/// `widget.css`; `interactive`, what the widget needs to take over the first view (loader,
/// stylesheet, glue, split loader and the main module); `booking`, that plus the chunks the
/// booking flow needs; `total`, every file. The first view itself (loader, stylesheet and the
/// edge's response) is measured against the running edge by [`check_first_view`].
pub fn check() -> Result {
    let manifest: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(crate::build::manifest_path())
            .map_err(|e| format!("widget manifest: {e} (run cargo xtask build first)"))?,
    )
    .map_err(|e| format!("widget manifest: {e}"))?;
    let assets = assets_dir();
    let dir = crate::build::widget_dir()?;
    let mut sizes = std::collections::BTreeMap::new();
    println!("size: {:<24} {:>9} {:>9}", "file", "raw", "brotli");
    let mut files = vec![("embed.js".to_owned(), assets.join("embed.js"))];
    for entry in std::fs::read_dir(&dir).map_err(|e| format!("{}: {e}", dir.display()))? {
        let path = entry.map_err(|e| e.to_string())?.path();
        let name = path
            .file_name()
            .unwrap_or_default()
            .to_string_lossy()
            .into_owned();
        files.push((name, path));
    }
    for (name, path) in &files {
        let bytes = std::fs::read(path).map_err(|e| format!("{}: {e}", path.display()))?;
        let compressed = brotli_len(&bytes);
        println!("size: {name:<24} {:>9} {compressed:>9}", bytes.len());
        sizes.insert(name.clone(), compressed);
    }
    let sum = |names: &[&str]| -> Result<usize> {
        names
            .iter()
            .map(|n| {
                sizes
                    .get(*n)
                    .copied()
                    .ok_or_else(|| format!("the build has no {n}"))
            })
            .sum()
    };
    let interactive = [
        "embed.js",
        "widget.css",
        "widget.js",
        "__wasm_split.js",
        "widget_bg.wasm",
    ];
    let booking_files: Vec<String> = manifest["splits"]["booking"]
        .as_array()
        .ok_or("the widget manifest lists no booking split")?
        .iter()
        .filter_map(|v| v.as_str().map(str::to_owned))
        .collect();
    let mut booking: Vec<&str> = interactive.to_vec();
    booking.extend(booking_files.iter().map(String::as_str));
    enforce(&[
        ("embed_js", sum(&["embed.js"])?, "the loader, brotli"),
        ("stylesheet", sum(&["widget.css"])?, "widget.css, brotli"),
        (
            "interactive",
            sum(&interactive)?,
            "loader + stylesheet + glue + main module, brotli",
        ),
        (
            "booking",
            sum(&booking)?,
            "interactive + booking chunks, brotli",
        ),
        ("total", sizes.values().sum(), "every file, brotli"),
    ])
}

/// The first view a visitor downloads, measured against the running edge on `port`: the
/// loader, the stylesheet and the largest `first-view` response among the demo shops in both
/// languages (as the shop's own site asks for it, `origin`), brotli.
pub fn check_first_view(port: u16, origin: &str) -> Result {
    let demo = crate::shared_demo()?;
    let mut largest = (0, String::new());
    for shop in &demo.shops {
        for locale in ["zh-TW", "en"] {
            let path = format!("/v1/shops/{}/first-view?locale={locale}&view=all", shop.id);
            let (status, body) =
                crate::http::request(port, "GET", &path, &[("origin", origin)], &[])?;
            if status != 200 {
                return Err(format!("{path}: {status} {body}"));
            }
            let n = brotli_len(body.as_bytes());
            if n > largest.0 {
                largest = (n, format!("{} {locale}", shop.id));
            }
        }
    }
    println!(
        "size: largest first-view response: {} B brotli ({})",
        largest.0, largest.1
    );
    let view = asset_brotli("embed.js")? + asset_brotli("widget.css")? + largest.0;
    enforce(&[(
        "first_view",
        view,
        "loader + stylesheet + the largest first-view response, brotli",
    )])
}

/// The worker's upload size, gzip, from what `wrangler deploy --dry-run` printed
/// (`Total Upload: … KiB / gzip: … KiB`).
pub fn check_worker(report: &str) -> Result {
    let kib = report
        .split("gzip:")
        .nth(1)
        .and_then(|rest| rest.split_whitespace().next())
        .and_then(|n| n.parse::<f64>().ok())
        .ok_or_else(|| format!("wrangler printed no gzip size: {report}"))?;
    enforce(&[(
        "worker_gzip",
        (kib * 1024.0).round() as usize,
        "the worker as wrangler uploads it, gzip",
    )])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_worker_size_is_read_from_wranglers_report() {
        let report = "Total Upload: 3218.11 KiB / gzip: 1154.87 KiB\nYour worker has access to…";
        assert!(check_worker(report).is_ok());
        let too_big = "Total Upload: 9000.00 KiB / gzip: 4000.00 KiB";
        assert!(check_worker(too_big).unwrap_err().contains("worker_gzip"));
        assert!(check_worker("no size here").is_err());
    }

    #[test]
    fn brotli_shrinks_repetitive_text() {
        let text = "alliance ".repeat(1000);
        let n = brotli_len(text.as_bytes());
        assert!(n > 0 && n < 100, "{n}");
    }
}
