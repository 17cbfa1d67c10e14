//! UTC timestamps as RFC 3339 text, without a time library.

fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let doy = (153 * ((m + 9) % 12) + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

fn civil_from_days(z: i64) -> (i64, i64, i64) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    (yoe + era * 400 + i64::from(m <= 2), m, d)
}

/// Milliseconds since the Unix epoch of a UTC timestamp like `2026-10-03T08:15:00Z` (up to nine
/// digits of fractional seconds). `None` when it is not of that form or names no real instant
/// (a 30 February, a leap second): what is accepted here, every browser's `Date` and the
/// edge's time-zone library (`local_date`) all read as the same instant.
pub fn parse_rfc3339(s: &str) -> Option<u64> {
    let b = s.as_bytes();
    if b.len() < 20
        || b[4] != b'-'
        || b[7] != b'-'
        || b[10] != b'T'
        || b[13] != b':'
        || b[16] != b':'
        || !s.ends_with('Z')
    {
        return None;
    }
    // Digits only (`parse` alone would take a sign).
    let num = |r: std::ops::Range<usize>| {
        let f = s.get(r)?;
        f.bytes()
            .all(|c| c.is_ascii_digit())
            .then(|| f.parse::<i64>().ok())?
    };
    let (y, mo, d, h, mi, se) = (
        num(0..4)?,
        num(5..7)?,
        num(8..10)?,
        num(11..13)?,
        num(14..16)?,
        num(17..19)?,
    );
    // A real day: it comes back from its day number unchanged (30 February would not).
    let days = days_from_civil(y, mo, d);
    if !(1..=12).contains(&mo)
        || civil_from_days(days) != (y, mo, d)
        || h > 23
        || mi > 59
        || se > 59
    {
        return None;
    }
    let frac = &s[19..s.len() - 1];
    let ms = match frac.strip_prefix('.') {
        Some(f) if (1..=9).contains(&f.len()) && f.bytes().all(|c| c.is_ascii_digit()) => {
            format!("{f:0<3}")[..3].parse::<i64>().ok()?
        }
        None if frac.is_empty() => 0,
        _ => return None,
    };
    let secs = days * 86_400 + h * 3600 + mi * 60 + se;
    u64::try_from(secs * 1000 + ms).ok()
}

/// Formats milliseconds since the Unix epoch as `YYYY-MM-DDTHH:MM:SSZ`.
pub fn format_rfc3339(ms: u64) -> String {
    let secs = (ms / 1000) as i64;
    let (y, m, d) = civil_from_days(secs.div_euclid(86_400));
    let rem = secs.rem_euclid(86_400);
    format!(
        "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}Z",
        rem / 3600,
        rem % 3600 / 60,
        rem % 60
    )
}

/// How far back a shop may record a visit outside the alliance's booking to invite a review.
pub const INVITE_MAX_DAYS_BACK: u64 = 90;

/// Checks the date of a visit a shop invites a review for: a real `YYYY-MM-DD`, not after
/// `today` (the shop's local date) and at most [`INVITE_MAX_DAYS_BACK`] days before it.
///
/// # Errors
/// A sentence for the person who entered it.
pub fn check_visit_date(date: &str, today: &str) -> Result<(), String> {
    let day = |d: &str| {
        (d.len() == 10)
            .then(|| parse_rfc3339(&format!("{d}T00:00:00Z")))
            .flatten()
            .map(|ms| ms / 86_400_000)
    };
    let (Some(visit), Some(now)) = (day(date), day(today)) else {
        return Err(format!(
            "visit_date must be a date written YYYY-MM-DD, not {date:?}"
        ));
    };
    if visit > now {
        return Err(format!(
            "visit_date {date} is in the future (today is {today})"
        ));
    }
    if now - visit > INVITE_MAX_DAYS_BACK {
        return Err(format!(
            "visit_date {date} is more than {INVITE_MAX_DAYS_BACK} days ago"
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn visit_dates_are_real_past_and_recent() {
        assert!(check_visit_date("2026-12-01", "2026-12-01").is_ok());
        assert!(
            check_visit_date("2026-09-02", "2026-12-01").is_ok(),
            "90 days back"
        );
        assert!(check_visit_date("2026-09-01", "2026-12-01")
            .unwrap_err()
            .contains("90 days"));
        assert!(check_visit_date("2026-12-02", "2026-12-01")
            .unwrap_err()
            .contains("future"));
        for bad in ["2026-02-30", "2026-13-01", "01/12/2026", "", "2026-12-1"] {
            assert!(
                check_visit_date(bad, "2026-12-01")
                    .unwrap_err()
                    .contains("YYYY-MM-DD"),
                "{bad}"
            );
        }
    }

    #[test]
    fn round_trips_and_known_values() {
        assert_eq!(parse_rfc3339("1970-01-01T00:00:00Z"), Some(0));
        assert_eq!(
            parse_rfc3339("2026-11-27T12:00:00.250Z"),
            Some(1_795_780_800_250)
        );
        assert_eq!(format_rfc3339(1_795_780_800_250), "2026-11-27T12:00:00Z");
        assert!(
            parse_rfc3339("2028-02-29T12:00:00Z").is_some(),
            "a leap day"
        );
        assert!(
            parse_rfc3339("2000-02-29T12:00:00Z").is_some(),
            "a leap day"
        );
        assert_eq!(parse_rfc3339("2100-02-29T12:00:00Z"), None, "no leap day");
        assert_eq!(
            parse_rfc3339("2026-11-27T12:00:00.123456789Z"),
            Some(1_795_780_800_123)
        );
        for ms in [0u64, 951_782_400_000, 1_709_164_800_000, 4_102_444_799_000] {
            assert_eq!(parse_rfc3339(&format_rfc3339(ms)), Some(ms));
        }
    }

    #[test]
    fn malformed_timestamps_are_refused() {
        for bad in [
            "",
            "2026-11-27",
            "2026-13-01T00:00:00Z",
            "2026-11-27T12:00:00+08:00",
            "2026-11-27T12:00:00.Z",
            "2026-02-30T12:00:00Z",
            "2026-02-29T12:00:00Z",
            "2026-04-31T12:00:00Z",
            "2026-12-31T23:59:60Z",
            "2026-11-27T12:00:00.1234567890Z",
            "2026-+1-27T12:00:00Z",
            "+026-11-27T12:00:00Z",
        ] {
            assert_eq!(parse_rfc3339(bad), None, "{bad}");
        }
    }
}
