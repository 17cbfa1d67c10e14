//! The consoles against the real local runtime: sign-in, sessions scoped to one shop, every
//! forged, expired, foreign or cross-site write refused with nothing changed, and the shop's
//! daily work (complete a visit → review link; reply; profile; webhooks) and the admin's.

use integration_tests::{
    booking_shop, review_form, taipei_slot, Console, Reply, TestApp, DEMO_ORIGIN,
};
use shared::{BadgeState, BookingView, Session, SessionRole, ShopId};

fn now() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs()
}

/// A client for the suite's edge, and a console client for the same edge.
fn clients() -> (TestApp, Console) {
    let app = TestApp::connect();
    let console = Console::new(&app);
    (app, console)
}

/// A shop with one booking: (shop, key, booking).
fn shop_with_booking(app: &TestApp, prefix: &str, day: u64) -> (String, String, BookingView) {
    let (shop, key) = booking_shop(app, prefix, 2, None);
    let reply = app.book_slot(&shop, &taipei_slot(day, 10), 4242, "10.9.0.1");
    assert_eq!(reply.status, 201, "{}", reply.body);
    (shop, key, reply.json())
}

fn status_of(app: &TestApp, booking: &BookingView) -> String {
    let reply = app.get(&format!("/v1/bookings/{}", booking.manage_token));
    assert_eq!(reply.status, 200, "{}", reply.body);
    reply.json::<serde_json::Value>()["status"]
        .as_str()
        .unwrap()
        .to_owned()
}

fn assert_refused(reply: &Reply, status: u16, what: &str) {
    assert_eq!(reply.status, status, "{what}: {}", reply.body);
    assert!(
        reply.header("location").is_none(),
        "{what}: a refusal never redirects"
    );
}

