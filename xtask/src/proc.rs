//! Running commands, and the local edge: `wrangler dev` (workerd + Miniflare, local KV
//! persisted to a folder).

use crate::{http, root, Result};
use std::os::unix::process::CommandExt;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// Runs `cmd`, failing with its name when it cannot start or exits non-zero.
pub fn run_cmd(cmd: &mut Command) -> Result {
    let shown = format!("{cmd:?}");
    let status = cmd
        .status()
        .map_err(|e| format!("cannot run {shown}: {e}"))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("{shown} failed with {status}"))
    }
}

/// What `cmd` prints on stdout, or `None` when it is missing or fails.
pub fn output_of(cmd: &mut Command) -> Option<String> {
    let out = cmd.output().ok()?;
    out.status
        .success()
        .then(|| String::from_utf8_lossy(&out.stdout).trim().to_owned())
}

/// A running local edge; dropping it stops wrangler and workerd.
pub struct Edge {
    /// Base URL, e.g. `http://127.0.0.1:8787`.
    pub url: String,
    /// Port it listens on.
    pub port: u16,
    child: Child,
}

fn random_hex(n: usize) -> Result<String> {
    use std::io::Read;
    let mut bytes = vec![0u8; n];
    std::fs::File::open("/dev/urandom")
        .and_then(|mut f| f.read_exact(&mut bytes))
        .map_err(|e| format!("/dev/urandom: {e}"))?;
    Ok(bytes.iter().map(|b| format!("{b:02x}")).collect())
}

/// The value of `name` in `edge/.dev.vars` (the local stand-in for wrangler secrets), created
/// with a random value when missing. The file is never committed.
pub fn dev_var(name: &str) -> Result<String> {
    let path = root().join("edge").join(".dev.vars");
    let text = std::fs::read_to_string(&path).unwrap_or_default();
    let prefix = format!("{name}=");
    if let Some(v) = text.lines().find_map(|l| l.strip_prefix(prefix.as_str())) {
        return Ok(v.trim().trim_matches('"').to_owned());
    }
    // A VAPID key is a P-256 private scalar: 32 random bytes (valid but for odds of 2^-128).
    let value = random_hex(if name == "VAPID_PRIVATE_KEY" { 32 } else { 24 })?;
    let mut text = text;
    if !text.is_empty() && !text.ends_with('\n') {
        text.push('\n');
    }
    text.push_str(&format!("{name}={value}\n"));
    std::fs::write(&path, text).map_err(|e| format!("{}: {e}", path.display()))?;
    println!("edge/.dev.vars: created a random local {name} (never commit this file)");
    Ok(value)
}

/// The local admin token.
pub fn admin_token() -> Result<String> {
    dev_var("ADMIN_TOKEN")
}

/// Makes sure every secret the edge needs has a local value.
pub fn ensure_dev_vars() -> Result {
    // LINE's channel secret and access token: random locally, checked by the tests' own LINE
    // API server (its address below).
    for name in [
        "ADMIN_TOKEN",
        "LINK_SECRET",
        "LINE_CHANNEL_SECRET",
        "LINE_CHANNEL_ACCESS_TOKEN",
        "VAPID_PRIVATE_KEY",
    ] {
        dev_var(name)?;
    }
    // Local development only: lets the tests' webhook receiver on 127.0.0.1 be a shop's webhook.
    let path = root().join("edge").join(".dev.vars");
    let mut text = std::fs::read_to_string(&path).unwrap_or_default();
    let before = text.clone();
    if !text
        .lines()
        .any(|l| l.starts_with("ALLOW_PRIVATE_WEBHOOKS="))
    {
        text.push_str("ALLOW_PRIVATE_WEBHOOKS=true\n");
    }
    // Local development only: the demo host site and the tests are on http://127.0.0.1.
    if !text.lines().any(|l| l.starts_with("ALLOW_LOCAL_ORIGINS=")) {
        text.push_str("ALLOW_LOCAL_ORIGINS=true\n");
    }
    // Local development only: the tests' fault-injection switch (see edge/src/fault.rs).
    if !text.lines().any(|l| l.starts_with("FAULT_INJECTION=")) {
        text.push_str("FAULT_INJECTION=on\n");
    }
    // Local development only: LINE's API is the integration tests' server on this port.
    if !text.lines().any(|l| l.starts_with("LINE_API_BASE=")) {
        text.push_str(&format!(
            "LINE_API_BASE=http://127.0.0.1:{LOCAL_LINE_PORT}\n"
        ));
    }
    if !text.lines().any(|l| l.starts_with("LINE_BOT_ID=")) {
        text.push_str("LINE_BOT_ID=@alliance-local\n");
    }
    if text != before {
        std::fs::write(&path, text).map_err(|e| format!("{}: {e}", path.display()))?;
    }
    Ok(())
}

