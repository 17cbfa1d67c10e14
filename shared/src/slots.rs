//! Opening hours and free slots, computed in the shop's own time zone.

use serde::{Deserialize, Serialize};
use std::fmt;

/// A wall-clock time of day, minutes after midnight, written `HH:MM` (`24:00` closes at midnight).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct TimeOfDay(u16);

impl TimeOfDay {
    /// Parses `HH:MM`, from `00:00` to `24:00`.
    ///
    /// # Errors
    /// A message naming the value.
    pub fn parse(s: &str) -> Result<Self, String> {
        let bad = || format!("time {s:?} is not HH:MM");
        let (h, m) = s.split_once(':').ok_or_else(bad)?;
        if h.len() != 2 || m.len() != 2 {
            return Err(bad());
        }
        let (h, m): (u16, u16) = (h.parse().map_err(|_| bad())?, m.parse().map_err(|_| bad())?);
        if m > 59 || h > 24 || (h == 24 && m != 0) {
            return Err(bad());
        }
        Ok(TimeOfDay(h * 60 + m))
    }

    /// Minutes after midnight.
    pub fn minutes(self) -> u16 {
        self.0
    }
}

impl fmt::Display for TimeOfDay {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:02}:{:02}", self.0 / 60, self.0 % 60)
    }
}

string_schema!(TimeOfDay);

impl Serialize for TimeOfDay {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for TimeOfDay {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        TimeOfDay::parse(&String::deserialize(d)?).map_err(serde::de::Error::custom)
    }
}

/// Opening hours of one weekday, with breaks.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DayHours {
    /// ISO weekday: 1 is Monday, 7 is Sunday.
    pub weekday: u8,
    /// Opening time.
    pub open: TimeOfDay,
    /// Closing time.
    pub close: TimeOfDay,
    /// Breaks (start, end) when no work starts or runs, e.g. lunch.
    #[serde(default)]
    pub breaks: Vec<(TimeOfDay, TimeOfDay)>,
}

/// A shop's booking rules.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct BookingRules {
    /// Weekly opening hours; a weekday without an entry is closed.
    pub weekly: Vec<DayHours>,
    /// Dates (`YYYY-MM-DD`, shop time) the shop is closed: holidays, closures.
    #[serde(default)]
    pub closures: Vec<String>,
    /// Bookings must start at least this many minutes from now.
    pub lead_minutes: u32,
    /// Bookings may start at most this many days ahead.
    pub horizon_days: u16,
    /// Customers may cancel or reschedule until this many hours before the start.
    pub cancel_cutoff_hours: u16,
    /// Slots start every this many minutes from opening.
    pub step_minutes: u16,
}

impl BookingRules {
    /// Checks the rules are coherent.
    ///
    /// # Errors
    /// A message naming the problem.
    pub fn validate(&self) -> Result<(), String> {
        if !(5..=240).contains(&self.step_minutes) {
            return Err(format!(
                "step_minutes must be 5 to 240, not {}",
                self.step_minutes
            ));
        }
        if self.horizon_days == 0 || self.horizon_days > 366 {
            return Err(format!(
                "horizon_days must be 1 to 366, not {}",
                self.horizon_days
            ));
        }
        for d in &self.weekly {
            if !(1..=7).contains(&d.weekday) {
                return Err(format!(
                    "weekday must be 1 (Monday) to 7 (Sunday), not {}",
                    d.weekday
                ));
            }
            if d.open >= d.close {
                return Err(format!(
                    "opening {} must be before closing {}",
                    d.open, d.close
                ));
            }
            if d.breaks
                .iter()
                .any(|(a, b)| a >= b || *a < d.open || *b > d.close)
            {
                return Err(format!(
                    "breaks on weekday {} must lie within opening hours",
                    d.weekday
                ));
            }
        }
        for c in &self.closures {
            if crate::parse_rfc3339(&format!("{c}T00:00:00Z")).is_none() {
                return Err(format!("closure {c:?} is not a date like 2026-12-25"));
            }
        }
        Ok(())
    }
}

