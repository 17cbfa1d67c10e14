//! Crash recovery: `kill -9` the local edge in the middle of a booking load, restart it on the
//! same persisted state, and check that every acknowledged booking is there and whole, and that
//! the webhooks nobody received before the crash are delivered after it, each customer's
//! confirmation e-mail arrives as one message (a copy sent again keeps its Message-ID), and
//! each LINE push arrives exactly once.

use integration_tests::{
    booking_form, local_slot, midday_shop, with, Mailbox, OwnEdge, DEMO_ORIGIN,
};
use shared::BookingView;
use std::collections::{HashMap, HashSet};
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpListener;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

const PORT: u16 = 18799;

/// Starts a receiver on `port` that acknowledges everything; returns the events it got by id.
fn receiver(port: u16) -> Arc<Mutex<HashMap<String, (usize, serde_json::Value)>>> {
    let listener = TcpListener::bind(("127.0.0.1", port)).unwrap();
    let got = Arc::new(Mutex::new(
        HashMap::<String, (usize, serde_json::Value)>::new(),
    ));
    let log = got.clone();
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            let mut reader = BufReader::new(stream.try_clone().unwrap());
            let (mut len, mut id) = (0usize, String::new());
            let mut line = String::new();
            loop {
                line.clear();
                if reader.read_line(&mut line).unwrap_or(0) == 0 || line.trim().is_empty() {
                    break;
                }
                let lower = line.to_ascii_lowercase();
                if let Some(v) = lower.strip_prefix("content-length:") {
                    len = v.trim().parse().unwrap_or(0);
                }
                if let Some(v) = lower.strip_prefix("webhook-id:") {
                    id = v.trim().to_owned();
                }
            }
            let mut body = vec![0; len];
            let _ = reader.read_exact(&mut body);
            let event: serde_json::Value = serde_json::from_slice(&body).unwrap_or_default();
            log.lock().unwrap().entry(id).or_insert((0, event)).0 += 1;
            let mut s = stream;
            let _ = write!(
                s,
                "HTTP/1.1 200 OK\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
            );
        }
    });
    got
}

