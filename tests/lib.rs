//! Helpers shared by the integration tests: a client for the local edge that `cargo xtask test`
//! starts (real `wrangler dev`: workerd with its local KV, seeded with the demo alliance).

use serde::de::DeserializeOwned;
use ureq::Agent;

/// A client for the running edge.
pub struct TestApp {
    /// Base URL of the edge, e.g. `http://127.0.0.1:18787`.
    pub base: String,
    /// The admin bearer token from `edge/.dev.vars`.
    pub admin_token: String,
    agent: Agent,
}

/// A response, read whole.
#[derive(Debug)]
pub struct Reply {
    /// HTTP status.
    pub status: u16,
    /// Headers, names lowercased.
    pub headers: Vec<(String, String)>,
    /// Body as text.
    pub body: String,
}

impl Reply {
    /// The value of header `name`, if present.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    /// The `content-type` header; panics if there is none.
    pub fn content_type(&self) -> &str {
        self.header("content-type").unwrap()
    }

    /// The body parsed as JSON.
    pub fn json<T: DeserializeOwned>(&self) -> T {
        serde_json::from_str(&self.body)
            .unwrap_or_else(|e| panic!("body is not the expected JSON ({e}): {}", self.body))
    }

    /// Asserts the CORS headers of a read the loader makes with credentials: `origin` echoed,
    /// with `Access-Control-Allow-Credentials: true`.
    pub fn assert_readable_with_credentials_from(&self, origin: &str) {
        assert_eq!(
            self.header("access-control-allow-origin"),
            Some(origin),
            "{}",
            self.body
        );
        assert_eq!(
            self.header("access-control-allow-credentials"),
            Some("true")
        );
    }

    /// Asserts an RFC 9457 problem with `status`, returning it.
    pub fn problem(&self, status: u16) -> shared::Problem {
        assert_eq!(self.status, status, "status; body: {}", self.body);
        assert_eq!(
            self.header("content-type"),
            Some("application/problem+json"),
            "content type"
        );
        let p: shared::Problem = self.json();
        assert_eq!(p.status, status, "status in the problem document");
        p
    }
}

impl TestApp {
    /// Connects to the edge named by `EDGE_URL` (set by `cargo xtask test`).
    pub fn connect() -> Self {
        let base = std::env::var("EDGE_URL")
            .expect("EDGE_URL is not set: run these tests through `cargo xtask test`, which starts the edge");
        Self::connect_to(base)
    }

    /// Connects to the edge at `base`.
    pub fn connect_to(base: String) -> Self {
        let admin_token = std::env::var("ADMIN_TOKEN").unwrap_or_default();
        let agent: Agent = Agent::config_builder()
            .http_status_as_error(false)
            .build()
            .into();
        Self {
            base,
            admin_token,
            agent,
        }
    }

    fn read(resp: Result<ureq::http::Response<ureq::Body>, ureq::Error>) -> Reply {
        let mut resp = resp.expect("the edge answers");
        let headers = resp
            .headers()
            .iter()
            .map(|(k, v)| {
                (
                    k.as_str().to_ascii_lowercase(),
                    v.to_str().unwrap_or("").to_owned(),
                )
            })
            .collect();
        let status = resp.status().as_u16();
        let body = resp
            .body_mut()
            .with_config()
            .limit(10 << 20)
            .read_to_string()
            .unwrap_or_default();
        Reply {
            status,
            headers,
            body,
        }
    }

    /// `GET {base}{path}` with extra headers.
    pub fn get_with(&self, path: &str, headers: &[(&str, &str)]) -> Reply {
        let mut req = self.agent.get(format!("{}{path}", self.base));
        for (k, v) in headers {
            req = req.header(*k, *v);
        }
        Self::read(req.call())
    }

    /// `GET {base}{path}`.
    pub fn get(&self, path: &str) -> Reply {
        self.get_with(path, &[])
    }

    /// `GET {base}{path}`, asserting a 200 answer whose content type starts with `media_type`.
    pub fn get_ok(&self, path: &str, media_type: &str) -> Reply {
        let reply = self.get(path);
        assert_eq!(reply.status, 200, "{path}: {}", reply.body);
        assert!(
            reply.content_type().starts_with(media_type),
            "{path}: {}",
            reply.content_type()
        );
        reply
    }

    /// A request with any method and body.
    pub fn send(&self, method: &str, path: &str, headers: &[(&str, &str)], body: &[u8]) -> Reply {
        let mut req = ureq::http::Request::builder()
            .method(method)
            .uri(format!("{}{path}", self.base));
        for (k, v) in headers {
            req = req.header(*k, *v);
        }
        let req = req.body(body.to_vec()).expect("valid request");
        Self::read(self.agent.run(req))
    }

    /// `POST` JSON to an admin route with the admin token.
    pub fn admin_post(&self, path: &str, body: &[u8]) -> Reply {
        let auth = format!("Bearer {}", self.admin_token);
        self.send(
            "POST",
            path,
            &[
                ("content-type", "application/json"),
                ("authorization", &auth),
            ],
            body,
        )
    }
}

/// Parses an edge page (HTML written as well-formed XML, with its doctype), or panics naming
/// `what`.
pub fn well_formed<'a>(body: &'a str, what: &str) -> roxmltree::Document<'a> {
    roxmltree::Document::parse_with_options(
        body,
        roxmltree::ParsingOptions {
            allow_dtd: true,
            ..Default::default()
        },
    )
    .unwrap_or_else(|e| panic!("{what} is not well-formed: {e}"))
}

/// RFC 3339 time `days` days from now (for the tests' clock header).
pub fn days_from_now(days: u64) -> String {
    shared::format_rfc3339(
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .as_millis() as u64
            + days * 86_400_000,
    )
}

/// The demo alliance as shipped in `demo/alliance.json`.
pub fn demo() -> shared::AllianceImport {
    serde_json::from_str(include_str!("../demo/alliance.json")).expect("demo data parses")
}