/// A booked interval that takes bays, in milliseconds since the Unix epoch.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Busy {
    /// Start.
    pub start_ms: u64,
    /// End (exclusive).
    pub end_ms: u64,
    /// Bays taken.
    pub bays: u8,
}

/// Whether `bays` more bays are free for all of `[start, end)`, given what is `busy`, out of
/// `total` bays.
pub fn has_capacity(busy: &[Busy], start_ms: u64, end_ms: u64, bays: u8, total: u8) -> bool {
    let mut edges: Vec<(u64, i32)> = Vec::new();
    for b in busy
        .iter()
        .filter(|b| b.start_ms < end_ms && b.end_ms > start_ms)
    {
        edges.push((b.start_ms.max(start_ms), i32::from(b.bays)));
        edges.push((b.end_ms.min(end_ms), -i32::from(b.bays)));
    }
    // Ends before starts at the same instant: back-to-back bookings do not overlap.
    edges.sort_by_key(|&(t, d)| (t, d));
    let mut used = 0;
    for (_, d) in edges {
        used += d;
        if used + i32::from(bays) > i32::from(total) {
            return false;
        }
    }
    i32::from(bays) <= i32::from(total)
}

/// One bookable start time.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Slot {
    /// Start instant, milliseconds since the Unix epoch.
    pub start_ms: u64,
    /// Start as RFC 3339 with the shop's UTC offset, e.g. `2026-12-01T09:00:00+08:00`.
    pub start: String,
    /// Wall-clock start in the shop's zone, `HH:MM`.
    pub time: String,
    /// Whether it can still be booked.
    pub free: bool,
}

/// A day's state in the booking calendar.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "kebab-case")]
pub enum DayState {
    /// Some slot is free.
    Open,
    /// Open, but every slot is taken (or too soon).
    Full,
    /// Closed: not an opening day, a closure or holiday.
    Closed,
}

/// A day of the booking calendar, in the shop's time zone.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Day {
    /// `YYYY-MM-DD`.
    pub date: String,
    /// ISO weekday, 1 is Monday.
    pub weekday: u8,
    /// Open, full or closed.
    pub state: DayState,
    /// Every start time of the day that is bookable in principle (after the lead time, within the
    /// horizon), free or taken.
    pub slots: Vec<Slot>,
}

/// What the calendar is computed from.
#[derive(Debug, Clone, Copy)]
pub struct SlotQuery<'a> {
    /// The shop's rules.
    pub rules: &'a BookingRules,
    /// IANA time zone of the shop.
    pub time_zone: &'a str,
    /// Service bays in the shop.
    pub total_bays: u8,
    /// Duration of the service, minutes.
    pub duration_minutes: u16,
    /// Bays the service takes.
    pub bays: u8,
    /// What is booked.
    pub busy: &'a [Busy],
    /// Now, milliseconds since the Unix epoch.
    pub now_ms: u64,
}

impl<'a> SlotQuery<'a> {
    /// The query for booking `service` at `shop` under `rules`, given what is `busy` at `now_ms`.
    pub fn for_service(
        shop: &'a crate::Shop,
        rules: &'a BookingRules,
        service: &crate::Service,
        busy: &'a [Busy],
        now_ms: u64,
    ) -> Self {
        SlotQuery {
            rules,
            time_zone: shop.time_zone.as_str(),
            total_bays: shop.bays,
            duration_minutes: service.duration_minutes,
            bays: service.bays,
            busy,
            now_ms,
        }
    }
}

#[cfg(feature = "tz")]
mod compute {
    use super::*;
    use jiff::civil::{Date, DateTime, Time};
    use jiff::tz::TimeZone;
    use jiff::Timestamp;

    /// Why a calendar cannot be computed.
    pub fn zone(name: &str) -> Result<TimeZone, String> {
        TimeZone::get(name).map_err(|_| format!("unknown time zone {name:?}"))
    }

    fn instant(tz: &TimeZone, date: Date, minutes: u16) -> Option<u64> {
        let dt = if minutes >= 24 * 60 {
            DateTime::from_parts(date.tomorrow().ok()?, Time::midnight())
        } else {
            DateTime::from_parts(
                date,
                Time::new((minutes / 60) as i8, (minutes % 60) as i8, 0, 0).ok()?,
            )
        };
        // Wall times in a spring-forward gap move to the first time after it.
        let z = tz.to_ambiguous_zoned_datetime(dt).compatible().ok()?;
        u64::try_from(z.timestamp().as_millisecond()).ok()
    }

