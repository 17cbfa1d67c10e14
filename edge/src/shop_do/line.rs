//! LINE links. The network object keeps the one-time link codes (alliance-wide: the person
//! sends a code to the alliance's one LINE account, which does not know the shop) and which
//! shops each LINE user or group is linked at (so an unfollow reaches them all); each shop's
//! object keeps its own links: a customer's to one booking, staff's to the shop (`reference`
//! NULL). Messages go to a link from the moment it is made until it is undone.

use super::ShopDo;
use crate::error::{ApiError, ApiResult};
use crate::http;
use serde::{Deserialize, Serialize};
use shared::{ProblemKind, Reference, ShopId};
use worker::Response;

/// How long a customer's link code works.
pub const CUSTOMER_CODE_MS: i64 = 7 * 86_400_000;
/// How long a staff link code works (shown in the console, sent at once).
pub const STAFF_CODE_MS: i64 = 3_600_000;
/// Wrong codes one LINE user may send in an hour.
pub const WRONG_CODES_PER_HOUR: i64 = 10;

/// A new code for a booking (customer) or for the shop's staff (network object).
#[derive(Serialize, Deserialize)]
pub struct NewLineCode {
    /// The shop.
    pub shop: ShopId,
    /// The booking, for a customer; none for staff.
    pub reference: Option<Reference>,
}

/// A code to send to the alliance's LINE account.
#[derive(Debug, Serialize, Deserialize)]
pub struct LineCode {
    /// The code, e.g. `K7Q2-9XFD`.
    pub code: String,
    /// When it stops working.
    pub expires_ms: u64,
}

/// A code a LINE user sent (network object): what it links, once.
#[derive(Serialize, Deserialize)]
pub struct RedeemLineCode {
    /// What they sent.
    pub code: String,
    /// The LINE user or group.
    pub line_id: String,
}

/// What a code linked, or why not.
#[derive(Debug, Serialize, Deserialize)]
pub enum Redemption {
    /// Linked to `shop` (and to `reference`, for a customer).
    Linked {
        /// The shop.
        shop: ShopId,
        /// The booking.
        reference: Option<Reference>,
    },
    /// Not a code, or expired, or used.
    Unknown,
    /// Too many wrong codes from this LINE user this hour.
    Limited,
}

/// A LINE user or group left (unfollow), or asked to stop (network object): the shops it was
/// linked at, forgotten here.
#[derive(Serialize, Deserialize)]
pub struct ForgetLine {
    /// The LINE user or group.
    pub line_id: String,
}

/// The shops a LINE user or group was linked at.
#[derive(Debug, Serialize, Deserialize)]
pub struct Forgotten {
    /// The shops.
    pub shops: Vec<ShopId>,
}

/// A link to make in the shop's object.
#[derive(Serialize, Deserialize)]
pub struct LinkLine {
    /// The LINE user or group.
    pub line_id: String,
    /// The booking, for a customer; none for staff.
    pub reference: Option<Reference>,
}

/// Links to undo in the shop's object: one LINE id's (all of them), or one booking's.
#[derive(Serialize, Deserialize)]
pub struct UnlinkLine {
    /// Every link of this LINE user or group.
    pub line_id: Option<String>,
    /// Every link of this booking.
    pub reference: Option<Reference>,
}

/// A shop's LINE links, for the console and the booking's LINE page.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct LineLinks {
    /// Staff links (LINE ids, shortened for display).
    pub staff: Vec<LinkedLine>,
    /// How many LINE accounts each booking asked about is linked to.
    pub customers: u32,
}

/// One link.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct LinkedLine {
    /// The LINE id.
    pub line_id: String,
    /// When it was made.
    pub created_ms: u64,
}

/// Which links to list (shop object).
#[derive(Serialize, Deserialize)]
pub struct ListLines {
    /// Count the customer links of this booking.
    pub reference: Option<Reference>,
}

#[derive(Deserialize)]
struct CodeRow {
    shop: String,
    reference: Option<String>,
    expires_ms: f64,
}

impl ShopDo {
    /// A fresh code (network object).
    pub(super) fn new_line_code(&self, req: NewLineCode) -> ApiResult<Response> {
        let now = js_sys::Date::now() as i64;
        self.exec(
            "DELETE FROM line_codes WHERE expires_ms < ?",
            vec![now.into()],
        )?;
        let life = if req.reference.is_some() {
            CUSTOMER_CODE_MS
        } else {
            STAFF_CODE_MS
        };
        let code = shared::reference_code(crate::secrets::random_bytes()?);
        self.exec(
            "INSERT INTO line_codes (code, shop, reference, expires_ms) VALUES (?, ?, ?, ?)",
            vec![
                code.clone().into(),
                req.shop.as_str().into(),
                req.reference
                    .as_ref()
                    .map(|r| r.as_str().into())
                    .unwrap_or(worker::SqlStorageValue::Null),
                (now + life).into(),
            ],
        )?;
        let body = LineCode {
            code,
            expires_ms: (now + life) as u64,
        };
        Ok(http::json(serde_json::to_string(&body)?, 200))
    }