#[test]
fn missing_expired_tampered_foreign_and_cross_site_writes_are_refused_and_change_nothing() {
    let (app, console) = clients();
    let (shop, key, booking) = shop_with_booking(&app, "con-auth", 3);
    let (other, other_key) = booking_shop(&app, "con-other", 1, None);
    let cookie = console.login(&key).expect("the shop's key signs in");
    let page = console.get(&format!("/console/shop/{shop}/bookings"), Some(&cookie));
    assert_eq!(page.status, 200, "{}", page.body);
    assert!(
        page.body.contains(&booking.reference),
        "its booking is listed"
    );
    assert_eq!(page.header("cache-control"), Some("no-store"));
    assert!(page
        .header("content-security-policy")
        .is_some_and(|c| c.contains("frame-ancestors 'none'")));
    assert_eq!(page.header("x-content-type-options"), Some("nosniff"));
    assert_eq!(page.header("referrer-policy"), Some("same-origin"));
    let csrf = Console::csrf(&page);
    let path = format!("/console/shop/{shop}/bookings/{}", booking.reference);
    let cancel = |cookie: Option<&str>, origin: Option<&str>, csrf: &str| {
        console.post(
            &path,
            cookie,
            origin,
            &[("csrf", csrf), ("action", "cancel"), ("reason", "測試取消")],
        )
    };
    let own = Some(console.base.as_str());

    assert_refused(&cancel(None, own, &csrf), 401, "no session");
    assert!(
        console
            .get(&format!("/console/shop/{shop}/bookings"), None)
            .status
            == 401
    );

    let secret = shared::session_key(
        std::env::var("LINK_SECRET")
            .expect("LINK_SECRET is set by cargo xtask test")
            .as_bytes(),
    );
    let key_prefix = {
        use sha2::{Digest, Sha256};
        let hex: String = Sha256::digest(key.as_bytes())
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect();
        hex[..16].to_owned()
    };
    let session = |exp: u64| Session {
        role: SessionRole::Shop(ShopId::parse(&shop).unwrap()),
        key: key_prefix.clone(),
        exp,
        nonce: "test".into(),
    };
    // A correctly signed session for the right key: accepted while fresh, refused once expired.
    let fresh = format!("aw_console={}", session(now() + 600).sign(&secret));
    let fresh_page = console.get(&format!("/console/shop/{shop}/bookings"), Some(&fresh));
    assert_eq!(fresh_page.status, 200, "a valid signed session works");
    let expired = format!("aw_console={}", session(now() - 1).sign(&secret));
    let expired_csrf = Console::csrf(&fresh_page);
    let reply = cancel(Some(&expired), own, &expired_csrf);
    assert_refused(&reply, 401, "expired session");
    assert!(reply.body.contains("expired") || reply.body.contains("逾時"));

    // Tampered: another shop's id in the payload with the old signature.
    let wire = cookie.trim_start_matches("aw_console=");
    let (_, sig) = wire.split_once('.').unwrap();
    let forged_payload = {
        use base64::Engine;
        base64::engine::general_purpose::URL_SAFE_NO_PAD
            .encode(format!("s|shop:{other}|{key_prefix}|{}|x", now() + 600))
    };
    let tampered = format!("aw_console={forged_payload}.{sig}");
    assert_refused(&cancel(Some(&tampered), own, &csrf), 401, "tampered cookie");
    let garbage = "aw_console=not-a-session";
    assert_refused(&cancel(Some(garbage), own, &csrf), 401, "garbage cookie");

    // Another shop's valid session, with its own valid CSRF token.
    let other_cookie = console.login(&other_key).unwrap();
    let other_page = console.get(
        &format!("/console/shop/{other}/bookings"),
        Some(&other_cookie),
    );
    let other_csrf = Console::csrf(&other_page);
    assert_refused(
        &cancel(Some(&other_cookie), own, &other_csrf),
        403,
        "another shop's session",
    );
    assert_eq!(
        console
            .get(
                &format!("/console/shop/{shop}/bookings"),
                Some(&other_cookie)
            )
            .status,
        403,
        "another shop's pages"
    );

    // The right session, but no CSRF token, another session's token, or a cross-site origin.
    assert_refused(&cancel(Some(&cookie), own, ""), 403, "no CSRF token");
    assert_refused(
        &cancel(Some(&cookie), own, &other_csrf),
        403,
        "another session's CSRF token",
    );
    assert_refused(
        &cancel(Some(&cookie), Some("https://evil.example"), &csrf),
        403,
        "cross-site POST",
    );
    assert_refused(
        &console.post(
            &path,
            Some(&cookie),
            None,
            &[("action", "cancel"), ("reason", "x y z")],
        ),
        403,
        "cross-site POST without Origin or token",
    );
    assert_eq!(status_of(&app, &booking), "confirmed", "nothing changed");

    // The same request done right goes through: the refusals above were not vacuous.
    let done = cancel(Some(&cookie), own, &csrf);
    assert_eq!(done.status, 303, "{}", done.body);
    assert_eq!(status_of(&app, &booking), "cancelled");

    // Rotating the key ends the sessions opened with the old one; the old key no longer signs in.
    let new_key = app.shop_key(&shop);
    assert_eq!(
        console
            .get(&format!("/console/shop/{shop}/bookings"), Some(&cookie))
            .status,
        401,
        "a session of a rotated key"
    );
    assert_eq!(console.login(&key).unwrap_err().status, 401, "old key");
    assert!(console.login(&new_key).is_ok(), "new key");
    let wrong = console.login("sk_not-a-key").unwrap_err();
    assert_eq!(wrong.status, 401);
    assert!(wrong
        .header("set-cookie")
        .is_none_or(|c| c.contains("Max-Age=0")));

    // Role scoping: a shop session is no admin; the admin token opens the admin console only.
    let new_cookie = console.login(&new_key).unwrap();
    assert_eq!(console.get("/console/admin", Some(&new_cookie)).status, 403);
    let admin = console
        .login(&app.admin_token)
        .expect("admin token signs in");
    assert_eq!(console.get("/console/admin", Some(&admin)).status, 200);
    assert_eq!(
        console
            .get(&format!("/console/shop/{shop}/bookings"), Some(&admin))
            .status,
        403
    );
}