    /// An instant as RFC 3339 with the zone's offset, e.g. `2026-12-01T09:00:00+08:00`.
    pub fn local_rfc3339(ms: u64, time_zone: &str) -> Option<String> {
        let tz = zone(time_zone).ok()?;
        let ts = Timestamp::from_millisecond(ms as i64).ok()?;
        Some(
            ts.to_zoned_datetime(tz)
                .strftime("%Y-%m-%dT%H:%M:%S%:z")
                .to_string(),
        )
    }

    /// The ISO weekday (1 is Monday, 7 is Sunday) of an instant in the zone.
    pub fn local_weekday(ms: u64, time_zone: &str) -> Option<u8> {
        let tz = zone(time_zone).ok()?;
        let ts = Timestamp::from_millisecond(ms as i64).ok()?;
        u8::try_from(ts.to_zoned_datetime(tz).weekday().to_monday_one_offset()).ok()
    }

    /// Today's date in the shop's zone.
    pub fn today(q: &SlotQuery<'_>) -> Result<String, String> {
        let tz = zone(q.time_zone)?;
        let ts = Timestamp::from_millisecond(q.now_ms as i64).map_err(|e| e.to_string())?;
        Ok(ts.to_zoned_datetime(tz).date().to_string())
    }

    /// The calendar for `days` days from `from` (`YYYY-MM-DD`, shop time).
    ///
    /// # Errors
    /// A message when the zone or the date is not valid.
    pub fn calendar(q: &SlotQuery<'_>, from: &str, days: u16) -> Result<Vec<Day>, String> {
        let tz = zone(q.time_zone)?;
        let mut date: Date = from
            .parse()
            .map_err(|_| format!("date {from:?} is not YYYY-MM-DD"))?;
        let earliest = q.now_ms + u64::from(q.rules.lead_minutes) * 60_000;
        let latest = q.now_ms + u64::from(q.rules.horizon_days) * 86_400_000;
        let duration = u64::from(q.duration_minutes) * 60_000;
        let step = u64::from(q.rules.step_minutes) * 60_000;
        let mut out = Vec::new();
        for _ in 0..days {
            let weekday = date.weekday().to_monday_one_offset() as u8;
            let key = date.to_string();
            let hours: Vec<&DayHours> = q
                .rules
                .weekly
                .iter()
                .filter(|d| d.weekday == weekday)
                .collect();
            let closed = hours.is_empty() || q.rules.closures.contains(&key);
            let mut slots = Vec::new();
            if !closed {
                for h in hours {
                    // Working intervals of the day, in real time: opening hours minus breaks.
                    let mut cuts: Vec<(u16, u16)> = vec![(h.open.minutes(), h.close.minutes())];
                    for (bs, be) in &h.breaks {
                        cuts = cuts
                            .into_iter()
                            .flat_map(|(a, b)| {
                                let mut v = Vec::new();
                                if bs.minutes() > a && bs.minutes() < b {
                                    v.push((a, bs.minutes()));
                                }
                                if be.minutes() < b && be.minutes() > a {
                                    v.push((be.minutes(), b));
                                }
                                if bs.minutes() >= b || be.minutes() <= a {
                                    v.push((a, b));
                                }
                                v
                            })
                            .collect();
                    }
                    // Starts stay on one grid from opening, also after a break.
                    let Some(grid) = instant(&tz, date, h.open.minutes()) else {
                        continue;
                    };
                    for (a, b) in cuts {
                        let (Some(open), Some(close)) =
                            (instant(&tz, date, a), instant(&tz, date, b))
                        else {
                            continue;
                        };
                        let mut start = grid + (open.saturating_sub(grid)).div_ceil(step) * step;
                        while start + duration <= close {
                            // Times already too soon, or beyond the horizon, are not offered at all.
                            if start < earliest || start >= latest {
                                start += step;
                                continue;
                            }
                            let free =
                                has_capacity(q.busy, start, start + duration, q.bays, q.total_bays);
                            let ts = Timestamp::from_millisecond(start as i64)
                                .map_err(|e| e.to_string())?;
                            let z = ts.to_zoned_datetime(tz.clone());
                            slots.push(Slot {
                                start_ms: start,
                                start: z.strftime("%Y-%m-%dT%H:%M:%S%:z").to_string(),
                                time: z.strftime("%H:%M").to_string(),
                                free,
                            });
                            start += step;
                        }
                    }
                }
                slots.sort_by_key(|s| s.start_ms);
                slots.dedup_by_key(|s| s.start_ms);
            }
            let state = if closed || slots.is_empty() {
                DayState::Closed
            } else if slots.iter().any(|s| s.free) {
                DayState::Open
            } else {
                DayState::Full
            };
            out.push(Day {
                date: key,
                weekday,
                state,
                slots,
            });
            date = date.tomorrow().map_err(|e| e.to_string())?;
        }
        Ok(out)
    }

