//! What the shop's console and the alliance's network view send to the shop's object and get
//! back: the status actions, the bookings and reviews as the shop sees them, webhook deliveries,
//! the shop's figures, and the requests that carry them (see `protocol.rs` for which is which).

use serde::{Deserialize, Serialize};
use shared::{BookingStatus, HideReason, LocalizedText, NewBooking, Reply};

/// A shop's change of a booking's status, from its console.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ShopAction {
    /// The shop has seen the booking and expects the car.
    Confirm,
    /// The car is here.
    Arrived,
    /// The car is ready to be picked up: the customer is told (once).
    Ready,
    /// The work is done: issues the customer's review link.
    Complete,
    /// The customer did not come (only after the start).
    NoShow,
    /// The shop cannot serve it; a reason is required and sent to the customer's system.
    Cancel,
}

impl ShopAction {
    const ALL: [ShopAction; 6] = [
        ShopAction::Confirm,
        ShopAction::Arrived,
        ShopAction::Ready,
        ShopAction::Complete,
        ShopAction::NoShow,
        ShopAction::Cancel,
    ];

    /// The form value, e.g. `no-show`.
    pub fn as_str(self) -> &'static str {
        match self {
            ShopAction::Confirm => "confirm",
            ShopAction::Arrived => "arrived",
            ShopAction::Ready => "ready",
            ShopAction::Complete => "complete",
            ShopAction::NoShow => "no-show",
            ShopAction::Cancel => "cancel",
        }
    }

    /// Parses a form's `action` value.
    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|a| a.as_str() == s)
    }
}

/// Body of `POST /console/status`.
#[derive(Serialize, Deserialize)]
pub struct StatusReq {
    /// The booking.
    pub reference: shared::Reference,
    /// What the shop does.
    pub action: ShopAction,
    /// Why, for a cancellation.
    #[serde(default)]
    pub reason: Option<String>,
}

/// Body of `POST /console/bookings`: bookings starting in `[from_ms, to_ms)`.
#[derive(Serialize, Deserialize)]
pub struct ListReq {
    /// Start of the window, milliseconds since the epoch.
    pub from_ms: u64,
    /// End of the window.
    pub to_ms: u64,
}

/// A booking as the shop sees it: everything the customer gave, its status and review link.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ShopBooking {
    /// Reference code.
    pub reference: String,
    /// Service id.
    pub service: String,
    /// Service name.
    pub service_name: LocalizedText,
    /// Start, local RFC 3339 in the shop's zone.
    pub start: String,
    /// Start, milliseconds since the epoch.
    pub start_ms: u64,
    /// End, milliseconds since the epoch.
    pub end_ms: u64,
    /// Status.
    pub status: BookingStatus,
    /// Whether the shop has confirmed it has seen the booking.
    pub seen: bool,
    /// The shop's reason, for a cancellation by the shop.
    pub reason: Option<String>,
    /// The customer's review link, once the visit is completed.
    pub review_link: Option<String>,
    /// The member that referred the customer, if one did.
    pub referred_by: Option<String>,
    /// With the customer's consent: which of their alliance visits this is.
    pub alliance_visit: Option<u32>,
    /// The customer said "I'll be there" (the reminder's link).
    #[serde(default)]
    pub attending: bool,
    /// The shop told the customer the car is ready.
    #[serde(default)]
    pub ready: bool,
    /// The customer stopped e-mail about this booking.
    #[serde(default)]
    pub email_off: bool,
    /// What the customer entered (personal fields blank once erased).
    pub form: NewBooking,
}

/// A review as the shop and the alliance admin see it: the text even when hidden.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ShopReview {
    /// Id within the shop.
    pub id: String,
    /// When written, RFC 3339.
    pub created_at: String,
    /// Stars, 1 to 5.
    pub stars: u8,
    /// The text.
    pub text: String,
    /// Service id.
    pub service: String,
    /// The author's shortened name, as shown publicly.
    pub author: String,
    /// The shop's reply.
    pub reply: Option<Reply>,
    /// Why the alliance hid it, if it did.
    pub hidden: Option<HideReason>,
}

/// One webhook event and how its delivery went.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Delivery {
    /// Event id (`webhook-id` header).
    pub id: String,
    /// Event type, e.g. `booking.created`.
    pub kind: String,
    /// The booking the event is about.
    pub reference: String,
    /// Attempts so far.
    pub attempts: u32,
    /// When the next attempt is due (undelivered only).
    pub next_ms: u64,
    /// When it was delivered.
    pub delivered_ms: Option<u64>,
    /// The last failure, e.g. `HTTP 500`.
    pub last_error: Option<String>,
}

/// Body of `POST /console/retry`.
#[derive(Serialize, Deserialize)]
pub struct RetryReq {
    /// The event to try again now.
    pub id: String,
}

/// A shop's figures for the alliance's network view.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq, Eq)]
pub struct Stats {
    /// Bookings ever made.
    pub bookings: u64,
    /// Visits completed.
    pub completed: u64,
    /// Customers who did not come.
    pub no_shows: u64,
    /// Reviews, visible and hidden.
    pub reviews: u64,
    /// Customers this shop sent to other members.
    pub referrals_sent: u64,
    /// Customers other members sent here.
    pub referrals_received: u64,
    /// Review invites for visits outside the alliance's booking in the last 7 days.
    #[serde(default)]
    pub invites_week: u64,
    /// Bookings completed in the last 7 days (each issues a review link).
    #[serde(default)]
    pub completed_week: u64,
}

/// Body of `POST /referrals/sent`: a customer this shop sent to another member.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct SentReq {
    /// The booking at the other member.
    pub reference: shared::Reference,
    /// The member.
    pub to_shop: String,
    /// The service.
    pub service: shared::ServiceId,
    /// Its start.
    pub start_ms: u64,
}

/// Body of `POST /network/visit`.
#[derive(Serialize, Deserialize)]
pub struct CountReq {
    /// Keyed hash of the customer's normalised phone number.
    pub visitor: String,
}
