//! What the shop console reads and changes inside the shop's object: the bookings list and its
//! status changes (completing a visit issues the customer's review link), recent reviews with
//! their replies, webhook deliveries and their retry, and the shop's figures.

use super::bookings::BookingRow;
use super::views::{
    CountReq, Delivery, ListReq, RetryReq, SentReq, ShopAction, ShopBooking, ShopReview, Stats,
    StatusReq,
};
use super::ShopDo;
use crate::error::{ApiError, ApiResult};
use crate::http;
use serde::{Deserialize, Serialize};
use shared::{BookingStatus, LocalizedText, ProblemKind, Reply, ReviewToken, Shop};
use worker::Response;

fn json<T: Serialize>(value: &T, status: u16) -> ApiResult<Response> {
    let body = serde_json::to_string(value)?;
    Ok(http::json(body, status))
}

/// The page a review link opens: the shop's widget page, else its first allowed origin. The
/// token rides in the fragment (`#review=…`), which the browser never sends to the shop's server
/// and which stays out of `location.search`, where host-page analytics record addresses; the
/// widget removes it from the address bar once read.
pub fn review_link(shop: &Shop, token: &str) -> Option<String> {
    shop_link(shop, "review", token)
}

/// A link to the shop's widget page carrying `token` as `#{name}=…` (the review and manage
/// links), or `None` when the shop has no page and no origin.
pub fn shop_link(shop: &Shop, name: &str, token: &str) -> Option<String> {
    let base = shop.page_url.clone().or_else(|| {
        shop.membership
            .allowed_origins
            .first()
            .map(|o| format!("{}/", o.as_str()))
    })?;
    let base = base.split('#').next().unwrap_or_default();
    Some(format!("{base}#{name}={token}"))
}

impl ShopDo {
    fn shop_booking(&self, shop: &Shop, row: &BookingRow) -> ApiResult<ShopBooking> {
        let start_ms = row.start_ms as u64;
        Ok(ShopBooking {
            reference: row.reference.to_string(),
            service: row.service.clone(),
            service_name: shop
                .services
                .iter()
                .find(|s| s.id == row.service)
                .map(|s| s.name.clone())
                .unwrap_or_else(|| LocalizedText {
                    zh_tw: row.service.clone(),
                    en: row.service.clone(),
                }),
            start: shared::local_rfc3339(start_ms, &shop.time_zone)
                .unwrap_or_else(|| shared::format_rfc3339(start_ms)),
            start_ms,
            end_ms: row.end_ms as u64,
            status: row.status()?,
            seen: row.seen_ms.is_some(),
            reason: row.reason.clone(),
            review_link: row.review_link.clone(),
            referred_by: row.referred_by.clone(),
            alliance_visit: row.alliance_visit.map(|n| n as u32),
            attending: row.attending_ms.is_some(),
            ready: row.ready_ms.is_some(),
            email_off: row.email_off_ms.is_some(),
            form: row.form()?,
        })
    }

    /// The bookings starting in a window, earliest first.
    pub(super) fn shop_bookings(&self, req: ListReq) -> ApiResult<Response> {
        let shop = self.shop_profile()?;
        let rows = self.booking_rows(
            "SELECT * FROM bookings WHERE start_ms >= ? AND start_ms < ? ORDER BY start_ms LIMIT 500",
            vec![(req.from_ms as i64).into(), (req.to_ms as i64).into()],
        )?;
        let list = rows
            .iter()
            .map(|r| self.shop_booking(&shop, r))
            .collect::<ApiResult<Vec<_>>>()?;
        json(&list, 200)
    }

    /// One booking by reference.
    pub(super) fn shop_booking_one(&self, reference: &str) -> ApiResult<Response> {
        let shop = self.shop_profile()?;
        let row = self.booking(reference)?;
        json(&self.shop_booking(&shop, &row)?, 200)
    }