impl TestApp {
    /// Adds a fresh member shop through the admin API, cloned from the first demo shop, valid on
    /// `origins`. Returns its id.
    pub fn add_member(&self, id: &str, origins: &[&str]) -> String {
        let mut shop = serde_json::to_value(&demo().shops[0]).unwrap();
        shop["id"] = id.into();
        shop["name"]["en"] = format!("Test shop {id}").into();
        shop["membership"]["allowed_origins"] = origins
            .iter()
            .map(|o| serde_json::Value::from(*o))
            .collect();
        let reply = self.admin_post("/v1/admin/shops", &serde_json::to_vec(&shop).unwrap());
        assert_eq!(reply.status, 201, "adding {id}: {}", reply.body);
        id.to_owned()
    }

    /// The first view of `shop` as a page at `origin` would get it.
    pub fn widget_from(&self, shop: &str, origin: &str) -> shared::WidgetView {
        let reply = self.get_with(&format!("/v1/shops/{shop}/widget"), &[("origin", origin)]);
        assert_eq!(reply.status, 200, "{}", reply.body);
        reply.json()
    }

    /// Runs a membership action with a reason.
    pub fn membership_action(&self, shop: &str, action: &str, reason: &str) -> Reply {
        let body = serde_json::json!({ "reason": reason });
        self.admin_post(
            &format!("/v1/admin/shops/{shop}/{action}"),
            body.to_string().as_bytes(),
        )
    }
}

/// A shop id unique to this test run, so tests never share state.
pub fn unique_id(prefix: &str) -> String {
    use std::sync::atomic::{AtomicU32, Ordering};
    static N: AtomicU32 = AtomicU32::new(0);
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .subsec_nanos();
    format!(
        "{prefix}-{}-{}",
        nanos % 100_000,
        N.fetch_add(1, Ordering::Relaxed)
    )
}

/// An origin registered for every demo shop (the demo host site).
pub const DEMO_ORIGIN: &str = "http://127.0.0.1:8080";

impl TestApp {
    /// Issues a shop access key through the admin API.
    pub fn shop_key(&self, shop: &str) -> String {
        let reply = self.admin_post(&format!("/v1/admin/shops/{shop}/keys"), b"{}");
        assert_eq!(reply.status, 201, "{}", reply.body);
        reply.json::<serde_json::Value>()["key"]
            .as_str()
            .unwrap()
            .to_owned()
    }

    /// A review token signed with the local `LINK_SECRET`, as the edge's invites make them.
    pub fn token(&self, shop: &str, visit: &str, exp_offset_secs: i64) -> String {
        let secret = std::env::var("LINK_SECRET").expect("LINK_SECRET is set by cargo xtask test");
        let now = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .as_secs();
        let token = shared::ReviewToken {
            shop: shared::ShopId::parse(shop).unwrap(),
            visit: visit.into(),
            service: None,
            exp: now.checked_add_signed(exp_offset_secs).unwrap(),
        };
        token.sign(secret.as_bytes())
    }

    /// Posts a review form from `origin` (and client address `ip`).
    pub fn post_review(
        &self,
        shop: &str,
        form: &serde_json::Value,
        origin: &str,
        ip: &str,
    ) -> Reply {
        self.send(
            "POST",
            &format!("/v1/shops/{shop}/reviews"),
            &[
                ("content-type", "application/json"),
                ("origin", origin),
                ("cf-connecting-ip", ip),
            ],
            form.to_string().as_bytes(),
        )
    }

    /// Posts [`review_form`]`(token, stars, text)` from the demo site (client address `ip`).
    pub fn review(&self, shop: &str, token: &str, stars: i64, text: &str, ip: &str) -> Reply {
        self.post_review(shop, &review_form(token, stars, text), DEMO_ORIGIN, ip)
    }

    /// The admin audit log's entries about `shop`, newest first.
    pub fn audit_of(&self, shop: &str) -> Vec<shared::AuditEntry> {
        let auth = format!("Bearer {}", self.admin_token);
        let entries: Vec<shared::AuditEntry> = self
            .get_with("/v1/admin/audit", &[("authorization", &auth)])
            .json();
        entries
            .into_iter()
            .filter(|e| e.shop.as_ref().map(|s| s.as_str()) == Some(shop))
            .collect()
    }

    /// Every review of `shop` under `sort` (and `service` filter), paging `limit` at a time.
    pub fn all_reviews(
        &self,
        shop: &str,
        sort: &str,
        service: Option<&str>,
        limit: u32,
    ) -> Vec<shared::PublicReview> {
        let mut out = Vec::new();
        let mut cursor: Option<String> = None;
        loop {
            let mut path = format!("/v1/shops/{shop}/reviews?sort={sort}&limit={limit}");
            if let Some(s) = service {
                path.push_str(&format!("&service={s}"));
            }
            if let Some(c) = &cursor {
                path.push_str(&format!("&cursor={}", percent(c)));
            }
            let page: shared::ReviewPage = self.get(&path).json();
            out.extend(page.reviews);
            match page.next {
                Some(n) => cursor = Some(n),
                None => return out,
            }
        }
    }
}

