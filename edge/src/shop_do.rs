//! The shop's Durable Object: the single writer of everything about one shop that KV cannot
//! keep correct on its own: its reviews (one per visit, rating summary exact under any
//! concurrency), rate-limit counters, and the projections readers read from KV (the first-view
//! document, review pages). See DESIGN.md.
//!
//! State lives in the object's SQLite database. Every change bumps a version and marks what it
//! touched dirty; [`ShopDo::flush`] then writes the projections to KV under a lock, so KV ends
//! at the latest state whatever order concurrent requests finish in, and bursts coalesce into
//! few KV writes. An alarm retries a flush that failed.

use crate::error::{ApiError, ApiResult};
use crate::http;
use futures_util::lock::Mutex;
use serde::{Deserialize, Serialize};
use shared::{
    format_rfc3339, parse_rfc3339, pick_first_reviews, short_name, HideReason, Locale,
    MembershipStatus, ProblemKind, Provenance, PublicReview, RatingSummary, Reply, Review,
    ReviewContent, ReviewSort, Shop, Stars, WidgetDoc,
};
use worker::{durable_object, Env, Request, Response, Result, SqlStorageValue, State};

/// The Durable Object binding's name in wrangler.toml.
pub const BINDING: &str = "SHOPS";

/// The name of the alliance's network object (same class; no shop id can be spelt so).
pub const NETWORK: &str = "~network";

mod bookings;
mod console;
mod limits;
pub mod line;
mod messages;
mod outbox;
pub mod protocol;
pub mod push;
mod reviews;
mod schema;
mod views;
mod visits;
pub use bookings::{BookReq, ManageReq};
pub use console::{review_link, RetentionReq};
pub use limits::{AttemptReq, AttemptState};
pub use messages::MessageRow;
use reviews::{stars_of, stored_keys, GoneRow, Row};
pub use reviews::{HideReq, ReplyReq, SubmitReq};
pub use views::{
    CountReq, Delivery, ListReq, RetryReq, SentReq, ShopAction, ShopBooking, ShopReview, Stats,
    StatusReq,
};
pub use visits::{InviteMade, InviteReq, RedeemReq, Redeemed};

/// Body of `POST /import`: the shop's first view (profile part) and all its reviews.
#[derive(Serialize, Deserialize)]
pub struct ImportReq {
    /// The shop's full profile (booking rules, services, webhook).
    pub shop: Shop,
    /// The stored first view built from the import.
    pub doc: WidgetDoc,
    /// The shop's reviews; they replace whatever the object held.
    pub reviews: Vec<Review>,
}

/// Body of `PUT /profile`: a new profile part of the first view (name, badge data, network).
#[derive(Serialize, Deserialize)]
pub struct ProfileReq {
    /// The shop's full profile (booking rules, services, webhook).
    pub shop: Shop,
    /// The first view as the admin change built it.
    pub doc: WidgetDoc,
}

/// One shop's single writer.
#[durable_object]
pub struct ShopDo {
    state: State,
    env: Env,
    flushed: Mutex<i64>,
    /// `LINK_SECRET` and its predecessor, read on first use: a new secret is a new deployment,
    /// which starts the object afresh.
    secrets: std::cell::OnceCell<crate::secrets::Secrets>,
}

impl worker::DurableObject for ShopDo {
    fn new(state: State, env: Env) -> Self {
        let sql = state.storage().sql();
        let _ = sql.exec(schema::SCHEMA, None);
        for m in schema::MIGRATIONS {
            let _ = sql.exec(m, None);
        }
        Self {
            state,
            env,
            flushed: Mutex::new(0),
            secrets: std::cell::OnceCell::new(),
        }
    }

