//! The messages outbox inside the shop's object: what reaches people (the customer's
//! confirmation, reminder, change notices, "your car is ready" and review request; the shop's
//! alerts). Each message is a row written in the same step as the booking change, unique per
//! (event, channel, recipient), delivered by the object's alarm when due (reminders the day
//! before; nothing but confirmations in the quiet hours), retried with backoff per message (a
//! failing channel never holds back another), and shown in the console with its state.
//!
//! A row holds who and what, never the words: they are rendered at delivery from the booking
//! as it is then, so an erased booking sends nothing and a moved one never reminds of the old
//! time.

use super::bookings::{BookingRow, ManageReq};
use super::protocol::MessageEntry;
use super::ShopDo;
use crate::error::{ApiError, ApiResult};
use crate::notify::{self, SendError};
use serde::Deserialize;
use shared::{BookingStatus, Channel, Locale, MessageKind, ProblemKind, Shop};
use worker::Response;

/// Attempts before a message that keeps failing is shown as failed.
pub const MAX_ATTEMPTS: u32 = 8;

/// Who made a booking change: the shop is not alerted about its own.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum By {
    Customer,
    Shop,
}

/// One stored message.
#[derive(Deserialize)]
pub struct MessageRow {
    /// Its id (the e-mail's Message-ID, LINE's retry key).
    pub id: String,
    pub kind: String,
    pub channel: String,
    pub recipient: String,
    pub reference: String,
    pub locale: String,
    pub start_ms: Option<f64>,
    pub due_ms: f64,
    pub attempts: f64,
    pub state: String,
    pub sent_ms: Option<f64>,
    pub last_error: Option<String>,
}

impl ShopDo {
    /// Queues what a booking event means for people, in the same step as the change. `event`
    /// is the webhook event's id (each change is its own event); `kind` its type.
    pub(super) fn queue_messages(
        &self,
        event: &str,
        kind: &str,
        shop: &Shop,
        row: &BookingRow,
        by: By,
    ) -> ApiResult<()> {
        use MessageKind::*;
        let reference = row.reference.as_str();
        let (customer, shop_kind) = match kind {
            "booking.created" => (Some(Confirmation), Some(ShopNew)),
            "booking.rescheduled" => (Some(Rescheduled), Some(ShopRescheduled)),
            "booking.cancelled" => (Some(Cancelled), Some(ShopCancelled)),
            "booking.ready" => (Some(Ready), None),
            "booking.completed" => (row.review_link.as_ref().map(|_| ReviewRequest), None),
            _ => (None, None),
        };
        // Whatever happened, a reminder of the old state is void.
        if kind != "booking.created" && kind != "booking.ready" {
            self.exec(
                "DELETE FROM messages WHERE reference = ? AND kind = 'reminder' AND state IN ('pending', 'retrying')",
                vec![reference.into()],
            )?;
        }
        let now = js_sys::Date::now() as u64;
        let form = row.form()?;
        self.ensure_agenda(shop)?;
        if let Some(k) = customer {
            // The review request goes once per booking, whatever happens after.
            let key = if k == ReviewRequest {
                format!("{reference}:review")
            } else {
                event.to_owned()
            };
            self.queue_customer(&key, k, shop, row, &form, now)?;
        }
        if matches!(kind, "booking.created" | "booking.rescheduled") {
            let hour = shop.reminder_hour.unwrap_or(shared::DEFAULT_REMINDER_HOUR);
            if let Some(at) = shared::reminder_at(row.start_ms as u64, &shop.time_zone, hour) {
                // Booked for tomorrow morning this evening: the confirmation is the reminder.
                if at > now + 3_600_000 {
                    let key = format!("{reference}:reminder:{}", row.start_ms as u64);
                    self.queue_customer_at(&key, Reminder, shop, row, &form, at)?;
                }
            }
        }
        if let (Some(k), By::Customer) = (shop_kind, by) {
            if let Some(to) = self.shop_alert_address(shop)? {
                let due = shared::after_quiet_hours(now, &shop.time_zone);
                self.insert_message(
                    event,
                    k,
                    Channel::Email,
                    &to,
                    reference,
                    Locale::ZhTw,
                    row.start_ms as u64,
                    due,
                )?;
            }
            for sub in self.push_subs()? {
                let due = shared::after_quiet_hours(now, &shop.time_zone);
                self.insert_message(
                    event,
                    k,
                    Channel::Push,
                    &sub.endpoint,
                    reference,
                    Locale::ZhTw,
                    row.start_ms as u64,
                    due,
                )?;
            }
            for line in self.line_ids(None)? {
                let due = shared::after_quiet_hours(now, &shop.time_zone);
                self.insert_message(
                    event,
                    k,
                    Channel::Line,
                    &line,
                    reference,
                    Locale::ZhTw,
                    row.start_ms as u64,
                    due,
                )?;
            }
        }
        Ok(())
    }