/// Percent-encodes a query value.
pub fn percent(s: &str) -> String {
    s.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b"-_.~".contains(&b) {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

/// A valid review form with `token`.
pub fn review_form(token: &str, stars: i64, text: &str) -> serde_json::Value {
    serde_json::json!({
        "token": token, "stars": stars, "text": text, "service": "oil",
        "author": "陳怡君", "language": "zh-TW", "website": ""
    })
}

/// `form` with `field` set to `value` (e.g. one bad field of an otherwise valid form).
pub fn with(
    mut form: serde_json::Value,
    field: &str,
    value: impl Into<serde_json::Value>,
) -> serde_json::Value {
    form[field] = value.into();
    form
}

/// A shop for booking tests: open 08:00–20:00 every day, hourly starts, no lead time, `bays`
/// bays, an "oil" service of 60 minutes taking one bay, and an optional webhook.
pub fn booking_shop(
    app: &TestApp,
    prefix: &str,
    bays: u8,
    webhook: Option<&str>,
) -> (String, String) {
    booking_shop_with(app, prefix, bays, webhook, |_| {})
}

/// Like [`booking_shop`], with the shop's JSON changed by `tweak` before it is added (e.g. its
/// position or its referral choices).
pub fn booking_shop_with(
    app: &TestApp,
    prefix: &str,
    bays: u8,
    webhook: Option<&str>,
    tweak: impl FnOnce(&mut serde_json::Value),
) -> (String, String) {
    let id = unique_id(prefix);
    let mut shop = serde_json::to_value(&demo().shops[0]).unwrap();
    shop["id"] = id.clone().into();
    shop["bays"] = bays.into();
    shop["membership"]["allowed_origins"] = serde_json::json!([DEMO_ORIGIN]);
    shop["services"] = serde_json::json!([
        { "id": "oil", "name": { "zh-TW": "機油保養", "en": "Oil service" }, "duration_minutes": 60, "price": { "zh-TW": "NT$1,200", "en": "NT$1,200" }, "bays": 1 },
        { "id": "brakes", "name": { "zh-TW": "煞車", "en": "Brakes" }, "duration_minutes": 120, "price": { "zh-TW": "NT$2,000", "en": "NT$2,000" }, "bays": 1 }
    ]);
    shop["booking"] = serde_json::json!({
        "weekly": (1..=7).map(|d| serde_json::json!({ "weekday": d, "open": "08:00", "close": "20:00", "breaks": [] })).collect::<Vec<_>>(),
        "closures": [], "lead_minutes": 0, "horizon_days": 30, "cancel_cutoff_hours": 1, "step_minutes": 60
    });
    if let Some(url) = webhook {
        shop["webhook_url"] = url.into();
    }
    tweak(&mut shop);
    let reply = app.admin_post("/v1/admin/shops", &serde_json::to_vec(&shop).unwrap());
    assert_eq!(reply.status, 201, "adding {id}: {}", reply.body);
    let key = app.shop_key(&id);
    (id, key)
}

/// Like [`booking_shop`], in a fixed-offset zone where it is now midday, so no shop alert
/// waits out the quiet hours (21:00–08:00 shop time) whenever the suite runs: (shop, key, the
/// zone's offset in hours, for [`local_slot`]).
pub fn midday_shop(
    app: &TestApp,
    prefix: &str,
    bays: u8,
    webhook: Option<&str>,
) -> (String, String, i64) {
    let (zone, offset) = zone_at(12);
    let (id, key) = booking_shop_with(app, prefix, bays, webhook, move |s| {
        s["time_zone"] = zone.into();
    });
    (id, key, offset)
}

/// `YYYY-MM-DDTHH:00:00+08:00`, `days` days from today in Taipei.
pub fn taipei_slot(days: u64, hour: u32) -> String {
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_millis() as u64;
    let day = shared::format_rfc3339(now + 8 * 3_600_000 + days * 86_400_000);
    format!("{}T{hour:02}:00:00+08:00", &day[..10])
}

/// [`taipei_slot`]`(days, hour)`, or the first day after it on which the demo shop `shop` is
/// open (one of its weekdays and none of its closures), so a test that books a demo shop passes
/// whatever day the suite runs on (the demo shops close on Sundays, at Christmas and New Year).
/// The hour is not checked against the day's hours: use one inside every open day's hours.
pub fn demo_open_slot(shop: &str, days: u64, hour: u32) -> String {
    let rules = demo()
        .shops
        .into_iter()
        .find(|s| s.id.as_str() == shop)
        .and_then(|s| s.booking)
        .unwrap_or_else(|| panic!("{shop} is a demo shop that takes bookings"));
    (days..days + 14)
        .map(|d| taipei_slot(d, hour))
        .find(|slot| {
            // The slot's own date (one clock reading), as days since 1970-01-01, a Thursday
            // (ISO weekday 4).
            let date = &slot[..10];
            let midnight = shared::parse_rfc3339(&format!("{date}T00:00:00Z")).expect("a date");
            let weekday = ((midnight / 86_400_000 + 3) % 7 + 1) as u8;
            rules.weekly.iter().any(|h| h.weekday == weekday)
                && !rules.closures.iter().any(|c| c == date)
        })
        .expect("a demo shop opens within two weeks")
}

/// A valid booking form for `start`, with a phone number made from `n`.
pub fn booking_form(start: &str, n: u32) -> serde_json::Value {
    serde_json::json!({
        "service": "oil", "start": start, "make": "Toyota", "model": "Corolla Altis", "year": "2019",
        "plate": "ABC-1234", "mileage": "45000", "handover": "wait", "name": "陳怡君",
        "phone": format!("09{:08}", n), "email": "", "notes": "", "consent": true, "locale": "zh-TW", "website": ""
    })
}

impl TestApp {
    /// Like [`TestApp::book`], but `None` when the edge does not answer (e.g. it was killed).
    pub fn try_book(
        &self,
        shop: &str,
        form: &serde_json::Value,
        origin: &str,
        ip: &str,
    ) -> Option<Reply> {
        let req = ureq::http::Request::builder()
            .method("POST")
            .uri(format!("{}/v1/shops/{shop}/bookings", self.base))
            .header("content-type", "application/json")
            .header("origin", origin)
            .header("cf-connecting-ip", ip)
            .body(form.to_string().into_bytes())
            .ok()?;
        let resp = self.agent.run(req).ok()?;
        Some(Self::read(Ok(resp)))
    }

    /// Posts a booking from `origin`, with an optional idempotency key.
    pub fn book(
        &self,
        shop: &str,
        form: &serde_json::Value,
        origin: &str,
        ip: &str,
        key: Option<&str>,
    ) -> Reply {
        let mut headers = vec![
            ("content-type", "application/json"),
            ("origin", origin),
            ("cf-connecting-ip", ip),
        ];
        if let Some(k) = key {
            headers.push(("idempotency-key", k));
        }
        self.send(
            "POST",
            &format!("/v1/shops/{shop}/bookings"),
            &headers,
            form.to_string().as_bytes(),
        )
    }

    /// Books `start` at `shop` with [`booking_form`]`(start, n)` from the demo site, client
    /// address `ip`, no idempotency key.
    pub fn book_slot(&self, shop: &str, start: &str, n: u32, ip: &str) -> Reply {
        self.book(shop, &booking_form(start, n), DEMO_ORIGIN, ip, None)
    }

    /// Posts `action` (`cancel`, `erase`) to a booking's manage link from the demo site, as the
    /// widget does.
    pub fn manage(&self, token: &str, action: &str) -> Reply {
        self.send(
            "POST",
            &format!("/v1/bookings/{token}/{action}"),
            &[("origin", DEMO_ORIGIN)],
            b"",
        )
    }

    /// `GET /v1/shop/setup` with the shop's `key`.
    pub fn setup(&self, key: &str) -> Reply {
        let auth = format!("Bearer {key}");
        self.get_with("/v1/shop/setup", &[("authorization", &auth)])
    }

    /// The shop's private calendar feed, as text (what is stored, from the single writer).
    pub fn feed(&self, shop: &str, key: &str) -> String {
        let setup: serde_json::Value = self.setup(key).json();
        let url = setup["calendar_feed"].as_str().unwrap();
        assert!(url.contains(&format!("/v1/shops/{shop}/")), "{url}");
        let path = &url[url.find("/v1/").unwrap()..];
        let reply = self.get(path);
        assert_eq!(reply.status, 200, "{}", reply.body);
        reply.body
    }

    /// The shop's webhook signing secret.
    pub fn webhook_secret(&self, key: &str) -> String {
        let setup: serde_json::Value = self.setup(key).json();
        setup["webhook_secret"].as_str().unwrap().to_owned()
    }

    /// Whether the slot starting at `start` is offered as free for `service`.
    pub fn slot_free(&self, shop: &str, service: &str, start: &str) -> bool {
        let date = &start[..10];
        let a: serde_json::Value = self
            .get(&format!(
                "/v1/shops/{shop}/availability?service={service}&from={date}&days=1"
            ))
            .json();
        a["days"][0]["slots"]
            .as_array()
            .unwrap()
            .iter()
            .any(|s| s["start"] == start && s["free"] == true)
    }
}

/// Number of calendar events in an iCalendar text.
pub fn events_in(ics: &str) -> usize {
    ics.matches("BEGIN:VEVENT").count()
}

/// An edge of a test's own (a second `wrangler dev`), for tests that must configure or kill it.
pub struct OwnEdge {
    child: std::process::Child,
    /// Its port.
    pub port: u16,
    /// Its log (wrangler's output, across restarts on the same state).
    pub log: std::path::PathBuf,
}

impl OwnEdge {
    /// Starts `wrangler dev` on `port` with state in `target/{state}` (kept across restarts
    /// unless `fresh`) and extra `wrangler dev` arguments; waits until it answers. Its log is
    /// appended to `target/{state}.log` ([`OwnEdge::log`]; a fresh start empties it).
    pub fn start(port: u16, state: &str, fresh: bool, extra: &[String]) -> Self {
        use std::os::unix::process::CommandExt;
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .parent()
            .unwrap()
            .to_owned();
        let dir = root.join("target").join(state);
        let log_path = root.join("target").join(format!("{state}.log"));
        if fresh {
            let _ = std::fs::remove_dir_all(&dir);
            let _ = std::fs::remove_file(&log_path);
        }
        let log = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(&log_path)
            .expect("the edge's log opens");
        let child = std::process::Command::new(root.join("node_modules/.bin/wrangler"))
            .current_dir(&root)
            .args([
                "dev",
                "--config",
                "edge/wrangler.toml",
                "--ip",
                "127.0.0.1",
                "--port",
                &port.to_string(),
            ])
            .arg("--persist-to")
            .arg(&dir)
            .arg("--show-interactive-dev-session=false")
            .args(extra)
            .env("WRANGLER_SEND_METRICS", "false")
            .env("CI", "true")
            .stdin(std::process::Stdio::null())
            .stdout(log.try_clone().expect("log"))
            .stderr(log)
            .process_group(0)
            .spawn()
            .expect("wrangler starts");
        let edge = OwnEdge {
            child,
            port,
            log: log_path,
        };
        let agent: Agent = Agent::config_builder()
            .http_status_as_error(false)
            .build()
            .into();
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(120);
        while std::time::Instant::now() < deadline {
            if agent
                .get(format!("http://127.0.0.1:{port}/health"))
                .call()
                .is_ok_and(|r| r.status() == 200)
            {
                return edge;
            }
            std::thread::sleep(std::time::Duration::from_millis(200));
        }
        panic!("the test's own edge on :{port} did not start");
    }

    /// A client for it.
    pub fn app(&self) -> TestApp {
        TestApp::connect_to(format!("http://127.0.0.1:{}", self.port))
    }

    /// Kills wrangler and workerd at once (SIGKILL to the process group), like a crash.
    pub fn kill(mut self) {
        let _ = std::process::Command::new("kill")
            .args(["-KILL", "--", &format!("-{}", self.child.id())])
            .status();
        let _ = self.child.wait();
        std::mem::forget(self);
    }
}

impl Drop for OwnEdge {
    fn drop(&mut self) {
        let _ = std::process::Command::new("kill")
            .args(["-KILL", "--", &format!("-{}", self.child.id())])
            .status();
        let _ = self.child.wait();
    }
}

/// A browser-like client for the consoles: form posts, the session cookie by hand, and no
/// redirect following (so each answer is seen as sent).
pub struct Console {
    /// Base URL of the edge.
    pub base: String,
    agent: Agent,
}

impl Console {
    /// A console client for the edge `app` talks to.
    pub fn new(app: &TestApp) -> Self {
        let agent: Agent = Agent::config_builder()
            .http_status_as_error(false)
            .max_redirects(0)
            .build()
            .into();
        Self {
            base: app.base.clone(),
            agent,
        }
    }

    /// Signs in with `key`; the session cookie (`aw_console=…`), or the refusal.
    pub fn login(&self, key: &str) -> Result<String, Reply> {
        let reply = self.post("/console/login", None, Some(&self.base), &[("key", key)]);
        match reply.header("set-cookie") {
            Some(c) if reply.status == 303 && c.starts_with("aw_console=") => {
                Ok(c.split(';').next().unwrap().to_owned())
            }
            _ => Err(reply),
        }
    }

    /// Signs in with `key` (which must succeed) and loads `path` with the session: the session
    /// cookie and the page (whose CSRF token [`Console::csrf`] reads).
    pub fn open(&self, key: &str, path: &str) -> (String, Reply) {
        let cookie = self.login(key).unwrap();
        let page = self.get(path, Some(&cookie));
        (cookie, page)
    }

    /// Posts `fields` after the CSRF token `csrf`, with session `cookie`, from the console's own
    /// origin: a form as the console's pages send it.
    pub fn submit(&self, path: &str, cookie: &str, csrf: &str, fields: &[(&str, &str)]) -> Reply {
        let all: Vec<(&str, &str)> = [("csrf", csrf)]
            .into_iter()
            .chain(fields.iter().copied())
            .collect();
        self.post(path, Some(cookie), Some(&self.base), &all)
    }

    /// Posts `action` (`arrived`, `complete`, …) on booking `reference` of `shop` with session
    /// `cookie` and the CSRF token of `page`, from the console's own origin.
    pub fn booking_action(
        &self,
        cookie: &str,
        page: &Reply,
        shop: &str,
        reference: &str,
        action: &str,
    ) -> Reply {
        let path = format!("/console/shop/{shop}/bookings/{reference}");
        self.submit(&path, cookie, &Self::csrf(page), &[("action", action)])
    }

    /// `GET` a console page with an optional cookie.
    pub fn get(&self, path: &str, cookie: Option<&str>) -> Reply {
        let mut req = self.agent.get(format!("{}{path}", self.base));
        if let Some(c) = cookie {
            req = req.header("cookie", c);
        }
        TestApp::read(req.call())
    }

    /// Posts a form with an optional cookie and `Origin`.
    pub fn post(
        &self,
        path: &str,
        cookie: Option<&str>,
        origin: Option<&str>,
        fields: &[(&str, &str)],
    ) -> Reply {
        self.post_with(&[], path, cookie, origin, fields)
    }

    /// Like [`Console::post`], with extra `headers` (e.g. the client's address).
    pub fn post_with(
        &self,
        headers: &[(&str, &str)],
        path: &str,
        cookie: Option<&str>,
        origin: Option<&str>,
        fields: &[(&str, &str)],
    ) -> Reply {
        let body: Vec<String> = fields
            .iter()
            .map(|(k, v)| format!("{}={}", percent(k), percent(v)))
            .collect();
        let mut req = ureq::http::Request::builder()
            .method("POST")
            .uri(format!("{}{path}", self.base))
            .header("content-type", "application/x-www-form-urlencoded");
        if let Some(c) = cookie {
            req = req.header("cookie", c);
        }
        if let Some(o) = origin {
            req = req.header("origin", o);
        }
        for (k, v) in headers {
            req = req.header(*k, *v);
        }
        let req = req
            .body(body.join("&").into_bytes())
            .expect("valid request");
        TestApp::read(self.agent.run(req))
    }

    /// The CSRF token in a console page.
    pub fn csrf(page: &Reply) -> String {
        let marker = r#"name="csrf" value=""#;
        let at = page
            .body
            .find(marker)
            .unwrap_or_else(|| panic!("no CSRF field in: {}", page.body))
            + marker.len();
        page.body[at..].split('"').next().unwrap().to_owned()
    }
}

/// A webhook receiver on loopback that fails the first `failures` deliveries.
pub struct Receiver {
    /// Where to point the shop's webhook.
    pub url: String,
    /// Every delivery it accepted: (webhook-id, signature, timestamp, body).
    pub received: std::sync::Arc<std::sync::Mutex<Vec<(String, String, String, String)>>>,
}

impl Receiver {
    /// Starts one; it answers 500 to the first `failures` deliveries.
    pub fn start(failures: usize) -> Receiver {
        Self::serve(failures, None)
    }

    /// Waits up to `secs` seconds until at least `n` deliveries were accepted; returns every
    /// delivery accepted so far.
    pub fn wait_for(&self, n: usize, secs: u64) -> Vec<(String, String, String, String)> {
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(secs);
        while self.received.lock().unwrap().len() < n && std::time::Instant::now() < deadline {
            std::thread::sleep(std::time::Duration::from_millis(200));
        }
        self.received.lock().unwrap().clone()
    }

    /// The `type` of every delivery accepted so far, in order.
    pub fn kinds(&self) -> Vec<String> {
        self.received
            .lock()
            .unwrap()
            .iter()
            .map(|(_, _, _, b)| {
                serde_json::from_str::<serde_json::Value>(b).unwrap()["type"]
                    .as_str()
                    .unwrap_or_default()
                    .to_owned()
            })
            .collect()
    }

    /// Starts one that answers every delivery `302 Found` to `location` (and records none).
    pub fn redirecting(location: &str) -> Receiver {
        Self::serve(usize::MAX, Some(location.to_owned()))
    }

    fn serve(failures: usize, redirect: Option<String>) -> Receiver {
        use std::io::{BufRead, Read, Write};
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let url = format!("http://{}/hook", listener.local_addr().unwrap());
        let received = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
        let log = received.clone();
        std::thread::spawn(move || {
            let mut seen = 0usize;
            for stream in listener.incoming().flatten() {
                let mut reader = std::io::BufReader::new(stream.try_clone().unwrap());
                let mut headers = std::collections::HashMap::new();
                let mut line = String::new();
                reader.read_line(&mut line).unwrap();
                loop {
                    line.clear();
                    reader.read_line(&mut line).unwrap();
                    if line.trim().is_empty() {
                        break;
                    }
                    if let Some((k, v)) = line.trim().split_once(':') {
                        headers.insert(k.to_ascii_lowercase(), v.trim().to_owned());
                    }
                }
                let len: usize = headers
                    .get("content-length")
                    .and_then(|v| v.parse().ok())
                    .unwrap_or(0);
                let mut body = vec![0; len];
                reader.read_exact(&mut body).unwrap();
                seen += 1;
                let status = if redirect.is_some() {
                    "302 Found"
                } else if seen <= failures {
                    "500 Internal Server Error"
                } else {
                    "200 OK"
                };
                if seen > failures {
                    log.lock().unwrap().push((
                        headers.get("webhook-id").cloned().unwrap_or_default(),
                        headers
                            .get("webhook-signature")
                            .cloned()
                            .unwrap_or_default(),
                        headers
                            .get("webhook-timestamp")
                            .cloned()
                            .unwrap_or_default(),
                        String::from_utf8(body).unwrap(),
                    ));
                }
                let mut s = stream;
                let location = redirect
                    .as_deref()
                    .map(|l| format!("Location: {l}\r\n"))
                    .unwrap_or_default();
                let _ = write!(
                    s,
                    "HTTP/1.1 {status}\r\n{location}Content-Length: 0\r\nConnection: close\r\n\r\n"
                );
            }
        });
        Receiver { url, received }
    }
}

/// One e-mail the local runtime's `send_email` binding received (wrangler dev writes each raw
/// message to an `.eml` file and logs its path).
#[derive(Debug, Clone)]
pub struct Mail {
    /// The raw message.
    pub raw: String,
    /// The `To` address.
    pub to: String,
    /// The `From` display name and address.
    pub from: (String, String),
    /// The decoded subject.
    pub subject: String,
    /// The plain-text part.
    pub text: String,
    /// The HTML part.
    pub html: String,
    /// Every header, name lowercased, value as sent (unfolded).
    pub headers: Vec<(String, String)>,
    /// Attachments: (content type, file name, content).
    pub attachments: Vec<(String, String, String)>,
}

impl Mail {
    /// A header's value.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    /// The first link in the text part that contains `needle`.
    pub fn link(&self, needle: &str) -> String {
        self.text
            .split_whitespace()
            .find(|w| w.starts_with("http") && w.contains(needle))
            .unwrap_or_else(|| panic!("no link with {needle:?} in:\n{}", self.text))
            .to_owned()
    }
}

/// The messages the local runtime's e-mail binding received, read from wrangler's log
/// (`EDGE_LOG`, which `cargo xtask test` sets).
pub struct Mailbox {
    log: std::path::PathBuf,
}

impl Mailbox {
    /// The mailbox of the edge whose log `EDGE_LOG` names.
    pub fn open() -> Self {
        let log = std::env::var("EDGE_LOG").expect(
            "EDGE_LOG is not set: run these tests through `cargo xtask test` (it names wrangler's log)",
        );
        Self::at(log.into())
    }

    /// The mailbox of the edge logging to `log`.
    pub fn at(log: std::path::PathBuf) -> Self {
        Self { log }
    }

    /// Every message received so far, oldest first: each file the log names, and every other
    /// `.eml` file in the same folders (a `kill -9` can cut the log line of a message the
    /// binding had already written).
    pub fn all(&self) -> Vec<Mail> {
        let text = std::fs::read_to_string(&self.log).unwrap_or_default();
        let mut dirs = std::collections::BTreeSet::new();
        for (i, _) in text.match_indices(".eml") {
            let start = text[..i]
                .rfind(|c: char| c.is_whitespace())
                .map_or(0, |s| s + 1);
            if let Some(dir) = std::path::Path::new(&text[start..i + 4]).parent() {
                dirs.insert(dir.to_owned());
            }
        }
        let mut files: Vec<(std::time::SystemTime, std::path::PathBuf)> = dirs
            .iter()
            .filter_map(|d| std::fs::read_dir(d).ok())
            .flatten()
            .flatten()
            .map(|e| e.path())
            .filter(|p| p.extension().is_some_and(|x| x == "eml"))
            .map(|p| {
                (
                    std::fs::metadata(&p)
                        .and_then(|m| m.modified())
                        .unwrap_or(std::time::UNIX_EPOCH),
                    p,
                )
            })
            .collect();
        files.sort();
        files
            .into_iter()
            .filter_map(|(_, p)| std::fs::read(p).ok())
            .filter_map(|raw| parse_mail(&raw))
            .collect()
    }

    /// Messages to `to`, waiting up to `secs` seconds until there are at least `n`.
    pub fn wait_for(&self, to: &str, n: usize, secs: u64) -> Vec<Mail> {
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(secs);
        loop {
            let got: Vec<Mail> = self.all().into_iter().filter(|m| m.to == to).collect();
            if got.len() >= n || std::time::Instant::now() > deadline {
                return got;
            }
            std::thread::sleep(std::time::Duration::from_millis(200));
        }
    }

    /// Messages to `to` so far.
    pub fn to(&self, to: &str) -> Vec<Mail> {
        self.wait_for(to, 0, 0)
    }
}

/// The message in `raw`, or `None` for a file a `kill -9` cut before the binding finished
/// writing it (an empty or headless file, never handed to anyone).
fn parse_mail(raw: &[u8]) -> Option<Mail> {
    use mail_parser::{MessageParser, MimeHeaders};
    let m = MessageParser::default().parse(raw)?;
    if m.message_id().is_none() {
        return None;
    }
    let addr = |a: Option<&mail_parser::Address>| {
        a.and_then(|a| a.first())
            .map(|a| {
                (
                    a.name().unwrap_or_default().to_owned(),
                    a.address().unwrap_or_default().to_owned(),
                )
            })
            .unwrap_or_default()
    };
    let raw_text = String::from_utf8_lossy(raw).into_owned();
    let head = raw_text.split("\r\n\r\n").next().unwrap_or_default();
    let headers = head
        .replace("\r\n ", " ")
        .replace("\r\n\t", " ")
        .lines()
        .filter_map(|l| l.split_once(':'))
        .map(|(k, v)| (k.trim().to_ascii_lowercase(), v.trim().to_owned()))
        .collect();
    Some(Mail {
        to: addr(m.to()).1,
        from: addr(m.from()),
        subject: m.subject().unwrap_or_default().to_owned(),
        text: m.body_text(0).unwrap_or_default().into_owned(),
        html: m.body_html(0).unwrap_or_default().into_owned(),
        headers,
        attachments: m
            .attachments()
            .map(|a| {
                (
                    a.content_type()
                        .map(|c| format!("{}/{}", c.ctype(), c.subtype().unwrap_or_default()))
                        .unwrap_or_default(),
                    a.attachment_name().unwrap_or_default().to_owned(),
                    String::from_utf8_lossy(a.contents()).into_owned(),
                )
            })
            .collect(),
        raw: raw_text,
    })
}

/// A push or reply LINE's API stand-in accepted.
#[derive(Debug, Clone)]
pub struct LineCall {
    /// `push` or `reply`.
    pub kind: String,
    /// The user or group (push) or the reply token (reply).
    pub to: String,
    /// The text of each message.
    pub texts: Vec<String>,
    /// `X-Line-Retry-Key` (push).
    pub retry_key: String,
}

/// A local stand-in for LINE's Messaging API on the port the local edge's `LINE_API_BASE`
/// names (`LINE_API_PORT`), checking what LINE checks: the Bearer token, a JSON body with `to`
/// (or `replyToken`) and 1 to 5 text messages of 1 to 5,000 characters, a UUID
/// `X-Line-Retry-Key`, answering 409 to a repeated key (and recording it once). Recipients
/// whose id starts with `Ufail` get a 500 for their first two pushes, `Ulimit` a 429 for the
/// first; `Ubad`, a 400.
pub struct LineApi {
    calls: std::sync::Arc<std::sync::Mutex<Vec<LineCall>>>,
}

impl LineApi {
    /// The one server of this test process (started on first use).
    pub fn get() -> &'static LineApi {
        static API: std::sync::OnceLock<LineApi> = std::sync::OnceLock::new();
        API.get_or_init(|| {
            let port: u16 = std::env::var("LINE_API_PORT")
                .ok()
                .and_then(|p| p.parse().ok())
                .unwrap_or(18791);
            let token = std::env::var("LINE_CHANNEL_ACCESS_TOKEN")
                .expect("LINE_CHANNEL_ACCESS_TOKEN is not set: run through `cargo xtask test`");
            let listener = std::net::TcpListener::bind(("127.0.0.1", port))
                .unwrap_or_else(|e| panic!("the LINE stand-in cannot listen on {port}: {e}"));
            let calls = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
            let log = calls.clone();
            std::thread::spawn(move || {
                let mut keys = std::collections::HashSet::new();
                let mut failures: std::collections::HashMap<String, u32> = Default::default();
                for stream in listener.incoming().flatten() {
                    let (status, body) =
                        line_answer(&stream, &token, &log, &mut keys, &mut failures);
                    let mut s = stream;
                    use std::io::Write;
                    let _ = write!(
                        s,
                        "HTTP/1.1 {status}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
                        body.len()
                    );
                }
            });
            LineApi { calls }
        })
    }

    /// Calls to or for `to`, waiting up to `secs` seconds for at least `n`.
    pub fn wait_for(&self, to: &str, n: usize, secs: u64) -> Vec<LineCall> {
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(secs);
        loop {
            let got: Vec<LineCall> = self
                .calls
                .lock()
                .unwrap()
                .iter()
                .filter(|c| c.to == to)
                .cloned()
                .collect();
            if got.len() >= n || std::time::Instant::now() > deadline {
                return got;
            }
            std::thread::sleep(std::time::Duration::from_millis(100));
        }
    }
}

/// One HTTP/1.1 request from `stream`: its request line, its headers (names lowercased) and
/// its body (by `Content-Length`), for the tests' stand-in servers.
pub fn read_request(stream: &std::net::TcpStream) -> (String, Vec<(String, String)>, Vec<u8>) {
    use std::io::{BufRead, Read};
    let mut reader = std::io::BufReader::new(stream.try_clone().unwrap());
    let mut first = String::new();
    let _ = reader.read_line(&mut first);
    let mut headers = Vec::new();
    let mut line = String::new();
    loop {
        line.clear();
        if reader.read_line(&mut line).unwrap_or(0) == 0 || line.trim().is_empty() {
            break;
        }
        if let Some((k, v)) = line.split_once(':') {
            headers.push((k.trim().to_ascii_lowercase(), v.trim().to_owned()));
        }
    }
    let len: usize = headers
        .iter()
        .find(|(k, _)| k == "content-length")
        .and_then(|(_, v)| v.parse().ok())
        .unwrap_or(0);
    let mut body = vec![0; len];
    let _ = reader.read_exact(&mut body);
    (first, headers, body)
}

fn line_answer(
    stream: &std::net::TcpStream,
    token: &str,
    log: &std::sync::Mutex<Vec<LineCall>>,
    keys: &mut std::collections::HashSet<String>,
    failures: &mut std::collections::HashMap<String, u32>,
) -> (&'static str, String) {
    let (first, headers, body) = read_request(stream);
    let headers: std::collections::HashMap<String, String> = headers.into_iter().collect();
    let bad = |why: &str| {
        (
            "400 Bad Request",
            serde_json::json!({ "message": "The request body has 1 error(s)", "details": [{ "message": why, "property": "messages" }] }).to_string(),
        )
    };
    if headers.get("authorization").map(String::as_str) != Some(&format!("Bearer {token}")) {
        return (
            "401 Unauthorized",
            r#"{"message":"Authentication failed. Confirm that the access token in the authorization header is valid."}"#.into(),
        );
    }
    if !headers
        .get("content-type")
        .is_some_and(|c| c.starts_with("application/json"))
    {
        return (
            "415 Unsupported Media Type",
            r#"{"message":"Unsupported Media Type"}"#.into(),
        );
    }
    let Ok(v) = serde_json::from_slice::<serde_json::Value>(&body) else {
        return bad("The request body is not JSON");
    };
    let push = first.starts_with("POST /v2/bot/message/push ");
    let reply = first.starts_with("POST /v2/bot/message/reply ");
    if !push && !reply {
        return ("404 Not Found", r#"{"message":"Not found"}"#.into());
    }
    let to = if push { &v["to"] } else { &v["replyToken"] };
    let Some(to) = to.as_str().filter(|t| !t.is_empty()) else {
        return bad("must be specified: to / replyToken");
    };
    let Some(messages) = v["messages"]
        .as_array()
        .filter(|m| (1..=5).contains(&m.len()))
    else {
        return bad("messages: size must be between 1 and 5");
    };
    let mut texts = Vec::new();
    for m in messages {
        let text = m["text"].as_str().unwrap_or_default();
        if m["type"] != "text" || text.is_empty() || text.chars().count() > 5000 {
            return bad("messages[].text: a text message of 1 to 5000 characters");
        }
        texts.push(text.to_owned());
    }
    let mut retry_key = String::new();
    if push {
        retry_key = headers.get("x-line-retry-key").cloned().unwrap_or_default();
        let uuid = retry_key.len() == 36
            && retry_key.chars().enumerate().all(|(i, c)| {
                if [8, 13, 18, 23].contains(&i) {
                    c == '-'
                } else {
                    c.is_ascii_hexdigit()
                }
            });
        if !retry_key.is_empty() && !uuid {
            return bad("X-Line-Retry-Key must be a UUID");
        }
        if to.starts_with("Ubad") {
            return (
                "400 Bad Request",
                r#"{"message":"Failed to send messages"}"#.into(),
            );
        }
        if to.starts_with("Ulimit") {
            let n = failures.entry(to.to_owned()).or_insert(0);
            *n += 1;
            if *n <= 1 {
                return (
                    "429 Too Many Requests",
                    r#"{"message":"You have reached your monthly limit."}"#.into(),
                );
            }
        }
        if to.starts_with("Ufail") {
            let n = failures.entry(to.to_owned()).or_insert(0);
            *n += 1;
            if *n <= 2 {
                return (
                    "500 Internal Server Error",
                    r#"{"message":"An error occurred in the internal server"}"#.into(),
                );
            }
        }
        if !retry_key.is_empty() && !keys.insert(retry_key.clone()) {
            return (
                "409 Conflict",
                r#"{"message":"The retry key is already accepted"}"#.into(),
            );
        }
    }
    log.lock().unwrap().push(LineCall {
        kind: if push { "push" } else { "reply" }.into(),
        to: to.to_owned(),
        texts,
        retry_key,
    });
    (
        "200 OK",
        if push {
            r#"{"sentMessages":[]}"#.into()
        } else {
            "{}".into()
        },
    )
}

impl TestApp {
    /// Posts `body` to the edge's LINE webhook signed with the local channel secret.
    pub fn line_webhook(&self, body: &serde_json::Value) -> Reply {
        use base64::Engine;
        use hmac::{Hmac, Mac};
        let secret = std::env::var("LINE_CHANNEL_SECRET")
            .expect("LINE_CHANNEL_SECRET is not set: run through `cargo xtask test`");
        let text = body.to_string();
        let mut mac = Hmac::<sha2::Sha256>::new_from_slice(secret.as_bytes()).unwrap();
        mac.update(text.as_bytes());
        let sig = base64::engine::general_purpose::STANDARD.encode(mac.finalize().into_bytes());
        self.send(
            "POST",
            "/v1/line/webhook",
            &[
                ("content-type", "application/json"),
                ("x-line-signature", &sig),
            ],
            text.as_bytes(),
        )
    }
}

/// A LINE webhook body with one text message from `source` (`{"type": "user", "userId": …}`).
pub fn line_text(source: serde_json::Value, text: &str, reply_token: &str) -> serde_json::Value {
    serde_json::json!({
        "destination": "Ualliance",
        "events": [{
            "type": "message", "mode": "active", "timestamp": 1764700000000u64,
            "webhookEventId": unique_id("evt"), "deliveryContext": { "isRedelivery": false },
            "replyToken": reply_token, "source": source,
            "message": { "type": "text", "id": "1", "quoteToken": "q", "text": text }
        }]
    })
}

/// Now, milliseconds since the epoch.
pub fn now_ms() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_millis() as u64
}

/// A fixed-offset zone (`Etc/GMT…`, whose sign is POSIX's, inverted) where the local hour is
/// now `hour`, and its offset in hours.
pub fn zone_at(hour: u64) -> (String, i64) {
    let utc_hour = (now_ms() / 3_600_000) % 24;
    let mut offset = hour as i64 - utc_hour as i64;
    if offset > 14 {
        offset -= 24;
    }
    if offset < -12 {
        offset += 24;
    }
    let name = match offset {
        0 => "Etc/GMT".to_owned(),
        o if o > 0 => format!("Etc/GMT-{o}"),
        o => format!("Etc/GMT+{}", -o),
    };
    (name, offset)
}

/// `days` from today (in the zone of `offset` hours) at `hour`:00, as RFC 3339 with the offset.
pub fn local_slot(offset: i64, days: u64, hour: u32) -> String {
    let local = (now_ms() as i64 + offset * 3_600_000) as u64 + days * 86_400_000;
    let day = shared::format_rfc3339(local);
    let sign = if offset < 0 { '-' } else { '+' };
    format!("{}T{hour:02}:00:00{sign}{:02}:00", &day[..10], offset.abs())
}

/// Links a new LINE user to `shop`'s staff through the console and the signed webhook, as a
/// shop does; returns the LINE user's id.
pub fn link_staff_line(app: &TestApp, key: &str, shop: &str) -> String {
    let id = unique_id("Ustaff");
    link_staff_line_as(app, key, shop, &id);
    id
}

/// The link code a LINE page or the console's Messages page shows.
pub fn line_code_in(page: &Reply) -> String {
    let at = page
        .body
        .find("class=\"code\">")
        .expect("a code on the page")
        + "class=\"code\">".len();
    page.body[at..].split('<').next().unwrap().to_owned()
}

/// Links the LINE user `id` to `shop`'s staff (the stand-in treats some id prefixes specially).
pub fn link_staff_line_as(app: &TestApp, key: &str, shop: &str, id: &str) {
    // Listening before the webhook: the edge's reply to the code goes to it at once.
    let api = LineApi::get();
    let console = Console::new(app);
    let (cookie, page) = console.open(key, &format!("/console/shop/{shop}/messages"));
    let made = console.submit(
        &format!("/console/shop/{shop}/messages/line"),
        &cookie,
        &Console::csrf(&page),
        &[],
    );
    assert_eq!(made.status, 200, "{}", made.body);
    let code = line_code_in(&made);
    let hook = app.line_webhook(&line_text(
        serde_json::json!({ "type": "user", "userId": id }),
        &code,
        &format!("rt-{id}"),
    ));
    assert_eq!(hook.status, 200, "{}", hook.body);
    let reply = api.wait_for(&format!("rt-{id}"), 1, 10);
    assert!(
        reply.first().is_some_and(|r| r.texts[0].contains("Linked")),
        "linked: {reply:?}"
    );
}

impl LineApi {
    /// How many pushes to `to` carried `needle`.
    pub fn count(&self, to: &str, needle: &str) -> usize {
        self.wait_for(to, 0, 0)
            .iter()
            .filter(|c| c.kind == "push" && c.texts.iter().any(|t| t.contains(needle)))
            .count()
    }
}