    /// Whether `start_ms` is a free slot for the query: on the calendar, within lead time and
    /// horizon, and with capacity.
    ///
    /// # Errors
    /// What is wrong with the slot, as the customer should hear it.
    pub fn check_slot(q: &SlotQuery<'_>, start_ms: u64) -> Result<Slot, SlotError> {
        let tz = zone(q.time_zone).map_err(|_| SlotError::NotOffered)?;
        if start_ms < q.now_ms {
            return Err(SlotError::Past);
        }
        if start_ms < q.now_ms + u64::from(q.rules.lead_minutes) * 60_000 {
            return Err(SlotError::TooSoon);
        }
        if start_ms >= q.now_ms + u64::from(q.rules.horizon_days) * 86_400_000 {
            return Err(SlotError::TooFar);
        }
        let ts = Timestamp::from_millisecond(start_ms as i64).map_err(|_| SlotError::NotOffered)?;
        let date = ts.to_zoned_datetime(tz).date().to_string();
        let day = calendar(q, &date, 1).map_err(|_| SlotError::NotOffered)?;
        let slot = day[0]
            .slots
            .iter()
            .find(|s| s.start_ms == start_ms)
            .ok_or(SlotError::NotOffered)?;
        if slot.free {
            Ok(slot.clone())
        } else {
            Err(SlotError::Full)
        }
    }
}

#[cfg(feature = "tz")]
pub use compute::{calendar, check_slot, local_rfc3339, local_weekday, today, zone};

/// Checks an IANA zone name: against the bundled database with the `tz` feature, by shape
/// without it.
///
/// # Errors
/// A message naming the zone.
pub fn zone_name_ok(name: &str) -> Result<(), String> {
    #[cfg(feature = "tz")]
    {
        compute::zone(name).map(|_| ())
    }
    #[cfg(not(feature = "tz"))]
    {
        let ok = !name.is_empty()
            && name.len() <= 64
            && name
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || "/_-+".contains(c));
        if ok {
            Ok(())
        } else {
            Err(format!("unknown time zone {name:?}"))
        }
    }
}

/// Why a requested slot cannot be booked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum SlotError {
    /// In the past.
    Past,
    /// Sooner than the shop's lead time.
    TooSoon,
    /// Beyond the booking horizon.
    TooFar,
    /// Not a start time the shop offers (closed, outside hours, in a break, off the grid).
    NotOffered,
    /// Every bay is taken.
    Full,
}

impl fmt::Display for SlotError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            SlotError::Past => "slot is in the past",
            SlotError::TooSoon => "slot is sooner than the shop's lead time",
            SlotError::TooFar => "slot is beyond the shop's booking horizon",
            SlotError::NotOffered => "slot is not one of the shop's start times",
            SlotError::Full => "slot is full",
        })
    }
}

#[cfg(all(test, feature = "tz"))]
mod tests {
    use super::*;

    fn t(s: &str) -> TimeOfDay {
        TimeOfDay::parse(s).unwrap()
    }