    /// Applies a shop's status change; refuses a change the booking's state does not allow.
    pub(super) async fn shop_status(&self, req: StatusReq) -> ApiResult<Response> {
        use BookingStatus::*;
        let shop = self.shop_profile()?;
        let row = self.booking(&req.reference)?;
        let now = js_sys::Date::now() as u64;
        let from = row.status()?;
        let conflict = |detail: String| ApiError::field(ProblemKind::Conflict, "action", detail);
        let (to, event) = match (req.action, from) {
            (ShopAction::Confirm, Confirmed) => (Confirmed, None),
            (ShopAction::Arrived, Confirmed) => (Arrived, Some("booking.arrived")),
            (ShopAction::Ready, Arrived) if row.ready_ms.is_none() => {
                (Arrived, Some("booking.ready"))
            }
            (ShopAction::Complete, Confirmed | Arrived) => (Completed, Some("booking.completed")),
            (ShopAction::NoShow, Confirmed) if (row.start_ms as u64) <= now => {
                (NoShow, Some("booking.no-show"))
            }
            (ShopAction::NoShow, Confirmed) => {
                return Err(conflict(format!(
                    "booking {} has not started yet, so it cannot be a no-show",
                    row.reference
                )))
            }
            (ShopAction::Cancel, Confirmed | Arrived) => (Cancelled, Some("booking.cancelled")),
            (action, status) => {
                return Err(conflict(format!(
                    "booking {} is {}; it cannot be marked {}",
                    row.reference,
                    status.as_str(),
                    action.as_str()
                )))
            }
        };
        let reason = match req.action {
            ShopAction::Cancel => {
                let r = req.reason.as_deref().map(str::trim).unwrap_or_default();
                if r.chars().count() < 3 || r.chars().count() > 300 {
                    return Err(ApiError::field(
                        ProblemKind::InvalidBody,
                        "reason",
                        "a cancellation needs a reason of 3 to 300 characters for the customer",
                    ));
                }
                Some(r.to_owned())
            }
            _ => None,
        };
        let link = if to == Completed {
            let token = ReviewToken::new(
                shop.id.clone(),
                row.reference.clone(),
                Some(row.service.clone()),
                now / 1000,
            );
            review_link(&shop, &token.sign(self.secrets()?.link()))
        } else {
            None
        };
        let status = to.as_str();
        if req.action == ShopAction::Ready {
            self.exec(
                "UPDATE bookings SET ready_ms = ? WHERE reference = ?",
                vec![(now as i64).into(), row.reference.as_str().into()],
            )?;
        }
        self.exec("UPDATE bookings SET status = ?, seen_ms = COALESCE(seen_ms, ?), changed_ms = ?, reason = COALESCE(?, reason), review_link = COALESCE(?, review_link) WHERE reference = ?",
                vec![
                    status.into(),
                    (now as i64).into(),
                    (now as i64).into(),
                    reason.map(Into::into).unwrap_or(worker::SqlStorageValue::Null),
                    link.map(Into::into).unwrap_or(worker::SqlStorageValue::Null),
                    row.reference.as_str().into(),
                ])?;
        if let Some(kind) = event {
            self.enqueue(kind, &shop, &row.reference, super::messages::By::Shop)?;
        }
        self.bump()?;
        if to == Completed {
            if let Some(visitor) = &row.visitor {
                // A visit counts when the shop completes it, never when it is booked: booking
                // and cancelling cannot inflate or probe anyone's count. The completion stands
                // whatever happens here; a failed count only leaves the number out.
                match self.count_alliance_visit(visitor).await {
                    Ok(n) => {
                        self.exec(
                            "UPDATE bookings SET alliance_visit = ? WHERE reference = ?",
                            vec![i64::from(n).into(), row.reference.as_str().into()],
                        )?;
                    }
                    Err(e) => worker::console_error!("counting a visit failed: {e:?}"),
                }
            }
            // The alliance-wide warranty lookup finds the visit by its reference.
            crate::store::Store::open(&self.env)?
                .put_visit(&row.reference, &shop.id)
                .await?;
        }
        self.flush().await?;
        self.shop_booking_one(&row.reference)
    }

    /// The newest reviews with their replies, hidden ones included with their text.
    pub(super) fn shop_reviews(&self) -> ApiResult<Response> {
        let rows = self.rows(
            "SELECT * FROM reviews ORDER BY created_ms DESC, id LIMIT 100",
            vec![],
        )?;
        let list: Vec<ShopReview> = rows
            .iter()
            .map(|r| ShopReview {
                id: r.id.clone(),
                created_at: r.created_at.clone(),
                stars: r.stars as u8,
                text: r.text.clone(),
                service: r.service.clone(),
                author: shared::short_name(&r.author),
                reply: r.reply_text.clone().map(|text| Reply {
                    text,
                    updated_at: r.reply_at.clone().unwrap_or_default(),
                }),
                hidden: r
                    .hidden
                    .as_deref()
                    .and_then(|h| serde_json::from_value(h.into()).ok()),
            })
            .collect();
        json(&list, 200)
    }