    async fn fetch(&self, mut req: Request) -> Result<Response> {
        crate::fault::disarm();
        let resp = self
            .route(&mut req)
            .await
            .unwrap_or_else(ApiError::into_response);
        // After a crash or restart, make sure undelivered webhooks have an alarm again.
        if self
            .state
            .storage()
            .get_alarm()
            .await
            .ok()
            .flatten()
            .is_none()
        {
            if let Ok(Some(_)) = self.next_due() {
                self.schedule().await;
            }
        }
        Ok(resp)
    }

    async fn alarm(&self) -> Result<Response> {
        crate::fault::disarm();
        if let Err(e) = self.flush().await {
            worker::console_error!("flush retry failed: {e:?}");
            let _ = self.state.storage().set_alarm(5_000i64).await;
            return Response::empty();
        }
        if let Err(e) = self.deliver().await {
            worker::console_error!("webhook delivery failed: {e:?}");
        }
        if let Err(e) = self.deliver_messages().await {
            worker::console_error!("message delivery failed: {e:?}");
        }
        self.schedule().await;
        Response::empty()
    }
}

fn sql_err(e: worker::Error) -> ApiError {
    ApiError::Unavailable(format!("durable object sqlite: {e}"))
}

impl ShopDo {
    async fn route(&self, req: &mut Request) -> ApiResult<Response> {
        if let Some(shop) = crate::http::header(req.headers(), "x-shop") {
            self.set_meta("shop", &shop)?;
        }
        if let Some(edge) = crate::http::header(req.headers(), "x-edge") {
            self.learn_edge(&edge)?;
        }
        let path = req.path();
        use protocol::*;
        /// Reads the request as the command whose path it names and runs its handler.
        macro_rules! dispatch {
            ($($cmd:ty => |$arg:pat_param| $body:expr;)*) => {
                $(if path == <$cmd as Command>::PATH {
                    let $arg: $cmd = read::<$cmd>(req).await?;
                    // Each command's code in a poll function of its own (see `outlined`).
                    return crate::outlined::outlined(async { $body }).await;
                })*
            };
        }
        dispatch! {
            ImportReq => |b| self.import(b).await;
            ProfileReq => |b| self.profile(b).await;
            SubmitReq => |b| self.submit(b).await;
            ReplyReq => |b| self.reply(b).await;
            HideReq => |b| self.hide(b).await;
            InviteReq => |b| self.invite(b);
            RedeemReq => |b| self.redeem(b);
            AttemptReq => |b| self.attempt(b);
            BookReq => |b| self.book(b).await;
            GetBooking => |b| self.get_booking(b.0);
            CancelBooking => |b| self.cancel(b.0).await;
            RescheduleBooking => |b| self.reschedule(b.0).await;
            ExportBooking => |b| self.export(b.0);
            EraseBooking => |b| self.erase(b.0).await;
            Feed => |_| self.feed();
            ListReq => |b| self.shop_bookings(b);
            ConsoleBooking => |b| self.shop_booking_one(&b.0.reference);
            StatusReq => |b| self.shop_status(b).await;
            ConsoleReviews => |_| self.shop_reviews();
            Deliveries => |_| self.deliveries();
            RetryReq => |b| self.retry(b).await;
            GetStats => |_| self.stats();
            Referrals => |_| self.referrals();
            SentReq => |b| self.referral_sent(b);
            CountReq => |b| self.count_visit(b);
            RetentionReq => |b| self.retention(b).await;
            Unsubscribe => |b| self.unsubscribe(b.0).await;
            Attend => |b| self.attend(b.0).await;
            AlertsOff => |b| self.alerts_off(b.0);
            Messages => |_| self.messages();
            RetryMessage => |b| self.retry_message(&b.id).await;
            LinkLine => |b| self.link_line(b);
            UnlinkLine => |b| self.unlink_line(b);
            ListLines => |b| self.list_lines(b);
            NewLineCode => |b| self.new_line_code(b);
            RedeemLineCode => |b| self.redeem_line_code(b);
            ForgetLine => |b| self.forget_line(b);
            AddPush => |b| self.add_push(b);
            RemovePush => |b| self.remove_push(b);
            ListPush => |_| self.list_push();
        }
        Err(ApiError::Internal(format!(
            "shop object has no command {path}"
        )))
    }

