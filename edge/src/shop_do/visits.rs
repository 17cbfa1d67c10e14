//! The visits a review may be of, inside the shop's object: bookings made through the alliance
//! that the shop completed, and visits outside the alliance's booking (walk-ins, phone
//! bookings) that the shop recorded as invites first, with a work-order number, date and
//! service, at most the alliance's number a day. A review token is issued only for one of
//! these, and a review's service, visit date and provenance come from the record.

use super::ShopDo;
use crate::error::{ApiError, ApiResult};
use crate::http;
use serde::{Deserialize, Serialize};
use shared::{BookingStatus, ProblemKind, Provenance};
use worker::{Response, SqlStorageValue};

/// A day, for the invite limit (a rolling 24 hours).
const DAY_MS: i64 = 86_400_000;

/// What the object knows of a reviewed visit.
pub(super) struct VisitRecord {
    /// How it is known.
    pub provenance: Provenance,
    /// Its service, when recorded.
    pub service: Option<String>,
    /// Its shop-local date, `YYYY-MM-DD`, when recorded.
    pub date: Option<String>,
}

/// Body of `POST /invites`: a visit outside the alliance's booking, checked by the edge.
#[derive(Serialize, Deserialize)]
pub struct InviteReq {
    /// The shop's work-order number for the visit.
    pub work_order: shared::VisitId,
    /// The visit's shop-local date, `YYYY-MM-DD` (not in the future, at most 90 days back).
    pub visit_date: String,
    /// The service done.
    pub service: shared::ServiceId,
    /// Invites this shop may make in 24 hours (the alliance's limit).
    pub per_day: u32,
}

/// Answer of `POST /invites`: the visit id the review token is for.
#[derive(Serialize, Deserialize)]
pub struct InviteMade {
    /// `wo-` and the work-order number.
    pub visit: String,
    /// The review code for the receipt (`AB7K-29QF`, 40 random bits): the walk-in customer
    /// enters it after scanning the counter card's "review your last visit" code.
    pub code: String,
}

/// Body of `POST /invites/redeem`: a review code a customer entered.
#[derive(Serialize, Deserialize)]
pub struct RedeemReq {
    /// The code, as printed (`AB7K-29QF`).
    pub code: String,
    /// The shop's today, `YYYY-MM-DD` (a visit more than 90 days back is too old to review).
    pub today: String,
}

/// Answer of `POST /invites/redeem`: the recorded visit to sign a review token for.
#[derive(Serialize, Deserialize)]
pub struct Redeemed {
    /// The visit id.
    pub visit: String,
    /// Its service.
    pub service: String,
}

/// The visit id of an invite for work order `wo` (never a booking reference, which has no `-`
/// prefix of letters).
fn invite_visit(work_order: &str) -> String {
    format!("wo-{work_order}")
}

impl ShopDo {
    /// What is recorded about `visit`. A booking's review token exists only once the shop has
    /// completed it; a visit with no record at all (a link from before invites were recorded)
    /// gets the weaker label, never the stronger.
    pub(super) fn visit_record(&self, visit: &str) -> ApiResult<VisitRecord> {
        let bookings = self.booking_rows(
            "SELECT * FROM bookings WHERE reference = ?",
            vec![visit.into()],
        )?;
        if let Some(b) = bookings.first() {
            if b.status()? != BookingStatus::Completed {
                return Err(ApiError::field(
                    ProblemKind::InvalidToken,
                    "token",
                    "this visit has not been completed",
                ));
            }
            let shop = self.shop_profile()?;
            return Ok(VisitRecord {
                provenance: Provenance::Booked,
                service: Some(b.service.clone()),
                date: shared::local_rfc3339(b.start_ms as u64, &shop.time_zone)
                    .map(|d| d[..10].to_owned()),
            });
        }
        #[derive(Deserialize)]
        struct I {
            visit_date: String,
            service: String,
        }
        let invites: Vec<I> = self.query(
            "SELECT visit_date, service FROM invites WHERE visit = ?",
            vec![visit.into()],
        )?;
        Ok(match invites.into_iter().next() {
            Some(i) => VisitRecord {
                provenance: Provenance::Invited,
                service: Some(i.service),
                date: Some(i.visit_date),
            },
            None => VisitRecord {
                provenance: Provenance::Invited,
                service: None,
                date: None,
            },
        })
    }

