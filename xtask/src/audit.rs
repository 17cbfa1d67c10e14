//! The dependency audit: `cargo deny check` (advisories, licenses, bans, sources) with the
//! project's `deny.toml`, and `npm audit` for the npm packages.
//!
//! The RustSec advisory database lives on GitHub. Where GitHub answers, the live database is
//! fetched; where it does not (these machines), the snapshot in `advisory-db.bundle` (beside the
//! checkout in `../shared/`, or named by `ADVISORY_DB_BUNDLE`) is cloned into `target/` and
//! used offline. The output says which one was used and how old it is. npm's audit endpoint
//! may not answer either: then the run says so and does not fail.

use crate::proc::{output_of, run_cmd};
use crate::setup::cargo_deny_bin;
use crate::{root, Result};
use std::path::PathBuf;
use std::process::Command;

/// Where cargo-deny keeps the database for the URL in `deny.toml` (its own naming).
const DB_DIR: &str = "target/advisory-dbs/advisory-db-3157b0e258782691";

/// Runs the audit; fails on any finding `deny.toml` does not consciously ignore.
pub fn run() -> Result {
    let root = root();
    let deny = || {
        let mut c = Command::new(cargo_deny_bin());
        c.current_dir(&root)
            .arg("--manifest-path")
            .arg(root.join("Cargo.toml"))
            .arg("--config")
            .arg(root.join("deny.toml"));
        c
    };
    // Whether GitHub answers at all (cargo-deny's own fetch keeps a local copy quietly when it
    // cannot update it, so it cannot tell).
    let reachable = output_of(Command::new("git").args([
        "ls-remote",
        "--exit-code",
        "https://github.com/rustsec/advisory-db",
        "HEAD",
    ]))
    .is_some();
    let live = reachable && output_of(deny().args(["fetch", "db"])).is_some();
    let db = root.join(DB_DIR);
    let source = if live {
        "the live RustSec database (fetched now)".to_owned()
    } else {
        if !db.join(".git").exists() {
            let Some(bundle) = bundle() else {
                println!(
                    "audit: GitHub is unreachable and no advisory-db.bundle was found \
                     (set ADVISORY_DB_BUNDLE): advisories are NOT checked; licenses, bans and \
                     sources are"
                );
                run_cmd(deny().args(["--offline", "check", "bans", "licenses", "sources"]))?;
                return npm_audit();
            };
            let _ = std::fs::remove_dir_all(&db);
            run_cmd(
                Command::new("git")
                    .args(["clone", "--quiet", "--branch", "main"])
                    .arg(&bundle)
                    .arg(&db),
            )?;
        }
        "the offline snapshot of the RustSec database (advisory-db.bundle; GitHub is unreachable)"
            .to_owned()
    };
    let head =
        output_of(
            Command::new("git")
                .arg("-C")
                .arg(&db)
                .args(["log", "-1", "--format=%h %cs"]),
        )
        .unwrap_or_default();
    let age = output_of(
        Command::new("git")
            .arg("-C")
            .arg(&db)
            .args(["log", "-1", "--format=%ct"]),
    )
    .and_then(|t| t.trim().parse::<u64>().ok())
    .map(|t| {
        let now = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_secs())
            .unwrap_or(t);
        now.saturating_sub(t) / 86_400
    });
    println!(
        "audit: advisories from {source}: commit {}, {} days old",
        head.trim(),
        age.map_or("?".to_owned(), |d| d.to_string())
    );
    run_cmd(deny().args(["--offline", "check"]))?;
    npm_audit()
}

/// The advisory database snapshot, if one is on this machine.
fn bundle() -> Option<PathBuf> {
    let named = std::env::var_os("ADVISORY_DB_BUNDLE").map(PathBuf::from);
    let beside = root()
        .parent()
        .map(|p| p.join("shared").join("advisory-db.bundle"));
    [
        named,
        beside,
        Some(PathBuf::from("/work/shared/advisory-db.bundle")),
    ]
    .into_iter()
    .flatten()
    .find(|p| p.is_file())
}

/// `npm audit` of the npm packages when the registry's audit endpoint answers.
fn npm_audit() -> Result {
    let out = Command::new("npm")
        .current_dir(root())
        .args(["audit", "--audit-level=high"])
        .output()
        .map_err(|e| format!("npm audit: {e}"))?;
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    if out.status.success() {
        println!(
            "audit: npm audit: {}",
            text.lines().last().unwrap_or("no findings")
        );
        return Ok(());
    }
    if text.contains("audit endpoint returned an error") || text.contains("ENOTFOUND") {
        println!(
            "audit: npm audit could not reach the registry's audit endpoint ({}); not checked",
            text.lines()
                .find(|l| l.contains("npm warn audit"))
                .unwrap_or("no answer")
                .trim()
        );
        return Ok(());
    }
    Err(format!("npm audit found vulnerabilities:\n{text}"))
}
