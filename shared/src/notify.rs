//! When the messages about a booking are due, in the shop's time zone: the reminder the day
//! before at the shop's chosen hour, and the quiet hours (21:00–08:00) that everything but a
//! confirmation waits out. Pure functions of instants and zone names, tested natively.

/// Local minutes after midnight when the quiet hours begin (21:00).
pub const QUIET_FROM_MINUTES: u16 = 21 * 60;

/// Local minutes after midnight when the quiet hours end (08:00).
pub const QUIET_UNTIL_MINUTES: u16 = 8 * 60;

/// The hour (shop time) of the day before a booking when its reminder goes, unless the shop
/// chose another.
pub const DEFAULT_REMINDER_HOUR: u8 = 18;

/// The hours a shop may choose for reminders: outside the quiet hours.
pub const REMINDER_HOURS: std::ops::RangeInclusive<u8> = 8..=20;

/// What a message is about; each kind has its template in both languages.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MessageKind {
    /// To the customer, right away: the booking is made.
    Confirmation,
    /// To the customer, the day before: the reminder, with "I'll be there".
    Reminder,
    /// To the customer: the time changed.
    Rescheduled,
    /// To the customer: the booking is cancelled (by them or by the shop).
    Cancelled,
    /// To the customer: the car is ready to be picked up.
    Ready,
    /// To the customer, once, after the visit: the review link.
    ReviewRequest,
    /// To the shop: a new booking.
    ShopNew,
    /// To the shop: a booking moved.
    ShopRescheduled,
    /// To the shop: a booking cancelled.
    ShopCancelled,
    /// To the shop, at opening time: the day's bookings.
    Agenda,
}

impl MessageKind {
    /// Every kind, for tests that render each one.
    pub const ALL: [MessageKind; 10] = [
        MessageKind::Confirmation,
        MessageKind::Reminder,
        MessageKind::Rescheduled,
        MessageKind::Cancelled,
        MessageKind::Ready,
        MessageKind::ReviewRequest,
        MessageKind::ShopNew,
        MessageKind::ShopRescheduled,
        MessageKind::ShopCancelled,
        MessageKind::Agenda,
    ];

    /// Its stored name.
    pub fn as_str(self) -> &'static str {
        match self {
            MessageKind::Confirmation => "confirmation",
            MessageKind::Reminder => "reminder",
            MessageKind::Rescheduled => "rescheduled",
            MessageKind::Cancelled => "cancelled",
            MessageKind::Ready => "ready",
            MessageKind::ReviewRequest => "review_request",
            MessageKind::ShopNew => "shop_new",
            MessageKind::ShopRescheduled => "shop_rescheduled",
            MessageKind::ShopCancelled => "shop_cancelled",
            MessageKind::Agenda => "shop_agenda",
        }
    }

    /// The kind a stored name names.
    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == s)
    }

    /// Whether it goes to the shop's staff (else to the customer).
    pub fn for_shop(self) -> bool {
        matches!(
            self,
            MessageKind::ShopNew
                | MessageKind::ShopRescheduled
                | MessageKind::ShopCancelled
                | MessageKind::Agenda
        )
    }

    /// Whether it may be sent during the quiet hours: only what the person just did and waits
    /// for (the confirmation of their booking).
    pub fn ignores_quiet_hours(self) -> bool {
        self == MessageKind::Confirmation
    }
}

/// A channel a message goes by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Channel {
    /// E-mail through the deployment's sending binding.
    Email,
    /// A push through the alliance's LINE Official Account.
    Line,
    /// A Web Push to the shop console installed on a phone.
    Push,
}

impl Channel {
    /// Its stored name.
    pub fn as_str(self) -> &'static str {
        match self {
            Channel::Email => "email",
            Channel::Line => "line",
            Channel::Push => "push",
        }
    }

    /// The channel a stored name names.
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "email" => Some(Channel::Email),
            "line" => Some(Channel::Line),
            "push" => Some(Channel::Push),
            _ => None,
        }
    }
}

#[cfg(feature = "tz")]
mod compute {
    use super::*;
    use crate::Locale;

    /// The weekday names used in message dates, Monday first.
    const WEEKDAYS: [(&str, &str); 7] = [
        ("週一", "Mon"),
        ("週二", "Tue"),
        ("週三", "Wed"),
        ("週四", "Thu"),
        ("週五", "Fri"),
        ("週六", "Sat"),
        ("週日", "Sun"),
    ];

    const MONTHS: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    use jiff::civil::Time;
    use jiff::Timestamp;

    fn zoned(ms: u64, time_zone: &str) -> Option<jiff::ZonedDateTime> {
        let tz = crate::zone(time_zone).ok()?;
        Some(
            Timestamp::from_millisecond(ms as i64)
                .ok()?
                .to_zoned_datetime(tz),
        )
    }

    fn millis(z: &jiff::ZonedDateTime) -> Option<u64> {
        u64::try_from(z.timestamp().as_millisecond()).ok()
    }