    fn queue_customer(
        &self,
        key: &str,
        kind: MessageKind,
        shop: &Shop,
        row: &BookingRow,
        form: &shared::NewBooking,
        now: u64,
    ) -> ApiResult<()> {
        let due = if kind.ignores_quiet_hours() {
            now
        } else {
            shared::after_quiet_hours(now, &shop.time_zone)
        };
        self.queue_customer_at(key, kind, shop, row, form, due)
    }

    fn queue_customer_at(
        &self,
        key: &str,
        kind: MessageKind,
        _shop: &Shop,
        row: &BookingRow,
        form: &shared::NewBooking,
        due: u64,
    ) -> ApiResult<()> {
        if row.erased_ms.is_some() {
            return Ok(());
        }
        if let (Some(email), None) = (&form.email, row.email_off_ms) {
            self.insert_message(
                key,
                kind,
                Channel::Email,
                email,
                row.reference.as_str(),
                form.locale,
                row.start_ms as u64,
                due,
            )?;
        }
        for line in self.line_ids(Some(row.reference.as_str()))? {
            self.insert_message(
                key,
                kind,
                Channel::Line,
                &line,
                row.reference.as_str(),
                form.locale,
                row.start_ms as u64,
                due,
            )?;
        }
        Ok(())
    }

    #[allow(clippy::too_many_arguments)]
    fn insert_message(
        &self,
        event: &str,
        kind: MessageKind,
        channel: Channel,
        recipient: &str,
        reference: &str,
        locale: Locale,
        start_ms: u64,
        due: u64,
    ) -> ApiResult<()> {
        let id = notify::message_id()?;
        self.exec(
            "INSERT OR IGNORE INTO messages (id, event, kind, channel, recipient, reference, locale, start_ms, due_ms, attempts, state, created_ms) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 0, 'pending', ?)",
            vec![
                id.into(),
                event.into(),
                kind.as_str().into(),
                channel.as_str().into(),
                recipient.into(),
                reference.into(),
                locale.tag().into(),
                (start_ms as i64).into(),
                (due as i64).into(),
                (js_sys::Date::now() as i64).into(),
            ],
        )?;
        Ok(())
    }

    /// The shop's alert address, unless it unsubscribed.
    fn shop_alert_address(&self, shop: &Shop) -> ApiResult<Option<String>> {
        if self.meta("alerts_email_off")?.is_some() {
            return Ok(None);
        }
        Ok(shop.alert_email.clone())
    }

    /// Earliest time a message is due, if any is waiting.
    pub(super) fn next_message(&self) -> ApiResult<Option<i64>> {
        Ok(self
            .number(
                "SELECT MIN(due_ms) AS n FROM messages WHERE state IN ('pending', 'retrying')",
                vec![],
            )?
            .map(|n| n as i64))
    }

