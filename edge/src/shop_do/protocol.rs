//! The protocol of the shop's Durable Object: every command paired with its request type, its
//! path, how it travels (reads as GET with the request in the query, writes as POST with it in
//! the body) and its reply type. Callers use `ShopObject::send` / `forward` and
//! `NetworkObject::send` (`store.rs`) with one of these values; the object's dispatcher
//! (`ShopDo::route`) reads the same types. No caller names a path or picks a reply type.
//!
//! The `~network` object (the same class under a name no shop can have) has commands of its
//! own ([`NetworkCommand`]): counting a visit across the alliance, counting failed attempts.

use super::{
    AttemptReq, AttemptState, BookReq, CountReq, Delivery, HideReq, ImportReq, InviteMade,
    InviteReq, ListReq, ManageReq, ProfileReq, RedeemReq, Redeemed, ReplyReq, RetentionReq,
    RetryReq, SentReq, ShopBooking, ShopReview, Stats, StatusReq, SubmitReq,
};
use crate::error::{ApiError, ApiResult};
use serde::de::{DeserializeOwned, IgnoredAny};
use serde::{Deserialize, Serialize};
use shared::{BookingView, PublicReview};

pub use super::line::{
    ForgetLine, Forgotten, LineCode, LineLinks, LinkLine, ListLines, NewLineCode, RedeemLineCode,
    Redemption, UnlinkLine,
};
pub use super::push::{AddPush, ListPush, PushDevice, RemovePush};

/// How the network object is named in its own records (`x-shop`).
pub const NETWORK_SHOP: &str = "alliance-network";

/// A command to the object: its request is `Self`.
pub trait Command: Serialize + DeserializeOwned {
    /// The object's path for it.
    const PATH: &'static str;
    /// A read (GET, request in the query, never purges the cached first view) or a write.
    const READ: bool = false;
    /// What the object answers with on success.
    type Reply: DeserializeOwned;
}

/// A command to a shop's object.
pub trait ShopCommand: Command {}

/// A command to the alliance's network object.
pub trait NetworkCommand: Command {}

