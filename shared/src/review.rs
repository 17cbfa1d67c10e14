use crate::{Locale, Stars};
use serde::{Deserialize, Serialize};
use std::fmt;

/// Why the alliance hid a review. Hiding always needs one of these, and is public.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "kebab-case")]
#[non_exhaustive]
pub enum HideReason {
    /// Abusive or hateful language.
    Abuse,
    /// Contains someone's personal data.
    PersonalData,
    /// Advertising or fake content.
    Spam,
    /// Not about a visit to the shop.
    OffTopic,
}

impl HideReason {
    /// The wire name, e.g. `personal-data`.
    pub fn as_str(self) -> &'static str {
        match self {
            HideReason::Abuse => "abuse",
            HideReason::PersonalData => "personal-data",
            HideReason::Spam => "spam",
            HideReason::OffTopic => "off-topic",
        }
    }
}

/// One line of the public moderation log: the alliance hid a review, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ModerationEntry {
    /// When, RFC 3339.
    pub at: String,
    /// The shop whose review it was.
    pub shop: crate::ShopId,
    /// The review's id.
    pub review: String,
    /// Why.
    pub reason: HideReason,
}

/// Body of the admin's hide action.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct HideRequest {
    /// Why: one of the alliance's published reasons.
    pub reason: HideReason,
}

/// Body of a shop's reply to a review.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ReplyForm {
    /// 1 to 1000 characters.
    pub text: String,
}

impl ReplyForm {
    /// The normalised reply text.
    ///
    /// # Errors
    /// A [`FieldError`] for `text`.
    pub fn validate(&self) -> Result<String, FieldError> {
        let text = normalize(&self.text);
        let n = text.chars().count();
        if bad_controls(&text, true) {
            Err(FieldError::new(
                "text",
                Reason::ControlCharacters,
                "reply may not contain control characters",
            ))
        } else if n == 0 || n > 1000 {
            Err(FieldError::new(
                "text",
                if n == 0 {
                    Reason::Required
                } else {
                    Reason::TooLong { max: 1000 }
                },
                format!("reply must be 1 to 1000 characters, not {n}"),
            ))
        } else {
            Ok(text)
        }
    }
}

/// The shop's public reply to a review.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Reply {
    /// The reply's text.
    pub text: String,
    /// When it was last edited, RFC 3339.
    pub updated_at: String,
}

/// How the alliance knows the reviewed visit happened: said on every review, in the rating
/// summary's counts, and never more than the records show.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "kebab-case")]
pub enum Provenance {
    /// Booked through the alliance and marked completed by the shop.
    Booked,
    /// Invited by the shop after a visit it recorded (a walk-in or phone booking, with its
    /// work-order number and date), within the alliance's daily limit. Also what reviews whose
    /// origin the records do not show (imported ones) are labelled: the weaker claim.
    #[default]
    Invited,
}

impl Provenance {
    /// The stored and wire name.
    pub fn as_str(self) -> &'static str {
        match self {
            Provenance::Booked => "booked",
            Provenance::Invited => "invited",
        }
    }

    /// Parses a stored name; anything but `booked` is the weaker `invited`.
    pub fn parse(s: &str) -> Self {
        if s == "booked" {
            Provenance::Booked
        } else {
            Provenance::Invited
        }
    }
}

/// What a visible review shows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ReviewContent {
    /// The rating.
    pub stars: Stars,
    /// The text as written (always rendered as text, never as HTML).
    pub text: String,
    /// The language it was written in.
    pub language: Locale,
    /// Id of the service the visit was for.
    pub service: String,
    /// The reviewer's shortened name, e.g. `王○○` or `Alex C.`.
    pub author: String,
    /// Written with a token from a real visit.
    pub verified_visit: bool,
    /// How that visit is known (see [`Provenance`]).
    #[serde(default)]
    pub provenance: Provenance,
    /// The shop's reply, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reply: Option<Reply>,
}