    /// Sends every due message once; each failure backs off on its own.
    pub(super) async fn deliver_messages(&self) -> ApiResult<()> {
        if let Ok(shop) = self.shop_profile() {
            self.ensure_agenda(&shop)?;
        }
        let now = js_sys::Date::now() as u64;
        let due: Vec<MessageRow> = self.query(
            "SELECT * FROM messages WHERE state IN ('pending', 'retrying') AND due_ms <= ? ORDER BY due_ms LIMIT 25",
            vec![(now as i64).into()],
        )?;
        if due.is_empty() {
            return Ok(());
        }
        let shop = self.shop_profile()?;
        for m in due {
            let outcome = self.deliver_one(&shop, &m, now).await;
            let now = js_sys::Date::now() as i64;
            match outcome {
                Ok(Delivered::Sent) => self.exec(
                    "UPDATE messages SET state = 'sent', sent_ms = ?, attempts = attempts + 1, last_error = NULL WHERE id = ?",
                    vec![now.into(), m.id.into()],
                )?,
                Ok(Delivered::Later(at)) => self.exec(
                    "UPDATE messages SET due_ms = ? WHERE id = ?",
                    vec![(at as i64).into(), m.id.into()],
                )?,
                Ok(Delivered::Void(why)) => self.exec(
                    "UPDATE messages SET state = 'skipped', last_error = ? WHERE id = ?",
                    vec![why.into(), m.id.into()],
                )?,
                Err(SendError::Permanent(why)) => self.exec(
                    "UPDATE messages SET state = 'failed', attempts = attempts + 1, last_error = ? WHERE id = ?",
                    vec![why.into(), m.id.into()],
                )?,
                Err(SendError::Retry(why)) => {
                    let attempts = m.attempts as u32 + 1;
                    let state = if attempts >= MAX_ATTEMPTS { "failed" } else { "retrying" };
                    let backoff = 1000i64 * (1i64 << attempts.min(12)).min(3600);
                    self.exec(
                        "UPDATE messages SET state = ?, attempts = ?, due_ms = ?, last_error = ? WHERE id = ?",
                        vec![state.into(), i64::from(attempts).into(), (now + backoff).into(), why.into(), m.id.into()],
                    )?
                }
            };
        }
        Ok(())
    }

    async fn deliver_one(
        &self,
        shop: &Shop,
        m: &MessageRow,
        now: u64,
    ) -> Result<Delivered, SendError> {
        let internal = |e: ApiError| SendError::Retry(format!("{e:?}"));
        let kind = MessageKind::parse(&m.kind)
            .ok_or_else(|| SendError::Permanent(format!("unknown message kind {}", m.kind)))?;
        let channel = Channel::parse(&m.channel)
            .ok_or_else(|| SendError::Permanent(format!("unknown channel {}", m.channel)))?;
        if !kind.ignores_quiet_hours() {
            let after = shared::after_quiet_hours(now, &shop.time_zone);
            if after > now {
                return Ok(Delivered::Later(after));
            }
        }
        if channel == Channel::Email
            && kind.for_shop()
            && self.meta("alerts_email_off").map_err(internal)?.is_some()
        {
            return Ok(Delivered::Void("the shop unsubscribed".into()));
        }
        if kind == MessageKind::Agenda {
            return self.deliver_agenda(shop, m, channel).await;
        }
        let Some(row) = self
            .booking_rows(
                "SELECT * FROM bookings WHERE reference = ?",
                vec![m.reference.clone().into()],
            )
            .map_err(internal)?
            .into_iter()
            .next()
        else {
            return Ok(Delivered::Void("the booking is gone".into()));
        };
        if row.erased_ms.is_some() {
            return Ok(Delivered::Void("the customer's data was erased".into()));
        }
        if channel == Channel::Email && !kind.for_shop() && row.email_off_ms.is_some() {
            return Ok(Delivered::Void("the customer unsubscribed".into()));
        }
        let status = row.status().map_err(internal)?;
        if kind == MessageKind::Reminder
            && (status != BookingStatus::Confirmed
                || m.start_ms.map(|s| s as u64) != Some(row.start_ms as u64)
                || (row.start_ms as u64) < now)
        {
            return Ok(Delivered::Void(format!(
                "the booking is {}",
                status.as_str()
            )));
        }
        let locale = Locale::from_tag(&m.locale).unwrap_or_default();
        let base = self.edge_base();
        let letter = self
            .letter(shop, &row, kind, locale, &base)
            .map_err(internal)?;
        let words = notify::templates::render(&letter);
        let calendar = (channel == Channel::Email
            && matches!(kind, MessageKind::Confirmation | MessageKind::Rescheduled))
        .then(|| self.calendar_file(shop, &row))
        .transpose()
        .map_err(internal)?;
        self.send_by(
            channel,
            shop,
            m,
            &words,
            &letter.unsubscribe,
            &letter.console,
            calendar,
        )
        .await?;
        Ok(Delivered::Sent)
    }

