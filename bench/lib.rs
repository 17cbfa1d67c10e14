//! Inputs for the benchmarks: a realistic shop (weekday hours with lunch, Saturday mornings,
//! 30-minute steps, 3 bays) and a month of existing bookings.

use shared::{BookingRules, Busy, DayHours, TimeOfDay};

fn t(s: &str) -> TimeOfDay {
    TimeOfDay::parse(s).expect("valid time")
}

/// The demo shops' rules, with a 30-day horizon.
pub fn rules() -> BookingRules {
    let mut weekly: Vec<DayHours> = (1..=5)
        .map(|weekday| DayHours {
            weekday,
            open: t("08:30"),
            close: t("18:30"),
            breaks: vec![(t("12:00"), t("13:00"))],
        })
        .collect();
    weekly.push(DayHours {
        weekday: 6,
        open: t("09:00"),
        close: t("17:00"),
        breaks: vec![],
    });
    BookingRules {
        weekly,
        closures: vec!["2026-12-25".into(), "2027-01-01".into()],
        lead_minutes: 120,
        horizon_days: 30,
        cancel_cutoff_hours: 24,
        step_minutes: 30,
    }
}

/// `n` bookings of 30 to 120 minutes spread over 30 days from `start_ms`, deterministic.
pub fn bookings(start_ms: u64, n: usize) -> Vec<Busy> {
    let mut x: u64 = 0x2545_F491_4F6C_DD1D;
    (0..n)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            let day = x % 30;
            let slot = (x >> 8) % 20;
            let s = start_ms + day * 86_400_000 + 3_600_000 + slot * 1_800_000;
            Busy {
                start_ms: s,
                end_ms: s + (1 + (x >> 16) % 4) * 1_800_000,
                bays: 1,
            }
        })
        .collect()
}
