//! Booking forms and their validation: the same rules run in the widget (messages next to the
//! fields) and at the edge (nothing stored on error).

use crate::{FieldError, Locale, Reason};
use serde::{Deserialize, Serialize};

/// A phone number normalised to E.164 (`+886912345678`), or erased (the customer's "delete my
/// data", or the retention sweep). Read back through [`Phone::parse`]: a stored value that is
/// not a phone number fails to decode instead of passing as one. Erased is stored as `""`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Phone(Option<String>);

/// A vehicle registration plate, uppercased (`ABC-1234`), or erased; stored like [`Phone`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Plate(Option<String>);

/// `Serialize` as the text (`""` when erased) and `Deserialize` through `parse`.
macro_rules! parsed_text {
    ($t:ident) => {
        impl $t {
            /// The erased value: what is left of it after the customer's data is deleted.
            pub fn erased() -> Self {
                $t(None)
            }

            /// Whether it was erased.
            pub fn is_erased(&self) -> bool {
                self.0.is_none()
            }

            /// The normalised text; empty when erased.
            pub fn as_str(&self) -> &str {
                self.0.as_deref().unwrap_or("")
            }
        }

        impl Serialize for $t {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(self.as_str())
            }
        }

        impl<'de> Deserialize<'de> for $t {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                let text = String::deserialize(d)?;
                if text.is_empty() {
                    Ok($t::erased())
                } else {
                    $t::parse(&text).map_err(serde::de::Error::custom)
                }
            }
        }
    };
}

parsed_text!(Phone);
parsed_text!(Plate);
string_schema!(Phone);
string_schema!(Plate);

impl Phone {
    /// Accepts a Taiwan mobile (`0912-345-678`), a Taiwan landline (`(02) 2705-1234`,
    /// `02-27051234`, `037-123456`) or an international number (`+1 415 555 0100`).
    ///
    /// # Errors
    /// A message naming the value.
    pub fn parse(raw: &str) -> Result<Self, String> {
        let bad = || {
            format!(
                "phone {raw:?} is not a Taiwan mobile, Taiwan landline or +international number"
            )
        };
        let trimmed = raw.trim();
        if trimmed.is_empty() || trimmed.chars().count() > 25 {
            return Err(bad());
        }
        if !trimmed
            .chars()
            .all(|c| c.is_ascii_digit() || " -()+".contains(c))
        {
            return Err(bad());
        }
        if trimmed[1..].contains('+') {
            return Err(bad());
        }
        let digits: String = trimmed.chars().filter(char::is_ascii_digit).collect();
        if trimmed.starts_with('+') {
            // E.164: up to 15 digits, no leading zero in the country code.
            if !(8..=15).contains(&digits.len()) || digits.starts_with('0') {
                return Err(bad());
            }
            return Ok(Phone(Some(format!("+{digits}"))));
        }
        let national = &digits;
        let ok = if national.starts_with("09") {
            national.len() == 10
        } else if national.starts_with('0') && !national.starts_with("00") {
            // Landlines: area code 02 to 089 and 6 to 8 subscriber digits; 9 or 10 digits in all.
            (9..=10).contains(&national.len())
        } else {
            false
        };
        if !ok {
            return Err(bad());
        }
        Ok(Phone(Some(format!("+886{}", &national[1..]))))
    }
}

impl Plate {
    /// Accepts 2 to 4 letters or digits, an optional hyphen, and 2 to 4 more (Taiwan's formats:
    /// `ABC-1234`, `1234-AB`, `AB-1234`); 5 to 8 characters without the hyphen.
    ///
    /// # Errors
    /// A message naming the value.
    pub fn parse(raw: &str) -> Result<Self, String> {
        let up = raw.trim().to_ascii_uppercase().replace(' ', "-");
        let bad = || format!("plate {raw:?} is not like ABC-1234");
        let (a, b) = match up.split_once('-') {
            Some((a, b)) => (a.to_owned(), b.to_owned()),
            None if (5..=8).contains(&up.len()) => {
                let cut = if up.len() >= 7 { 3 } else { 2 };
                (up[..cut].to_owned(), up[cut..].to_owned())
            }
            None => return Err(bad()),
        };
        let part_ok =
            |p: &str| (2..=4).contains(&p.len()) && p.chars().all(|c| c.is_ascii_alphanumeric());
        if !part_ok(&a) || !part_ok(&b) {
            return Err(bad());
        }
        Ok(Plate(Some(format!("{a}-{b}"))))
    }
}

