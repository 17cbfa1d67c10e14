//! The short names the alliance's data is keyed by, each a type that can only hold a valid
//! value: a service's id, a review's id, a visit's work-order number, a booking's reference,
//! a time zone and a webhook URL. Each is parsed once where it enters (a request, a form, a
//! stored row: `Deserialize` calls `parse`), and code after that never re-checks a string.
//!
//! The widget keeps reading ids as plain strings in what it downloads (`ServiceLabel`,
//! `PublicReview`): the edge wrote them, and a parse per value would cost first-view bytes.

use serde::Serialize;
use std::fmt;

/// Why a name was refused, in English for API users (the field is named by the caller).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NameError(pub String);

impl fmt::Display for NameError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for NameError {}

/// Letters, digits, `-` and `_`, 1 to `max` of them: the alphabet every id here shares, so it
/// can stand in a URL path, a KV key and a signed token without escaping.
fn token_chars(raw: &str, what: &str, max: usize) -> Result<String, NameError> {
    if raw.is_empty() || raw.len() > max {
        return Err(NameError(format!(
            "{what} must be 1 to {max} characters, not {}",
            raw.chars().count()
        )));
    }
    if !crate::visit_ok(raw) {
        return Err(NameError(format!(
            "{what} {raw:?} may hold only letters, digits, - and _"
        )));
    }
    Ok(raw.to_owned())
}

/// A name of the shared alphabet ([`token_chars`]) with a length limit.
macro_rules! token_name {
    ($(#[$doc:meta])* $name:ident, $what:literal, $max:literal) => {
        $(#[$doc])*
        #[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
        #[serde(transparent)]
        pub struct $name(String);
        parsed_name!($name, NameError);

        impl $name {
            #[doc = concat!("Parses a ", $what, ".")]
            ///
            /// # Errors
            /// A [`NameError`] saying what is wrong.
            pub fn parse(raw: &str) -> Result<Self, NameError> {
                token_chars(raw, $what, $max).map(Self)
            }
        }
    };
}

token_name!(
    /// A service's id, unique within its shop, e.g. `oil` (1 to 32 letters, digits, `-`, `_`).
    ServiceId, "service id", 32
);
token_name!(
    /// A review's id within its shop (1 to 64 letters, digits, `-`, `_`).
    ReviewId, "review id", 64
);
token_name!(
    /// A visit the shop recorded by its own work-order number (1 to 32 letters, digits, `-`, `_`).
    VisitId, "work order", 32
);

/// A booking's reference code, e.g. `AB7K-29QF` (see [`crate::reference_code`]).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
#[serde(transparent)]
pub struct Reference(String);
parsed_name!(Reference, NameError);

impl Reference {
    /// Parses a reference code.
    ///
    /// # Errors
    /// A [`NameError`] when it is not one.
    pub fn parse(raw: &str) -> Result<Self, NameError> {
        if crate::is_reference_code(raw) {
            Ok(Self(raw.to_owned()))
        } else {
            Err(NameError(format!("{raw:?} is not a booking reference")))
        }
    }
}

/// An IANA time zone name, e.g. `Asia/Taipei` (checked against the zone database where the
/// `tz` feature is on, by its shape elsewhere).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
#[serde(transparent)]
pub struct TimeZoneName(String);
parsed_name!(TimeZoneName, NameError);

impl TimeZoneName {
    /// Parses a zone name.
    ///
    /// # Errors
    /// A [`NameError`] naming the zone.
    pub fn parse(raw: &str) -> Result<Self, NameError> {
        crate::zone_name_ok(raw).map_err(NameError)?;
        Ok(Self(raw.to_owned()))
    }

    /// The alliance's own zone.
    pub fn taipei() -> Self {
        Self("Asia/Taipei".to_owned())
    }
}

impl Default for TimeZoneName {
    fn default() -> Self {
        Self::taipei()
    }
}

/// A shop's webhook receiver: an absolute `http(s)` URL with a host and no credentials, at most
/// 500 bytes. Whether it may point at a private address is the deployment's policy, checked
/// apart ([`crate::check_webhook_url`]) when it is saved and before every delivery.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
#[serde(transparent)]
pub struct WebhookUrl(String);
parsed_name!(WebhookUrl, NameError);

impl WebhookUrl {
    /// Parses a webhook URL.
    ///
    /// # Errors
    /// A [`NameError`] naming what is wrong.
    pub fn parse(raw: &str) -> Result<Self, NameError> {
        // The public-address rule is the policy's; here only the shape, which holds everywhere.
        crate::check_webhook_url(raw, true).map_err(NameError)?;
        Ok(Self(raw.trim().to_owned()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_parse_once_and_refuse_what_they_cannot_hold() {
        fn holds<T>(parse: fn(&str) -> Result<T, NameError>, good: &str, bad: &[&str]) {
            assert!(parse(good).is_ok(), "{good:?}");
            for b in bad {
                assert!(parse(b).is_err(), "{b:?}");
            }
        }
        let long = "x".repeat(33);
        holds(ServiceId::parse, "oil", &["", "oil change", &long]);
        holds(ReviewId::parse, "r001", &["r/1", ""]);
        holds(VisitId::parse, "WO-2026-0042", &["WO 42", &long]);
        holds(Reference::parse, "AB7K-29QF", &["AB7K29QF", "AB7K-29QI"]);
        holds(TimeZoneName::parse, "Asia/Taipei", &[""]);
        holds(
            WebhookUrl::parse,
            "https://hooks.shop.example.tw/a",
            &[
                "ftp://hooks.shop.example.tw/a",
                "https://user:pw@hooks.example.tw/",
            ],
        );
    }

    #[test]
    fn a_name_reads_from_json_through_its_parse() {
        let ok: ServiceId = serde_json::from_str("\"brakes\"").unwrap();
        assert_eq!(ok, "brakes");
        assert!(serde_json::from_str::<ServiceId>("\"no way\"").is_err());
        assert!(serde_json::from_str::<Reference>("\"AB7K-29QI\"").is_err());
        assert_eq!(serde_json::to_string(&ok).unwrap(), "\"brakes\"");
    }
}
