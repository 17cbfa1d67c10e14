//! iCalendar (RFC 5545) output for "add to calendar" and the shops' private feeds.

use shared::format_rfc3339;

/// One event.
pub struct Event {
    /// Globally unique id.
    pub uid: String,
    /// Start, milliseconds since the Unix epoch.
    pub start_ms: u64,
    /// End, milliseconds since the Unix epoch.
    pub end_ms: u64,
    /// Title.
    pub summary: String,
    /// Details.
    pub description: String,
    /// Where.
    pub location: String,
}

fn stamp(ms: u64) -> String {
    format_rfc3339(ms).replace(['-', ':'], "")
}

fn escape(text: &str) -> String {
    text.replace('\\', "\\\\")
        .replace(';', "\\;")
        .replace(',', "\\,")
        .replace('\n', "\\n")
        .replace('\r', "")
}

/// Folds a content line at 75 octets, as RFC 5545 requires, without splitting a character.
fn fold(line: &str) -> String {
    let mut out = String::new();
    let mut width = 0;
    for c in line.chars() {
        let w = c.len_utf8();
        if width + w > 75 {
            out.push_str("\r\n ");
            width = 1;
        }
        out.push(c);
        width += w;
    }
    out.push_str("\r\n");
    out
}

/// A calendar named `name` with `events`.
pub fn calendar(name: &str, events: &[Event]) -> String {
    let mut out = String::new();
    for l in [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//Alliance Widget//Bookings//EN",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
    ] {
        out.push_str(&fold(l));
    }
    out.push_str(&fold(&format!("X-WR-CALNAME:{}", escape(name))));
    let now = stamp(js_sys::Date::now() as u64);
    for e in events {
        out.push_str(&fold("BEGIN:VEVENT"));
        out.push_str(&fold(&format!("UID:{}", escape(&e.uid))));
        out.push_str(&fold(&format!("DTSTAMP:{now}")));
        out.push_str(&fold(&format!("DTSTART:{}", stamp(e.start_ms))));
        out.push_str(&fold(&format!("DTEND:{}", stamp(e.end_ms))));
        out.push_str(&fold(&format!("SUMMARY:{}", escape(&e.summary))));
        out.push_str(&fold(&format!("DESCRIPTION:{}", escape(&e.description))));
        out.push_str(&fold(&format!("LOCATION:{}", escape(&e.location))));
        out.push_str(&fold("END:VEVENT"));
    }
    out.push_str(&fold("END:VCALENDAR"));
    out
}