/// Whether the customer waits at the shop or leaves the car.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "kebab-case")]
pub enum Handover {
    /// Waits at the shop.
    #[default]
    Wait,
    /// Drops the car off.
    DropOff,
}

/// The booking form as the widget sends it (raw strings, validated by [`BookingForm::validate`]).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct BookingForm {
    /// Service id.
    pub service: String,
    /// The chosen slot's start, RFC 3339 with offset or UTC.
    pub start: String,
    /// Vehicle make, e.g. Toyota.
    pub make: String,
    /// Vehicle model, e.g. Corolla Altis.
    pub model: String,
    /// Model year, as typed.
    pub year: String,
    /// Registration plate.
    pub plate: String,
    /// Mileage in km, optional, as typed.
    #[serde(default)]
    pub mileage: String,
    /// Wait or drop off.
    #[serde(default)]
    pub handover: Handover,
    /// Customer's name.
    pub name: String,
    /// Customer's phone.
    pub phone: String,
    /// Customer's e-mail, optional.
    #[serde(default)]
    pub email: String,
    /// Notes for the shop, optional.
    #[serde(default)]
    pub notes: String,
    /// Consent to the shop's privacy notice.
    #[serde(default)]
    pub consent: bool,
    /// Consent to counting visits across the alliance (returning customers).
    #[serde(default)]
    pub count_visits: bool,
    /// The customer's language.
    #[serde(default)]
    pub locale: Locale,
    /// Honeypot: left empty by people.
    #[serde(default)]
    pub website: String,
    /// Turnstile response, when the alliance turns Turnstile on.
    #[serde(default)]
    pub turnstile: String,
}

/// A booking form that passed validation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NewBooking {
    /// Service id.
    pub service: String,
    /// Start, milliseconds since the Unix epoch.
    pub start_ms: u64,
    /// Vehicle make.
    pub make: String,
    /// Vehicle model.
    pub model: String,
    /// Model year.
    pub year: u16,
    /// Plate.
    pub plate: Plate,
    /// Mileage in km.
    pub mileage: Option<u32>,
    /// Wait or drop off.
    pub handover: Handover,
    /// Name.
    pub name: String,
    /// Phone, E.164.
    pub phone: Phone,
    /// E-mail.
    pub email: Option<String>,
    /// Notes.
    pub notes: String,
    /// Language.
    pub locale: Locale,
    /// The customer agreed to have visits counted across the alliance.
    #[serde(default)]
    pub count_visits: bool,
}

fn text_field(
    errors: &mut Vec<FieldError>,
    field: &str,
    value: &str,
    min: usize,
    max: usize,
) -> String {
    let v = crate::normalize(value);
    let n = v.chars().count();
    if v.chars().any(|c| c.is_control() && c != '\n') {
        errors.push(FieldError::new(
            field,
            Reason::ControlCharacters,
            format!("{field} may not contain control characters"),
        ));
    } else if n < min {
        errors.push(FieldError::new(
            field,
            Reason::Required,
            format!("{field} is required"),
        ));
    } else if n > max {
        errors.push(FieldError::new(
            field,
            Reason::TooLong { max },
            format!("{field} must be at most {max} characters, not {n}"),
        ));
    }
    v
}