    /// Sends rendered words by `channel`.
    #[allow(clippy::too_many_arguments)]
    async fn send_by(
        &self,
        channel: Channel,
        shop: &Shop,
        m: &MessageRow,
        words: &notify::templates::Rendered,
        unsubscribe: &str,
        open: &str,
        calendar: Option<(String, String)>,
    ) -> Result<(), SendError> {
        match channel {
            Channel::Email => {
                notify::send_email(&self.env, shop, m, words, unsubscribe, calendar).await
            }
            Channel::Line => {
                let line = notify::line::Line::from_env(&self.env)
                    .ok_or_else(|| SendError::Permanent("LINE is not configured".into()))?;
                line.push(&m.recipient, &words.line, &m.id).await
            }
            Channel::Push => self.send_push(m, words, open).await,
        }
    }

    /// Queues the day's agenda for the shop's next opening (to its alert address, its staff's
    /// LINE and phones), once per day and recipient; called whenever the object runs its
    /// alarm or a booking changes, so the next one is always waiting.
    pub(super) fn ensure_agenda(&self, shop: &Shop) -> ApiResult<()> {
        let Some(rules) = &shop.booking else {
            return Ok(());
        };
        let now = js_sys::Date::now() as u64;
        let Some((date, at)) = shared::next_opening(now, &shop.time_zone, rules) else {
            return Ok(());
        };
        let due = shared::after_quiet_hours(at, &shop.time_zone);
        let event = format!("agenda:{date}");
        let mut to: Vec<(Channel, String)> = Vec::new();
        if let Some(a) = self.shop_alert_address(shop)? {
            to.push((Channel::Email, a));
        }
        to.extend(self.line_ids(None)?.into_iter().map(|l| (Channel::Line, l)));
        to.extend(
            self.push_subs()?
                .into_iter()
                .map(|s| (Channel::Push, s.endpoint)),
        );
        for (channel, recipient) in to {
            self.insert_message(
                &event,
                MessageKind::Agenda,
                channel,
                &recipient,
                &date,
                Locale::ZhTw,
                at,
                due,
            )?;
        }
        Ok(())
    }

    /// The day's agenda: the bookings of the date the message is for (its `reference` field
    /// holds the date); nothing is sent for a day without bookings.
    async fn deliver_agenda(
        &self,
        shop: &Shop,
        m: &MessageRow,
        channel: Channel,
    ) -> Result<Delivered, SendError> {
        let internal = |e: ApiError| SendError::Retry(format!("{e:?}"));
        let Some((from, to)) = shared::local_day(&m.reference, &shop.time_zone) else {
            return Ok(Delivered::Void("not a date".into()));
        };
        let rows = self
            .booking_rows(
                "SELECT * FROM bookings WHERE status IN ('confirmed', 'arrived') AND start_ms >= ? AND start_ms < ? ORDER BY start_ms",
                vec![(from as i64).into(), (to as i64).into()],
            )
            .map_err(internal)?;
        if rows.is_empty() {
            return Ok(Delivered::Void("no bookings that day".into()));
        }
        let l = Locale::ZhTw;
        let mut lines = Vec::new();
        for row in &rows {
            let f = row.form().map_err(internal)?;
            let time = shared::local_rfc3339(row.start_ms as u64, &shop.time_zone)
                .map(|t| t[11..16].to_owned())
                .unwrap_or_default();
            let service = shop
                .services
                .iter()
                .find(|s| s.id == row.service)
                .map(|s| s.name.get(l).to_owned())
                .unwrap_or_else(|| row.service.clone());
            lines.push(format!(
                "{time} {service} · {} · {} {} ({}) · {}",
                f.name,
                f.make,
                f.model,
                f.plate.as_str(),
                row.reference
            ));
        }
        let base = self.edge_base();
        let date = shared::message_time(from, &shop.time_zone, l)
            .map(|d| d.split('）').next().unwrap_or_default().to_owned() + "）")
            .unwrap_or_else(|| m.reference.clone());
        let console = format!("{base}/console/shop/{}/bookings", shop.id);
        let unsubscribe = format!(
            "{base}/v1/shops/{}/alerts/unsubscribe?key={}",
            shop.id,
            self.secrets().map_err(internal)?.derived("alerts", shop)
        );
        let words = notify::templates::render_agenda(
            l,
            shop.name.get(l),
            &date,
            &lines,
            &console,
            &unsubscribe,
        );
        self.send_by(channel, shop, m, &words, &unsubscribe, &console, None)
            .await?;
        Ok(Delivered::Sent)
    }