    /// The newest 50 webhook events and their delivery state.
    pub(super) fn deliveries(&self) -> ApiResult<Response> {
        #[derive(Deserialize)]
        struct D {
            id: String,
            kind: String,
            body: String,
            attempts: f64,
            next_ms: f64,
            delivered_ms: Option<f64>,
            last_error: Option<String>,
        }
        let rows: Vec<D> = self.query("SELECT id, kind, body, attempts, next_ms, delivered_ms, last_error FROM outbox ORDER BY seq DESC LIMIT 50",
                None)?;
        let list: Vec<Delivery> = rows
            .into_iter()
            .map(|d| Delivery {
                reference: serde_json::from_str::<serde_json::Value>(&d.body)
                    .ok()
                    .and_then(|v| {
                        let b = if v.get("data").is_some() {
                            &v["data"]["booking"]
                        } else {
                            &v["booking"]
                        };
                        b["reference"].as_str().map(str::to_owned)
                    })
                    .unwrap_or_default(),
                id: d.id,
                kind: d.kind,
                attempts: d.attempts as u32,
                next_ms: d.next_ms as u64,
                delivered_ms: d.delivered_ms.map(|v| v as u64),
                last_error: d.last_error,
            })
            .collect();
        json(&list, 200)
    }

    /// Makes an undelivered event (and so everything queued behind it) due now.
    pub(super) async fn retry(&self, req: RetryReq) -> ApiResult<Response> {
        let cursor = self.exec(
            "UPDATE outbox SET next_ms = ? WHERE id = ? AND delivered_ms IS NULL",
            vec![(js_sys::Date::now() as i64).into(), req.id.clone().into()],
        )?;
        if cursor.rows_written() == 0 {
            return Err(ApiError::field(
                ProblemKind::NotFound,
                "id",
                format!("no undelivered event {}", req.id),
            ));
        }
        self.schedule().await;
        json(
            &super::protocol::Retried {
                id: req.id,
                due: "now".into(),
            },
            202,
        )
    }

    /// The shop's figures.
    pub(super) fn stats(&self) -> ApiResult<Response> {
        let count =
            |q: &str| -> ApiResult<u64> { Ok(self.number(q, vec![])?.unwrap_or(0.0) as u64) };
        let week_ago = js_sys::Date::now() as i64 - 7 * 86_400_000;
        json(
            &Stats {
                bookings: count("SELECT COUNT(*) AS n FROM bookings")?,
                completed: count("SELECT COUNT(*) AS n FROM bookings WHERE status = 'completed'")?,
                no_shows: count("SELECT COUNT(*) AS n FROM bookings WHERE status = 'no-show'")?,
                reviews: count("SELECT COUNT(*) AS n FROM reviews")?,
                referrals_sent: count("SELECT COUNT(*) AS n FROM referrals_sent")?,
                referrals_received: count(
                    "SELECT COUNT(*) AS n FROM bookings WHERE referred_by IS NOT NULL",
                )?,
                invites_week: count(&format!(
                    "SELECT COUNT(*) AS n FROM invites WHERE created_ms > {week_ago}"
                ))?,
                completed_week: count(&format!(
                    "SELECT COUNT(*) AS n FROM bookings WHERE status = 'completed' AND changed_ms > {week_ago}"
                ))?,
            },
            200,
        )
    }
}

impl ShopDo {
    /// Records a customer this shop sent to another member (idempotent by reference).
    pub(super) fn referral_sent(&self, req: SentReq) -> ApiResult<Response> {
        self.exec("INSERT OR IGNORE INTO referrals_sent (reference, to_shop, service, start_ms, created_ms) VALUES (?, ?, ?, ?, ?)",
                vec![
                    req.reference.as_str().into(),
                    req.to_shop.clone().into(),
                    req.service.as_str().into(),
                    (req.start_ms as i64).into(),
                    (js_sys::Date::now() as i64).into(),
                ])?;
        json(&req, 201)
    }