#[test]
fn completing_a_visit_issues_a_single_use_review_link_and_the_shop_replies() {
    let (app, console) = clients();
    let (shop, key, booking) = shop_with_booking(&app, "con-done", 2);
    let (cookie, page) = console.open(&key, &format!("/console/shop/{shop}/bookings"));
    let csrf = Console::csrf(&page);
    let act =
        |action: &str| console.booking_action(&cookie, &page, &shop, &booking.reference, action);

    // A booking that has not started cannot be a no-show; a cancellation needs a reason.
    let early = act("no-show");
    assert_eq!(early.status, 409, "{}", early.body);
    // The console (zh-TW here) says what kind of refusal it is in Chinese, then the specifics.
    assert!(early.body.contains("目前無法這樣做（"), "{}", early.body);
    let no_reason = act("cancel");
    assert_eq!(no_reason.status, 400, "{}", no_reason.body);
    assert_eq!(status_of(&app, &booking), "confirmed");

    let arrived = act("arrived");
    assert_eq!(arrived.status, 303, "{}", arrived.body);
    // An arrived car still holds its bay: the slot stays taken.
    assert_eq!(status_of(&app, &booking), "arrived");
    let done = act("complete");
    assert_eq!(done.status, 303, "{}", done.body);
    let shown = console.get(done.header("location").unwrap(), Some(&cookie));
    assert_eq!(shown.status, 200);
    let marker = "review=";
    let at = shown.body.find(marker).expect("the review link is shown") + marker.len();
    let token: String = shown.body[at..]
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || "-_.".contains(*c))
        .collect();
    assert!(
        shown.body.contains(&format!("{DEMO_ORIGIN}/#review=")),
        "on the shop's site"
    );
    let again = act("complete");
    assert_eq!(again.status, 409, "completing twice: {}", again.body);

    // The customer's review with that link is accepted once, as a verified visit of the service.
    let review = review_form(&token, 5, "換機油很快，師傅也解釋得很清楚。");
    let posted = app.post_review(&shop, &review, DEMO_ORIGIN, "10.9.0.2");
    assert_eq!(posted.status, 201, "{}", posted.body);
    assert_eq!(
        posted.json::<serde_json::Value>()["content"]["provenance"],
        "booked",
        "a completed alliance booking is labelled so"
    );
    let reused = app.post_review(&shop, &review, DEMO_ORIGIN, "10.9.0.3");
    assert_eq!(reused.status, 409, "{}", reused.body);
    let id = posted.json::<serde_json::Value>()["id"]
        .as_str()
        .unwrap()
        .to_owned();

    // The shop replies from the console; the reply is public; an empty one is refused.
    let reviews = console.get(&format!("/console/shop/{shop}/reviews"), Some(&cookie));
    assert!(reviews.body.contains("換機油很快"));
    let reply_path = format!("/console/shop/{shop}/reviews/{id}/reply");
    let empty = console.submit(&reply_path, &cookie, &csrf, &[("text", "  ")]);
    assert_eq!(empty.status, 400);
    let ok = console.submit(
        &reply_path,
        &cookie,
        &csrf,
        &[("text", "謝謝您的肯定！<b>歡迎再來</b>")],
    );
    assert_eq!(ok.status, 303, "{}", ok.body);
    let public = app.get(&format!("/v1/shops/{shop}/reviews"));
    let text = public.body;
    assert!(
        text.contains("謝謝您的肯定！<b>歡迎再來</b>"),
        "reply stored as text: {text}"
    );
    let page = console.get(&format!("/console/shop/{shop}/reviews"), Some(&cookie));
    assert!(
        page.body.contains("&lt;b&gt;歡迎再來&lt;/b&gt;"),
        "rendered as text"
    );

    // The webhook log lists the completion; the audit log records the shop's writes.
    let hooks = console.get(&format!("/console/shop/{shop}/webhooks"), Some(&cookie));
    assert!(hooks.body.contains("booking.completed"), "{}", hooks.body);
    let admin = console.login(&app.admin_token).unwrap();
    let audit = console.get("/console/admin/audit", Some(&admin));
    assert!(
        audit.body.contains(&format!("shop:{shop}")),
        "shop writes are audited"
    );
    assert!(audit.body.contains("booking.complete"));
    assert!(audit.body.contains("review.reply"));
}