    /// This edge's public base URL: `PUBLIC_BASE_URL`, else the origin the edge last told the
    /// object it answers on.
    pub(super) fn edge_base(&self) -> String {
        crate::policy::public_base(&self.env)
            .or_else(|| self.meta("edge").ok().flatten())
            .unwrap_or_default()
    }

    fn letter(
        &self,
        shop: &Shop,
        row: &BookingRow,
        kind: MessageKind,
        l: Locale,
        base: &str,
    ) -> ApiResult<notify::templates::Letter> {
        let view = self.view(shop, row)?;
        let form = row.form()?;
        let token = &view.manage_token;
        let manage = super::console::shop_link(shop, "manage", token)
            .unwrap_or_else(|| format!("{base}/shops/{}", shop.id));
        let unsubscribe = if kind.for_shop() {
            format!(
                "{base}/v1/shops/{}/alerts/unsubscribe?key={}",
                shop.id,
                self.secrets()?.derived("alerts", shop)
            )
        } else {
            format!("{base}/v1/bookings/{token}/unsubscribe")
        };
        Ok(notify::templates::Letter {
            kind,
            locale: l,
            shop: shop.name.get(l).to_owned(),
            shop_phone: shop.phone.clone(),
            address: shop.address.get(l).to_owned(),
            map: format!(
                "https://www.google.com/maps/search/?api=1&query={},{}",
                shop.latitude, shop.longitude
            ),
            service: view.service_name.get(l).to_owned(),
            when: shared::message_time(view.start_ms, &shop.time_zone, l).unwrap_or(view.start),
            reference: view.reference.clone(),
            manage,
            calendar: format!("{base}/v1/bookings/{token}/calendar.ics"),
            attend: format!("{base}/v1/bookings/{token}/attend"),
            review: row.review_link.clone(),
            reason: row.reason.clone(),
            customer: format!("{} · {}", form.name, form.phone.as_str()),
            vehicle: view.vehicle.clone(),
            console: format!(
                "{base}/console/shop/{}/bookings/{}",
                shop.id, view.reference
            ),
            unsubscribe,
        })
    }

    fn calendar_file(&self, shop: &Shop, row: &BookingRow) -> ApiResult<(String, String)> {
        let view = self.view(shop, row)?;
        let event = crate::ics::Event {
            uid: format!("{}@{}", view.reference, shop.id),
            start_ms: view.start_ms,
            end_ms: view.end_ms,
            summary: format!("{} · {}", view.service_name.zh_tw, shop.name.zh_tw),
            description: format!("{} · {}", view.reference, shop.phone),
            location: shop.address.zh_tw.clone(),
        };
        Ok((
            format!("booking-{}.ics", view.reference),
            crate::ics::calendar(&shop.name.zh_tw, &[event]),
        ))
    }