impl BookingForm {
    /// Validates every field at once against the shop's `services` and the current year.
    ///
    /// # Errors
    /// Every [`FieldError`], in form order.
    pub fn validate(
        &self,
        services: &[&str],
        this_year: u16,
    ) -> Result<NewBooking, Vec<FieldError>> {
        let mut errors = Vec::new();
        let push = |errors: &mut Vec<FieldError>, field: &str, reason: Reason, detail: String| {
            errors.push(FieldError::new(field, reason, detail))
        };
        if !services.contains(&self.service.as_str()) {
            push(
                &mut errors,
                "service",
                Reason::NotOffered,
                format!("service {:?} is not offered by this shop", self.service),
            );
        }
        let start_ms = parse_instant(&self.start);
        if start_ms.is_none() {
            push(
                &mut errors,
                "start",
                Reason::Format,
                format!(
                    "start {:?} is not a time like 2026-12-01T09:00:00+08:00",
                    self.start
                ),
            );
        }
        let make = text_field(&mut errors, "make", &self.make, 1, 40);
        let model = text_field(&mut errors, "model", &self.model, 1, 40);
        let year = self
            .year
            .trim()
            .parse::<u16>()
            .ok()
            .filter(|y| (1950..=this_year + 1).contains(y));
        if year.is_none() {
            push(
                &mut errors,
                "year",
                Reason::OutOfRange,
                format!(
                    "year must be 1950 to {}, not {:?}",
                    this_year + 1,
                    self.year
                ),
            );
        }
        let plate = Plate::parse(&self.plate)
            .map_err(|e| push(&mut errors, "plate", Reason::Format, e))
            .ok();
        let mileage = match self.mileage.trim().replace(',', "") {
            m if m.is_empty() => None,
            m => match m.parse::<u32>() {
                Ok(n) if n <= 2_000_000 => Some(n),
                _ => {
                    push(
                        &mut errors,
                        "mileage",
                        Reason::OutOfRange,
                        format!(
                            "mileage {:?} must be a number of km up to 2,000,000",
                            self.mileage
                        ),
                    );
                    None
                }
            },
        };
        let name = text_field(&mut errors, "name", &self.name, 1, 60);
        let phone = Phone::parse(&self.phone)
            .map_err(|e| push(&mut errors, "phone", Reason::Format, e))
            .ok();
        let email = self.email.trim();
        if !email.is_empty() && !email_ok(email) {
            push(
                &mut errors,
                "email",
                Reason::Format,
                format!("email {email:?} is not an e-mail address"),
            );
        }
        let notes = text_field(&mut errors, "notes", &self.notes, 0, 500);
        if !self.consent {
            push(
                &mut errors,
                "consent",
                Reason::MustAgree,
                "consent to the shop's privacy notice is required".into(),
            );
        }
        if !self.website.is_empty() {
            push(
                &mut errors,
                "website",
                Reason::MustBeEmpty,
                "this field must be left empty".into(),
            );
        }
        match (errors.is_empty(), start_ms, year, plate, phone) {
            (true, Some(start_ms), Some(year), Some(plate), Some(phone)) => Ok(NewBooking {
                service: self.service.clone(),
                start_ms,
                make,
                model,
                year,
                plate,
                mileage,
                handover: self.handover,
                name,
                phone,
                email: (!email.is_empty()).then(|| email.to_owned()),
                notes,
                locale: self.locale,
                count_visits: self.count_visits,
            }),
            _ => Err(errors),
        }
    }
}

/// Milliseconds since the Unix epoch of `2026-12-01T09:00:00+08:00` or `…Z`.
pub fn parse_instant(s: &str) -> Option<u64> {
    if s.ends_with('Z') {
        return crate::parse_rfc3339(s);
    }
    if s.len() < 25 {
        return None;
    }
    let (local, offset) = s.split_at(s.len() - 6);
    let sign = match offset.as_bytes()[0] {
        b'+' => 1i64,
        b'-' => -1,
        _ => return None,
    };
    let (h, m) = offset[1..].split_once(':')?;
    let (h, m): (i64, i64) = (h.parse().ok()?, m.parse().ok()?);
    if h > 14 || m > 59 {
        return None;
    }
    let utc = crate::parse_rfc3339(&format!("{local}Z"))? as i64;
    u64::try_from(utc - sign * (h * 3600 + m * 60) * 1000).ok()
}

/// Crockford base-32 without I, L, O and U, so codes read aloud and typed by hand do not mix up.
const CODE_ALPHABET: &[u8; 32] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ";

/// A booking reference like `AB7K-29QF` from 40 random bits.
pub fn reference_code(random: [u8; 5]) -> String {
    let n = random
        .iter()
        .fold(0u64, |acc, b| (acc << 8) | u64::from(*b));
    let chars: Vec<char> = (0..8)
        .rev()
        .map(|i| CODE_ALPHABET[((n >> (i * 5)) & 31) as usize] as char)
        .collect();
    format!(
        "{}-{}",
        chars[..4].iter().collect::<String>(),
        chars[4..].iter().collect::<String>()
    )
}

/// Whether `s` has the shape of a booking reference.
pub fn is_reference_code(s: &str) -> bool {
    s.len() == 9
        && s.as_bytes()[4] == b'-'
        && s.bytes()
            .enumerate()
            .all(|(i, b)| i == 4 || CODE_ALPHABET.contains(&b))
}

/// Status of a booking.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "kebab-case")]
#[non_exhaustive]
pub enum BookingStatus {
    /// Booked and expected.
    Confirmed,
    /// Cancelled by the customer or the shop.
    Cancelled,
    /// The customer arrived.
    Arrived,
    /// The work was done.
    Completed,
    /// The customer did not come.
    NoShow,
}