/// A review as the public sees it: its content, or only the placeholder when hidden.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PublicReview {
    /// Identifier within the shop.
    pub id: String,
    /// When it was written, RFC 3339.
    pub created_at: String,
    /// The review, unless hidden.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub content: Option<ReviewContent>,
    /// Why the alliance hid it, if it did.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hidden: Option<HideReason>,
}

/// Orders of the review list.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "kebab-case")]
pub enum ReviewSort {
    /// Newest first.
    #[default]
    Newest,
    /// Most stars first, newest first among equals.
    Highest,
    /// Fewest stars first, newest first among equals.
    Lowest,
}

impl ReviewSort {
    /// Parses the `sort` query parameter.
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "newest" => Some(ReviewSort::Newest),
            "highest" => Some(ReviewSort::Highest),
            "lowest" => Some(ReviewSort::Lowest),
            _ => None,
        }
    }

    /// Every sort, for writers that keep one index per sort.
    pub const ALL: [ReviewSort; 3] = [ReviewSort::Newest, ReviewSort::Highest, ReviewSort::Lowest];

    /// The short code used in index keys.
    pub fn code(self) -> &'static str {
        match self {
            ReviewSort::Newest => "n",
            ReviewSort::Highest => "h",
            ReviewSort::Lowest => "l",
        }
    }

    /// The part of an index key that orders a review under this sort, given its stars and
    /// creation time. Keys sort in byte order, so the list comes out in the sort's order.
    pub fn sort_key(self, stars: Stars, created_ms: u64, id: &str) -> String {
        let newest_first = 9_999_999_999_999u64.saturating_sub(created_ms);
        match self {
            ReviewSort::Newest => format!("{newest_first:013}-{id}"),
            ReviewSort::Highest => format!("{}{newest_first:013}-{id}", 5 - stars.get()),
            ReviewSort::Lowest => format!("{}{newest_first:013}-{id}", stars.get()),
        }
    }
}

/// One page of a shop's reviews.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ReviewPage {
    /// The reviews, in the requested order.
    pub reviews: Vec<PublicReview>,
    /// Cursor for the next page; `None` on the last page.
    #[serde(default)]
    pub next: Option<String>,
}

/// A customer's review as submitted from the widget's form.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ReviewForm {
    /// The signed review token from the visit's link.
    pub token: String,
    /// 1 to 5 (validated, so a bad value gets a field error rather than a parse failure).
    pub stars: i64,
    /// 10 to 2000 characters.
    pub text: String,
    /// The service of the visit.
    pub service: String,
    /// The name to show, shortened before it is shown (1 to 40 characters).
    pub author: String,
    /// The language the review is written in.
    pub language: Locale,
    /// Honeypot: people never fill it in; bots do.
    #[serde(default)]
    pub website: String,
}

/// Why a field was refused, as data: what the widget and the console translate into their
/// own zh-TW and English messages (the English `detail` stays for API users).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "kind", rename_all = "kebab-case")]
#[non_exhaustive]
pub enum Reason {
    /// Empty, and it may not be.
    Required,
    /// Shorter than `min` characters.
    TooShort {
        /// The fewest characters allowed.
        min: usize,
    },
    /// Longer than `max` characters.
    TooLong {
        /// The most characters allowed.
        max: usize,
    },
    /// Holds control characters.
    ControlCharacters,
    /// Not written the way the field is (a time, a plate, a phone number, an e-mail address).
    Format,
    /// A number or a year outside what the field allows.
    OutOfRange,
    /// Not one of the choices offered (a service the shop does not offer).
    NotOffered,
    /// A box that must be ticked (consent).
    MustAgree,
    /// The honeypot: a field people leave empty.
    MustBeEmpty,
    /// Anything else (read `detail`).
    #[default]
    Other,
}

/// A problem with one form field.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct FieldError {
    /// The field, as named in the form.
    pub field: String,
    /// What is wrong, in English, for API users.
    pub detail: String,
    /// Why, as data (the widget and the console choose their message from it).
    #[serde(default)]
    pub reason: Reason,
}