#[test]
fn profile_edits_are_checked_field_by_field_and_stored_whole_or_not_at_all() {
    let (app, console) = clients();
    let (shop, key) = booking_shop(&app, "con-prof", 2, None);
    let path = format!("/console/shop/{shop}/profile");
    let (cookie, page) = console.open(&key, &path);
    assert_eq!(page.status, 200);
    let csrf = Console::csrf(&page);
    // Re-submit the form as rendered, with changes.
    let mut fields = form_fields(&page.body);
    set(&mut fields, "name_en", "Renamed Garage");
    set(&mut fields, "open_3", "25:00");
    let bad = save(&console, &path, &cookie, &fields);
    assert_eq!(bad.status, 400, "{}", bad.body);
    assert!(
        bad.body.contains(r#"id="open_3-error""#),
        "the message sits by the field"
    );
    assert!(
        bad.body.contains("Renamed Garage"),
        "what was typed is kept"
    );
    let view = app.widget_from(&shop, DEMO_ORIGIN);
    assert_ne!(view.shop.name.en, "Renamed Garage", "nothing stored");

    set(&mut fields, "open_3", "09:00");
    set(&mut fields, "page_url", "https://elsewhere.example/");
    let off_site = save(&console, &path, &cookie, &fields);
    assert_eq!(off_site.status, 400, "{}", off_site.body);
    assert!(off_site.body.contains(r#"id="page_url-error""#));
    assert!(
        off_site.body.contains("放小工具的網頁網址必須在貴店的網站"),
        "the message is in the console's language"
    );

    set(
        &mut fields,
        "page_url",
        &format!("{DEMO_ORIGIN}/shop/{shop}"),
    );
    let ok = save(&console, &path, &cookie, &fields);
    assert_eq!(ok.status, 303, "{}", ok.body);
    assert_eq!(fields.iter().filter(|(k, _)| k == "csrf").count(), 1);
    let _ = csrf;
    let view = app.widget_from(&shop, DEMO_ORIGIN);
    assert_eq!(
        view.shop.name.en, "Renamed Garage",
        "the widget shows it at once"
    );
}

/// The named inputs, textareas, checked boxes and selects of the first `<form class="profile">`.
fn form_fields(html: &str) -> Vec<(String, String)> {
    let start = html.find(r#"class="profile""#).unwrap();
    let end = html[start..].find("</form>").unwrap() + start;
    let form = &html[start..end];
    let attr = |tag: &str, name: &str| -> Option<String> {
        let marker = format!(r#" {name}=""#);
        let at = tag.find(&marker)? + marker.len();
        Some(unescape(tag[at..].split('"').next()?))
    };
    let mut out = Vec::new();
    let mut rest = form;
    while let Some(i) = rest.find('<') {
        rest = &rest[i..];
        let close = rest.find('>').unwrap();
        let tag = &rest[..close];
        if tag.starts_with("<input") {
            if let Some(name) = attr(tag, "name") {
                let kind = attr(tag, "type").unwrap_or_default();
                if kind != "checkbox" || tag.contains(" checked") {
                    out.push((name, attr(tag, "value").unwrap_or_default()));
                }
            }
        } else if tag.starts_with("<textarea") {
            let name = attr(tag, "name").unwrap();
            let body_end = rest.find("</textarea>").unwrap();
            out.push((name, unescape(&rest[close + 1..body_end])));
        }
        rest = &rest[close..];
    }
    out
}

fn unescape(s: &str) -> String {
    s.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&amp;", "&")
}

fn set(fields: &mut Vec<(String, String)>, name: &str, value: &str) {
    match fields.iter_mut().find(|(k, _)| k == name) {
        Some(f) => f.1 = value.to_owned(),
        None => fields.push((name.to_owned(), value.to_owned())),
    }
}

/// Re-submits a profile form's `fields` (its CSRF token among them) to `path` with `cookie`,
/// from the console's own origin.
fn save(console: &Console, path: &str, cookie: &str, fields: &[(String, String)]) -> Reply {
    let refs: Vec<(&str, &str)> = fields
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    console.post(path, Some(cookie), Some(&console.base), &refs)
}

#[test]
fn the_admin_adds_a_member_issues_its_key_and_hides_a_review_from_the_console() {
    let (app, console) = clients();
    let admin = console.login(&app.admin_token).unwrap();
    let page = console.get("/console/admin", Some(&admin));
    let csrf = Console::csrf(&page);
    let own = Some(console.base.as_str());
    let id = integration_tests::unique_id("con-new");
    let mut fields = vec![
        ("csrf", csrf.as_str()),
        ("id", id.as_str()),
        ("name_zh", "新店"),
        ("name_en", "New Garage"),
        ("city_zh", "台北市"),
        ("city_en", "Taipei"),
        ("address_zh", "某路 1 號"),
        ("address_en", "1 Some Rd."),
        ("phone", "02-1234-5678"),
        ("latitude", "north"),
        ("longitude", "121.5"),
        ("origins", "https://new-garage.example.tw"),
    ];
    let bad = console.post("/console/admin/members", Some(&admin), own, &fields);
    assert_eq!(bad.status, 400, "{}", bad.body);
    assert!(
        bad.body.contains("New Garage"),
        "the form keeps what was typed"
    );
    assert_eq!(
        app.get(&format!("/v1/shops/{id}/widget")).status,
        404,
        "nothing stored"
    );
    fields[9].1 = "25.03";
    let added = console.post("/console/admin/members", Some(&admin), own, &fields);
    assert_eq!(added.status, 303, "{}", added.body);
    assert_eq!(app.get(&format!("/v1/shops/{id}/widget")).status, 200);

    let member = format!("/console/admin/members/{id}");
    let issued = console.submit(&member, &admin, &csrf, &[("action", "key")]);
    assert_eq!(issued.status, 201, "{}", issued.body);
    let at = issued.body.find("sk_").expect("the key is shown once");
    let key: String = issued.body[at..]
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
        .collect();
    assert!(console.login(&key).is_ok(), "the issued key signs in");

    let suspend = [("action", "suspend"), ("reason", "")];
    let no_reason = console.submit(&member, &admin, &csrf, &suspend);
    assert_eq!(no_reason.status, 400);
    let revoke = [("action", "revoke"), ("reason", "left the alliance")];
    let revoked = console.submit(&member, &admin, &csrf, &revoke);
    assert_eq!(revoked.status, 303, "{}", revoked.body);
    assert_eq!(
        console.login(&key).unwrap_err().status,
        401,
        "revoking ends its keys"
    );

    // Moderation: a fresh shop's one-star review, hidden with a reason from the queue.
    let (shop, _) = booking_shop(&app, "con-mod", 1, None);
    let token = app.token(&shop, "MOD-1", 3600);
    let text = "這是一則需要審核的一星評價內容。";
    let posted = app.review(&shop, &token, 1, text, "10.9.1.1");
    assert_eq!(posted.status, 201, "{}", posted.body);
    let review = posted.json::<serde_json::Value>()["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let queue = console.get(
        &format!("/console/admin/moderation?shop={shop}"),
        Some(&admin),
    );
    assert_eq!(queue.status, 200);
    let target = format!("/console/admin/moderation/{shop}/{review}");
    assert!(queue.body.contains(&target), "{}", queue.body);
    let missing = console.submit(&target, &admin, &csrf, &[("reason", "")]);
    assert_eq!(missing.status, 400);
    assert_eq!(
        app.widget_from(&shop, DEMO_ORIGIN).rating.count,
        1,
        "nothing hidden yet"
    );
    let hidden = console.submit(&target, &admin, &csrf, &[("reason", "spam")]);
    assert_eq!(hidden.status, 303, "{}", hidden.body);
    assert_eq!(
        app.widget_from(&shop, DEMO_ORIGIN).rating.count,
        0,
        "left the rating"
    );
    let log = app.get("/v1/moderation");
    assert!(log.body.contains(&review) && log.body.contains(&shop));
}

#[test]
fn completing_sends_the_review_link_in_the_webhook_and_the_deliveries_page_shows_it() {
    let (app, console) = clients();
    let hook = integration_tests::Receiver::start(1);
    let (shop, key) = integration_tests::booking_shop(&app, "con-hook", 1, Some(&hook.url));
    let made = app.book_slot(&shop, &taipei_slot(2, 11), 4343, "10.9.2.1");
    let booking: BookingView = made.json();
    let (cookie, page) = console.open(&key, &format!("/console/shop/{shop}/bookings"));
    let done = console.booking_action(&cookie, &page, &shop, &booking.reference, "complete");
    assert_eq!(done.status, 303, "{}", done.body);
    // The first delivery fails (the receiver answers 500 once); retried, both events arrive.
    hook.wait_for(2, 40);
    let got = hook.received.lock().unwrap().clone();
    let completed = got
        .iter()
        .map(|(_, _, _, body)| serde_json::from_str::<serde_json::Value>(body).unwrap())
        .find(|e| e["type"] == "booking.completed")
        .expect("a booking.completed event");
    let link = completed["data"]["booking"]["review_link"]
        .as_str()
        .unwrap();
    assert!(
        link.starts_with(&format!("{DEMO_ORIGIN}/#review=")),
        "{link}"
    );
    let shown = console.get(
        &format!("/console/shop/{shop}/bookings/{}", booking.reference),
        Some(&cookie),
    );
    assert!(
        shown.body.contains(link),
        "the same link as the console shows"
    );
    let deliveries = console.get(&format!("/console/shop/{shop}/webhooks"), Some(&cookie));
    assert!(deliveries.body.contains("booking.completed"));
    assert!(deliveries.body.contains("已送達") || deliveries.body.contains("Delivered"));
}

#[test]
fn oversized_or_non_form_posts_are_refused_with_the_reason() {
    let (app, console) = clients();
    let (shop, key) = integration_tests::booking_shop(&app, "con-size", 1, None);
    let path = format!("/console/shop/{shop}/profile");
    let (cookie, page) = console.open(&key, &path);
    let csrf = Console::csrf(&page);
    let huge = "x".repeat(70 * 1024);
    let big = console.submit(&path, &cookie, &csrf, &[("name_en", &huge)]);
    assert_eq!(big.status, 413, "{}", &big.body[..big.body.len().min(300)]);
    let json = app.send(
        "POST",
        &path,
        &[
            ("cookie", &cookie),
            ("content-type", "application/json"),
            ("origin", &console.base),
        ],
        b"{}",
    );
    assert_eq!(json.status, 415);
    assert_ne!(
        app.widget_from(&shop, DEMO_ORIGIN).shop.name.en,
        huge,
        "nothing stored"
    );
}

#[test]
fn a_shop_cannot_grant_itself_a_site_it_requests_one_and_the_admin_approves_or_refuses() {
    let (app, console) = clients();
    let (shop, key) = booking_shop(&app, "con-origin", 1, None);
    let cookie = console.login(&key).unwrap();
    let copycat = "https://copycat-garage.example.tw";
    let other = "https://not-ours.example.tw";
    let badge = |origin: &str| app.widget_from(&shop, origin).membership.badge;
    let svg_state = |origin: &str| {
        let svg = app.get_with(
            &format!("/badge/{shop}.svg"),
            &[("referer", &format!("{origin}/"))],
        );
        let doc = roxmltree::Document::parse(&svg.body).unwrap();
        doc.root_element()
            .attribute("data-state")
            .unwrap()
            .to_owned()
    };

    // A crafted profile form that names a site of the shop's choosing changes no site.
    let path = format!("/console/shop/{shop}/profile");
    let page = console.get(&path, Some(&cookie));
    let csrf = Console::csrf(&page);
    let mut fields = form_fields(&page.body);
    set(&mut fields, "origins", copycat);
    let saved = save(&console, &path, &cookie, &fields);
    assert_eq!(saved.status, 303, "{}", saved.body);
    assert_eq!(badge(copycat), BadgeState::NotVerifiedHere);
    assert_eq!(
        badge(DEMO_ORIGIN),
        BadgeState::Verified,
        "its own site is kept"
    );

    // The shop requests two sites: nothing changes until the admin decides.
    let origins = format!("/console/shop/{shop}/origins");
    let ask = |site: &str| console.submit(&origins, &cookie, &csrf, &[("origin", site)]);
    for site in [copycat, other] {
        let asked = ask(site);
        assert_eq!(asked.status, 303, "{}", asked.body);
    }
    let bad = ask("https://x.example.tw/path");
    assert_eq!(bad.status, 400, "{}", bad.body);
    assert!(
        bad.body.contains(r#"id="origin-error""#),
        "the message sits by the field"
    );
    assert_eq!(
        badge(copycat),
        BadgeState::NotVerifiedHere,
        "requested is not granted"
    );
    assert_eq!(svg_state(copycat), "not-verified-here");
    let shown = console.get(&path, Some(&cookie));
    assert!(shown.body.contains(r#"data-origins="requested""#) && shown.body.contains(copycat));

    // The admin approves one and refuses the other with a reason.
    let admin = console.login(&app.admin_token).unwrap();
    let admin_page = console.get("/console/admin", Some(&admin));
    assert!(admin_page
        .body
        .contains(&format!(r#"data-requested="{copycat}""#)));
    let admin_csrf = Console::csrf(&admin_page);
    let member = format!("/console/admin/members/{shop}");
    let decide = |site: &str, action: &str, reason: &str| {
        let fields = [("action", action), ("origin", site), ("reason", reason)];
        console.submit(&member, &admin, &admin_csrf, &fields)
    };
    assert_eq!(decide(copycat, "origin-approve", "").status, 303);
    assert_eq!(
        badge(copycat),
        BadgeState::Verified,
        "approved: verified at once"
    );
    assert_eq!(svg_state(copycat), "verified");
    assert_eq!(
        decide(other, "origin-refuse", " ").status,
        400,
        "a refusal needs a reason"
    );
    assert_eq!(
        decide(other, "origin-refuse", "not the shop's domain").status,
        303
    );
    assert_eq!(badge(other), BadgeState::NotVerifiedHere);
    assert!(!console
        .get(&path, Some(&cookie))
        .body
        .contains(r#"data-origins="requested""#));

    let mine: Vec<(String, String, String)> = app
        .audit_of(&shop)
        .into_iter()
        .filter(|e| e.action.starts_with("origin."))
        .map(|e| (e.actor, e.action, e.detail))
        .collect();
    assert_eq!(
        mine,
        [
            (
                "alliance-admin".into(),
                "origin.refuse".into(),
                format!("{other}: not the shop's domain")
            ),
            (
                "alliance-admin".into(),
                "origin.approve".into(),
                copycat.into()
            ),
            (
                format!("shop:{shop}"),
                "origin.request".into(),
                other.into()
            ),
            (
                format!("shop:{shop}"),
                "origin.request".into(),
                copycat.into()
            ),
        ],
        "newest first"
    );
}

#[test]
fn a_newly_set_webhook_url_receives_only_events_from_after_it_was_set() {
    let (app, console) = clients();
    let (shop, key, before) = shop_with_booking(&app, "con-new-hook", 9);
    let hook = integration_tests::Receiver::start(0);
    let path = format!("/console/shop/{shop}/profile");
    let (cookie, page) = console.open(&key, &path);
    let mut fields = form_fields(&page.body);
    set(&mut fields, "webhook_url", &hook.url);
    let saved = save(&console, &path, &cookie, &fields);
    assert_eq!(saved.status, 303, "{}", saved.body);

    let after = app.book_slot(&shop, &taipei_slot(9, 12), 4343, "10.9.0.7");
    assert_eq!(after.status, 201, "{}", after.body);
    let after: BookingView = after.json();
    hook.wait_for(1, 30);
    std::thread::sleep(std::time::Duration::from_secs(2)); // a backlog would arrive now
    let got = hook.received.lock().unwrap().clone();
    let refs: Vec<String> = got
        .iter()
        .map(|(_, _, _, b)| {
            serde_json::from_str::<serde_json::Value>(b).unwrap()["data"]["booking"]["reference"]
                .as_str()
                .unwrap()
                .to_owned()
        })
        .collect();
    assert_eq!(refs, [after.reference.clone()], "not {}", before.reference);
}
