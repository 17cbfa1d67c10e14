//! Availability for 30 days × 6 services for a shop with 500 existing bookings.
//! Target (issue: performance): under 5 ms natively.

use alliance_bench::{bookings, rules};
use criterion::{criterion_group, criterion_main, Criterion};
use shared::{calendar, parse_rfc3339, SlotQuery};
use std::hint::black_box;

fn availability(c: &mut Criterion) {
    let rules = rules();
    let now = parse_rfc3339("2026-12-01T00:00:00Z").expect("valid");
    let busy = bookings(now, 500);
    let services: [(u16, u8); 6] = [(60, 1), (90, 1), (60, 1), (45, 1), (90, 1), (45, 1)];
    c.bench_function("availability 30 days x 6 services, 500 bookings", |b| {
        b.iter(|| {
            let mut slots = 0;
            for (duration, bays) in services {
                let q = SlotQuery {
                    rules: &rules,
                    time_zone: "Asia/Taipei",
                    total_bays: 3,
                    duration_minutes: duration,
                    bays,
                    busy: &busy,
                    now_ms: now,
                };
                let days = calendar(&q, "2026-12-01", 30).expect("computes");
                slots += days.iter().map(|d| d.slots.len()).sum::<usize>();
            }
            black_box(slots)
        })
    });
}

criterion_group!(benches, availability);
criterion_main!(benches);