#[test]
fn acknowledged_bookings_survive_kill_9_and_their_webhooks_emails_and_line_pushes_arrive_after_restart(
) {
    // A port with nothing listening yet: deliveries fail until the receiver starts after the crash.
    let hook_port = TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let edge = OwnEdge::start(PORT, "crash-state", true, &[]);
    let app = edge.app();
    let demo = std::fs::read(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../demo/alliance.json"),
    )
    .unwrap();
    assert_eq!(app.admin_post("/v1/admin/import", &demo).status, 200);
    // Midday in the shop's zone: its staff's alerts do not wait out the quiet hours.
    let (shop, key, offset) = midday_shop(
        &app,
        "crash",
        3,
        Some(&format!("http://127.0.0.1:{hook_port}/hook")),
    );
    // The shop's staff linked LINE: every booking is also one LINE push (the stand-in, like
    // LINE, takes a retry key once).
    let staff = integration_tests::link_staff_line(&app, &key, &shop);

    let acknowledged = Arc::new(Mutex::new(Vec::<BookingView>::new()));
    let done = Arc::new(AtomicUsize::new(0));
    let workers: Vec<_> = (0..60u32)
        .map(|i| {
            let (shop, acknowledged, done) = (shop.clone(), acknowledged.clone(), done.clone());
            std::thread::spawn(move || {
                std::thread::sleep(Duration::from_millis(u64::from(i) * 40));
                let app =
                    integration_tests::TestApp::connect_to(format!("http://127.0.0.1:{PORT}"));
                let start = local_slot(offset, 2 + u64::from(i % 20), 8 + i / 20);
                let reply = app.try_book(
                    &shop,
                    &with(
                        booking_form(&start, 30_000 + i),
                        "email",
                        format!("crash-{i}@customer.example"),
                    ),
                    DEMO_ORIGIN,
                    &format!("10.11.0.{i}"),
                );
                if let Some(r) = reply {
                    if r.status == 201 {
                        acknowledged.lock().unwrap().push(r.json());
                    }
                }
                done.fetch_add(1, Ordering::SeqCst);
            })
        })
        .collect();
    // Crash in the middle of the load: once a third of the bookings are acknowledged.
    let deadline = Instant::now() + Duration::from_secs(60);
    while acknowledged.lock().unwrap().len() < 20 && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(5));
    }
    edge.kill();
    for w in workers {
        let _ = w.join();
    }
    let acked = acknowledged.lock().unwrap().clone();
    assert!(
        acked.len() >= 20 && acked.len() < 60,
        "the crash fell mid-load: {} acknowledged",
        acked.len()
    );

    println!(
        "crash: {} of 60 bookings acknowledged before kill -9",
        acked.len()
    );
    let edge = OwnEdge::start(PORT, "crash-state", false, &[]);
    let app = edge.app();
    for b in &acked {
        let stored: BookingView = app.get(&format!("/v1/bookings/{}", b.manage_token)).json();
        assert_eq!(
            (
                stored.reference.as_str(),
                stored.start.as_str(),
                stored.status
            ),
            (
                b.reference.as_str(),
                b.start.as_str(),
                shared::BookingStatus::Confirmed
            )
        );
        assert!(
            stored.vehicle.contains("Corolla") && stored.end_ms > stored.start_ms,
            "whole: {stored:?}"
        );
    }

    let got = receiver(hook_port);
    let wanted: HashSet<&str> = acked.iter().map(|b| b.reference.as_str()).collect();
    let deadline = Instant::now() + Duration::from_secs(90);
    loop {
        let delivered: HashSet<String> = got
            .lock()
            .unwrap()
            .values()
            .filter_map(|(_, e)| {
                e["data"]["booking"]["reference"]
                    .as_str()
                    .map(str::to_owned)
            })
            .collect();
        if wanted.iter().all(|r| delivered.contains(*r)) {
            break;
        }
        assert!(
            Instant::now() < deadline,
            "webhooks missing after restart: {:?}",
            wanted
                .iter()
                .filter(|r| !delivered.contains(**r))
                .collect::<Vec<_>>()
        );
        std::thread::sleep(Duration::from_millis(250));
    }
    std::thread::sleep(Duration::from_secs(2));
    assert!(
        got.lock().unwrap().values().all(|(n, _)| *n == 1),
        "each event acknowledged once"
    );

    // Every acknowledged booking's confirmation, sent before or after the crash, exactly once
    // (each message keeps its Message-ID across attempts).
    let mailbox = Mailbox::at(edge.log.clone());
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        let mails = mailbox.all();
        let missing: Vec<&str> = acked
            .iter()
            .map(|b| b.reference.as_str())
            .filter(|r| !mails.iter().any(|m| m.text.contains(*r)))
            .collect();
        if missing.is_empty() {
            break;
        }
        assert!(
            Instant::now() < deadline,
            "confirmations missing after restart: {missing:?}"
        );
        std::thread::sleep(Duration::from_millis(250));
    }
    std::thread::sleep(Duration::from_secs(2));
    // An e-mail has no idempotency key: a kill between the binding's answer and the row's
    // `sent` sends it again after the restart. Every copy is the same message (one Message-ID),
    // which mail systems show once; a second Message-ID would be a second message.
    let mails = mailbox.all();
    let mut resent = 0;
    for b in &acked {
        let copies: Vec<&str> = mails
            .iter()
            .filter(|m| m.text.contains(&b.reference))
            .map(|m| m.header("message-id").unwrap_or_default())
            .collect();
        let ids: std::collections::BTreeSet<&str> = copies.iter().copied().collect();
        assert_eq!(
            ids.len(),
            1,
            "one message about {}: {copies:?}",
            b.reference
        );
        resent += copies.len() - 1;
    }
    println!(
        "crash: {} confirmations, each one message ({resent} sent again after the kill, same Message-ID)",
        acked.len()
    );
    let api = integration_tests::LineApi::get();
    let deadline = Instant::now() + Duration::from_secs(60);
    while acked.iter().any(|b| api.count(&staff, &b.reference) == 0) && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(250));
    }
    for b in &acked {
        assert_eq!(
            api.count(&staff, &b.reference),
            1,
            "one LINE push about {}",
            b.reference
        );
    }
}
