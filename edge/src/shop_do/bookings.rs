//! Bookings inside the shop's object: the capacity check and the insert happen with no `await`
//! between them, so no two requests can both take the last bay; every change also enqueues a
//! webhook event in the same step (the outbox, `outbox.rs`), so none is lost.

use super::messages::By;
use super::ShopDo;
use crate::error::{ApiError, ApiResult};
use crate::http;
use serde::{Deserialize, Serialize};
use shared::{
    check_slot, format_rfc3339, reference_code, BookingStatus, BookingView, Busy, Handover,
    ManageToken, NewBooking, ProblemKind, Shop, SlotError, SlotQuery,
};
use worker::{Response, SqlStorageValue};

/// Body of `POST /bookings`.
#[derive(Serialize, Deserialize)]
pub struct BookReq {
    /// The validated form.
    pub booking: NewBooking,
    /// The client's `Idempotency-Key`, if any.
    pub idempotency_key: Option<String>,
    /// The keyed hash of the client's address block (/64 or IPv4 address), for the rate limit.
    pub ip: String,
    /// The member whose site referred the customer here.
    #[serde(default)]
    pub referred_by: Option<shared::ShopId>,
    /// With the customer's consent, the keyed hash of their phone number (never the number).
    #[serde(default)]
    pub visitor: Option<String>,
    /// New bookings this shop accepts per hour (the alliance's limit).
    #[serde(default = "default_cap")]
    pub shop_hour_cap: u32,
}

fn default_cap() -> u32 {
    shared::AllianceLimits::default().bookings_per_shop_hour
}

/// Body of the manage actions.
#[derive(Serialize, Deserialize)]
pub struct ManageReq {
    /// The booking's reference.
    pub reference: shared::Reference,
    /// New start for a reschedule, milliseconds since the Unix epoch.
    #[serde(default)]
    pub start_ms: Option<u64>,
}

#[derive(Deserialize)]
pub(super) struct BookingRow {
    pub reference: shared::Reference,
    pub service: String,
    pub start_ms: f64,
    pub end_ms: f64,
    pub bays: f64,
    pub status: String,
    pub form: String,
    pub reason: Option<String>,
    pub review_link: Option<String>,
    pub seen_ms: Option<f64>,
    pub referred_by: Option<String>,
    pub alliance_visit: Option<f64>,
    pub visitor: Option<String>,
    pub idem_hash: Option<String>,
    pub erased_ms: Option<f64>,
    pub email_off_ms: Option<f64>,
    pub attending_ms: Option<f64>,
    pub ready_ms: Option<f64>,
}

/// The shop's booking rules, or 409 when it takes no online bookings.
fn online_rules(shop: &Shop) -> ApiResult<&shared::BookingRules> {
    shop.booking.as_ref().ok_or_else(|| {
        ApiError::client(ProblemKind::Conflict, "this shop takes no online bookings")
    })
}

/// The hash an `Idempotency-Key` is bound to: the validated booking and the referring member,
/// so the same key with another body is refused instead of replaying someone's booking.
fn body_hash(req: &BookReq) -> ApiResult<String> {
    use sha2::{Digest, Sha256};
    let text = serde_json::to_string(&(&req.booking, &req.referred_by))?;
    Ok(hex::encode(&Sha256::digest(text.as_bytes())[..16]))
}

impl BookingRow {
    pub(super) fn form(&self) -> ApiResult<NewBooking> {
        serde_json::from_str(&self.form)
            .map_err(|e| ApiError::Internal(format!("stored booking: {e}")))
    }

    /// The stored status; one this build does not know is an internal error naming it (never
    /// read as some other status).
    pub(super) fn status(&self) -> ApiResult<BookingStatus> {
        BookingStatus::parse(&self.status).ok_or_else(|| {
            ApiError::Internal(format!(
                "booking {}: stored status {:?} is not a status",
                self.reference, self.status
            ))
        })
    }
}

/// Blanks the personal fields of a stored booking form; the car's make, model and year stay
/// (they identify no one and keep the shop's statistics).
pub(super) fn erase_personal(form: &mut NewBooking) {
    form.name.clear();
    form.phone = shared::Phone::erased();
    form.plate = shared::Plate::erased();
    form.notes.clear();
    form.email = None;
    form.mileage = None;
}