    fn rules() -> BookingRules {
        let weekday = |d| DayHours {
            weekday: d,
            open: t("09:00"),
            close: t("18:00"),
            breaks: vec![(t("12:00"), t("13:00"))],
        };
        BookingRules {
            weekly: (1..=5).map(weekday).collect(),
            closures: vec!["2026-12-25".into()],
            lead_minutes: 120,
            horizon_days: 30,
            cancel_cutoff_hours: 24,
            step_minutes: 60,
        }
    }

    fn ms(s: &str) -> u64 {
        crate::parse_rfc3339(s).unwrap()
    }

    fn query<'a>(rules: &'a BookingRules, busy: &'a [Busy], now: &str) -> SlotQuery<'a> {
        SlotQuery {
            rules,
            time_zone: "Asia/Taipei",
            total_bays: 2,
            duration_minutes: 60,
            bays: 1,
            busy,
            now_ms: ms(now),
        }
    }

    fn times(day: &Day) -> Vec<&str> {
        day.slots
            .iter()
            .filter(|s| s.free)
            .map(|s| s.time.as_str())
            .collect()
    }

    #[test]
    fn opening_hours_and_breaks_give_the_start_times() {
        let r = rules();
        let days = calendar(&query(&r, &[], "2026-11-30T00:00:00Z"), "2026-12-01", 1).unwrap();
        assert_eq!(
            times(&days[0]),
            ["09:00", "10:00", "11:00", "13:00", "14:00", "15:00", "16:00", "17:00"]
        );
        assert_eq!(days[0].slots[0].start, "2026-12-01T09:00:00+08:00");
        assert_eq!(days[0].slots[0].start_ms, ms("2026-12-01T01:00:00Z"));
    }

    #[test]
    fn the_weekday_is_the_shops_not_utcs() {
        // Monday 2026-11-30 20:00 UTC is already Tuesday in Taipei.
        let ms = ms("2026-11-30T20:00:00Z");
        assert_eq!(local_weekday(ms, "Asia/Taipei"), Some(2));
        assert_eq!(local_weekday(ms, "UTC"), Some(1));
        assert_eq!(local_weekday(ms, "Not/AZone"), None);
    }

    #[test]
    fn a_service_never_runs_into_a_break_or_past_closing() {
        let r = rules();
        let mut q = query(&r, &[], "2026-11-30T00:00:00Z");
        q.duration_minutes = 90;
        let days = calendar(&q, "2026-12-01", 1).unwrap();
        assert_eq!(
            times(&days[0]),
            ["09:00", "10:00", "13:00", "14:00", "15:00", "16:00"]
        );
    }

    #[test]
    fn weekends_and_closures_are_closed() {
        let r = rules();
        let days = calendar(&query(&r, &[], "2026-12-01T00:00:00Z"), "2026-12-05", 2).unwrap();
        assert!(days
            .iter()
            .all(|d| d.state == DayState::Closed && d.slots.is_empty()));
        let xmas = calendar(&query(&r, &[], "2026-12-01T00:00:00Z"), "2026-12-25", 1).unwrap();
        assert_eq!(xmas[0].state, DayState::Closed);
    }

    #[test]
    fn lead_time_and_horizon_are_respected() {
        let r = rules();
        // 10:30 Taipei: with 2 h lead, 13:00 is the first bookable start.
        let q = query(&r, &[], "2026-12-01T02:30:00Z");
        let today = calendar(&q, "2026-12-01", 1).unwrap();
        assert_eq!(times(&today[0])[0], "13:00");
        assert_eq!(
            check_slot(&q, ms("2026-12-01T03:00:00Z")),
            Err(SlotError::TooSoon)
        );
        assert_eq!(
            check_slot(&q, ms("2026-11-30T03:00:00Z")),
            Err(SlotError::Past)
        );
        assert_eq!(
            check_slot(&q, ms("2027-01-05T01:00:00Z")),
            Err(SlotError::TooFar)
        );
        let far = calendar(&q, "2027-01-01", 1).unwrap();
        assert!(far[0].slots.iter().all(|s| !s.free), "beyond 30 days");
    }