    /// The one number a query answers in a column named `n` (a count, a returned value), if
    /// it answered a row with one.
    fn number(&self, query: &str, bindings: Vec<SqlStorageValue>) -> ApiResult<Option<f64>> {
        #[derive(Deserialize)]
        struct N {
            n: Option<f64>,
        }
        let rows: Vec<N> = self.query(query, bindings)?;
        Ok(rows.into_iter().next().and_then(|r| r.n))
    }

    fn sql(&self) -> worker::SqlStorage {
        self.state.storage().sql()
    }

    fn meta(&self, k: &str) -> ApiResult<Option<String>> {
        #[derive(Deserialize)]
        struct V {
            v: String,
        }
        let rows: Vec<V> = self.query("SELECT v FROM meta WHERE k = ?", vec![k.into()])?;
        Ok(rows.into_iter().next().map(|r| r.v))
    }

    fn set_meta(&self, k: &str, v: &str) -> ApiResult<()> {
        self.exec(
            "INSERT INTO meta (k, v) VALUES (?, ?) ON CONFLICT(k) DO UPDATE SET v = excluded.v",
            vec![k.into(), v.into()],
        )?;
        Ok(())
    }

    fn version(&self) -> ApiResult<i64> {
        Ok(self
            .meta("version")?
            .and_then(|v| v.parse().ok())
            .unwrap_or(0))
    }

    /// Starts a change: returns the new version to mark dirty rows with.
    fn bump(&self) -> ApiResult<i64> {
        let v = self.version()? + 1;
        self.set_meta("version", &v.to_string())?;
        Ok(v)
    }

    fn rows(&self, query: &str, bindings: Vec<SqlStorageValue>) -> ApiResult<Vec<Row>> {
        self.query(query, bindings)
    }

    /// The deployment's secrets, read once for this object.
    fn secrets(&self) -> ApiResult<&crate::secrets::Secrets> {
        if let Some(secrets) = self.secrets.get() {
            return Ok(secrets);
        }
        let secrets = crate::secrets::Secrets::from_env(&self.env)?;
        Ok(self.secrets.get_or_init(|| secrets))
    }

    /// Runs a statement; the cursor tells how many rows it wrote.
    fn exec(
        &self,
        query: &str,
        bindings: impl Into<Option<Vec<SqlStorageValue>>>,
    ) -> ApiResult<worker::SqlCursor> {
        self.sql().exec(query, bindings).map_err(sql_err)
    }

    /// Runs `query` and decodes every row it returns as `T`.
    fn query<T: serde::de::DeserializeOwned>(
        &self,
        query: &str,
        bindings: impl Into<Option<Vec<SqlStorageValue>>>,
    ) -> ApiResult<Vec<T>> {
        self.sql()
            .exec(query, bindings)
            .and_then(|c| c.to_array())
            .map_err(sql_err)
    }

    /// Exact rating of the visible reviews, and the number hidden.
    fn summary(&self) -> ApiResult<(RatingSummary, u32)> {
        #[derive(Deserialize)]
        struct S {
            stars: f64,
            hidden: f64,
            booked: f64,
            n: f64,
        }
        let groups: Vec<S> = self.query("SELECT stars, hidden IS NOT NULL AS hidden, COALESCE(provenance = 'booked', 0) AS booked, COUNT(*) AS n FROM reviews GROUP BY stars, hidden IS NOT NULL, COALESCE(provenance = 'booked', 0)", None)?;
        let mut rating = RatingSummary::default();
        let mut hidden = 0;
        for g in groups {
            if g.hidden > 0.0 {
                hidden += g.n as u32;
            } else {
                for _ in 0..g.n as u32 {
                    rating.add(stars_of(g.stars)?);
                }
                if g.booked > 0.0 {
                    rating.booked += g.n as u32;
                }
            }
        }
        Ok((rating, hidden))
    }