impl BookingStatus {
    /// The wire and storage name, e.g. `no-show`.
    pub fn as_str(self) -> &'static str {
        match self {
            BookingStatus::Confirmed => "confirmed",
            BookingStatus::Cancelled => "cancelled",
            BookingStatus::Arrived => "arrived",
            BookingStatus::Completed => "completed",
            BookingStatus::NoShow => "no-show",
        }
    }

    /// Parses a wire or storage name.
    pub fn parse(s: &str) -> Option<Self> {
        [
            BookingStatus::Confirmed,
            BookingStatus::Cancelled,
            BookingStatus::Arrived,
            BookingStatus::Completed,
            BookingStatus::NoShow,
        ]
        .into_iter()
        .find(|b| b.as_str() == s)
    }
}

/// A booking as its customer sees it (the confirmation and the manage view).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct BookingView {
    /// Reference code, e.g. `AB7K-29QF`.
    pub reference: String,
    /// The shop.
    pub shop: crate::ShopId,
    /// The shop's name.
    pub shop_name: crate::LocalizedText,
    /// Service id.
    pub service: String,
    /// The service's name.
    pub service_name: crate::LocalizedText,
    /// Start, RFC 3339 with the shop's offset.
    pub start: String,
    /// Start, milliseconds since the Unix epoch.
    pub start_ms: u64,
    /// End, milliseconds since the Unix epoch.
    pub end_ms: u64,
    /// The shop's time zone.
    pub time_zone: String,
    /// Status.
    pub status: BookingStatus,
    /// Vehicle, e.g. `Toyota Corolla Altis 2019 (ABC-1234)`.
    pub vehicle: String,
    /// Wait or drop off.
    pub handover: Handover,
    /// Signed token for the manage link (view, cancel, reschedule).
    pub manage_token: String,
    /// Until when the customer may cancel or reschedule, milliseconds since the Unix epoch.
    pub changeable_until_ms: u64,
    /// With the customer's consent: which visit with the alliance this is (1 for the first).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub alliance_visit: Option<u32>,
    /// The member whose site sent the customer here, for a referral.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub referred_by: Option<crate::ShopId>,
    /// The alliance's LINE account takes messages about this booking: the customer may link
    /// LINE on the booking's LINE page (`/v1/bookings/{token}/line`).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub line: bool,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn status_names_match_the_wire_format() {
        for status in [
            BookingStatus::Confirmed,
            BookingStatus::Cancelled,
            BookingStatus::Arrived,
            BookingStatus::Completed,
            BookingStatus::NoShow,
        ] {
            let wire = serde_json::to_value(status).unwrap();
            assert_eq!(wire, status.as_str());
            assert_eq!(BookingStatus::parse(status.as_str()), Some(status));
        }
        assert_eq!(BookingStatus::parse("lost"), None);
    }

    fn form() -> BookingForm {
        BookingForm {
            service: "oil".into(),
            start: "2026-12-01T09:00:00+08:00".into(),
            make: "Toyota".into(),
            model: "Corolla Altis".into(),
            year: "2019".into(),
            plate: "abc-1234".into(),
            mileage: "45,000".into(),
            name: "陳怡君".into(),
            phone: "0912-345-678".into(),
            consent: true,
            ..Default::default()
        }
    }

    #[test]
    fn a_good_form_is_normalised() {
        let b = form().validate(&["oil"], 2026).unwrap();
        assert_eq!(
            b.start_ms,
            crate::parse_rfc3339("2026-12-01T01:00:00Z").unwrap()
        );
        assert_eq!(b.plate.as_str(), "ABC-1234");
        assert_eq!(b.phone.as_str(), "+886912345678");
        assert_eq!(b.mileage, Some(45_000));
    }

    #[test]
    fn phones_taiwan_mobile_landline_and_international() {
        for (raw, e164) in [
            ("0912345678", "+886912345678"),
            ("0912-345-678", "+886912345678"),
            ("(02) 2705-1234", "+886227051234"),
            ("02-27051234", "+886227051234"),
            ("037-123456", "+88637123456"),
            ("+1 415 555 0100", "+14155550100"),
            ("+886 912 345 678", "+886912345678"),
        ] {
            assert_eq!(Phone::parse(raw).unwrap().as_str(), e164, "{raw}");
        }
        for bad in [
            "",
            "12345",
            "0912-345-67",
            "091234567890",
            "+0123456789",
            "09123x5678",
            "00886912345678",
            "+1-800-FLOWERS",
            "+12+34567890",
        ] {
            assert!(Phone::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn plates_in_taiwan_formats() {
        for (raw, plate) in [
            ("ABC-1234", "ABC-1234"),
            ("1234-ab", "1234-AB"),
            ("AB-1234", "AB-1234"),
            ("abc1234", "ABC-1234"),
        ] {
            assert_eq!(Plate::parse(raw).unwrap().as_str(), plate, "{raw}");
        }
        for bad in ["", "A-1", "ABCDE-12345", "AB_1234", "車牌-1234"] {
            assert!(Plate::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn stored_phones_and_plates_are_parsed_back_and_erased_is_explicit() {
        for raw in ["0912-345-678", "(02) 2705-1234", "+1 415 555 0100"] {
            let p = Phone::parse(raw).unwrap();
            let json = serde_json::to_string(&p).unwrap();
            assert_eq!(serde_json::from_str::<Phone>(&json).unwrap(), p, "{raw}");
        }
        let plate = Plate::parse("abc1234").unwrap();
        let json = serde_json::to_string(&plate).unwrap();
        assert_eq!(serde_json::from_str::<Plate>(&json).unwrap(), plate);
        // Erased is a state of its own, stored as "" and read back as erased.
        assert_eq!(serde_json::to_string(&Phone::erased()).unwrap(), r#""""#);
        assert!(serde_json::from_str::<Phone>(r#""""#).unwrap().is_erased());
        assert!(serde_json::from_str::<Plate>(r#""""#).unwrap().is_erased());
        // A stored value that is no phone number or plate fails loudly.
        assert!(serde_json::from_str::<Phone>(r#""call me""#).is_err());
        assert!(serde_json::from_str::<Plate>(r#""A-1""#).is_err());
    }

    #[test]
    fn every_bad_field_is_named() {
        let f = BookingForm {
            year: "1890".into(),
            phone: "123".into(),
            start: "tomorrow".into(),
            email: "not-an-email".into(),
            ..BookingForm::default()
        };
        let fields: Vec<String> = f
            .validate(&["oil"], 2026)
            .unwrap_err()
            .into_iter()
            .map(|e| e.field)
            .collect();
        assert_eq!(
            fields,
            [
                "service", "start", "make", "model", "year", "plate", "name", "phone", "email",
                "consent"
            ]
        );
    }

    #[test]
    fn year_range_is_sane() {
        let mut f = form();
        f.year = "2027".into();
        assert!(
            f.validate(&["oil"], 2026).is_ok(),
            "next year's models are on sale"
        );
        f.year = "2028".into();
        assert_eq!(f.validate(&["oil"], 2026).unwrap_err()[0].field, "year");
    }

    #[test]
    fn instants_with_offsets() {
        assert_eq!(
            parse_instant("2026-12-01T09:00:00+08:00"),
            crate::parse_rfc3339("2026-12-01T01:00:00Z")
        );
        assert_eq!(
            parse_instant("2026-03-08T03:00:00-04:00"),
            crate::parse_rfc3339("2026-03-08T07:00:00Z")
        );
        assert_eq!(parse_instant("2026-12-01 09:00"), None);
    }

    #[test]
    fn reference_codes_carry_forty_bits_in_an_unambiguous_alphabet() {
        assert_eq!(reference_code([0; 5]), "0000-0000");
        assert_eq!(reference_code([255; 5]), "ZZZZ-ZZZZ");
        let code = reference_code([0x12, 0x34, 0x56, 0x78, 0x9a]);
        assert!(is_reference_code(&code), "{code}");
        assert!(!code.contains(['I', 'L', 'O', 'U']));
        assert!(!is_reference_code("AB7K29QF"));
        assert!(!is_reference_code("AB7K-29QI"));
    }
}

/// Whether `email` is an address mail can be sent to: one `@` with a local part, a dotted
/// domain, no spaces or control characters, at most 254 bytes.
pub fn email_ok(email: &str) -> bool {
    email.len() <= 254
        && email.rsplit_once('@').is_some_and(|(l, d)| {
            !l.is_empty()
                && !l.contains(['<', '>', '"', ',', ';'])
                && d.contains('.')
                && !d.starts_with('.')
                && !d.ends_with('.')
                && !d.contains(['@', '<', '>', '"', ',', ';'])
        })
        && !email.chars().any(|c| c.is_whitespace() || c.is_control())
}
