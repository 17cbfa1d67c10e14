//! The size budget: embed.js and the widget, brotli-compressed as served, must stay within
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

/// Measures the built assets, prints raw and brotli sizes, and fails past a budget.
///
/// Budgets (in `size-budget.json`, brotli bytes): `embed_js`, the loader alone;
/// `first_view`, what a visitor who only looks downloads (loader, glue, split loader and the
/// main module); `booking`, that plus the chunks the booking flow needs; `total`, every file.
pub fn check() -> Result {
    let budgets: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(root().join("size-budget.json"))
            .map_err(|e| format!("size-budget.json: {e}"))?,
    )
    .map_err(|e| format!("size-budget.json: {e}"))?;
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
    let first_view = ["embed.js", "widget.js", "__wasm_split.js", "widget_bg.wasm"];
    let booking_files: Vec<String> = manifest["splits"]["booking"]
        .as_array()
        .ok_or("the widget manifest lists no booking split")?
        .iter()
        .filter_map(|v| v.as_str().map(str::to_owned))
        .collect();
    let mut booking: Vec<&str> = first_view.to_vec();
    booking.extend(booking_files.iter().map(String::as_str));
    let groups = [
        ("embed_js", sum(&["embed.js"])?, "the loader"),
        (
            "first_view",
            sum(&first_view)?,
            "loader + glue + main module",
        ),
        ("booking", sum(&booking)?, "first view + booking chunks"),
        ("total", sizes.values().sum(), "every file"),
    ];
    let mut failures = Vec::new();
    println!("size: {:<12} {:>9} {:>9}", "budget", "brotli", "limit");
    for (key, compressed, what) in groups {
        let limit = budget(&budgets, key)?;
        println!("size: {key:<12} {compressed:>9} {limit:>9}  ({what})");
        if compressed > limit {
            failures.push(format!(
                "{key} ({what}) is {compressed} B brotli, over its budget of {limit} B"
            ));
        }
    }
    if failures.is_empty() {
        Ok(())
    } else {
        Err(format!("size budget exceeded: {}", failures.join("; ")))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn brotli_shrinks_repetitive_text() {
        let text = "alliance ".repeat(1000);
        let n = brotli_len(text.as_bytes());
        assert!(n > 0 && n < 100, "{n}");
    }
}