fn slot_problem(e: SlotError) -> ApiError {
    match e {
        SlotError::Full => ApiError::field(ProblemKind::SlotFull, "start", e.to_string()),
        _ => ApiError::field(ProblemKind::InvalidBody, "start", e.to_string()),
    }
}

impl ShopDo {
    pub(super) fn shop_profile(&self) -> ApiResult<Shop> {
        let text = self
            .meta("shop_profile")?
            .ok_or_else(|| ApiError::Internal("shop object has no shop profile".into()))?;
        serde_json::from_str(&text).map_err(|e| ApiError::Internal(e.to_string()))
    }

    /// The booking with `reference`, or 404 naming it.
    pub(super) fn booking(&self, reference: &str) -> ApiResult<BookingRow> {
        self.booking_rows(
            "SELECT * FROM bookings WHERE reference = ?",
            vec![reference.into()],
        )?
        .into_iter()
        .next()
        .ok_or_else(|| {
            ApiError::field(
                ProblemKind::NotFound,
                "reference",
                format!("no booking {reference}"),
            )
        })
    }

    pub(super) fn booking_rows(
        &self,
        query: &str,
        bindings: Vec<SqlStorageValue>,
    ) -> ApiResult<Vec<BookingRow>> {
        self.query(query, bindings)
    }

    /// Bookings holding bays in `[from, to)` (confirmed, or the car already here), except `skip`.
    fn busy(&self, from: u64, to: u64, skip: &str) -> ApiResult<Vec<Busy>> {
        let rows = self.booking_rows(
            "SELECT * FROM bookings WHERE status IN ('confirmed', 'arrived') AND start_ms < ? AND end_ms > ? AND reference != ?",
            vec![(to as i64).into(), (from as i64).into(), skip.into()],
        )?;
        Ok(rows
            .iter()
            .map(|r| Busy {
                start_ms: r.start_ms as u64,
                end_ms: r.end_ms as u64,
                bays: r.bays as u8,
            })
            .collect())
    }

    pub(super) fn view(&self, shop: &Shop, row: &BookingRow) -> ApiResult<BookingView> {
        let form = row.form()?;
        let service = shop.services.iter().find(|s| s.id == row.service);
        let cutoff = shop
            .booking
            .as_ref()
            .map(|b| u64::from(b.cancel_cutoff_hours))
            .unwrap_or(24)
            * 3_600_000;
        let start_ms = row.start_ms as u64;
        let manage = ManageToken {
            shop: shop.id.clone(),
            reference: row.reference.clone(),
            exp: start_ms / 1000 + 30 * 86_400,
        };
        let start = shared::local_rfc3339(start_ms, &shop.time_zone)
            .unwrap_or_else(|| format_rfc3339(start_ms));
        Ok(BookingView {
            reference: row.reference.to_string(),
            shop: shop.id.clone(),
            shop_name: shop.name.clone(),
            service: row.service.clone(),
            service_name: service.map(|s| s.name.clone()).unwrap_or_else(|| {
                shared::LocalizedText {
                    zh_tw: row.service.clone(),
                    en: row.service.clone(),
                }
            }),
            start,
            start_ms,
            end_ms: row.end_ms as u64,
            time_zone: shop.time_zone.to_string(),
            status: row.status()?,
            vehicle: format!(
                "{} {} {} ({})",
                form.make,
                form.model,
                form.year,
                form.plate.as_str()
            ),
            handover: form.handover,
            manage_token: manage.sign(self.secrets()?.link()),
            changeable_until_ms: start_ms.saturating_sub(cutoff),
            // Counted when the shop completes the visit, and shown only then: a booking's own
            // answer never reveals how often a phone number has visited.
            alliance_visit: (row.status()? == BookingStatus::Completed)
                .then_some(row.alliance_visit)
                .flatten()
                .map(|n| n as u32),
            referred_by: row
                .referred_by
                .as_deref()
                .and_then(|r| shared::ShopId::parse(r).ok()),
            line: crate::notify::line::Line::from_env(&self.env).is_some()
                && row.erased_ms.is_none(),
        })
    }