    async fn import(&self, body: ImportReq) -> ApiResult<Response> {
        let version = self.bump()?;
        let keep: Vec<&str> = body.reviews.iter().map(|r| r.id.as_str()).collect();
        let existing = self.rows("SELECT * FROM reviews", vec![])?;
        for old in existing.iter().filter(|r| !keep.contains(&r.id.as_str())) {
            self.exec(
                "INSERT OR REPLACE INTO gone (id, stars, created_ms, service) VALUES (?, ?, ?, ?)",
                vec![
                    old.id.clone().into(),
                    (old.stars as i64).into(),
                    (old.created_ms as i64).into(),
                    old.service.clone().into(),
                ],
            )?;
            self.exec(
                "DELETE FROM reviews WHERE id = ?",
                vec![old.id.clone().into()],
            )?;
        }
        for r in &body.reviews {
            let ms = parse_rfc3339(&r.created_at).unwrap_or(0) as i64;
            self.exec("INSERT OR REPLACE INTO reviews (id, visit, created_ms, created_at, stars, text, language, service, author, verified, indexed, dirty)
                     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 1, 0, ?)",
                    vec![
                        r.id.clone().into(),
                        format!("import-{}", r.id).into(),
                        ms.into(),
                        r.created_at.clone().into(),
                        i64::from(r.stars.get()).into(),
                        r.text.clone().into(),
                        r.language.tag().into(),
                        r.service.clone().into(),
                        r.author.clone().into(),
                        version.into(),
                    ])?;
        }
        self.set_shop(&body.shop)?;
        self.set_profile(body.doc)?;
        self.flush().await?;
        Ok(http::json("{}".into(), 200))
    }

    fn set_shop(&self, shop: &Shop) -> ApiResult<()> {
        let text = serde_json::to_string(shop)?;
        self.set_meta("shop_profile", &text)
    }

    fn set_profile(&self, doc: WidgetDoc) -> ApiResult<()> {
        let text = serde_json::to_string(&doc)?;
        self.set_meta("profile", &text)
    }

    async fn profile(&self, body: ProfileReq) -> ApiResult<Response> {
        let before = self.shop_profile().ok().and_then(|s| s.webhook_url);
        if before != body.shop.webhook_url {
            // A newly set receiver gets only events from after it was set.
            self.drop_undelivered()?;
        }
        self.bump()?;
        self.set_shop(&body.shop)?;
        self.set_profile(body.doc)?;
        self.flush().await?;
        Ok(http::json("{}".into(), 200))
    }

    /// Counts one request in `bucket`; false when `limit` is already reached in this window.
    fn hit(&self, bucket: &str, limit: i64, window_ms: i64, now: i64) -> ApiResult<bool> {
        let (start, n) = self.window(bucket, window_ms, now)?;
        if n >= limit {
            return Ok(false);
        }
        self.set_window(bucket, start, n + 1)?;
        Ok(true)
    }

    /// The current window of `bucket`: its start and its count (a fresh one once it is over).
    fn window(&self, bucket: &str, window_ms: i64, now: i64) -> ApiResult<(i64, i64)> {
        #[derive(Deserialize)]
        struct H {
            window_start: f64,
            n: f64,
        }
        let rows: Vec<H> = self.query(
            "SELECT window_start, n FROM hits WHERE bucket = ?",
            vec![bucket.into()],
        )?;
        Ok(match rows.first() {
            Some(h) if now - (h.window_start as i64) < window_ms => {
                (h.window_start as i64, h.n as i64)
            }
            _ => (now, 0),
        })
    }

    fn set_window(&self, bucket: &str, start: i64, n: i64) -> ApiResult<()> {
        self.exec(
            "INSERT OR REPLACE INTO hits (bucket, window_start, n) VALUES (?, ?, ?)",
            vec![bucket.into(), start.into(), n.into()],
        )?;
        Ok(())
    }

    /// Writes every projection that is behind the current version, under the lock.
    async fn flush(&self) -> ApiResult<()> {
        let mut flushed = self.flushed.lock().await;
        let version = self.version()?;
        if *flushed >= version {
            return Ok(());
        }
        // In case this flush fails half-way, an alarm finishes it.
        let _ = self.state.storage().set_alarm(10_000i64).await;
        let shop = self
            .meta("shop")?
            .ok_or_else(|| ApiError::Internal("shop object has no shop id".into()))?;
        let store = crate::store::Store::open(&self.env)?;

        let gone: Vec<GoneRow> = self.query("SELECT * FROM gone", None)?;
        for g in &gone {
            let (value, index) = stored_keys(&shop, &g.id, g.stars, g.created_ms, &g.service)?;
            store.delete_keys(&[value]).await?;
            store.delete_keys(&index).await?;
            self.exec("DELETE FROM gone WHERE id = ?", vec![g.id.clone().into()])?;
        }

        let dirty = self.rows(
            "SELECT * FROM reviews WHERE dirty > 0 AND dirty <= ?",
            vec![version.into()],
        )?;
        let mut puts = Vec::new();
        for row in &dirty {
            let (value, index) =
                stored_keys(&shop, &row.id, row.stars, row.created_ms, &row.service)?;
            let json = serde_json::to_string(&row.public()?)?;
            puts.push((value, json));
            if row.indexed == 0.0 {
                puts.extend(index.into_iter().map(|k| (k, String::new())));
            }
        }
        store.put_texts(&puts).await?;

        let profile = self
            .meta("profile")?
            .ok_or_else(|| ApiError::Internal("shop object has no profile".into()))?;
        let mut doc: WidgetDoc = serde_json::from_str(&profile)?;
        let (rating, hidden) = self.summary()?;
        // Keep the alliance-wide figure consistent with this shop's own change.
        if doc.view.membership.status == MembershipStatus::Active {
            doc.view.network.rating.unmerge(&doc.view.rating);
            doc.view.network.rating.merge(&rating);
        }
        doc.view.rating = rating;
        doc.view.hidden_reviews = hidden;
        let newest = self.rows(
            "SELECT * FROM reviews ORDER BY created_ms DESC, id LIMIT 40",
            vec![],
        )?;
        let public: Vec<PublicReview> = newest.iter().map(Row::public).collect::<ApiResult<_>>()?;
        doc.view.reviews = pick_first_reviews(&public);
        store.put_widget(&shop, &doc).await?;
        self.set_profile(doc)?;

        // What the availability read path reads: the future confirmed bookings.
        store.put_busy(&shop, &self.future_busy()?).await?;

        self.exec(
            "UPDATE reviews SET indexed = 1, dirty = 0 WHERE dirty > 0 AND dirty <= ?",
            vec![version.into()],
        )?;
        *flushed = version;
        drop(flushed);
        self.schedule().await;
        Ok(())
    }

    /// When the next webhook event or message is due, if any is waiting.
    fn next_due(&self) -> ApiResult<Option<i64>> {
        let (a, b) = (self.next_delivery()?, self.next_message()?);
        Ok(match (a, b) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        })
    }

    /// Sets the alarm for the next webhook delivery or message, or clears it when nothing is
    /// due.
    async fn schedule(&self) {
        let storage = self.state.storage();
        match self.next_due() {
            Ok(Some(at)) => {
                let delay = (at - js_sys::Date::now() as i64).max(0);
                let _ = storage.set_alarm(delay).await;
            }
            Ok(None) => {
                let _ = storage.delete_alarm().await;
            }
            Err(e) => worker::console_error!("scheduling deliveries failed: {e:?}"),
        }
    }
}