    /// Records a visit outside the alliance's booking so that a review link can be made for
    /// it: refused when the work order was already invited, or when the shop has made its
    /// day's number of invites (429, `Retry-After` when the oldest leaves the 24 hours).
    pub(super) fn invite(&self, req: InviteReq) -> ApiResult<Response> {
        let now = js_sys::Date::now() as i64;
        let visit = invite_visit(&req.work_order);
        #[derive(Deserialize)]
        struct Window {
            n: f64,
            oldest: Option<f64>,
        }
        let window: Vec<Window> = self.query(
            "SELECT COUNT(*) AS n, MIN(created_ms) AS oldest FROM invites WHERE created_ms > ?",
            vec![(now - DAY_MS).into()],
        )?;
        let (n, oldest) = window
            .first()
            .map_or((0, None), |w| (w.n as u32, w.oldest.map(|o| o as i64)));
        if n >= req.per_day {
            let wait_s = oldest.map_or(3600, |o| ((o + DAY_MS - now) / 1000).max(1));
            let mut resp = ApiError::client(
                ProblemKind::TooManyRequests,
                format!(
                    "this shop has made its {} review invites of the last 24 hours; completed \
                     bookings still get their links",
                    req.per_day
                ),
            )
            .into_response();
            http::set(&mut resp, "retry-after", &wait_s.to_string());
            return Ok(resp);
        }
        let code = shared::reference_code(crate::secrets::random_bytes()?);
        let done = self.exec("INSERT OR IGNORE INTO invites (visit, work_order, visit_date, service, created_ms, code) VALUES (?, ?, ?, ?, ?, ?)",
                vec![
                    visit.clone().into(),
                    req.work_order.as_str().into(),
                    req.visit_date.into(),
                    req.service.as_str().into(),
                    SqlStorageValue::from(now),
                    code.clone().into(),
                ])?;
        if done.rows_written() == 0 {
            return Err(ApiError::field(
                ProblemKind::Conflict,
                "work_order",
                format!(
                    "work order {} already has a review invite; each visit gets one",
                    req.work_order
                ),
            ));
        }
        let body = serde_json::to_string(&InviteMade { visit, code })?;
        Ok(http::json(body, 201))
    }

    /// The recorded visit a review code stands for, while it may still be reviewed: 404 for a
    /// code no invite has, 409 once the visit has its review, 410 when the visit is more than
    /// 90 days back.
    pub(super) fn redeem(&self, req: RedeemReq) -> ApiResult<Response> {
        #[derive(Deserialize)]
        struct I {
            visit: String,
            service: String,
            visit_date: String,
            reviewed: f64,
        }
        let code = req.code.trim().to_ascii_uppercase();
        let found: Vec<I> = self.query("SELECT visit, service, visit_date, (SELECT COUNT(*) FROM reviews r WHERE r.visit = invites.visit) AS reviewed FROM invites WHERE code = ?",
                vec![code.into()])?;
        let Some(i) = found.into_iter().next() else {
            return Err(ApiError::field(
                ProblemKind::NotFound,
                "code",
                "no visit at this shop has this review code",
            ));
        };
        if i.reviewed > 0.0 {
            return Err(ApiError::field(
                ProblemKind::Conflict,
                "code",
                "this visit has already been reviewed",
            ));
        }
        if shared::check_visit_date(&i.visit_date, &req.today).is_err() {
            return Err(ApiError::field(
                ProblemKind::TokenExpired,
                "code",
                "this visit is more than 90 days ago and can no longer be reviewed",
            ));
        }
        let body = serde_json::to_string(&Redeemed {
            visit: i.visit,
            service: i.service,
        })?;
        Ok(http::json(body, 200))
    }
}
