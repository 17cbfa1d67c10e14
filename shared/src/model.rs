use crate::{AllowedOrigin, Locale, LocalizedText, ShopId, Stars};
use serde::{Deserialize, Serialize};

/// The alliance: the network of independent shops that share tools, standards and customers.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Alliance {
    /// The alliance's name in both languages.
    pub name: LocalizedText,
    /// The alliance's logo as SVG markup (only ever shown as an image, never inlined as HTML).
    pub logo_svg: String,
    /// The quality standards every member promises, one line each.
    pub standards: Vec<LocalizedText>,
    /// The warranty every member honours on work done at any member.
    pub warranty: Warranty,
    /// How disputes are settled.
    pub dispute: LocalizedText,
    /// Limits the alliance sets for every member (defaults when the import leaves them out).
    #[serde(default)]
    pub limits: AllianceLimits,
}

/// Limits the alliance sets for every member, against floods and self-serving reviews.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(default)]
pub struct AllianceLimits {
    /// New bookings one shop accepts per hour from all clients together (default 60).
    pub bookings_per_shop_hour: u32,
    /// Review invites one shop may make per day for visits outside the alliance's booking
    /// (walk-ins, phone bookings; default 30).
    pub invites_per_shop_day: u32,
}

impl Default for AllianceLimits {
    fn default() -> Self {
        AllianceLimits {
            bookings_per_shop_hour: 60,
            invites_per_shop_day: 30,
        }
    }
}

/// The alliance-wide warranty on repairs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Warranty {
    /// Months after the repair.
    pub months: u16,
    /// Kilometres driven after the repair.
    pub kilometres: u32,
}

/// Whether a shop is currently a member of the alliance.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "lowercase")]
#[non_exhaustive]
pub enum MembershipStatus {
    /// A member in good standing.
    Active,
    /// Membership paused by the alliance, e.g. during a dispute.
    Suspended,
    /// Expelled or left: no longer a member.
    Revoked,
}

/// A shop's membership of the alliance.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Membership {
    /// Current status.
    pub status: MembershipStatus,
    /// The year the shop joined.
    pub member_since: u16,
    /// Exact origins (scheme, host and port) where the shop's badge is valid. Only the alliance
    /// grants them: a shop requests one, the admin approves or refuses it.
    pub allowed_origins: Vec<AllowedOrigin>,
    /// Origins the shop asked for that the admin has not decided yet; they count for nothing.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub requested_origins: Vec<AllowedOrigin>,
    /// Generation of the shop's derived secrets (calendar feed key, webhook signing secret):
    /// bumped by the shop's "rotate" and by revoking the membership, which ends the old ones.
    #[serde(default, skip_serializing_if = "is_zero")]
    pub secrets_generation: u32,
}

fn is_zero(n: &u32) -> bool {
    *n == 0
}

/// A service a shop offers, e.g. an oil service or brakes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Service {
    /// Short identifier, unique within the shop, e.g. `oil`.
    pub id: crate::ServiceId,
    /// Name in both languages.
    pub name: LocalizedText,
    /// How long the service takes, in minutes.
    pub duration_minutes: u16,
    /// Price range as the shop words it, e.g. "NT$1,200–2,500".
    pub price: LocalizedText,
    /// Service bays the work takes at once.
    #[serde(default = "one_bay")]
    pub bays: u8,
}

fn one_bay() -> u8 {
    1
}

/// The most service bays a shop may have (the profile form and the API agree on it).
pub const MAX_BAYS: u8 = 50;

/// How long a service may take, in minutes: the console's form and the JSON API use the same.
pub const SERVICE_MINUTES: std::ops::RangeInclusive<u16> = 5..=1440;

/// A member shop's public profile.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Shop {
    /// Identifier used in URLs and the embed snippet.
    pub id: ShopId,
    /// Name in both languages.
    pub name: LocalizedText,
    /// District or city, in both languages.
    pub city: LocalizedText,
    /// Street address, in both languages.
    pub address: LocalizedText,
    /// The shop's public phone number.
    pub phone: String,
    /// Latitude in degrees.
    pub latitude: f64,
    /// Longitude in degrees.
    pub longitude: f64,
    /// IANA time zone, e.g. `Asia/Taipei`.
    pub time_zone: crate::TimeZoneName,
    /// Number of service bays that can work in parallel.
    pub bays: u8,
    /// Opening hours as the shop states them, one line per group of days.
    pub hours: Vec<LocalizedText>,
    /// Services offered.
    pub services: Vec<Service>,
    /// Membership of the alliance.
    pub membership: Membership,
    /// Online booking rules; a shop without them takes no online bookings.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub booking: Option<crate::BookingRules>,
    /// Where booking events are sent (signed webhooks), if anywhere.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub webhook_url: Option<crate::WebhookUrl>,
    /// The page of the shop's own site that shows the widget, on one of its allowed origins;
    /// review links open there. Without it they open the first allowed origin's home page.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub page_url: Option<String>,
    /// Whether the shop sends customers to other members when it cannot serve them, and
    /// receives customers they send (both on unless the shop opts out).
    #[serde(default)]
    pub referrals: Referrals,
    /// Where the shop's own alerts (new, moved and cancelled bookings) are e-mailed, if
    /// anywhere. Private: it never leaves the shop's profile.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub alert_email: Option<String>,
    /// The hour (shop time, 8 to 20) of the day before a booking when its customer is
    /// reminded; [`crate::DEFAULT_REMINDER_HOUR`] when unset.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reminder_hour: Option<u8>,
}

/// A shop's referral choices.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Referrals {
    /// Offer other members when this shop is full or lacks the service.
    #[serde(default = "yes")]
    pub send: bool,
    /// Be offered by other members.
    #[serde(default = "yes")]
    pub receive: bool,
}

fn yes() -> bool {
    true
}

impl Default for Referrals {
    fn default() -> Self {
        Referrals {
            send: true,
            receive: true,
        }
    }
}

/// A customer's review of a visit to a shop.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Review {
    /// Identifier, unique within the shop.
    pub id: String,
    /// The shop reviewed.
    pub shop: ShopId,
    /// The rating.
    pub stars: Stars,
    /// The review's text, as written.
    pub text: String,
    /// The language it was written in.
    pub language: Locale,
    /// Id of the service the visit was for.
    pub service: String,
    /// The reviewer's name as given; only a shortened form is ever shown publicly.
    pub author: String,
    /// When it was written, RFC 3339 in UTC, e.g. `2026-10-03T08:15:00Z`.
    pub created_at: String,
}
