//! The size budget: embed.js and the widget, brotli-compressed as served, must stay within
//! the limits in `size-budget.json`.

use crate::build::assets_dir;
use crate::{root, Result};
use std::io::Write;
use std::path::Path;

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

fn file_with_ext(dir: &Path, ext: &str) -> Result<std::path::PathBuf> {
    std::fs::read_dir(dir)
        .map_err(|e| format!("{}: {e} (run cargo xtask build first)", dir.display()))?
        .flatten()
        .map(|e| e.path())
        .find(|p| p.extension().is_some_and(|x| x == ext))
        .ok_or_else(|| format!("no .{ext} file in {}", dir.display()))
}

/// Measures the built assets, prints raw and brotli sizes, and fails past a budget.
pub fn check() -> Result {
    let budgets: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(root().join("size-budget.json"))
            .map_err(|e| format!("size-budget.json: {e}"))?,
    )
    .map_err(|e| format!("size-budget.json: {e}"))?;
    let assets = assets_dir();
    let files = [
        ("embed_js", assets.join("embed.js")),
        ("widget_js", file_with_ext(&assets.join("w"), "js")?),
        ("widget_wasm", file_with_ext(&assets.join("w"), "wasm")?),
    ];
    let mut total = 0;
    let mut failures = Vec::new();
    println!(
        "size: {:<12} {:>9} {:>9} {:>9}",
        "file", "raw", "brotli", "budget"
    );
    for (key, path) in &files {
        let bytes = std::fs::read(path).map_err(|e| format!("{}: {e}", path.display()))?;
        let compressed = brotli_len(&bytes);
        let limit = budget(&budgets, key)?;
        total += compressed;
        println!(
            "size: {key:<12} {:>9} {compressed:>9} {limit:>9}",
            bytes.len()
        );
        if compressed > limit {
            failures.push(format!(
                "{key} is {compressed} B brotli, over its budget of {limit} B"
            ));
        }
    }
    let limit = budget(&budgets, "total")?;
    println!("size: {:<12} {:>9} {total:>9} {limit:>9}", "total", "");
    if total > limit {
        failures.push(format!(
            "embed.js + widget is {total} B brotli, over its budget of {limit} B"
        ));
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
