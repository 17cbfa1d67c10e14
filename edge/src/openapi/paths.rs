//! Every route of the API and the public pages, as the document describes it: the table the
//! generated `openapi.json` is made from. A route added to `routes.rs` and missing here fails
//! the contract test (`tests/tests/contract.rs`).

use super::{op, Op};
use crate::handlers::admin::Swept;
use crate::handlers::bookings::{Availability, Setup};
use crate::handlers::members::IssuedKey;
use crate::handlers::network::WarrantyRecord;
use crate::handlers::reviews::{Invite, InviteForm};
use serde_json::json;

/// The operations, in the order the router lists them.
pub(super) fn all() -> Vec<Op> {
    vec![
        op("get", "/health", "Liveness")
            .text("200", "ok", "text/plain")
            .problems(),
        op("get", "/openapi.json", "This document")
            .reply("200", "OK", &[("application/json", json!({"type": "object"}))])
            .problems(),
        op("get", "/v1/shops/{id}/widget", "The widget's first view: one request, one KV read; the badge is decided from the request's Origin/Referer")
            .path("id", "Shop id, e.g. da-an-auto")
            .json::<shared::WidgetView>("200", "OK")
            .reply("304", "Not modified (ETag)", &[])
            .problems(),
        op("get", "/v1/shops/{id}/reviews", "A page of reviews")
            .path("id", "Shop id, e.g. da-an-auto")
            .query("sort", false, "", json!({"enum": ["newest", "highest", "lowest"]}))
            .query("service", false, "", json!({"type": "string"}))
            .query("limit", false, "", json!({"type": "integer", "minimum": 1, "maximum": 20}))
            .query("cursor", false, "", json!({"type": "string"}))
            .json::<shared::ReviewPage>("200", "OK")
            .problems(),
        op("post", "/v1/shops/{id}/reviews", "A review written with a single-use review token")
            .path("id", "Shop id, e.g. da-an-auto")
            .origin()
            .body::<shared::ReviewForm>()
            .json::<shared::PublicReview>("201", "Published")
            .problems(),
        op("get", "/v1/shops/{id}/availability", "The booking calendar in the shop's time zone")
            .path("id", "Shop id, e.g. da-an-auto")
            .query("service", true, "", json!({"type": "string"}))
            .query("from", false, "", json!({"type": "string", "format": "date"}))
            .query("days", false, "", json!({"type": "integer", "minimum": 1, "maximum": 31}))
            .json::<Availability>("200", "OK")
            .problems(),
        op("post", "/v1/shops/{id}/bookings", "Book a slot")
            .path("id", "Shop id, e.g. da-an-auto")
            .origin()
            .header("Idempotency-Key", "", json!({"type": "string", "maxLength": 100}))
            .body::<shared::BookingForm>()
            .json::<shared::BookingView>("201", "Booked (or the first booking of this Idempotency-Key)")
            .problems(),
        op("get", "/v1/shops/{id}/calendar.ics", "The shop's private calendar feed")
            .path("id", "Shop id, e.g. da-an-auto")
            .query("key", true, "", json!({"type": "string"}))
            .text("200", "iCalendar", "text/calendar")
            .problems(),
        op("get", "/v1/bookings/{token}", "The booking behind a manage link")
            .path("token", "A booking's manage token")
            .json::<shared::BookingView>("200", "OK")
            .problems(),
        op("get", "/v1/bookings/{token}/calendar.ics", "Add to calendar")
            .path("token", "A booking's manage token")
            .text("200", "iCalendar", "text/calendar")
            .problems(),
        op("post", "/v1/bookings/{token}/cancel", "Cancel until the shop's cut-off")
            .path("token", "A booking's manage token")
            .origin()
            .json::<shared::BookingView>("200", "OK")
            .problems(),
        op("post", "/v1/bookings/{token}/reschedule", "Move to another start until the cut-off")
            .path("token", "A booking's manage token")
            .origin()
            .body_schema(json!({"type": "object", "required": ["start"], "properties": {"start": {"type": "string"}}}))
            .json::<shared::BookingView>("200", "OK")
            .problems(),
        op("get", "/v1/bookings/{token}/export", "Everything stored about the customer of this booking (data export)")
            .path("token", "A booking's manage token")
            .reply("200", "OK", &[("application/json", json!({"type": "object", "required": ["booking", "stored"], "properties": {"booking": {"$ref": "#/components/schemas/BookingView"}, "stored": {"type": "object"}}}))])
            .problems(),
        op("post", "/v1/bookings/{token}/erase", "Erase the customer's personal data of this booking (cancels it first when upcoming)")
            .path("token", "A booking's manage token")
            .origin()
            .json::<shared::BookingView>("200", "OK")
            .problems(),
        op("get", "/v1/moderation", "The public moderation log")
            .json_list::<shared::ModerationEntry>("200", "OK")
            .problems(),
        op("get", "/v1/shop/setup", "The shop's webhook secret and calendar feed URL")
            .json::<Setup>("200", "The shop's webhook signing secret and private calendar feed")
            .problems()
            .auth("shopKey"),
        op("post", "/v1/shop/invites", "A review link for a visit outside the alliance's booking, recorded first (at most the alliance's number a day, 429 with Retry-After beyond)")
            .body::<InviteForm>()
            .json::<Invite>("201", "Created")
            .problems()
            .auth("shopKey"),
        op("put", "/v1/shop/reviews/{review}/reply", "The shop's one public reply")
            .path("review", "")
            .body::<shared::ReplyForm>()
            .json::<shared::PublicReview>("200", "OK")
            .problems()
            .auth("shopKey"),
        op("post", "/v1/admin/import", "Write a whole alliance")
            .query("mode", false, "", json!({"enum": ["if-absent"]}))
            .body::<shared::AllianceImport>()
            .reply("200", "OK", &[("application/json", json!({"type": "object", "required": ["shops", "reviews", "skipped"], "properties": {"shops": {"type": "integer"}, "reviews": {"type": "integer"}, "skipped": {"type": "boolean"}}}))])
            .problems()
            .auth("adminBearer"),
        op("get", "/v1/admin/audit", "The newest 100 audit entries")
            .json_list::<shared::AuditEntry>("200", "OK")
            .problems()
            .auth("adminBearer"),
        op("post", "/v1/admin/shops", "Add a member")
            .body::<shared::Shop>()
            .json::<shared::Shop>("201", "Added")
            .problems()
            .auth("adminBearer"),
        op("put", "/v1/admin/shops/{id}", "Replace a member's profile and allowed origins")
            .path("id", "Shop id, e.g. da-an-auto")
            .body::<shared::Shop>()
            .json::<shared::Shop>("200", "OK")
            .problems()
            .auth("adminBearer"),
        op("post", "/v1/admin/shops/{id}/{action}", "Suspend, reinstate or revoke")
            .path("id", "Shop id, e.g. da-an-auto")
            .path_of("action", "", json!({"enum": ["suspend", "reinstate", "revoke"]}))
            .body::<shared::StatusChange>()
            .json::<shared::Shop>("200", "OK")
            .problems()
            .auth("adminBearer"),
        op("post", "/v1/admin/shops/{id}/keys", "Issue a shop access key (shown once); the shop's earlier key stops working")
            .path("id", "Shop id, e.g. da-an-auto")
            .json::<IssuedKey>("201", "Issued")
            .problems()
            .auth("adminBearer"),
        op("delete", "/v1/admin/shops/{id}/keys", "Revoke every access key of the shop (and its console sessions)")
            .path("id", "Shop id, e.g. da-an-auto")
            .reply("204", "Revoked", &[])
            .problems()
            .auth("adminBearer"),
        op("post", "/v1/admin/shops/{id}/reviews/{review}/hide", "Hide a review with a published reason")
            .path("id", "Shop id, e.g. da-an-auto")
            .path("review", "")
            .body::<shared::HideRequest>()
            .json::<shared::PublicReview>("200", "OK")
            .problems()
            .auth("adminBearer"),
        op("get", "/verify/{id}", "The membership verification page (HTML, no JavaScript)")
            .path("id", "Shop id, e.g. da-an-auto")
            .text("200", "HTML", "text/html")
            .problems_or_page("For a person (any Accept but JSON): a page saying no member has this id"),
        op("get", "/shops/{id}", "The member's hosted page (HTML readable without JavaScript, with the widget's booking): badge, rating and first reviews, services, opening hours, address, phone, the alliance's standards; Open Graph, hreflang and schema.org AutoRepair JSON-LD. A suspended member's page says so (noindex); a revoked member's is 410.")
            .path("id", "Shop id, e.g. da-an-auto")
            .query("lang", false, "", json!({"type": "string", "enum": ["zh-TW", "en"]}))
            .text("200", "HTML", "text/html")
            .text("410", "The membership was revoked: a page saying so", "text/html")
            .problems_or_page("A page for a person"),
        op("get", "/shops/{id}/card", "The printable counter card (A6): the shop's name, a QR code to its page and one to \"review your last visit\"")
            .path("id", "Shop id, e.g. da-an-auto")
            .query("lang", false, "", json!({"type": "string", "enum": ["zh-TW", "en"]}))
            .text("200", "HTML with two inline SVG QR codes", "text/html")
            .problems_or_page("A page for a person"),
        op("get", "/shops/{id}/review", "\"Review your last visit\": the form for the review code the shop gave a walk-in customer; a code of a recorded, unreviewed visit of the last 90 days redirects to the shop's page with the review form open. Codes that match nothing count against the address block (30 an hour).")
            .path("id", "Shop id, e.g. da-an-auto")
            .query("lang", false, "", json!({"type": "string", "enum": ["zh-TW", "en"]}))
            .query("code", false, "The review code, e.g. AB7K-29QF", json!({"type": "string", "maxLength": 64}))
            .text("200", "The form", "text/html")
            .redirect("303", "To /shops/{id}#review=<token>")
            .problems_or_page("A page for a person"),
        op("get", "/shops/og.png", "The member pages' sharing image (1200 × 630)")
            .reply("200", "PNG", &[("image/png", json!({"type": "string", "format": "binary"}))]),
        op("get", "/shops/card.css", "The counter card's print rules (A6)")
            .text("200", "CSS", "text/css"),
        op("get", "/sitemap.xml", "The directory and every active member's pages in both languages")
            .text("200", "A sitemap (sitemaps.org 0.9) with hreflang alternates", "application/xml"),
        op("get", "/robots.txt", "The public pages may be indexed, the consoles and the API not; names the sitemap")
            .text("200", "Text", "text/plain"),
        op("get", "/badge/{id}.svg", "The no-JavaScript SVG badge naming the shop, decided from the page's Referer: verified on the shop's listed sites, \"not verified on this site\" elsewhere, \"check membership\" without a Referer")
            .path("id", "Shop id, e.g. da-an-auto")
            .header("Referer", "The page showing the image (browsers send its origin for cross-origin images)", json!({"type": "string"}))
            .text("200", "SVG", "image/svg+xml")
            .problems(),
        op("get", "/v1/shops/{id}/referrals", "Other members that can serve the customer on a day this shop cannot (nearest first, with free starts); empty when the shop does not refer")
            .path("id", "Shop id, e.g. da-an-auto")
            .query("service", true, "", json!({"type": "string", "pattern": "^[A-Za-z0-9_-]{1,32}$"}))
            .query("date", true, "Shop-local YYYY-MM-DD", json!({"type": "string", "format": "date"}))
            .json_list::<shared::Referral>("200", "Up to three members")
            .problems(),
        op("post", "/v1/shops/{id}/referrals/{to}/bookings", "Book at another member from this shop's site (a referral); recorded at both")
            .path("id", "Shop id, e.g. da-an-auto")
            .path("to", "The member booked")
            .origin()
            .header("Idempotency-Key", "", json!({"type": "string", "maxLength": 100}))
            .body::<shared::BookingForm>()
            .json::<shared::BookingView>("201", "Booked (or the first booking of this Idempotency-Key)")
            .problems(),
        op("get", "/v1/warranty/{reference}", "A completed visit at any member, for the alliance-wide warranty (no personal data)")
            .path("reference", "e.g. AB7K-29QF")
            .json::<WarrantyRecord>("200", "The visit")
            .problems(),
        op("get", "/alliance", "The member directory (HTML without JavaScript); embed=1 is the embeddable find-a-member view")
            .query("service", false, "", json!({"type": "string"}))
            .query("area", false, "", json!({"type": "string"}))
            .query("from", false, "An area to sort by distance from", json!({"type": "string"}))
            .query("near", false, "lat,lon to sort by distance from (after the visitor clicked)", json!({"type": "string"}))
            .query("lang", false, "", json!({"type": "string", "enum": ["zh-TW", "en"]}))
            .query("embed", false, "", json!({"type": "string", "enum": ["1"]}))
            .text("200", "HTML", "text/html")
            .problems_or_page("A page for a person"),
        op("get", "/alliance/warranty", "The warranty lookup page")
            .query("reference", false, "", json!({"type": "string"}))
            .query("lang", false, "", json!({"type": "string", "enum": ["zh-TW", "en"]}))
            .text("200", "HTML", "text/html")
            .problems_or_page("A page for a person"),
        op("get", "/alliance/find.js", "The directory's script: sort by the visitor's location, asked only on a click")
            .text("200", "JavaScript", "text/javascript"),
        op("post", "/v1/admin/retention", "Run the retention sweep now: erase personal fields of visits older than RETENTION_DAYS (also run daily by the cron trigger)")
            .json::<Swept>("200", "Counts")
            .problems()
            .auth("adminBearer"),

    ]
}