    /// The customer's unsubscribe link: no more e-mail about this booking.
    pub(super) async fn unsubscribe(&self, req: ManageReq) -> ApiResult<Response> {
        let shop = self.shop_profile()?;
        self.booking(&req.reference)?;
        self.unsubscribe_booking(&req.reference)?;
        self.view_json(&shop, &req.reference)
    }

    /// The customer's "I'll be there", shown in the console's booking list.
    pub(super) async fn attend(&self, req: ManageReq) -> ApiResult<Response> {
        let shop = self.shop_profile()?;
        let row = self.booking(&req.reference)?;
        if row.status()? != BookingStatus::Confirmed {
            return Err(ApiError::field(
                ProblemKind::Conflict,
                "reference",
                format!("booking {} is {}", row.reference, row.status),
            ));
        }
        self.exec(
            "UPDATE bookings SET attending_ms = COALESCE(attending_ms, ?) WHERE reference = ?",
            vec![
                (js_sys::Date::now() as i64).into(),
                req.reference.as_str().into(),
            ],
        )?;
        self.view_json(&shop, &req.reference)
    }

    fn view_json(&self, shop: &Shop, reference: &str) -> ApiResult<Response> {
        let row = self.booking(reference)?;
        Ok(crate::http::json(
            serde_json::to_string(&self.view(shop, &row)?)?,
            200,
        ))
    }

    /// The shop's alert e-mails off (their unsubscribe link) or on again (the console).
    pub(super) fn alerts_off(&self, off: bool) -> ApiResult<Response> {
        self.set_alerts_off(off)?;
        Ok(crate::http::json("{}".into(), 200))
    }

    /// The console's delivery log of messages.
    pub(super) fn messages(&self) -> ApiResult<Response> {
        let list: Vec<MessageEntry> = self
            .message_log()?
            .into_iter()
            .filter_map(|m| {
                Some(MessageEntry {
                    kind: MessageKind::parse(&m.kind)?,
                    channel: Channel::parse(&m.channel)?,
                    id: m.id,
                    recipient: m.recipient,
                    reference: m.reference,
                    state: m.state,
                    attempts: m.attempts as u32,
                    due_ms: m.due_ms as u64,
                    sent_ms: m.sent_ms.map(|v| v as u64),
                    last_error: m.last_error,
                })
            })
            .collect();
        let log = super::protocol::MessageLog {
            alerts_email_off: self.meta("alerts_email_off")?.is_some(),
            messages: list,
        };
        Ok(crate::http::json(serde_json::to_string(&log)?, 200))
    }

    /// Stops e-mail about one booking at once (its unsubscribe link), recorded on the booking;
    /// what was waiting is dropped.
    fn unsubscribe_booking(&self, reference: &str) -> ApiResult<()> {
        let now = js_sys::Date::now() as i64;
        self.exec(
            "UPDATE bookings SET email_off_ms = COALESCE(email_off_ms, ?) WHERE reference = ?",
            vec![now.into(), reference.into()],
        )?;
        self.exec(
            "UPDATE messages SET state = 'skipped', last_error = 'the customer unsubscribed' WHERE reference = ? AND channel = 'email' AND state IN ('pending', 'retrying')",
            vec![reference.into()],
        )?;
        Ok(())
    }

    /// Drops every waiting message about a booking and blanks the recipient of those kept for
    /// the log (the customer's erasure).
    pub(super) fn erase_messages(&self, reference: &str) -> ApiResult<()> {
        self.exec(
            "DELETE FROM messages WHERE reference = ? AND state IN ('pending', 'retrying')",
            vec![reference.into()],
        )?;
        self.exec(
            "UPDATE messages SET recipient = '' WHERE reference = ? AND kind NOT LIKE 'shop_%'",
            vec![reference.into()],
        )?;
        Ok(())
    }

    /// The newest messages, for the console's log.
    pub(super) fn message_log(&self) -> ApiResult<Vec<MessageRow>> {
        self.query(
            "SELECT * FROM messages ORDER BY created_ms DESC, due_ms DESC LIMIT 100",
            None,
        )
    }

