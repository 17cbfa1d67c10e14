//! Domain types and pure logic shared by the alliance widget (`widget`, WebAssembly in the
//! browser) and the edge API (`edge`, a Cloudflare Worker).
//!
//! Everything here is plain Rust with no I/O, so both sides agree on the wire format and the
//! rules, and the rules are tested natively with `cargo test -p alliance-shared`.
//!
//! ```
//! use shared::{ShopId, Stars, RatingSummary};
//!
//! let id = ShopId::parse("da-an-auto").unwrap();
//! assert_eq!(id.as_str(), "da-an-auto");
//!
//! let stars = [5, 4, 4].map(|s| Stars::parse(s).unwrap());
//! let summary = RatingSummary::from_stars(stars);
//! assert_eq!(summary.count, 3);
//! assert_eq!(summary.average_display(), "4.3");
//! ```

/// A JSON Schema `string` for a type whose serde impls are its own (a name, a phone number, a
/// time of day), registered under the type's name for the generated OpenAPI document.
#[cfg(feature = "openapi")]
macro_rules! string_schema {
    ($t:ty) => {
        impl utoipa::PartialSchema for $t {
            fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
                utoipa::openapi::ObjectBuilder::new()
                    .schema_type(utoipa::openapi::schema::Type::String)
                    .into()
            }
        }

        impl utoipa::ToSchema for $t {
            fn schemas(
                out: &mut Vec<(
                    String,
                    utoipa::openapi::RefOr<utoipa::openapi::schema::Schema>,
                )>,
            ) {
                out.push((
                    <Self as utoipa::ToSchema>::name().into(),
                    <Self as utoipa::PartialSchema>::schema(),
                ));
            }
        }
    };
}

#[cfg(not(feature = "openapi"))]
macro_rules! string_schema {
    ($t:ty) => {};
}

/// Implements, for a one-string newtype with an associated `parse`, what every such name has:
/// its text, `Display`, `Deref` and `AsRef` to `str`, comparison with strings, and a `Deserialize` that parses.
macro_rules! parsed_name {
    ($name:ident, $error:ty) => {
        impl $name {
            /// The value as text.
            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl ::std::fmt::Display for $name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(&self.0)
            }
        }

        /// A name reads as the text it holds (`&shop.time_zone` is a `&str`).
        impl ::std::ops::Deref for $name {
            type Target = str;
            fn deref(&self) -> &str {
                &self.0
            }
        }

        impl From<$name> for String {
            fn from(name: $name) -> String {
                name.0
            }
        }

        impl ::std::convert::AsRef<str> for $name {
            fn as_ref(&self) -> &str {
                &self.0
            }
        }

        impl PartialEq<str> for $name {
            fn eq(&self, other: &str) -> bool {
                self.0 == other
            }
        }

        impl PartialEq<String> for $name {
            fn eq(&self, other: &String) -> bool {
                &self.0 == other
            }
        }

        impl PartialEq<&str> for $name {
            fn eq(&self, other: &&str) -> bool {
                self.0 == *other
            }
        }

        impl<'de> ::serde::Deserialize<'de> for $name {
            fn deserialize<D: ::serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                let raw = <String as ::serde::Deserialize>::deserialize(d)?;
                $name::parse(&raw).map_err(|e: $error| ::serde::de::Error::custom(e))
            }
        }

        string_schema!($name);
    };
}

mod address;
mod admin;
mod badge;
mod booking;
mod id;
mod import;
mod locale;
mod model;
mod names;
mod network;
mod notify;
mod origin;
mod problem;
mod rating;
mod review;
mod slots;
mod time;
mod token;
mod webhook;
mod widget;

pub use address::address_block;
pub use admin::{AuditEntry, StatusChange};
pub use badge::{on_member_site, BadgeState};
pub use booking::{
    email_ok, is_reference_code, parse_instant, reference_code, BookingForm, BookingStatus,
    BookingView, Handover, NewBooking, Phone, Plate,
};
pub use id::{IdError, ShopId};
pub use import::{check_logo, AllianceImport, ImportError, ImportReport};
pub use locale::{grouped, Locale, LocalizedText};
pub use model::{
    Alliance, AllianceLimits, Membership, MembershipStatus, Referrals, Review, Service, Shop,
    Warranty, MAX_BAYS, SERVICE_MINUTES,
};
pub use names::{NameError, Reference, ReviewId, ServiceId, TimeZoneName, VisitId, WebhookUrl};
pub use network::{
    distance_km, visit_progress, Referral, VisitProgress, REGULAR_VISITS, TRUSTED_VISITS,
};
#[cfg(feature = "tz")]
pub use notify::{
    after_quiet_hours, local_date, local_day, message_time, next_opening, reminder_at,
};
pub use notify::{
    Channel, MessageKind, DEFAULT_REMINDER_HOUR, QUIET_FROM_MINUTES, QUIET_UNTIL_MINUTES,
    REMINDER_HOURS,
};
pub use origin::{request_origin, AllowedOrigin, OriginError};
pub use problem::{Problem, ProblemKind};
pub use rating::{RatingSummary, Stars, StarsError};
pub use review::{
    normalize, short_name, FieldError, HideReason, HideRequest, ModerationEntry, Provenance,
    PublicReview, Reason, Reply, ReplyForm, ReviewContent, ReviewForm, ReviewPage, ReviewSort,
    ValidReview,
};
#[cfg(feature = "tz")]
pub use slots::{calendar, check_slot, local_rfc3339, local_weekday, today, zone};
pub use slots::{
    has_capacity, zone_name_ok, BookingRules, Busy, Day, DayHours, DayState, Slot, SlotError,
    SlotQuery, TimeOfDay,
};
pub use time::{check_visit_date, format_rfc3339, parse_rfc3339, INVITE_MAX_DAYS_BACK};
pub use token::{
    console_cookie, console_cookie_name, session_key, visit_ok, ManageToken, ReviewToken, Session,
    SessionRole, TokenError, REVIEW_TOKEN_LIFETIME_SECS, SESSION_LIFETIME_SECS,
};
pub use webhook::check_webhook_url;
pub use widget::{
    pick_first_reviews, AllianceCard, MembershipCard, NetworkSummary, ServiceLabel, ShopCard,
    WidgetDoc, WidgetView,
};