impl FieldError {
    /// A refusal of `field` for `reason`, explained in `detail`.
    pub fn new(field: &str, reason: Reason, detail: impl Into<String>) -> Self {
        FieldError {
            field: field.into(),
            detail: detail.into(),
            reason,
        }
    }
}

impl fmt::Display for FieldError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.field, self.detail)
    }
}

/// A review form that passed validation, with its text normalised.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidReview {
    /// The rating.
    pub stars: Stars,
    /// Trimmed, NFC-normalised (when the `nfc` feature is on) text.
    pub text: String,
    /// The service id.
    pub service: String,
    /// Trimmed name as given.
    pub author: String,
    /// Language.
    pub language: Locale,
}

/// Normalises text as stored: trimmed, line endings as `\n`, and NFC with the `nfc` feature.
pub fn normalize(text: &str) -> String {
    let t = text.trim().replace("\r\n", "\n");
    #[cfg(feature = "nfc")]
    {
        use unicode_normalization::UnicodeNormalization;
        t.nfc().collect()
    }
    #[cfg(not(feature = "nfc"))]
    t
}

fn bad_controls(text: &str, allow_newline: bool) -> bool {
    text.chars()
        .any(|c| c.is_control() && !(allow_newline && c == '\n'))
}

/// What is wrong with a normalised text `field` (called `label` in the English detail): control
/// characters (newlines allowed where `newlines`), or fewer than `min` or more than `max`
/// characters (none at all is "required" where one is the least).
fn length_error(
    field: &str,
    label: &str,
    text: &str,
    newlines: bool,
    min: usize,
    max: usize,
) -> Option<FieldError> {
    let n = text.chars().count();
    let (reason, detail) = if bad_controls(text, newlines) {
        (
            Reason::ControlCharacters,
            format!("{label} may not contain control characters"),
        )
    } else if n == 0 && min == 1 {
        (Reason::Required, format!("{label} is required"))
    } else if n < min {
        (
            Reason::TooShort { min },
            format!("{label} must be at least {min} characters, not {n}"),
        )
    } else if n > max {
        (
            Reason::TooLong { max },
            format!("{label} must be at most {max} characters, not {n}"),
        )
    } else {
        return None;
    };
    Some(FieldError::new(field, reason, detail))
}

impl ReviewForm {
    /// Validates the form against the shop's `services`: every field problem at once.
    ///
    /// # Errors
    /// The list of [`FieldError`]s, in form order.
    pub fn validate(&self, services: &[&str]) -> Result<ValidReview, Vec<FieldError>> {
        let mut errors = Vec::new();
        let stars = Stars::parse(self.stars)
            .map_err(|e| errors.push(FieldError::new("stars", Reason::OutOfRange, e.to_string())))
            .ok();
        let text = normalize(&self.text);
        errors.extend(length_error("text", "text", &text, true, 10, 2000));
        if !services.contains(&self.service.as_str()) {
            errors.push(FieldError::new(
                "service",
                Reason::NotOffered,
                format!("service {:?} is not offered by this shop", self.service),
            ));
        }
        let author = normalize(&self.author);
        errors.extend(length_error("author", "name", &author, false, 1, 40));
        if !self.website.is_empty() {
            errors.push(FieldError::new(
                "website",
                Reason::MustBeEmpty,
                "this field must be left empty",
            ));
        }
        match (errors.is_empty(), stars) {
            (true, Some(stars)) => Ok(ValidReview {
                stars,
                text,
                service: self.service.clone(),
                author,
                language: self.language,
            }),
            _ => Err(errors),
        }
    }
}

fn is_cjk(c: char) -> bool {
    matches!(c as u32, 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xF900..=0xFAFF | 0x20000..=0x2FA1F)
}

