//! Every route of the API and the public pages, as the document describes it: the table the
//! generated `openapi.json` is made from. A route added to `routes.rs` and missing here fails
//! the contract test (`tests/tests/contract.rs`).

use super::{admin, op, shop_api, Op};
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
            .text("200", "ok", "text/plain"),
        op("get", "/openapi.json", "This document")
            .reply("200", "OK", &[("application/json", json!({"type": "object"}))]),
        op("get", "/v1/shops/{id}/widget", "The widget's first view: one request, one KV read; the badge is decided from the request's Origin/Referer")
            .shop()
            .json::<shared::WidgetView>("200", "OK")
            .reply("304", "Not modified (ETag)", &[]),
        op("get", "/v1/shops/{id}/first-view", "The first view rendered at the edge: the widget's own components as HTML (escaped text, no script, no inline style) with the document they show, which the widget hydrates; the badge is decided from the request's Origin/Referer")
            .shop()
            .query("locale", false, "BCP 47; other than Chinese or English falls back to zh-TW, as in the widget", json!({"type": "string", "maxLength": 35}))
            .query("view", false, "all (also unknown values), badge, reviews or booking", json!({"type": "string", "maxLength": 35}))
            .json::<crate::handlers::widget::FirstView>("200", "OK")
            .reply("304", "Not modified (ETag)", &[]),
        op("get", "/w/{build}/widget.css", "The widget's stylesheet, immutable in the build's folder of static files; passed through the worker so that the loader may read it with credentials (the page's origin echoed), like the first view")
            .path("build", "The widget build (content hash) whose stylesheet this is")
            .text("200", "CSS", "text/css"),
        op("get", "/v1/shops/{id}/reviews", "A page of reviews")
            .shop()
            .query("sort", false, "", json!({"enum": ["newest", "highest", "lowest"]}))
            .query("service", false, "", json!({"type": "string"}))
            .query("limit", false, "", json!({"type": "integer", "minimum": 1, "maximum": 20}))
            .query("cursor", false, "", json!({"type": "string"}))
            .json::<shared::ReviewPage>("200", "OK"),
        op("post", "/v1/shops/{id}/reviews", "A review written with a single-use review token")
            .shop()
            .origin()
            .body::<shared::ReviewForm>()
            .json::<shared::PublicReview>("201", "Published"),
        op("get", "/v1/shops/{id}/availability", "The booking calendar in the shop's time zone")
            .shop()
            .query("service", true, "", json!({"type": "string"}))
            .query("from", false, "", json!({"type": "string", "format": "date"}))
            .query("days", false, "", json!({"type": "integer", "minimum": 1, "maximum": 31}))
            .json::<Availability>("200", "OK"),
        op("post", "/v1/shops/{id}/bookings", "Book a slot")
            .shop()
            .origin()
            .header("Idempotency-Key", "", json!({"type": "string", "maxLength": 100}))
            .body::<shared::BookingForm>()
            .json::<shared::BookingView>("201", "Booked (or the first booking of this Idempotency-Key)"),
        op("get", "/v1/shops/{id}/calendar.ics", "The shop's private calendar feed")
            .shop()
            .query("key", true, "", json!({"type": "string"}))
            .text("200", "iCalendar", "text/calendar"),
        op("get", "/v1/bookings/{token}", "The booking behind a manage link")
            .path("token", "A booking's manage token")
            .json::<shared::BookingView>("200", "OK"),
        op("get", "/v1/bookings/{token}/calendar.ics", "Add to calendar")
            .path("token", "A booking's manage token")
            .text("200", "iCalendar", "text/calendar"),
        op("get", "/v1/bookings/{token}/unsubscribe", "Stop e-mail about this booking (RFC 8058 one-click on POST; GET shows a page with the button)")
            .path("token", "A booking's manage token")
            .link_pages(),
        op("get", "/v1/bookings/{token}/attend", "The reminder's I will be there (POST; GET shows a page with the button)")
            .path("token", "A booking's manage token")
            .link_pages(),
        op("get", "/v1/shops/{id}/alerts/unsubscribe", "Stop the shop's alert e-mails (POST; GET shows a page with the button)")
            .shop()
            .query("key", true, "", json!({"type": "string"}))
            .link_pages(),
        op("post", "/v1/bookings/{token}/unsubscribe", "Stop e-mail about this booking (RFC 8058 one-click on POST; GET shows a page with the button)")
            .path("token", "A booking's manage token")
            .link_pages(),
        op("post", "/v1/bookings/{token}/attend", "The reminder's I will be there (POST; GET shows a page with the button)")
            .path("token", "A booking's manage token")
            .link_pages(),
        op("post", "/v1/shops/{id}/alerts/unsubscribe", "Stop the shop's alert e-mails (POST; GET shows a page with the button)")
            .shop()
            .query("key", true, "", json!({"type": "string"}))
            .link_pages(),
        op("get", "/v1/bookings/{token}/line", "The booking's LINE page: a one-time link code, a QR code and a button that opens LINE with it")
            .path("token", "A booking's manage token")
            .html("200", "The page")
            .html("403", "A page: the link is not valid")
            .html("503", "A page: LINE is not set up"),
        op("post", "/v1/bookings/{token}/line", "Unlink LINE from this booking")
            .path("token", "A booking's manage token")
            .html("200", "The page")
            .html("403", "A page: the link is not valid")
            .html("503", "A page: LINE is not set up"),
        op("post", "/v1/line/webhook", "The LINE Official Account's webhook (signed with the channel secret)")
            .header("x-line-signature", "base64 HMAC-SHA256 of the raw body with the channel secret", json!({"type": "string"}))
            .body_schema(json!({"type": "object", "properties": {"destination": {"type": "string"}, "events": {"type": "array", "items": {"type": "object"}}}}))
            .reply("200", "Taken", &[("application/json", json!({"type": "object"}))]),
        op("post", "/v1/bookings/{token}/cancel", "Cancel until the shop's cut-off")
            .path("token", "A booking's manage token")
            .origin()
            .json::<shared::BookingView>("200", "OK"),
        op("post", "/v1/bookings/{token}/reschedule", "Move to another start until the cut-off")
            .path("token", "A booking's manage token")
            .origin()
            .body_schema(json!({"type": "object", "required": ["start"], "properties": {"start": {"type": "string"}}}))
            .json::<shared::BookingView>("200", "OK"),
        op("get", "/v1/bookings/{token}/export", "Everything stored about the customer of this booking (data export)")
            .path("token", "A booking's manage token")
            .reply("200", "OK", &[("application/json", json!({"type": "object", "required": ["booking", "stored"], "properties": {"booking": {"$ref": "#/components/schemas/BookingView"}, "stored": {"type": "object"}}}))]),
        op("post", "/v1/bookings/{token}/erase", "Erase the customer's personal data of this booking (cancels it first when upcoming)")
            .path("token", "A booking's manage token")
            .origin()
            .json::<shared::BookingView>("200", "OK"),
        op("get", "/v1/moderation", "The public moderation log")
            .json_list::<shared::ModerationEntry>("200", "OK"),
        shop_api("get", "/v1/shop/setup", "The shop's webhook secret and calendar feed URL")
            .json::<Setup>("200", "The shop's webhook signing secret and private calendar feed"),
        shop_api("post", "/v1/shop/invites", "A review link for a visit outside the alliance's booking, recorded first (at most the alliance's number a day, 429 with Retry-After beyond)")
            .body::<InviteForm>()
            .json::<Invite>("201", "Created"),
        shop_api("put", "/v1/shop/reviews/{review}/reply", "The shop's one public reply")
            .path("review", "")
            .body::<shared::ReplyForm>()
            .json::<shared::PublicReview>("200", "OK"),
        admin("post", "/v1/admin/import", "Write a whole alliance")
            .query("mode", false, "", json!({"enum": ["if-absent"]}))
            .body::<shared::AllianceImport>()
            .reply("200", "OK", &[("application/json", json!({"type": "object", "required": ["shops", "reviews", "skipped"], "properties": {"shops": {"type": "integer"}, "reviews": {"type": "integer"}, "skipped": {"type": "boolean"}}}))]),
        admin("get", "/v1/admin/audit", "The newest 100 audit entries")
            .json_list::<shared::AuditEntry>("200", "OK"),
        admin("post", "/v1/admin/shops", "Add a member")
            .body::<shared::Shop>()
            .json::<shared::Shop>("201", "Added"),
        admin("put", "/v1/admin/shops/{id}", "Replace a member's profile and allowed origins")
            .shop()
            .body::<shared::Shop>()
            .json::<shared::Shop>("200", "OK"),
        admin("post", "/v1/admin/shops/{id}/{action}", "Suspend, reinstate or revoke")
            .shop()
            .path_of("action", "", json!({"enum": ["suspend", "reinstate", "revoke"]}))
            .body::<shared::StatusChange>()
            .json::<shared::Shop>("200", "OK"),
        admin("post", "/v1/admin/shops/{id}/keys", "Issue a shop access key (shown once); the shop's earlier key stops working")
            .shop()
            .json::<IssuedKey>("201", "Issued"),
        admin("delete", "/v1/admin/shops/{id}/keys", "Revoke every access key of the shop (and its console sessions)")
            .shop()
            .reply("204", "Revoked", &[]),
        admin("post", "/v1/admin/shops/{id}/reviews/{review}/hide", "Hide a review with a published reason")
            .shop()
            .path("review", "")
            .body::<shared::HideRequest>()
            .json::<shared::PublicReview>("200", "OK"),
        op("get", "/verify/{id}", "The membership verification page (HTML, no JavaScript)")
            .shop()
            .html("200", "HTML")
            .problems_or_page("For a person (any Accept but JSON): a page saying no member has this id"),
        op("get", "/shops/{id}", "The member's hosted page (HTML readable without JavaScript, with the widget's booking): badge, rating and first reviews, services, opening hours, address, phone, the alliance's standards; Open Graph, hreflang and schema.org AutoRepair JSON-LD. A suspended member's page says so (noindex); a revoked member's is 410.")
            .shop()
            .lang()
            .html("200", "HTML")
            .html("410", "The membership was revoked: a page saying so")
            .problems_or_page("A page for a person"),
        op("get", "/shops/{id}/card", "The printable counter card (A6): the shop's name, a QR code to its page and one to \"review your last visit\"")
            .shop()
            .lang()
            .html("200", "HTML with two inline SVG QR codes")
            .problems_or_page("A page for a person"),
        op("get", "/shops/{id}/review", "\"Review your last visit\": the form for the review code the shop gave a walk-in customer; a code of a recorded, unreviewed visit of the last 90 days redirects to the shop's page with the review form open. Codes that match nothing count against the address block (30 an hour).")
            .shop()
            .lang()
            .query("code", false, "The review code, e.g. AB7K-29QF", json!({"type": "string", "maxLength": 64}))
            .html("200", "The form")
            .redirect("303", "To /shops/{id}#review=<token>")
            .problems_or_page("A page for a person"),
        op("get", "/shops/og.png", "The member pages' sharing image (1200 × 630)")
            .reply("200", "PNG", &[("image/png", json!({"type": "string", "format": "binary"}))])
            .without_problems(),
        op("get", "/shops/card.css", "The counter card's print rules (A6)")
            .text("200", "CSS", "text/css")
            .without_problems(),
        op("get", "/sitemap.xml", "The directory and every active member's pages in both languages")
            .text("200", "A sitemap (sitemaps.org 0.9) with hreflang alternates", "application/xml")
            .without_problems(),
        op("get", "/robots.txt", "The public pages may be indexed, the consoles and the API not; names the sitemap")
            .text("200", "Text", "text/plain")
            .without_problems(),
        op("get", "/badge/{id}.svg", "The no-JavaScript SVG badge naming the shop, decided from the page's Referer: verified on the shop's listed sites, \"not verified on this site\" elsewhere, \"check membership\" without a Referer")
            .shop()
            .header("Referer", "The page showing the image (browsers send its origin for cross-origin images)", json!({"type": "string"}))
            .text("200", "SVG", "image/svg+xml"),
        op("get", "/v1/shops/{id}/referrals", "Other members that can serve the customer on a day this shop cannot (nearest first, with free starts); empty when the shop does not refer")
            .shop()
            .query("service", true, "", json!({"type": "string", "pattern": "^[A-Za-z0-9_-]{1,32}$"}))
            .query("date", true, "Shop-local YYYY-MM-DD", json!({"type": "string", "format": "date"}))
            .json_list::<shared::Referral>("200", "Up to three members"),
        op("post", "/v1/shops/{id}/referrals/{to}/bookings", "Book at another member from this shop's site (a referral); recorded at both")
            .shop()
            .path("to", "The member booked")
            .origin()
            .header("Idempotency-Key", "", json!({"type": "string", "maxLength": 100}))
            .body::<shared::BookingForm>()
            .json::<shared::BookingView>("201", "Booked (or the first booking of this Idempotency-Key)"),
        op("get", "/v1/warranty/{reference}", "A completed visit at any member, for the alliance-wide warranty (no personal data)")
            .path("reference", "e.g. AB7K-29QF")
            .json::<WarrantyRecord>("200", "The visit"),
        op("get", "/alliance", "The member directory (HTML without JavaScript); embed=1 is the embeddable find-a-member view")
            .query("service", false, "", json!({"type": "string"}))
            .query("area", false, "", json!({"type": "string"}))
            .query("from", false, "An area to sort by distance from", json!({"type": "string"}))
            .query("near", false, "lat,lon to sort by distance from (after the visitor clicked)", json!({"type": "string"}))
            .lang()
            .query("embed", false, "", json!({"type": "string", "enum": ["1"]}))
            .html("200", "HTML")
            .problems_or_page("A page for a person"),
        op("get", "/alliance/warranty", "The warranty lookup page")
            .query("reference", false, "", json!({"type": "string"}))
            .lang()
            .html("200", "HTML")
            .problems_or_page("A page for a person"),
        op("get", "/alliance/find.js", "The directory's script: sort by the visitor's location, asked only on a click")
            .text("200", "JavaScript", "text/javascript")
            .without_problems(),
        admin("post", "/v1/admin/retention", "Run the retention sweep now: erase personal fields of visits older than RETENTION_DAYS (also run daily by the cron trigger)")
            .json::<Swept>("200", "Counts"),

    ]
}
