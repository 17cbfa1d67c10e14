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
    is_reference_code, parse_instant, reference_code, BookingForm, BookingStatus, BookingView,
    Handover, NewBooking, Phone, Plate,
};
pub use id::{IdError, ShopId};
pub use import::{check_logo, AllianceImport, ImportError, ImportReport};
pub use locale::{grouped, Locale, LocalizedText};
pub use model::{
    Alliance, AllianceLimits, Membership, MembershipStatus, Referrals, Review, Service, Shop,
    Warranty, MAX_BAYS,
};
pub use names::{NameError, Reference, ReviewId, ServiceId, TimeZoneName, VisitId, WebhookUrl};
pub use network::{
    distance_km, visit_progress, Referral, VisitProgress, REGULAR_VISITS, TRUSTED_VISITS,
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