    /// When the reminder of a booking starting at `start_ms` is due: `hour`:00 shop time on
    /// the day before. `None` when the zone is unknown.
    pub fn reminder_at(start_ms: u64, time_zone: &str, hour: u8) -> Option<u64> {
        let start = zoned(start_ms, time_zone)?;
        let day_before = start.date().yesterday().ok()?;
        let dt = day_before.to_datetime(Time::new(hour.min(23) as i8, 0, 0, 0).ok()?);
        let at = start
            .time_zone()
            .to_ambiguous_zoned_datetime(dt)
            .compatible()
            .ok()?;
        millis(&at)
    }

    /// `ms`, or the end of the quiet hours (08:00 shop time) when `ms` falls inside them.
    pub fn after_quiet_hours(ms: u64, time_zone: &str) -> u64 {
        let Some(z) = zoned(ms, time_zone) else {
            return ms;
        };
        let minutes = z.hour() as u16 * 60 + z.minute() as u16;
        let until = Time::new((QUIET_UNTIL_MINUTES / 60) as i8, 0, 0, 0).unwrap_or(Time::MIN);
        let date = if minutes >= QUIET_FROM_MINUTES {
            match z.date().tomorrow() {
                Ok(d) => d,
                Err(_) => return ms,
            }
        } else if minutes < QUIET_UNTIL_MINUTES {
            z.date()
        } else {
            return ms;
        };
        z.time_zone()
            .to_ambiguous_zoned_datetime(date.to_datetime(until))
            .compatible()
            .ok()
            .and_then(|at| millis(&at))
            .unwrap_or(ms)
    }

    /// The next opening after `now_ms` within a week (the shop's weekly hours, skipping its
    /// closures): the local date (`YYYY-MM-DD`) and the instant, for the day's agenda.
    pub fn next_opening(
        now_ms: u64,
        time_zone: &str,
        rules: &crate::BookingRules,
    ) -> Option<(String, u64)> {
        let now = zoned(now_ms, time_zone)?;
        let mut date = now.date();
        for _ in 0..8 {
            let weekday = date.weekday().to_monday_one_offset() as u8;
            let day = date.to_string();
            if let Some(h) = rules.weekly.iter().find(|d| d.weekday == weekday) {
                if !rules.closures.iter().any(|c| c == &day) {
                    let m = h.open.minutes();
                    let t = Time::new((m / 60) as i8, (m % 60) as i8, 0, 0).ok()?;
                    let at = now
                        .time_zone()
                        .to_ambiguous_zoned_datetime(date.to_datetime(t))
                        .compatible()
                        .ok()?;
                    let ms = millis(&at)?;
                    if ms > now_ms {
                        return Some((day, ms));
                    }
                }
            }
            date = date.tomorrow().ok()?;
        }
        None
    }

    /// The calendar date (year, month 1–12, day) an instant (`…Z` or `…+08:00`, as
    /// [`crate::parse_instant`] reads it) falls on in the zone, as the widget dates a review.
    /// `None` when either does not parse.
    pub fn local_date(instant: &str, time_zone: &str) -> Option<(i16, i8, i8)> {
        let z = zoned(crate::parse_instant(instant)?, time_zone)?;
        Some((z.year(), z.month(), z.day()))
    }

    /// The instants a local date (`YYYY-MM-DD`) runs between in the zone: [start, end).
    pub fn local_day(date: &str, time_zone: &str) -> Option<(u64, u64)> {
        let tz = crate::zone(time_zone).ok()?;
        let d: jiff::civil::Date = date.parse().ok()?;
        let at = |d: jiff::civil::Date| {
            tz.to_ambiguous_zoned_datetime(d.to_datetime(Time::midnight()))
                .compatible()
                .ok()
                .and_then(|z| millis(&z))
        };
        Some((at(d)?, at(d.tomorrow().ok()?)?))
    }

    /// A booking's date and time as a message says it, in the shop's zone: `12月3日（週四）09:00`
    /// or `Thu 3 Dec 2026, 09:00`.
    pub fn message_time(ms: u64, time_zone: &str, locale: Locale) -> Option<String> {
        let z = zoned(ms, time_zone)?;
        let (zh, en) = WEEKDAYS[z.weekday().to_monday_zero_offset() as usize];
        Some(match locale {
            Locale::En => format!(
                "{en} {} {} {}, {:02}:{:02}",
                z.day(),
                MONTHS[(z.month() - 1) as usize],
                z.year(),
                z.hour(),
                z.minute()
            ),
            _ => format!(
                "{}年{}月{}日（{zh}）{:02}:{:02}",
                z.year(),
                z.month(),
                z.day(),
                z.hour(),
                z.minute()
            ),
        })
    }
}

#[cfg(feature = "tz")]
pub use compute::{
    after_quiet_hours, local_date, local_day, message_time, next_opening, reminder_at,
};

#[cfg(all(test, feature = "tz"))]
mod tests {
    use super::*;
    use crate::parse_instant;
    use crate::Locale;

    fn at(s: &str) -> u64 {
        parse_instant(s).unwrap()
    }

