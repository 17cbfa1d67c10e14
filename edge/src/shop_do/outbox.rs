//! The outbox inside the shop's object: every booking event is a row written in the same step
//! as the booking change, delivered by the object's alarm with backoff (Standard Webhooks
//! signatures, `redirect: manual`), scrubbed on erasure, and deleted after its keeping.

use super::ShopDo;
use crate::error::{ApiError, ApiResult};
use serde::Deserialize;
use shared::{format_rfc3339, Shop};
use worker::Method;

/// Days a delivered webhook event is kept (for the console's log) before it is deleted.
pub const DELIVERED_EVENT_DAYS: i64 = 7;

/// Days an event no receiver took is kept (retrying, then shown as failed) before it is deleted.
pub const UNDELIVERED_EVENT_DAYS: i64 = 30;

impl ShopDo {
    /// Adds an event for the shop's webhook to the outbox, and the messages it means for
    /// people (`messages.rs`), in the same step as the change itself.
    pub(super) fn enqueue(
        &self,
        kind: &str,
        shop: &Shop,
        reference: &str,
        by: super::messages::By,
    ) -> ApiResult<()> {
        let rows = self.booking_rows(
            "SELECT * FROM bookings WHERE reference = ?",
            vec![reference.into()],
        )?;
        let row = rows
            .first()
            .ok_or_else(|| ApiError::Internal("booking vanished".into()))?;
        let form = row.form()?;
        let view = self.view(shop, row)?;
        let id = format!("evt_{}", crate::secrets::random_hex::<8>()?);
        let now = js_sys::Date::now() as u64;
        // The Standard Webhooks payload: `type`, `timestamp`, `data`; the event's id travels in
        // the `webhook-id` header.
        let mut body = serde_json::json!({
            "type": kind,
            "timestamp": format_rfc3339(now),
            "data": {
                "shop": shop.id,
                "booking": {
                    "reference": view.reference, "status": view.status, "service": view.service,
                    "start": view.start, "end": format_rfc3339(view.end_ms), "handover": form.handover,
                    "vehicle": { "make": form.make, "model": form.model, "year": form.year, "plate": form.plate, "mileage": form.mileage },
                    "customer": { "name": form.name, "phone": form.phone, "email": form.email, "locale": form.locale },
                    "notes": form.notes,
                    "reason": row.reason, "review_link": row.review_link,
                }
            }
        });
        if row.erased_ms.is_some() {
            body["data"]["booking"]["erased"] = true.into();
        }
        let seq = self.bump()?;
        self.exec("INSERT INTO outbox (id, seq, kind, body, attempts, next_ms, reference, created_ms) VALUES (?, ?, ?, ?, 0, ?, ?, ?)",
                vec![id.clone().into(), seq.into(), kind.into(), body.to_string().into(), (now as i64).into(), reference.into(), (now as i64).into()])?;
        self.queue_messages(&id, kind, shop, row, by)
    }

    /// Blanks the customer's fields in every kept webhook event about `reference`.
    pub(super) fn erase_events(&self, reference: &str) -> ApiResult<()> {
        #[derive(Deserialize)]
        struct E {
            id: String,
            body: String,
        }
        // Rows from before `reference` was a column are found by their body.
        let events: Vec<E> = self.query("SELECT id, body FROM outbox WHERE reference = ? OR (reference IS NULL AND instr(body, ?) > 0)",
                vec![reference.into(), format!("\"reference\":\"{reference}\"").into()])?;
        for e in events {
            let mut body: serde_json::Value = serde_json::from_str(&e.body)
                .map_err(|err| ApiError::Internal(format!("stored event {}: {err}", e.id)))?;
            // Events from before the Standard Webhooks shape had the booking at the top.
            let b = if body.get("data").is_some() {
                &mut body["data"]["booking"]
            } else {
                &mut body["booking"]
            };
            b["customer"] = serde_json::json!({ "name": "", "phone": "", "email": null, "locale": b["customer"]["locale"].clone() });
            b["vehicle"]["plate"] = "".into();
            b["vehicle"]["mileage"] = serde_json::Value::Null;
            b["notes"] = "".into();
            b["erased"] = true.into();
            self.exec(
                "UPDATE outbox SET body = ? WHERE id = ?",
                vec![body.to_string().into(), e.id.into()],
            )?;
        }
        Ok(())
    }

