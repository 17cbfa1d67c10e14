//! The object's SQL schema and its migrations, in one place: the shop objects' tables and the
//! network object's (`visits`, `hits`), created when an object starts.

pub(super) const SCHEMA: &str = "
CREATE TABLE IF NOT EXISTS reviews (
  id TEXT PRIMARY KEY, visit TEXT NOT NULL UNIQUE, created_ms INTEGER NOT NULL,
  created_at TEXT NOT NULL, stars INTEGER NOT NULL, text TEXT NOT NULL, language TEXT NOT NULL,
  service TEXT NOT NULL, author TEXT NOT NULL, verified INTEGER NOT NULL,
  reply_text TEXT, reply_at TEXT, hidden TEXT,
  indexed INTEGER NOT NULL DEFAULT 0, dirty INTEGER NOT NULL DEFAULT 0);
CREATE INDEX IF NOT EXISTS reviews_dirty ON reviews (dirty);
CREATE TABLE IF NOT EXISTS gone (id TEXT PRIMARY KEY, stars INTEGER NOT NULL, created_ms INTEGER NOT NULL, service TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS meta (k TEXT PRIMARY KEY, v TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS hits (bucket TEXT PRIMARY KEY, window_start INTEGER NOT NULL, n INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS bookings (
  reference TEXT PRIMARY KEY, service TEXT NOT NULL, start_ms INTEGER NOT NULL, end_ms INTEGER NOT NULL,
  bays INTEGER NOT NULL, status TEXT NOT NULL, form TEXT NOT NULL, idem TEXT UNIQUE, created_ms INTEGER NOT NULL);
CREATE INDEX IF NOT EXISTS bookings_time ON bookings (status, start_ms);
CREATE TABLE IF NOT EXISTS outbox (
  id TEXT PRIMARY KEY, seq INTEGER NOT NULL, kind TEXT NOT NULL, body TEXT NOT NULL, attempts INTEGER NOT NULL,
  next_ms INTEGER NOT NULL, delivered_ms INTEGER, last_error TEXT);
";

/// Columns added after the first release; adding one that exists fails harmlessly.
pub(super) const MIGRATIONS: [&str; 27] = [
    "ALTER TABLE bookings ADD COLUMN erased_ms INTEGER",
    "ALTER TABLE bookings ADD COLUMN reason TEXT",
    "ALTER TABLE bookings ADD COLUMN review_link TEXT",
    "ALTER TABLE bookings ADD COLUMN seen_ms INTEGER",
    "ALTER TABLE bookings ADD COLUMN changed_ms INTEGER",
    "ALTER TABLE bookings ADD COLUMN referred_by TEXT",
    "ALTER TABLE bookings ADD COLUMN visitor TEXT",
    "ALTER TABLE bookings ADD COLUMN alliance_visit INTEGER",
    "CREATE TABLE IF NOT EXISTS referrals_sent (reference TEXT PRIMARY KEY, to_shop TEXT NOT NULL, service TEXT NOT NULL, start_ms INTEGER NOT NULL, created_ms INTEGER NOT NULL)",
    // Only the network object uses this: one row per keyed hash of a phone number, never the number.
    "CREATE TABLE IF NOT EXISTS visits (visitor TEXT PRIMARY KEY, n INTEGER NOT NULL)",
    "ALTER TABLE bookings ADD COLUMN idem_hash TEXT",
    // How a review's visit is known (`booked`, `invited`; NULL for imported: the weaker label).
    "ALTER TABLE reviews ADD COLUMN provenance TEXT",
    "ALTER TABLE reviews ADD COLUMN visit_date TEXT",
    // Visits outside the alliance's booking that the shop recorded to invite a review.
    "CREATE TABLE IF NOT EXISTS invites (visit TEXT PRIMARY KEY, work_order TEXT NOT NULL, visit_date TEXT NOT NULL, service TEXT NOT NULL, created_ms INTEGER NOT NULL)",
    // Which booking an event is about (erasure finds them), and when it was made (expiry).
    "ALTER TABLE outbox ADD COLUMN reference TEXT",
    "ALTER TABLE outbox ADD COLUMN created_ms INTEGER",
    // The review code a walk-in customer enters after scanning the counter card (random, once).
    "ALTER TABLE invites ADD COLUMN code TEXT",
    "CREATE UNIQUE INDEX IF NOT EXISTS invites_code ON invites (code)",
    // Messages to people (shop_do/messages.rs): who and what, never the words; one per event,
    // channel and recipient.
    "CREATE TABLE IF NOT EXISTS messages (id TEXT PRIMARY KEY, event TEXT NOT NULL, kind TEXT NOT NULL, channel TEXT NOT NULL, recipient TEXT NOT NULL, reference TEXT NOT NULL, locale TEXT NOT NULL, start_ms INTEGER, due_ms INTEGER NOT NULL, attempts INTEGER NOT NULL DEFAULT 0, state TEXT NOT NULL, sent_ms INTEGER, last_error TEXT, created_ms INTEGER NOT NULL, UNIQUE (event, channel, recipient))",
    "CREATE INDEX IF NOT EXISTS messages_due ON messages (state, due_ms)",
    // When the customer's e-mail unsubscribe was used (nothing more is e-mailed about it).
    "ALTER TABLE bookings ADD COLUMN email_off_ms INTEGER",
    // When the customer said "I'll be there" (the reminder's link).
    "ALTER TABLE bookings ADD COLUMN attending_ms INTEGER",
    // When the shop said the car is ready.
    "ALTER TABLE bookings ADD COLUMN ready_ms INTEGER",
    // LINE (shop_do/line.rs). Network object: one-time link codes, and the shops each LINE id
    // is linked at. Shop objects: their links (`reference` empty for staff).
    "CREATE TABLE IF NOT EXISTS line_codes (code TEXT PRIMARY KEY, shop TEXT NOT NULL, reference TEXT, expires_ms INTEGER NOT NULL)",
    "CREATE TABLE IF NOT EXISTS line_shops (line_id TEXT NOT NULL, shop TEXT NOT NULL, PRIMARY KEY (line_id, shop))",
    // Web Push subscriptions of the shop's console on staff's phones (notify/webpush.rs).
    "CREATE TABLE IF NOT EXISTS push_subs (endpoint TEXT PRIMARY KEY, p256dh TEXT NOT NULL, auth TEXT NOT NULL, created_ms INTEGER NOT NULL)",
    "CREATE TABLE IF NOT EXISTS line_links (line_id TEXT NOT NULL, reference TEXT NOT NULL, created_ms INTEGER NOT NULL, PRIMARY KEY (line_id, reference))",
];