    #[test]
    fn the_reminder_is_the_day_before_at_the_shops_hour_in_its_zone() {
        // 09:00 Taipei on 3 Dec is 01:00 UTC; the reminder is 18:00 Taipei on 2 Dec.
        let start = at("2026-12-03T09:00:00+08:00");
        assert_eq!(
            reminder_at(start, "Asia/Taipei", 18),
            Some(at("2026-12-02T18:00:00+08:00"))
        );
        // Just after midnight: still the calendar day before, not 24 hours before.
        let early = at("2026-12-03T00:30:00+08:00");
        assert_eq!(
            reminder_at(early, "Asia/Taipei", 9),
            Some(at("2026-12-02T09:00:00+08:00"))
        );
        // Across a daylight-saving change the wall-clock hour holds.
        let berlin = at("2026-03-30T10:00:00+02:00");
        assert_eq!(
            reminder_at(berlin, "Europe/Berlin", 18),
            Some(at("2026-03-29T18:00:00+02:00"))
        );
        assert_eq!(reminder_at(start, "Mars/Olympus", 18), None);
    }

    #[test]
    fn quiet_hours_move_a_message_to_eight_in_the_morning() {
        let tz = "Asia/Taipei";
        // 22:15 → 08:00 the next day; 06:59 → 08:00 the same day; 08:00 and 20:59 stay.
        assert_eq!(
            after_quiet_hours(at("2026-12-02T22:15:00+08:00"), tz),
            at("2026-12-03T08:00:00+08:00")
        );
        assert_eq!(
            after_quiet_hours(at("2026-12-03T06:59:00+08:00"), tz),
            at("2026-12-03T08:00:00+08:00")
        );
        assert_eq!(
            after_quiet_hours(at("2026-12-03T21:00:00+08:00"), tz),
            at("2026-12-04T08:00:00+08:00")
        );
        for stays in ["2026-12-03T08:00:00+08:00", "2026-12-03T20:59:00+08:00"] {
            assert_eq!(after_quiet_hours(at(stays), tz), at(stays));
        }
    }

    #[test]
    fn a_reviews_date_is_the_day_in_the_shops_zone() {
        // 17:30 UTC is already the next day in Taipei, and still the same day in Los Angeles.
        assert_eq!(
            local_date("2026-11-24T17:30:00Z", "Asia/Taipei"),
            Some((2026, 11, 25))
        );
        assert_eq!(
            local_date("2026-11-24T17:30:00.250Z", "America/Los_Angeles"),
            Some((2026, 11, 24))
        );
        assert_eq!(
            local_date("2026-11-25T01:00:00+08:00", "Asia/Taipei"),
            Some((2026, 11, 25))
        );
        assert_eq!(local_date("yesterday", "Asia/Taipei"), None);
        assert_eq!(local_date("2026-11-24T17:30:00Z", "Mars/Olympus"), None);
    }

    #[test]
    fn a_message_says_the_time_in_the_shops_zone_in_its_language() {
        let start = at("2026-12-03T01:00:00Z");
        assert_eq!(
            message_time(start, "Asia/Taipei", Locale::ZhTw).unwrap(),
            "2026年12月3日（週四）09:00"
        );
        assert_eq!(
            message_time(start, "Asia/Taipei", Locale::En).unwrap(),
            "Thu 3 Dec 2026, 09:00"
        );
    }

    #[test]
    fn the_agenda_goes_at_the_next_opening_skipping_closed_days() {
        let rules: crate::BookingRules = serde_json::from_value(serde_json::json!({
            "weekly": [
                { "weekday": 3, "open": "08:30", "close": "18:00", "breaks": [] },
                { "weekday": 5, "open": "09:00", "close": "18:00", "breaks": [] }
            ],
            "closures": ["2026-12-04"], "lead_minutes": 0, "horizon_days": 30, "cancel_cutoff_hours": 2, "step_minutes": 30
        }))
        .unwrap();
        // Wednesday 2 Dec 2026 07:00 Taipei: today at 08:30.
        let tz = "Asia/Taipei";
        assert_eq!(
            next_opening(at("2026-12-02T07:00:00+08:00"), tz, &rules),
            Some(("2026-12-02".into(), at("2026-12-02T08:30:00+08:00")))
        );
        // After opening: Friday 4 Dec is closed, so Wednesday 9 Dec.
        assert_eq!(
            next_opening(at("2026-12-02T09:00:00+08:00"), tz, &rules),
            Some(("2026-12-09".into(), at("2026-12-09T08:30:00+08:00")))
        );
        assert_eq!(
            local_day("2026-12-02", tz),
            Some((
                at("2026-12-02T00:00:00+08:00"),
                at("2026-12-03T00:00:00+08:00")
            ))
        );
    }

    #[test]
    fn kinds_and_channels_round_trip_their_names() {
        for k in MessageKind::ALL {
            assert_eq!(MessageKind::parse(k.as_str()), Some(k));
        }
        assert!(MessageKind::ShopNew.for_shop() && !MessageKind::Ready.for_shop());
        assert!(MessageKind::Confirmation.ignores_quiet_hours());
        assert!(!MessageKind::Reminder.ignores_quiet_hours());
        for c in [Channel::Email, Channel::Line, Channel::Push] {
            assert_eq!(Channel::parse(c.as_str()), Some(c));
        }
        assert_eq!(Channel::parse("fax"), None);
    }
}
