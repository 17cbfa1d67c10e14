//! Load: 500 concurrent booking attempts over 10 slots never exceed capacity, and 200 concurrent
//! reviews leave the summary exact. Real local runtime, every request a real HTTP request.

use integration_tests::{
    booking_form, booking_shop, review_form, taipei_slot, unique_id, TestApp, DEMO_ORIGIN,
};
use std::collections::HashMap;
use std::sync::{Arc, Barrier};

/// The body `wrangler dev`'s proxy sends when its connection to workerd fails on a request it
/// cannot replay (one with a body).
const PROXY_DROP: &str = "Your worker restarted mid-request";

#[test]
fn five_hundred_concurrent_bookings_over_ten_slots_never_exceed_capacity() {
    let app = TestApp::connect();
    let (shop, key) = booking_shop(&app, "load", 2, None);
    let slots: Vec<String> = (0..10)
        .map(|i| taipei_slot(8 + i / 5, 9 + (i % 5) as u32 * 2))
        .collect();
    let barrier = Arc::new(Barrier::new(500));

    let handles: Vec<_> = (0..500u32)
        .map(|i| {
            let (shop, start, barrier) = (
                shop.clone(),
                slots[(i % 10) as usize].clone(),
                barrier.clone(),
            );
            std::thread::spawn(move || {
                let app = TestApp::connect();
                let form = booking_form(&start, 40_000 + i);
                let ip = format!("10.12.{}.{}", i / 250, i % 250);
                let key = format!("load-{i}");
                barrier.wait();
                // Each attempt carries an Idempotency-Key, so one the dev proxy dropped (see
                // PROXY_DROP) is sent again safely: had it landed, the edge answers with the
                // same booking.
                for attempt in 1..=4u64 {
                    let r = app.book(&shop, &form, DEMO_ORIGIN, &ip, Some(&key));
                    if r.status == 503 && r.body.contains(PROXY_DROP) && attempt < 4 {
                        std::thread::sleep(std::time::Duration::from_millis(150 * attempt));
                        continue;
                    }
                    return (start, r.status, r.body);
                }
                unreachable!("the last attempt returns")
            })
        })
        .collect();
    let results: Vec<(String, u16, String)> =
        handles.into_iter().map(|h| h.join().unwrap()).collect();

    let mut booked: HashMap<&str, usize> = HashMap::new();
    for (start, status, body) in &results {
        match status {
            201 => *booked.entry(start.as_str()).or_default() += 1,
            409 => assert!(body.contains("/problems/slot-full"), "{body}"),
            other => panic!("unexpected {other}: {body}"),
        }
    }
    assert_eq!(booked.len(), 10, "every slot got bookings");
    assert!(
        booked.values().all(|n| *n == 2),
        "two bays per slot: {booked:?}"
    );
    let feed = app.feed(&shop, &key);
    assert_eq!(integration_tests::events_in(&feed), 20, "stored");
}

#[test]
fn two_hundred_concurrent_reviews_leave_the_summary_exact() {
    let app = TestApp::connect();
    let shop = app.add_member(&unique_id("review-load"), &[DEMO_ORIGIN]);
    let barrier = Arc::new(Barrier::new(200));

    let handles: Vec<_> = (0..200u32)
        .map(|i| {
            let (shop, barrier) = (shop.clone(), barrier.clone());
            std::thread::spawn(move || {
                let app = TestApp::connect();
                let token = app.token(&shop, &format!("LOAD-{i}"), 3600);
                let form = review_form(&token, i64::from(i % 5) + 1, "負載測試中的一則評價內容。");
                let ip = format!("10.13.{}.{}", i / 200, i % 200);
                barrier.wait();
                // `wrangler dev`'s proxy, under this burst, sometimes loses its connection to
                // workerd and answers a POST itself (text/plain 503, "Your worker restarted
                // mid-request"): our worker never answered that. Such a request is sent again;
                // if the first one had landed, the link is then used (409), and the review is
                // there, which the exact counts below check.
                for attempt in 1..=4u64 {
                    let r = app.post_review(&shop, &form, DEMO_ORIGIN, &ip);
                    if r.status == 503 && r.body.contains(PROXY_DROP) && attempt < 4 {
                        std::thread::sleep(std::time::Duration::from_millis(150 * attempt));
                        continue;
                    }
                    let landed = r.status == 201
                        || (attempt > 1
                            && r.status == 409
                            && r.body.contains("/problems/token-used"));
                    return (landed, attempt, r);
                }
                unreachable!("the last attempt returns")
            })
        })
        .collect();
    let results: Vec<_> = handles.into_iter().map(|h| h.join().unwrap()).collect();
    let resent = results
        .iter()
        .filter(|(_, attempt, _)| *attempt > 1)
        .count();
    if resent > 0 {
        eprintln!("{resent} of 200 reviews were sent again after the dev proxy dropped them");
    }
    for (_, _, r) in results.iter().filter(|(landed, _, _)| !landed).take(3) {
        eprintln!("{} {:?} {}", r.status, r.header("content-type"), r.body);
    }
    let statuses: Vec<u16> = results.iter().map(|(_, _, r)| r.status).collect();

    assert!(results.iter().all(|(landed, _, _)| *landed), "{statuses:?}");
    let view = app.widget_from(&shop, DEMO_ORIGIN);
    assert_eq!(view.rating.count, 200);
    assert_eq!(view.rating.histogram, [40, 40, 40, 40, 40]);
    let stored = app.all_reviews(&shop, "newest", None, 20);
    assert_eq!(stored.len(), 200);
    let recomputed = shared::RatingSummary::from_stars(
        stored
            .iter()
            .filter_map(|r| r.content.as_ref().map(|c| c.stars)),
    );
    assert_eq!(view.rating, recomputed);
}