    #[test]
    fn capacity_counts_overlapping_bookings() {
        let r = rules();
        let nine = ms("2026-12-01T01:00:00Z");
        let busy = [
            Busy {
                start_ms: nine,
                end_ms: nine + 3_600_000,
                bays: 1,
            },
            Busy {
                start_ms: nine - 1_800_000,
                end_ms: nine + 1_800_000,
                bays: 1,
            },
        ];
        let q = query(&r, &busy, "2026-11-30T00:00:00Z");
        assert_eq!(check_slot(&q, nine), Err(SlotError::Full));
        assert!(
            check_slot(&q, nine + 3_600_000).is_ok(),
            "back to back is fine"
        );
        let days = calendar(&q, "2026-12-01", 1).unwrap();
        assert_eq!(days[0].state, DayState::Open);
        assert!(!days[0].slots[0].free);
    }

    #[test]
    fn a_fully_booked_day_is_shown_as_full_not_hidden() {
        let r = rules();
        let day = ms("2026-12-01T00:00:00Z");
        let busy = [Busy {
            start_ms: day,
            end_ms: day + 86_400_000,
            bays: 2,
        }];
        let days = calendar(&query(&r, &busy, "2026-11-30T00:00:00Z"), "2026-12-01", 1).unwrap();
        assert_eq!(days[0].state, DayState::Full);
        assert_eq!(days[0].slots.len(), 8);
    }

    #[test]
    fn off_grid_and_break_starts_are_not_offered() {
        let r = rules();
        let q = query(&r, &[], "2026-11-30T00:00:00Z");
        assert_eq!(
            check_slot(&q, ms("2026-12-01T01:30:00Z")),
            Err(SlotError::NotOffered)
        );
        assert_eq!(
            check_slot(&q, ms("2026-12-01T04:00:00Z")),
            Err(SlotError::NotOffered),
            "12:00 is lunch"
        );
        assert_eq!(
            check_slot(&q, ms("2026-12-01T11:00:00Z")),
            Err(SlotError::NotOffered),
            "19:00 is closed"
        );
    }

    /// `days` days of hourly slots from `date` in New York under `r`, asked at `now`.
    fn new_york_days(r: &BookingRules, now: &str, date: &str, days: u16) -> Vec<Day> {
        let q = SlotQuery {
            rules: r,
            time_zone: "America/New_York",
            total_bays: 1,
            duration_minutes: 60,
            bays: 1,
            busy: &[],
            now_ms: ms(now),
        };
        calendar(&q, date, days).unwrap()
    }

    fn new_york_night() -> BookingRules {
        BookingRules {
            weekly: (1..=7)
                .map(|d| DayHours {
                    weekday: d,
                    open: t("00:00"),
                    close: t("04:00"),
                    breaks: vec![],
                })
                .collect(),
            closures: vec![],
            lead_minutes: 0,
            horizon_days: 60,
            cancel_cutoff_hours: 0,
            step_minutes: 60,
        }
    }

    #[test]
    fn spring_forward_day_skips_the_missing_hour() {
        let day = &new_york_days(&new_york_night(), "2026-03-01T00:00:00Z", "2026-03-08", 1)[0];
        assert_eq!(times(day), ["00:00", "01:00", "03:00"]);
        let utc: Vec<u64> = day.slots.iter().map(|s| s.start_ms).collect();
        assert_eq!(
            utc,
            [
                ms("2026-03-08T05:00:00Z"),
                ms("2026-03-08T06:00:00Z"),
                ms("2026-03-08T07:00:00Z")
            ]
        );
        assert_eq!(day.slots[2].start, "2026-03-08T03:00:00-04:00");
    }

    #[test]
    fn fall_back_day_has_the_repeated_hour_twice() {
        let day = &new_york_days(&new_york_night(), "2026-10-25T00:00:00Z", "2026-11-01", 1)[0];
        assert_eq!(times(day), ["00:00", "01:00", "01:00", "02:00", "03:00"]);
        assert_eq!(day.slots[1].start, "2026-11-01T01:00:00-04:00");
        assert_eq!(day.slots[2].start, "2026-11-01T01:00:00-05:00");
        assert_eq!(day.slots[4].start_ms, ms("2026-11-01T08:00:00Z"));
    }