macro_rules! commands {
    ($marker:ident: $($(#[$doc:meta])* $req:ty => $path:literal, $reply:ty $(, $read:ident)?;)*) => {
        $(
            $(#[$doc])*
            impl Command for $req {
                const PATH: &'static str = $path;
                $(const READ: bool = commands!(@read $read);)?
                type Reply = $reply;
            }
            impl $marker for $req {}
        )*
    };
    (@read read) => { true };
}

/// A booking the customer asks for by its manage link (view).
#[derive(Serialize, Deserialize)]
#[serde(transparent)]
pub struct GetBooking(pub ManageReq);
/// The customer cancels by the manage link.
#[derive(Serialize, Deserialize)]
#[serde(transparent)]
pub struct CancelBooking(pub ManageReq);
/// The customer moves the booking (`start_ms` set).
#[derive(Serialize, Deserialize)]
#[serde(transparent)]
pub struct RescheduleBooking(pub ManageReq);
/// The customer's data, to take away.
#[derive(Serialize, Deserialize)]
#[serde(transparent)]
pub struct ExportBooking(pub ManageReq);
/// The customer's "delete my data".
#[derive(Serialize, Deserialize)]
#[serde(transparent)]
pub struct EraseBooking(pub ManageReq);
/// One booking as the shop's console shows it.
#[derive(Serialize, Deserialize)]
#[serde(transparent)]
pub struct ConsoleBooking(pub ManageReq);
/// The shop's private calendar feed (`text/calendar`, only forwarded).
#[derive(Serialize, Deserialize)]
pub struct Feed;
/// Every review, hidden ones too, for the consoles.
#[derive(Serialize, Deserialize)]
pub struct ConsoleReviews;
/// The newest webhook events with their delivery state.
#[derive(Serialize, Deserialize)]
pub struct Deliveries;
/// The shop's figures for the admin's member table.
#[derive(Serialize, Deserialize)]
pub struct GetStats;
/// The customers this shop sent to other members.
#[derive(Serialize, Deserialize)]
pub struct Referrals;

/// The customer's one-click "stop these e-mails" (the link every customer e-mail carries).
#[derive(Serialize, Deserialize)]
#[serde(transparent)]
pub struct Unsubscribe(pub ManageReq);
/// The customer's "I'll be there" (the reminder's link).
#[derive(Serialize, Deserialize)]
#[serde(transparent)]
pub struct Attend(pub ManageReq);
/// The shop's e-mail alerts on (`false`) or off (`true`, the alerts' unsubscribe link).
#[derive(Serialize, Deserialize)]
pub struct AlertsOff(pub bool);
/// The newest messages to people with their delivery state, for the console.
#[derive(Serialize, Deserialize)]
pub struct Messages;
/// A failed or retrying message, due again now.
#[derive(Serialize, Deserialize)]
pub struct RetryMessage {
    /// The message's id.
    pub id: String,
}

/// The console's delivery log of messages, and whether the shop's alert e-mails are off.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct MessageLog {
    /// The shop used its alerts' unsubscribe link (the console turns them on again).
    pub alerts_email_off: bool,
    /// The newest messages, newest first.
    pub messages: Vec<MessageEntry>,
}

/// One message to a person, as the console's delivery log shows it.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct MessageEntry {
    /// Its id.
    pub id: String,
    /// What it is, e.g. `confirmation`.
    pub kind: shared::MessageKind,
    /// `email` or `line`.
    pub channel: shared::Channel,
    /// To whom (empty once the customer's data is erased).
    pub recipient: String,
    /// The booking it is about.
    pub reference: String,
    /// `pending`, `retrying`, `sent`, `failed` or `skipped`.
    pub state: String,
    /// Attempts so far.
    pub attempts: u32,
    /// When it is (or was) due.
    pub due_ms: u64,
    /// When it went.
    pub sent_ms: Option<u64>,
    /// Why it has not gone, or why it never will.
    pub last_error: Option<String>,
}

/// A retried webhook event: due now.
#[derive(Debug, Serialize, Deserialize)]
pub struct Retried {
    /// The event's id.
    pub id: String,
    /// `now`.
    pub due: String,
}

/// What a retention sweep did in one object.
#[derive(Debug, Default, Serialize, Deserialize)]
pub struct Swept {
    /// Bookings whose personal fields were erased.
    pub bookings_erased: u64,
    /// Reviews whose stored author name was shortened.
    pub review_names_shortened: u64,
    /// Webhook events deleted past their keeping.
    pub events_deleted: u64,
}

/// The alliance-wide count of a visitor's completed visits, this one included.
#[derive(Debug, Serialize, Deserialize)]
pub struct Counted {
    /// The count.
    pub n: u32,
}

commands! { ShopCommand:
    /// A whole shop from an alliance import (profile, first view, reviews).
    ImportReq => "/import", IgnoredAny;
    /// A profile change.
    ProfileReq => "/profile", IgnoredAny;
    /// A customer's review with a checked token.
    SubmitReq => "/reviews", PublicReview;
    /// The shop's one public reply.
    ReplyReq => "/reply", PublicReview;
    /// The admin hides a review with a published reason.
    HideReq => "/hide", PublicReview;
    /// A visit outside the alliance's booking, recorded to invite a review.
    InviteReq => "/invites", InviteMade;
    /// A walk-in customer's review code.
    RedeemReq => "/invites/redeem", Redeemed;
    /// A new booking.
    BookReq => "/bookings", BookingView;
    GetBooking => "/bookings/get", BookingView, read;
    CancelBooking => "/bookings/cancel", BookingView;
    RescheduleBooking => "/bookings/reschedule", BookingView;
    /// The export is the customer's data document, passed on as it is.
    ExportBooking => "/bookings/export", serde_json::Value, read;
    EraseBooking => "/bookings/erase", BookingView;
    Feed => "/feed", IgnoredAny, read;
    /// The shop's bookings in a time range.
    ListReq => "/console/bookings", Vec<ShopBooking>, read;
    ConsoleBooking => "/console/booking", ShopBooking, read;
    /// The shop changes a booking's status.
    StatusReq => "/console/status", ShopBooking;
    ConsoleReviews => "/console/reviews", Vec<ShopReview>, read;
    Deliveries => "/console/deliveries", Vec<Delivery>, read;
    /// A failed webhook event, due again now.
    RetryReq => "/console/retry", Retried;
    GetStats => "/console/stats", Stats, read;
    Referrals => "/console/referrals", Vec<SentReq>, read;
    /// A customer this shop sent to another member.
    SentReq => "/referrals/sent", SentReq;
    Unsubscribe => "/bookings/unsubscribe", BookingView;
    Attend => "/bookings/attend", BookingView;
    AlertsOff => "/notify/alerts", IgnoredAny;
    Messages => "/console/messages", MessageLog, read;
    /// A LINE user or group linked to a booking or to the shop's staff.
    LinkLine => "/line/link", IgnoredAny;
    UnlinkLine => "/line/unlink", IgnoredAny;
    ListLines => "/line/links", LineLinks, read;
    /// A Web Push subscription of the shop's console.
    AddPush => "/push/add", IgnoredAny;
    RemovePush => "/push/remove", IgnoredAny;
    ListPush => "/push/list", Vec<PushDevice>, read;
    RetryMessage => "/console/messages/retry", Retried;
    /// The retention sweep of this shop.
    RetentionReq => "/retention", Swept;
}

commands! { NetworkCommand:
    /// One more failed (or a checked) attempt of an address block.
    AttemptReq => "/limits/attempt", AttemptState;
    /// One more completed visit of a visitor's keyed hash.
    CountReq => "/network/visit", Counted;
    /// A one-time LINE link code.
    NewLineCode => "/network/line/code", LineCode;
    RedeemLineCode => "/network/line/redeem", Redemption;
    ForgetLine => "/network/line/forget", Forgotten;
}

/// The request that carries `cmd` to an object (the edge's client and the objects' own calls
/// to the network object build it alike). `shop` names the object for its records.
pub fn request<C: Command>(cmd: &C, shop: &str) -> ApiResult<worker::Request> {
    let json = serde_json::to_string(cmd)?;
    let headers = worker::Headers::new();
    headers.set("content-type", "application/json")?;
    headers.set("x-shop", shop)?;
    let mut init = worker::RequestInit::new();
    init.with_headers(headers);
    let url = if C::READ {
        init.with_method(worker::Method::Get);
        let q: String = url::form_urlencoded::byte_serialize(json.as_bytes()).collect();
        format!("https://shop-object{}?q={q}", C::PATH)
    } else {
        init.with_method(worker::Method::Post);
        init.with_body(Some(json.into()));
        format!("https://shop-object{}", C::PATH)
    };
    Ok(worker::Request::new_with_init(&url, &init)?)
}

/// Reads a command of type `C` from a request [`request`] built.
pub async fn read<C: Command>(req: &mut worker::Request) -> ApiResult<C> {
    let text = if C::READ {
        let url = req.url()?;
        url.query_pairs()
            .find(|(k, _)| k == "q")
            .map(|(_, v)| v.into_owned())
            .unwrap_or_else(|| "null".into())
    } else {
        req.text().await?
    };
    serde_json::from_str(&text)
        .map_err(|e| ApiError::Internal(format!("shop object {}: bad request: {e}", C::PATH)))
}

/// Decodes an object's answer to `C`: its reply on 2xx; a problem it answered with comes back
/// as the same error (a 4xx stays the client's, a 429 keeps its `Retry-After`, a 503 stays a
/// retry-later).
pub fn reply<C: Command>(status: u16, retry_after: Option<u64>, text: &str) -> ApiResult<C::Reply> {
    if (200..300).contains(&status) {
        return serde_json::from_str(text)
            .map_err(|e| ApiError::Internal(format!("shop object {} answer: {e}", C::PATH)));
    }
    match serde_json::from_str::<shared::Problem>(text) {
        Ok(p) if status == 429 => Err(ApiError::Limited(p, retry_after.unwrap_or(60))),
        Ok(p) if (400..500).contains(&status) => Err(ApiError::Client(p)),
        _ if status == 503 => Err(ApiError::Unavailable(format!(
            "shop object {}: {text}",
            C::PATH
        ))),
        _ => Err(ApiError::Internal(format!(
            "shop object {}: {status} {text}",
            C::PATH
        ))),
    }
}