    /// Makes a scheduled, failed or retrying message due now (the console's "send now" and
    /// "retry" buttons; quiet hours still hold).
    pub(super) async fn retry_message(&self, id: &str) -> ApiResult<Response> {
        let c = self.exec(
            "UPDATE messages SET state = 'retrying', attempts = MIN(attempts, ?), due_ms = ? WHERE id = ? AND state IN ('pending', 'failed', 'retrying')",
            vec![i64::from(MAX_ATTEMPTS - 1).into(), (js_sys::Date::now() as i64).into(), id.into()],
        )?;
        if c.rows_written() == 0 {
            return Err(ApiError::field(
                ProblemKind::NotFound,
                "id",
                format!("no waiting or failed message {id}"),
            ));
        }
        self.schedule().await;
        Ok(crate::http::json(
            serde_json::to_string(&super::protocol::Retried {
                id: id.to_owned(),
                due: "now".into(),
            })?,
            202,
        ))
    }

    /// Remembers the edge's origin (for the links messages carry).
    pub(super) fn learn_edge(&self, origin: &str) -> ApiResult<()> {
        if self.meta("edge")?.as_deref() != Some(origin) {
            self.set_meta("edge", origin)?;
        }
        Ok(())
    }

    /// Drops pending shop alerts when the shop's address changes, or turns them off.
    pub(super) fn set_alerts_off(&self, off: bool) -> ApiResult<()> {
        if off {
            self.set_meta("alerts_email_off", &js_sys::Date::now().to_string())?;
            self.exec(
                "UPDATE messages SET state = 'skipped', last_error = 'the shop unsubscribed' WHERE kind LIKE 'shop_%' AND state IN ('pending', 'retrying')",
                None,
            )?;
        } else {
            self.exec("DELETE FROM meta WHERE k = 'alerts_email_off'", None)?;
        }
        Ok(())
    }
}

impl ShopDo {
    /// One Web Push: the subject as the notification's title, the first lines as its body,
    /// the console's page of the booking as where a tap leads. A subscription the push service
    /// calls gone is forgotten.
    async fn send_push(
        &self,
        m: &MessageRow,
        words: &notify::templates::Rendered,
        url: &str,
    ) -> Result<(), SendError> {
        let internal = |e: ApiError| SendError::Retry(format!("{e:?}"));
        let Some(sub) = self
            .push_subs()
            .map_err(internal)?
            .into_iter()
            .find(|s| s.endpoint == m.recipient)
        else {
            return Err(SendError::Permanent("the phone was removed".into()));
        };
        let key = crate::policy::var(&self.env, "VAPID_PRIVATE_KEY")
            .or_else(|| {
                self.env
                    .secret("VAPID_PRIVATE_KEY")
                    .ok()
                    .map(|s| s.to_string())
            })
            .ok_or_else(|| {
                SendError::Permanent("Web Push is not configured (VAPID_PRIVATE_KEY)".into())
            })?;
        let key = notify::webpush::vapid_key(&key).map_err(SendError::Permanent)?;
        let body: String = words.text.lines().take(6).collect::<Vec<_>>().join("\n");
        let payload =
            serde_json::json!({ "title": words.subject, "body": body, "url": url }).to_string();
        let contact = format!(
            "mailto:{}",
            crate::policy::var(&self.env, "MAIL_FROM")
                .unwrap_or_else(|| "ops@alliance.invalid".into())
        );
        match notify::webpush::push(&sub, payload.as_bytes(), &key, &contact).await {
            Err(SendError::Permanent(why)) if why.starts_with("gone:") => {
                self.drop_push(&sub.endpoint).map_err(internal)?;
                Err(SendError::Permanent(why))
            }
            other => other,
        }
    }
}

/// What became of one delivery attempt that did not fail.
enum Delivered {
    Sent,
    /// Not yet: the quiet hours; due again then.
    Later(u64),
    /// Never: the booking changed so that the message no longer applies.
    Void(String),
}