    fn view_response(&self, shop: &Shop, reference: &str, status: u16) -> ApiResult<Response> {
        let rows = self.booking_rows(
            "SELECT * FROM bookings WHERE reference = ?",
            vec![reference.into()],
        )?;
        let row = rows.first().ok_or_else(|| {
            ApiError::field(
                ProblemKind::NotFound,
                "reference",
                format!("no booking {reference}"),
            )
        })?;
        let body = serde_json::to_string(&self.view(shop, row)?)?;
        Ok(http::json(body, status))
    }

    pub(super) async fn book(&self, req: BookReq) -> ApiResult<Response> {
        let shop = self.shop_profile()?;
        if let Some(key) = &req.idempotency_key {
            let rows = self.booking_rows(
                "SELECT * FROM bookings WHERE idem = ?",
                vec![key.clone().into()],
            )?;
            if let Some(row) = rows.first() {
                let hash = body_hash(&req)?;
                if row.idem_hash.as_deref().is_some_and(|h| h != hash) {
                    return Err(ApiError::field(
                        ProblemKind::Unprocessable,
                        "idempotency-key",
                        "this Idempotency-Key was used with a different booking; use a new key",
                    ));
                }
                let mut resp = self.view_response(&shop, &row.reference.clone(), 201)?;
                http::set(&mut resp, "idempotent-replayed", "true");
                return Ok(resp);
            }
        }
        let now = js_sys::Date::now() as u64;
        let b = &req.booking;
        let phone_key = self.secrets()?.rate_key(b.phone.as_str());
        let limited = if !self.hit(&format!("book-ip:{}", req.ip), 20, 3_600_000, now as i64)?
            || !self.hit(
                &format!("book-phone:{phone_key}"),
                5,
                86_400_000,
                now as i64,
            )? {
            Some("too many bookings from here; please call the shop")
        } else if self.bookings_since(now.saturating_sub(3_600_000))?
            >= u64::from(req.shop_hour_cap)
        {
            Some("this shop has taken all the online bookings it can this hour; please call the shop or try again later")
        } else {
            None
        };
        if let Some(detail) = limited {
            let mut resp = ApiError::client(ProblemKind::TooManyRequests, detail).into_response();
            http::set(&mut resp, "retry-after", "3600");
            return Ok(resp);
        }
        let rules = online_rules(&shop)?;
        let service = shop
            .services
            .iter()
            .find(|s| s.id == b.service)
            .ok_or_else(|| {
                ApiError::field(
                    ProblemKind::InvalidBody,
                    "service",
                    format!("service {:?} is not offered by this shop", b.service),
                )
            })?;
        let end_ms = b.start_ms + u64::from(service.duration_minutes) * 60_000;
        // From here to the insert there is no await: the check and the write are one step.
        let busy = self.busy(b.start_ms, end_ms, "")?;
        let q = SlotQuery::for_service(&shop, rules, service, &busy, now);
        check_slot(&q, b.start_ms).map_err(slot_problem)?;
        let mut reference = String::new();
        for _ in 0..5 {
            reference = reference_code(crate::secrets::random_bytes()?);
            if self
                .booking_rows(
                    "SELECT * FROM bookings WHERE reference = ?",
                    vec![reference.clone().into()],
                )?
                .is_empty()
            {
                break;
            }
        }
        let form = serde_json::to_string(b)?;
        let idem_hash = match &req.idempotency_key {
            Some(_) => Some(body_hash(&req)?),
            None => None,
        };
        self.exec("INSERT INTO bookings (reference, service, start_ms, end_ms, bays, status, form, idem, created_ms, referred_by, visitor, idem_hash) VALUES (?, ?, ?, ?, ?, 'confirmed', ?, ?, ?, ?, ?, ?)",
                vec![
                    reference.clone().into(),
                    b.service.clone().into(),
                    (b.start_ms as i64).into(),
                    (end_ms as i64).into(),
                    i64::from(service.bays).into(),
                    form.into(),
                    req.idempotency_key.clone().map(SqlStorageValue::from).unwrap_or(SqlStorageValue::Null),
                    (now as i64).into(),
                    req.referred_by.as_ref().map(|r| SqlStorageValue::from(r.to_string())).unwrap_or(SqlStorageValue::Null),
                    req.visitor.clone().map(SqlStorageValue::from).unwrap_or(SqlStorageValue::Null),
                    idem_hash.map(SqlStorageValue::from).unwrap_or(SqlStorageValue::Null),
                ])?;
        self.enqueue("booking.created", &shop, &reference, By::Customer)?;
        self.flush().await?;
        self.view_response(&shop, &reference, 201)
    }

