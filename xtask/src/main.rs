//! The project's tasks, run as `cargo xtask <task>`:
//!
//! - `dev`: set up, build, start the edge on :8787 (seeded with the demo alliance) and the demo
//!   host site on :8080, print a demo shop page's URL; Ctrl-C or SIGTERM stops both.
//! - `test`: set up, build, check size budgets and run every test suite.
//! - `setup`, `build`, `size`, `audit`: the steps on their own.

mod audit;
mod build;
mod host;
mod http;
mod proc;
mod setup;
mod size;
mod test;

use std::path::PathBuf;
use std::process::ExitCode;

/// Result of a task step; errors are messages for the person at the terminal.
pub type Result<T = ()> = std::result::Result<T, String>;

/// The repository's root folder.
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("xtask is inside the repo")
        .to_owned()
}

/// The demo ports: the edge and the shop's site, on different origins as in production.
pub const DEV_EDGE_PORT: u16 = 8787;
pub const DEV_HOST_PORT: u16 = 8080;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.first().map(String::as_str) {
        Some("dev") => dev(),
        Some("test") => test::run(),
        Some("setup") => setup::run(args.iter().any(|a| a == "--browser")),
        Some("build") => setup::run(false).and_then(|_| build::all()),
        Some("size") => size::check(),
        Some("audit") => setup::run(true).and_then(|_| audit::run()),
        _ => {
            eprintln!("usage: cargo xtask <dev|test|setup [--browser]|build|size|audit>");
            return ExitCode::from(2);
        }
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("xtask: {e}");
            ExitCode::FAILURE
        }
    }
}

fn dev() -> Result {
    setup::run(false)?;
    build::all()?;
    let (tx, rx) = std::sync::mpsc::channel();
    ctrlc::set_handler(move || {
        let _ = tx.send(());
    })
    .map_err(|e| format!("cannot handle Ctrl-C: {e}"))?;
    let state = root().join(".wrangler").join("state");
    let edge = proc::Edge::start(DEV_EDGE_PORT, &state, true)?;
    let report = edge.seed(true)?;
    println!("demo data: {report}");
    let _host = host::serve(DEV_HOST_PORT, &edge.url)?;
    let first = shared_demo()?.shops[0].id.clone();
    println!();
    println!("  edge API      {}", edge.url);
    println!("  demo site     http://127.0.0.1:{DEV_HOST_PORT}/");
    println!("  a shop page   http://127.0.0.1:{DEV_HOST_PORT}/shop/{first}");
    println!();
    println!("Ctrl-C stops both.");
    let _ = rx.recv();
    println!("stopping…");
    drop(edge);
    Ok(())
}

/// The demo alliance from `demo/alliance.json`.
pub fn shared_demo() -> Result<shared::AllianceImport> {
    let path = root().join("demo").join("alliance.json");
    let text = std::fs::read_to_string(&path).map_err(|e| format!("{}: {e}", path.display()))?;
    serde_json::from_str(&text).map_err(|e| format!("{}: {e}", path.display()))
}

/// The first 10 hex digits of the SHA-256 of `bytes`.
pub fn short_hash(bytes: &[u8]) -> String {
    use sha2::{Digest, Sha256};
    Sha256::digest(bytes)[..5]
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}