/// The reviewer's name as shown publicly: a Chinese name keeps its surname (`王大明` → `王○○`),
/// other names keep the first name and the last name's initial (`Alex Chen` → `Alex C.`).
pub fn short_name(full: &str) -> String {
    let name = full.trim();
    let chars: Vec<char> = name.chars().collect();
    if chars.first().is_some_and(|c| is_cjk(*c)) {
        let rest = chars.len().saturating_sub(1).clamp(1, 2);
        return format!("{}{}", chars[0], "○".repeat(rest));
    }
    let words: Vec<&str> = name.split_whitespace().collect();
    match words.as_slice() {
        [] => "—".into(),
        [one] => (*one).to_owned(),
        [first, .., last] => {
            let initial = last
                .chars()
                .next()
                .map(|c| c.to_uppercase().to_string())
                .unwrap_or_default();
            format!("{first} {initial}.")
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn form() -> ReviewForm {
        ReviewForm {
            token: "t".into(),
            stars: 5,
            text: "Fixed my brakes quickly and explained everything.".into(),
            service: "brakes".into(),
            author: "Alex Chen".into(),
            language: Locale::En,
            website: String::new(),
        }
    }

    #[test]
    fn a_good_form_is_valid() {
        let v = form().validate(&["brakes", "oil"]).unwrap();
        assert_eq!(v.stars.get(), 5);
        assert_eq!(v.author, "Alex Chen");
    }

    #[test]
    fn every_bad_field_is_named() {
        let mut f = form();
        f.stars = 0;
        f.text = "short".into();
        f.service = "teleport".into();
        f.author = " ".into();
        f.website = "http://spam".into();
        let fields: Vec<String> = f
            .validate(&["brakes"])
            .unwrap_err()
            .into_iter()
            .map(|e| e.field)
            .collect();
        assert_eq!(fields, ["stars", "text", "service", "author", "website"]);
    }

    #[test]
    fn text_limits_count_characters_not_bytes() {
        let mut f = form();
        f.text = "保養很仔細價格也合理".into(); // 10 characters, 30 bytes
        assert!(f.validate(&["brakes"]).is_ok());
        f.text = "好".repeat(2001);
        assert_eq!(f.validate(&["brakes"]).unwrap_err()[0].field, "text");
    }

    #[test]
    fn control_characters_are_rejected_but_newlines_kept() {
        let mut f = form();
        f.text = "line one is fine\r\nline two too".into();
        assert_eq!(
            f.validate(&["brakes"]).unwrap().text,
            "line one is fine\nline two too"
        );
        f.text = "bell \u{7} in the middle of text".into();
        assert_eq!(f.validate(&["brakes"]).unwrap_err()[0].field, "text");
    }

    #[cfg(feature = "nfc")]
    #[test]
    fn text_is_nfc_normalised() {
        assert_eq!(normalize("Cafe\u{301} visit"), "Caf\u{e9} visit");
    }

    #[test]
    fn names_are_shortened() {
        assert_eq!(short_name("王大明"), "王○○");
        assert_eq!(short_name("林志"), "林○");
        assert_eq!(short_name("Alex Chen"), "Alex C.");
        assert_eq!(short_name("  Grace  van der lee "), "Grace L.");
        assert_eq!(short_name("Olivia"), "Olivia");
    }

    #[test]
    fn sort_keys_order_reviews_as_each_sort_promises() {
        let s = |n| Stars::parse(n).unwrap();
        let old5 = (s(5), 1_000u64, "a");
        let new3 = (s(3), 2_000u64, "b");
        let new5 = (s(5), 3_000u64, "c");
        let order = |sort: ReviewSort| {
            let mut v = [old5, new3, new5];
            v.sort_by_key(|(st, ms, id)| sort.sort_key(*st, *ms, id));
            v.map(|x| x.2)
        };
        assert_eq!(order(ReviewSort::Newest), ["c", "b", "a"]);
        assert_eq!(order(ReviewSort::Highest), ["c", "a", "b"]);
        assert_eq!(order(ReviewSort::Lowest), ["b", "c", "a"]);
    }
}