    /// Deletes webhook events past their keeping: delivered ones after
    /// [`DELIVERED_EVENT_DAYS`], undeliverable ones after [`UNDELIVERED_EVENT_DAYS`]. Returns
    /// how many.
    pub(super) fn expire_events(&self, now_ms: u64) -> ApiResult<u64> {
        let day = 86_400_000i64;
        let now = now_ms as i64;
        let delivered = self
            .exec(
                "DELETE FROM outbox WHERE delivered_ms IS NOT NULL AND delivered_ms < ?",
                vec![(now - DELIVERED_EVENT_DAYS * day).into()],
            )?
            .rows_written();
        let undelivered = self.exec("DELETE FROM outbox WHERE delivered_ms IS NULL AND COALESCE(created_ms, next_ms) < ?",
                vec![(now - UNDELIVERED_EVENT_DAYS * day).into()])?
            .rows_written();
        // Messages to people: kept for the console's log as long as undelivered events.
        self.exec(
            "DELETE FROM messages WHERE state IN ('sent', 'skipped', 'failed') AND COALESCE(sent_ms, due_ms) < ?",
            vec![(now - UNDELIVERED_EVENT_DAYS * day).into()],
        )?;
        // Rate-limit windows long over (their keys are keyed hashes, but need not stay).
        self.exec(
            "DELETE FROM hits WHERE window_start < ?",
            vec![(now - 2 * day).into()],
        )?;
        Ok((delivered + undelivered) as u64)
    }

    /// Drops the events no receiver has taken yet: called when the shop's webhook URL changes,
    /// so a newly set receiver gets only events from after it was set.
    pub(super) fn drop_undelivered(&self) -> ApiResult<()> {
        self.exec("DELETE FROM outbox WHERE delivered_ms IS NULL", None)?;
        Ok(())
    }

    /// Delivers due webhook events in order, one attempt each; failures back off exponentially.
    pub(super) async fn deliver(&self) -> ApiResult<()> {
        #[derive(Deserialize)]
        struct Out {
            id: String,
            body: String,
            attempts: f64,
            next_ms: f64,
        }
        let shop = self.shop_profile()?;
        let Some(url) = shop.webhook_url.clone() else {
            return Ok(());
        };
        let keys = self.secrets()?.webhook_keys(&shop);
        let now = js_sys::Date::now() as i64;
        // In order: the oldest undelivered event goes first, and later ones wait for it.
        let pending: Vec<Out> = self.query("SELECT id, body, attempts, next_ms FROM outbox WHERE delivered_ms IS NULL ORDER BY seq LIMIT 20", None)?;
        for event in pending {
            if event.next_ms as i64 > now {
                break;
            }
            let ts = (js_sys::Date::now() / 1000.0) as u64;
            let signature = crate::secrets::webhook_signature(&keys, &event.id, ts, &event.body);
            let headers = worker::Headers::new();
            headers.set("content-type", "application/json")?;
            headers.set("webhook-id", &event.id)?;
            headers.set("webhook-timestamp", &ts.to_string())?;
            headers.set("webhook-signature", &signature)?;
            let mut init = worker::RequestInit::new();
            // A redirect is never followed: it could lead anywhere the URL check never saw.
            init.with_method(Method::Post)
                .with_headers(headers)
                .with_redirect(worker::RequestRedirect::Manual)
                .with_body(Some(event.body.clone().into()));
            // Checked again at delivery: the rules (or the deployment's switch) may have changed
            // since the URL was saved.
            let outcome = match shared::check_webhook_url(
                &url,
                crate::policy::allow_private_webhooks(&self.env),
            ) {
                Err(why) => Err(why),
                Ok(()) => match worker::Request::new_with_init(&url, &init) {
                    Ok(r) => match worker::Fetch::Request(r).send().await {
                        Ok(resp) if (300..400).contains(&resp.status_code()) => Err(format!(
                            "HTTP {} redirect to {:?}: redirects are not followed; set the final URL",
                            resp.status_code(),
                            crate::http::header(resp.headers(), "location").unwrap_or_default()
                        )),
                        Ok(resp) => Ok(resp.status_code()),
                        Err(e) => Err(e.to_string()),
                    },
                    Err(e) => Err(e.to_string()),
                },
            };
            match outcome {
                Ok(code) if (200..300).contains(&code) => {
                    self.exec(
                        "UPDATE outbox SET delivered_ms = ?, attempts = attempts + 1 WHERE id = ?",
                        vec![(js_sys::Date::now() as i64).into(), event.id.into()],
                    )?;
                }
                other => {
                    let attempts = event.attempts as u32 + 1;
                    let backoff = 1000i64 * (1i64 << attempts.min(12)).min(3600) / 2;
                    let error = match other {
                        Ok(code) => format!("HTTP {code}"),
                        Err(e) => e,
                    };
                    self.exec(
                        "UPDATE outbox SET attempts = ?, next_ms = ?, last_error = ? WHERE id = ?",
                        vec![
                            i64::from(attempts).into(),
                            (js_sys::Date::now() as i64 + backoff).into(),
                            error.into(),
                            event.id.into(),
                        ],
                    )?;
                    // Keep the order: later events wait for this one.
                    break;
                }
            }
        }
        Ok(())
    }

    /// Earliest time an undelivered webhook event is due, if the shop has a webhook.
    pub(super) fn next_delivery(&self) -> ApiResult<Option<i64>> {
        if self
            .shop_profile()
            .ok()
            .and_then(|s| s.webhook_url)
            .is_none()
        {
            return Ok(None);
        }
        let next = self.number(
            "SELECT next_ms AS n FROM outbox WHERE delivered_ms IS NULL ORDER BY seq LIMIT 1",
            vec![],
        )?;
        Ok(next.map(|n| n as i64))
    }
}