/// The port of the local stand-in for LINE's API (the integration tests serve it).
pub const LOCAL_LINE_PORT: u16 = 18791;

/// Where [`Edge::start`] writes wrangler's log for `port` (the integration tests read the
/// e-mail binding's messages from it).
pub fn edge_log(port: u16) -> std::path::PathBuf {
    root().join("target").join(format!("wrangler-{port}.log"))
}

impl Edge {
    /// Starts `wrangler dev` on `port` with local state in `state`, and waits until it answers.
    /// With `inherit_output`, wrangler's log goes to this terminal; otherwise to
    /// `target/wrangler-{port}.log`.
    pub fn start(port: u16, state: &Path, inherit_output: bool) -> Result<Self> {
        ensure_dev_vars()?;
        let root = root();
        let mut cmd = Command::new(root.join("node_modules/.bin/wrangler"));
        cmd.current_dir(&root)
            .args(["dev", "--config", "edge/wrangler.toml", "--ip", "127.0.0.1"])
            .arg("--port")
            .arg(port.to_string())
            .arg("--persist-to")
            .arg(state)
            .args(["--show-interactive-dev-session=false"])
            .env("WRANGLER_SEND_METRICS", "false")
            .env("CI", "true")
            .stdin(Stdio::null())
            .process_group(0);
        if !inherit_output {
            let log_path = edge_log(port);
            let log = std::fs::File::create(&log_path)
                .map_err(|e| format!("{}: {e}", log_path.display()))?;
            let log2 = log.try_clone().map_err(|e| e.to_string())?;
            cmd.stdout(log).stderr(log2);
        }
        let child = cmd
            .spawn()
            .map_err(|e| format!("cannot start wrangler: {e}"))?;
        let mut edge = Edge {
            url: format!("http://127.0.0.1:{port}"),
            port,
            child,
        };
        edge.wait_ready(Duration::from_secs(120))?;
        Ok(edge)
    }

    fn wait_ready(&mut self, limit: Duration) -> Result {
        let start = Instant::now();
        while start.elapsed() < limit {
            if let Ok(Some(status)) = self.child.try_wait() {
                return Err(format!(
                    "wrangler dev exited early with {status} (see its log)"
                ));
            }
            if matches!(
                http::request(self.port, "GET", "/health", &[], b""),
                Ok((200, _))
            ) {
                return Ok(());
            }
            std::thread::sleep(Duration::from_millis(250));
        }
        Err(format!(
            "the edge did not answer on :{} within {limit:?}",
            self.port
        ))
    }

    /// Loads the demo alliance through the admin import; with `if_absent`, only when the local
    /// KV holds no alliance yet. Returns a one-line report.
    pub fn seed(&self, if_absent: bool) -> Result<String> {
        let token = admin_token()?;
        let body =
            std::fs::read(root().join("demo").join("alliance.json")).map_err(|e| e.to_string())?;
        let path = if if_absent {
            "/v1/admin/import?mode=if-absent"
        } else {
            "/v1/admin/import"
        };
        let auth = format!("Bearer {token}");
        let (status, text) = http::request(
            self.port,
            "POST",
            path,
            &[
                ("content-type", "application/json"),
                ("authorization", &auth),
            ],
            &body,
        )?;
        if status != 200 {
            return Err(format!("seeding failed with {status}: {text}"));
        }
        Ok(if text.contains("\"skipped\":true") {
            "already seeded, left as it is".to_owned()
        } else {
            "seeded the demo alliance".to_owned()
        })
    }
}

impl Drop for Edge {
    fn drop(&mut self) {
        let group = format!("-{}", self.child.id());
        let _ = Command::new("kill").args(["-TERM", "--", &group]).status();
        let deadline = Instant::now() + Duration::from_secs(5);
        while Instant::now() < deadline {
            if let Ok(Some(_)) = self.child.try_wait() {
                break;
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        let _ = Command::new("kill")
            .args(["-KILL", "--", &group])
            .stderr(Stdio::null())
            .status();
        let _ = self.child.wait();
    }
}