    /// The customers sent to other members, newest first.
    pub(super) fn referrals(&self) -> ApiResult<Response> {
        #[derive(Deserialize)]
        struct R {
            reference: shared::Reference,
            to_shop: String,
            service: shared::ServiceId,
            start_ms: f64,
        }
        let rows: Vec<R> = self.query("SELECT reference, to_shop, service, start_ms FROM referrals_sent ORDER BY created_ms DESC LIMIT 100",
                None)?;
        let list: Vec<SentReq> = rows
            .into_iter()
            .map(|r| SentReq {
                reference: r.reference,
                to_shop: r.to_shop,
                service: r.service,
                start_ms: r.start_ms as u64,
            })
            .collect();
        json(&list, 200)
    }

    /// Asks the alliance's network object to count one more completed visit of `visitor`.
    /// The object's own stub, not `NetworkObject`: that is the edge's client (it counts the
    /// edge's calls), this is one object asking another.
    async fn count_alliance_visit(&self, visitor: &str) -> ApiResult<u32> {
        let ns = self.env.durable_object(super::BINDING)?;
        let stub = ns.id_from_name(super::NETWORK)?.get_stub()?;
        let cmd = CountReq {
            visitor: visitor.to_owned(),
        };
        let req = super::protocol::request(&cmd, super::protocol::NETWORK_SHOP)?;
        let mut resp = stub.fetch_with_request(req).await?;
        let status = resp.status_code();
        let text = resp.text().await?;
        Ok(super::protocol::reply::<CountReq>(status, None, &text)?.n)
    }

    /// The network object: counts one more visit for a visitor's keyed hash; returns the count.
    pub(super) fn count_visit(&self, req: CountReq) -> ApiResult<Response> {
        if req.visitor.len() != 64 || !req.visitor.chars().all(|c| c.is_ascii_hexdigit()) {
            return Err(ApiError::Internal("visitor is not a keyed hash".into()));
        }
        let n = self
            .number(
                "INSERT INTO visits (visitor, n) VALUES (?, 1) ON CONFLICT(visitor) DO UPDATE SET n = n + 1 RETURNING n",
                vec![req.visitor.into()],
            )?
            .unwrap_or(1.0) as u32;
        json(&super::protocol::Counted { n }, 200)
    }
}

/// Body of `POST /retention`: erase personal fields of visits that ended before `before_ms`.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct RetentionReq {
    /// The cut-off, milliseconds since the epoch.
    pub before_ms: u64,
    /// The sweep's "now", for deleting webhook events past their keeping.
    #[serde(default)]
    pub now_ms: Option<u64>,
}

impl ShopDo {
    /// Erases the customer's personal fields of every booking that ended before the cut-off
    /// (once each), and shortens the stored names of reviews written before it; returns counts.
    pub(super) async fn retention(&self, req: RetentionReq) -> ApiResult<Response> {
        // The daily sweep reaches every shop: its next agenda is queued even on a quiet day.
        if let Ok(shop) = self.shop_profile() {
            self.ensure_agenda(&shop)?;
        }
        let rows = self.booking_rows(
            "SELECT * FROM bookings WHERE end_ms < ? AND erased_ms IS NULL",
            vec![(req.before_ms as i64).into()],
        )?;
        for row in &rows {
            self.erase_row(row)?;
        }
        #[derive(Deserialize)]
        struct A {
            id: String,
            author: String,
        }
        let reviews: Vec<A> = self.query(
            "SELECT id, author FROM reviews WHERE created_ms < ?",
            vec![(req.before_ms as i64).into()],
        )?;
        let mut shortened = 0;
        for r in reviews {
            let short = shared::short_name(&r.author);
            if short != r.author {
                self.exec(
                    "UPDATE reviews SET author = ? WHERE id = ?",
                    vec![short.into(), r.id.into()],
                )?;
                shortened += 1;
            }
        }
        if !rows.is_empty() {
            self.bump()?;
        }
        let events_deleted = match req.now_ms {
            Some(now) => self.expire_events(now)?,
            None => 0,
        };
        json(
            &super::protocol::Swept {
                bookings_erased: rows.len() as u64,
                review_names_shortened: shortened,
                events_deleted,
            },
            200,
        )
    }
}