    /// How many bookings were made here since `since_ms` (whatever became of them).
    fn bookings_since(&self, since_ms: u64) -> ApiResult<u64> {
        let n = self.number(
            "SELECT COUNT(*) AS n FROM bookings WHERE created_ms >= ?",
            vec![(since_ms as i64).into()],
        )?;
        Ok(n.unwrap_or(0.0) as u64)
    }

    pub(super) fn get_booking(&self, req: ManageReq) -> ApiResult<Response> {
        let shop = self.shop_profile()?;
        self.view_response(&shop, &req.reference, 200)
    }

    fn changeable(&self, shop: &Shop, row: &BookingRow, now: u64) -> ApiResult<()> {
        if row.status()? != BookingStatus::Confirmed {
            return Err(ApiError::field(
                ProblemKind::Conflict,
                "reference",
                format!("booking {} is {}", row.reference, row.status),
            ));
        }
        let cutoff = shop
            .booking
            .as_ref()
            .map(|b| u64::from(b.cancel_cutoff_hours))
            .unwrap_or(24)
            * 3_600_000;
        if now + cutoff > row.start_ms as u64 {
            return Err(ApiError::field(
                ProblemKind::Conflict,
                "reference",
                format!(
                    "booking {} can no longer be changed online; please call the shop",
                    row.reference
                ),
            ));
        }
        Ok(())
    }

    pub(super) async fn cancel(&self, req: ManageReq) -> ApiResult<Response> {
        let shop = self.shop_profile()?;
        let row = &self.booking(&req.reference)?;
        self.changeable(&shop, row, js_sys::Date::now() as u64)?;
        self.exec(
            "UPDATE bookings SET status = 'cancelled' WHERE reference = ?",
            vec![req.reference.as_str().into()],
        )?;
        self.enqueue("booking.cancelled", &shop, &req.reference, By::Customer)?;
        self.flush().await?;
        self.view_response(&shop, &req.reference, 200)
    }

    pub(super) async fn reschedule(&self, req: ManageReq) -> ApiResult<Response> {
        let shop = self.shop_profile()?;
        let start_ms = req.start_ms.ok_or_else(|| {
            ApiError::field(ProblemKind::InvalidBody, "start", "a new start is required")
        })?;
        let row = &self.booking(&req.reference)?;
        let now = js_sys::Date::now() as u64;
        self.changeable(&shop, row, now)?;
        let rules = online_rules(&shop)?;
        let service = shop
            .services
            .iter()
            .find(|s| s.id == row.service)
            .ok_or_else(|| ApiError::Internal("service gone".into()))?;
        let end_ms = start_ms + u64::from(service.duration_minutes) * 60_000;
        let busy = self.busy(start_ms, end_ms, &req.reference)?;
        let q = SlotQuery::for_service(&shop, rules, service, &busy, now);
        check_slot(&q, start_ms).map_err(slot_problem)?;
        self.exec(
            "UPDATE bookings SET start_ms = ?, end_ms = ? WHERE reference = ?",
            vec![
                (start_ms as i64).into(),
                (end_ms as i64).into(),
                req.reference.as_str().into(),
            ],
        )?;
        self.enqueue("booking.rescheduled", &shop, &req.reference, By::Customer)?;
        self.flush().await?;
        self.view_response(&shop, &req.reference, 200)
    }

    /// Everything stored about the customer of one booking (the manage link's data export).
    pub(super) fn export(&self, req: ManageReq) -> ApiResult<Response> {
        let shop = self.shop_profile()?;
        let row = &self.booking(&req.reference)?;
        let body = serde_json::json!({ "booking": self.view(&shop, row)?, "stored": row.form()? });
        let mut resp = http::json(body.to_string(), 200);
        http::set(
            &mut resp,
            "content-disposition",
            &format!(
                "attachment; filename=\"booking-{}-data.json\"",
                row.reference
            ),
        );
        http::set(&mut resp, "cache-control", "private, no-store");
        Ok(resp)
    }