    #[test]
    fn daytime_slots_keep_their_wall_clock_across_dst() {
        let mut r = new_york_night();
        for d in &mut r.weekly {
            d.open = t("09:00");
            d.close = t("10:00");
        }
        let days = new_york_days(&r, "2026-03-01T00:00:00Z", "2026-03-07", 2);
        assert_eq!(days[0].slots[0].start_ms, ms("2026-03-07T14:00:00Z"));
        assert_eq!(days[1].slots[0].start_ms, ms("2026-03-08T13:00:00Z"));
    }

    #[test]
    fn time_of_day_parses_strictly() {
        assert_eq!(t("08:30").minutes(), 510);
        assert_eq!(t("24:00").minutes(), 1440);
        for bad in ["8:30", "24:30", "12:60", "noon"] {
            assert!(TimeOfDay::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn rules_are_validated() {
        let mut r = rules();
        assert!(r.validate().is_ok());
        r.weekly[0].breaks.push((t("17:30"), t("19:00")));
        assert!(r.validate().is_err());
        let mut r = rules();
        r.closures.push("25/12".into());
        assert!(r.validate().is_err());
    }
}

/// A deliberately naive reference for [`calendar`]: walks every minute of every candidate
/// slot, checking opening hours, breaks and bay usage minute by minute. Slow and obviously
/// right; the property test compares the real computation with it on random shops.
#[cfg(all(test, feature = "tz"))]
pub(crate) mod reference {
    use super::*;
    use jiff::{tz::TimeZone, Timestamp};

    pub fn free_starts(q: &SlotQuery<'_>, from: &str, days: u16) -> Vec<u64> {
        let tz = TimeZone::get(q.time_zone).unwrap();
        let first: jiff::civil::Date = from.parse().unwrap();
        let start_of = |d: jiff::civil::Date| {
            tz.to_ambiguous_zoned_datetime(d.to_datetime(jiff::civil::Time::midnight()))
                .compatible()
                .unwrap()
                .timestamp()
                .as_millisecond() as u64
        };
        let (begin, end) = (
            start_of(first),
            start_of(
                first
                    .checked_add(jiff::Span::new().days(i64::from(days)))
                    .unwrap(),
            ),
        );
        let open_at = |ms: u64| {
            let z = Timestamp::from_millisecond(ms as i64)
                .unwrap()
                .to_zoned_datetime(tz.clone());
            let date = z.date().to_string();
            if q.rules.closures.contains(&date) {
                return None;
            }
            let minute = (z.hour() as u16) * 60 + z.minute() as u16;
            let weekday = z.weekday().to_monday_one_offset() as u8;
            q.rules
                .weekly
                .iter()
                .find(|d| {
                    d.weekday == weekday
                        && minute >= d.open.minutes()
                        && minute < d.close.minutes()
                        && !d
                            .breaks
                            .iter()
                            .any(|(a, b)| minute >= a.minutes() && minute < b.minutes())
                })
                .map(|d| (date, d.open.minutes()))
        };
        let earliest = q.now_ms + u64::from(q.rules.lead_minutes) * 60_000;
        let latest = q.now_ms + u64::from(q.rules.horizon_days) * 86_400_000;
        let mut out = Vec::new();
        let mut t = begin;
        while t < end {
            // A start is on the grid when it is a whole number of steps after that day's opening.
            if let Some((date, open)) = open_at(t) {
                let z = Timestamp::from_millisecond(t as i64)
                    .unwrap()
                    .to_zoned_datetime(tz.clone());
                let open_ms = tz
                    .to_ambiguous_zoned_datetime(
                        date.parse::<jiff::civil::Date>().unwrap().to_datetime(
                            jiff::civil::Time::new((open / 60) as i8, (open % 60) as i8, 0, 0)
                                .unwrap(),
                        ),
                    )
                    .compatible()
                    .unwrap()
                    .timestamp()
                    .as_millisecond() as u64;
                let on_grid = t >= open_ms
                    && (t - open_ms) % (u64::from(q.rules.step_minutes) * 60_000) == 0
                    && z.second() == 0;
                let fits = (0..u64::from(q.duration_minutes)).all(|m| {
                    let at = t + m * 60_000;
                    open_at(at).is_some_and(|(d, _)| d == date)
                        && q.busy
                            .iter()
                            .filter(|b| b.start_ms <= at && at < b.end_ms)
                            .map(|b| u32::from(b.bays))
                            .sum::<u32>()
                            + u32::from(q.bays)
                            <= u32::from(q.total_bays)
                });
                if on_grid && fits && t >= earliest && t < latest {
                    out.push(t);
                }
            }
            t += 60_000;
        }
        out
    }
}

#[cfg(all(test, feature = "tz"))]
mod property {
    use super::*;

    /// A small deterministic generator, so failures reproduce from the printed seed.
    struct Rng(u64);
    impl Rng {
        fn next(&mut self) -> u64 {
            self.0 ^= self.0 << 13;
            self.0 ^= self.0 >> 7;
            self.0 ^= self.0 << 17;
            self.0
        }
        fn below(&mut self, n: u64) -> u64 {
            self.next() % n
        }
    }

    fn t(m: u64) -> TimeOfDay {
        TimeOfDay::parse(&format!("{:02}:{:02}", m / 60, m % 60)).unwrap()
    }

    #[test]
    fn calendar_matches_the_minute_by_minute_reference_on_random_shops() {
        let zones = [
            "Asia/Taipei",
            "America/New_York",
            "Europe/Berlin",
            "Australia/Adelaide",
        ];
        let dates = [
            "2026-03-07",
            "2026-03-28",
            "2026-10-24",
            "2026-11-29",
            "2026-04-04",
        ];
        for seed in 1..=40u64 {
            let mut rng = Rng(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15));
            let step = [15u16, 30, 60][rng.below(3) as usize];
            let open_days: Vec<u8> = (1..=7u8).filter(|_| rng.below(5) > 0).collect();
            let weekly: Vec<DayHours> = open_days
                .into_iter()
                .map(|weekday| {
                    let open = rng.below(12) * 60 + [0, 30][rng.below(2) as usize];
                    let close = (open + 120 + rng.below(10) * 60).min(24 * 60);
                    let breaks = if rng.below(2) == 0 && close - open > 180 {
                        let b = open + 60 + rng.below((close - open - 120) / 30) * 30;
                        vec![(t(b), t(b + 30 + rng.below(2) * 30))]
                    } else {
                        vec![]
                    };
                    DayHours {
                        weekday,
                        open: t(open),
                        close: t(close),
                        breaks,
                    }
                })
                .collect();
            let rules = BookingRules {
                weekly,
                closures: vec![dates[rng.below(5) as usize].to_string()],
                lead_minutes: rng.below(300) as u32,
                horizon_days: 1 + rng.below(4) as u16,
                cancel_cutoff_hours: 0,
                step_minutes: step,
            };
            let zone = zones[rng.below(4) as usize];
            let from = dates[rng.below(5) as usize];
            let day0 = crate::parse_rfc3339(&format!("{from}T00:00:00Z")).unwrap();
            let now_ms = day0 - 86_400_000 + rng.below(2 * 86_400_000);
            let busy: Vec<Busy> = (0..rng.below(25))
                .map(|_| {
                    let s = day0 - 86_400_000 + rng.below(4 * 86_400_000) / 60_000 * 60_000;
                    Busy {
                        start_ms: s,
                        end_ms: s + (1 + rng.below(6)) * 30 * 60_000,
                        bays: 1 + rng.below(2) as u8,
                    }
                })
                .collect();
            let q = SlotQuery {
                rules: &rules,
                time_zone: zone,
                total_bays: 1 + rng.below(3) as u8,
                duration_minutes: [30u16, 45, 60, 90][rng.below(4) as usize],
                bays: 1,
                busy: &busy,
                now_ms,
            };
            let fast: Vec<u64> = calendar(&q, from, 3)
                .unwrap()
                .into_iter()
                .flat_map(|d| d.slots)
                .filter(|s| s.free)
                .map(|s| s.start_ms)
                .collect();
            let slow = reference::free_starts(&q, from, 3);
            assert_eq!(
                fast, slow,
                "seed {seed}: {zone} from {from}, rules {rules:?}"
            );
        }
    }
}