    /// A code sent to the LINE account (network object): used once, within its time.
    pub(super) fn redeem_line_code(&self, req: RedeemLineCode) -> ApiResult<Response> {
        let now = js_sys::Date::now() as i64;
        let bucket = format!("line-code:{}", self.secrets()?.rate_key(&req.line_id));
        let (start, n) = self.window(&bucket, 3_600_000, now)?;
        let answer = if n >= WRONG_CODES_PER_HOUR {
            Redemption::Limited
        } else {
            let code = req.code.trim().to_ascii_uppercase();
            let rows: Vec<CodeRow> = self.query(
                "SELECT shop, reference, expires_ms FROM line_codes WHERE code = ?",
                vec![code.clone().into()],
            )?;
            match rows
                .into_iter()
                .next()
                .filter(|r| r.expires_ms as i64 >= now)
            {
                Some(row) => {
                    self.exec("DELETE FROM line_codes WHERE code = ?", vec![code.into()])?;
                    self.exec(
                        "INSERT OR IGNORE INTO line_shops (line_id, shop) VALUES (?, ?)",
                        vec![req.line_id.clone().into(), row.shop.clone().into()],
                    )?;
                    Redemption::Linked {
                        shop: ShopId::parse(&row.shop)
                            .map_err(|e| ApiError::Internal(format!("stored code's shop: {e}")))?,
                        reference: row
                            .reference
                            .as_deref()
                            .and_then(|r| Reference::parse(r).ok()),
                    }
                }
                None => {
                    self.set_window(&bucket, start, n + 1)?;
                    Redemption::Unknown
                }
            }
        };
        Ok(http::json(serde_json::to_string(&answer)?, 200))
    }

    /// Forgets a LINE user or group (network object): the shops it was linked at.
    pub(super) fn forget_line(&self, req: ForgetLine) -> ApiResult<Response> {
        #[derive(Deserialize)]
        struct S {
            shop: String,
        }
        let rows: Vec<S> = self.query(
            "SELECT shop FROM line_shops WHERE line_id = ?",
            vec![req.line_id.clone().into()],
        )?;
        self.exec(
            "DELETE FROM line_shops WHERE line_id = ?",
            vec![req.line_id.into()],
        )?;
        let shops = rows
            .iter()
            .filter_map(|r| ShopId::parse(&r.shop).ok())
            .collect();
        Ok(http::json(
            serde_json::to_string(&Forgotten { shops })?,
            200,
        ))
    }

    /// Makes a link (shop object); a customer's only to a booking that is still to come.
    pub(super) fn link_line(&self, req: LinkLine) -> ApiResult<Response> {
        if let Some(r) = &req.reference {
            let row = self.booking(r)?;
            if row.erased_ms.is_some()
                || row.status()? != shared::BookingStatus::Confirmed
                    && row.status()? != shared::BookingStatus::Arrived
            {
                return Err(ApiError::field(
                    ProblemKind::Conflict,
                    "reference",
                    format!("booking {r} is over"),
                ));
            }
        }
        self.exec(
            "INSERT OR IGNORE INTO line_links (line_id, reference, created_ms) VALUES (?, ?, ?)",
            vec![
                req.line_id.into(),
                req.reference
                    .as_ref()
                    .map(|r| r.as_str())
                    .unwrap_or("")
                    .into(),
                (js_sys::Date::now() as i64).into(),
            ],
        )?;
        Ok(http::json("{}".into(), 200))
    }

    /// Undoes links (shop object), and drops what waits for them.
    pub(super) fn unlink_line(&self, req: UnlinkLine) -> ApiResult<Response> {
        if let Some(id) = &req.line_id {
            self.exec(
                "DELETE FROM line_links WHERE line_id = ?",
                vec![id.clone().into()],
            )?;
            self.skip_line_messages("recipient = ?", id)?;
        }
        if let Some(r) = &req.reference {
            self.exec(
                "DELETE FROM line_links WHERE reference = ?",
                vec![r.as_str().into()],
            )?;
            self.skip_line_messages("reference = ?", r.as_str())?;
        }
        Ok(http::json("{}".into(), 200))
    }

    fn skip_line_messages(&self, which: &str, value: &str) -> ApiResult<()> {
        self.exec(
            &format!("UPDATE messages SET state = 'skipped', last_error = 'unlinked from LINE' WHERE channel = 'line' AND state IN ('pending', 'retrying') AND {which}"),
            vec![value.into()],
        )?;
        Ok(())
    }

    /// The LINE ids linked to a booking (`Some`) or to the shop's staff (`None`).
    pub(super) fn line_ids(&self, reference: Option<&str>) -> ApiResult<Vec<String>> {
        Ok(self
            .lines(reference)?
            .into_iter()
            .map(|l| l.line_id)
            .collect())
    }

    fn lines(&self, reference: Option<&str>) -> ApiResult<Vec<LinkedLine>> {
        #[derive(Deserialize)]
        struct L {
            line_id: String,
            created_ms: f64,
        }
        let rows: Vec<L> = self.query(
            "SELECT line_id, created_ms FROM line_links WHERE reference = ? ORDER BY created_ms",
            vec![reference.unwrap_or("").into()],
        )?;
        Ok(rows
            .into_iter()
            .map(|l| LinkedLine {
                line_id: l.line_id,
                created_ms: l.created_ms as u64,
            })
            .collect())
    }

    /// The shop's links (shop object).
    pub(super) fn list_lines(&self, req: ListLines) -> ApiResult<Response> {
        let body = LineLinks {
            staff: self.lines(None)?,
            customers: match &req.reference {
                Some(r) => self.lines(Some(r.as_str()))?.len() as u32,
                None => 0,
            },
        };
        Ok(http::json(serde_json::to_string(&body)?, 200))
    }
}