    /// Erases the customer's personal fields of one booking; an upcoming booking is cancelled
    /// first (and the shop told), since it can no longer be served.
    pub(super) async fn erase(&self, req: ManageReq) -> ApiResult<Response> {
        let shop = self.shop_profile()?;
        let row = &self.booking(&req.reference)?;
        if row.status()? == BookingStatus::Confirmed
            && row.start_ms as u64 > js_sys::Date::now() as u64
        {
            self.exec(
                "UPDATE bookings SET status = 'cancelled' WHERE reference = ?",
                vec![req.reference.as_str().into()],
            )?;
            // Erased first: the shop's system learns of the cancellation, not the person.
            self.erase_row(row)?;
            self.enqueue("booking.cancelled", &shop, &req.reference, By::Customer)?;
        } else {
            self.erase_row(row)?;
        }
        self.bump()?;
        self.flush().await?;

        self.view_response(&shop, &req.reference, 200)
    }

    /// Blanks the personal fields of one stored booking, in its row and in every webhook event
    /// about it still kept (delivered or not), and drops its visit-count hash; the customer's
    /// "delete my data" and the retention sweep both come here.
    pub(super) fn erase_row(&self, row: &BookingRow) -> ApiResult<()> {
        self.erase_events(&row.reference)?;
        self.erase_messages(&row.reference)?;
        self.unlink_line(super::line::UnlinkLine {
            line_id: None,
            reference: Some(row.reference.clone()),
        })?;
        let mut form = row.form()?;
        erase_personal(&mut form);
        let text = serde_json::to_string(&form)?;
        self.exec(
            "UPDATE bookings SET form = ?, erased_ms = ?, visitor = NULL WHERE reference = ?",
            vec![
                text.into(),
                (js_sys::Date::now() as i64).into(),
                row.reference.as_str().into(),
            ],
        )?;
        Ok(())
    }

    /// The future confirmed bookings, as the availability read path needs them.
    pub(super) fn future_busy(&self) -> ApiResult<Vec<Busy>> {
        let now = js_sys::Date::now() as u64;
        // Far future, within JavaScript's safe integers (SQLite values cross as JS numbers).
        self.busy(now, (1u64 << 53) - 1, "")
    }

    /// The shop's private calendar feed (iCalendar).
    pub(super) fn feed(&self) -> ApiResult<Response> {
        let shop = self.shop_profile()?;
        let since = js_sys::Date::now() as i64 - 7 * 86_400_000;
        let rows = self.booking_rows(
            "SELECT * FROM bookings WHERE status IN ('confirmed', 'arrived') AND start_ms >= ? ORDER BY start_ms",
            vec![since.into()],
        )?;
        let mut events = Vec::new();
        for row in &rows {
            let f = row.form()?;
            let service = shop
                .services
                .iter()
                .find(|s| s.id == row.service)
                .map(|s| s.name.zh_tw.clone())
                .unwrap_or_default();
            events.push(crate::ics::Event {
                uid: format!("{}@{}", row.reference, shop.id),
                start_ms: row.start_ms as u64,
                end_ms: row.end_ms as u64,
                summary: format!("{service} · {} {} ({})", f.make, f.model, f.plate.as_str()),
                description: format!(
                    "{} {} · {} · {}{}",
                    row.reference,
                    f.name,
                    f.phone.as_str(),
                    if f.handover == Handover::DropOff {
                        "drop-off"
                    } else {
                        "waits"
                    },
                    if f.notes.is_empty() {
                        String::new()
                    } else {
                        format!(" · {}", f.notes)
                    }
                ),
                location: shop.address.zh_tw.clone(),
            });
        }
        let mut resp = http::text(
            crate::ics::calendar(&shop.name.zh_tw, &events),
            "text/calendar; charset=utf-8",
            200,
        );
        http::set(&mut resp, "cache-control", "private, no-store");
        Ok(resp)
    }
}
