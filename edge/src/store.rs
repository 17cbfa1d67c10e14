//! The only module that touches Workers KV. Key layout (see DESIGN.md):
//!
//! | key                  | value                                              |
//! |----------------------|----------------------------------------------------|
//! | `alliance`           | the alliance's profile ([`shared::Alliance`])       |
//! | `shop/{id}`          | a shop's profile ([`shared::Shop`])                 |
//! | `shop/{id}/widget`   | its precomputed first view ([`shared::WidgetDoc`])  |
//! | `review/{shop}/{id}` | one review ([`shared::Review`])                     |
//! | `audit/{rev-ms}-{n}` | one audit entry, newest first ([`shared::AuditEntry`]) |

use crate::error::{ApiError, ApiResult};
use serde::de::DeserializeOwned;
use shared::{Alliance, AuditEntry, Review, Shop, ShopId, WidgetDoc};
use worker::{kv::KvStore, Env};

/// Handle on the alliance's data.
pub struct Store {
    kv: KvStore,
}

impl Store {
    /// Opens the `DATA` KV namespace.
    pub fn open(env: &Env) -> ApiResult<Self> {
        Ok(Self { kv: env.kv("DATA")? })
    }

    async fn get_json<T: DeserializeOwned>(&self, key: &str) -> ApiResult<Option<T>> {
        match self.kv.get(key).text().await? {
            None => Ok(None),
            Some(text) => serde_json::from_str(&text)
                .map(Some)
                .map_err(|e| ApiError::Internal(format!("stored {key} does not decode: {e}"))),
        }
    }

    async fn put_json<T: serde::Serialize>(&self, key: &str, value: &T) -> ApiResult<()> {
        let text = serde_json::to_string(value)
            .map_err(|e| ApiError::Internal(format!("encode {key}: {e}")))?;
        self.kv.put(key, text)?.execute().await?;
        Ok(())
    }

    /// The stored first view of a shop.
    pub async fn widget(&self, shop: &ShopId) -> ApiResult<Option<WidgetDoc>> {
        self.get_json(&format!("shop/{shop}/widget")).await
    }

    /// Writes a shop's stored first view.
    pub async fn put_widget(&self, doc: &WidgetDoc) -> ApiResult<()> {
        self.put_json(&format!("shop/{}/widget", doc.view.shop.id), doc).await
    }

    /// Every shop's stored first view (paging through KV's list).
    pub async fn all_widgets(&self) -> ApiResult<Vec<WidgetDoc>> {
        let mut docs = Vec::new();
        let mut cursor: Option<String> = None;
        loop {
            let mut list = self.kv.list().prefix("shop/".into());
            if let Some(c) = cursor.take() {
                list = list.cursor(c);
            }
            let page = list.execute().await?;
            for key in page.keys.iter().filter(|k| k.name.ends_with("/widget")) {
                if let Some(doc) = self.get_json(&key.name).await? {
                    docs.push(doc);
                }
            }
            match page.cursor {
                Some(c) if !page.list_complete => cursor = Some(c),
                _ => break,
            }
        }
        Ok(docs)
    }

    /// The alliance profile, if one has been imported.
    pub async fn alliance(&self) -> ApiResult<Option<Alliance>> {
        self.get_json("alliance").await
    }

    /// Writes the alliance profile.
    pub async fn put_alliance(&self, alliance: &Alliance) -> ApiResult<()> {
        self.put_json("alliance", alliance).await
    }

    /// A shop's profile.
    pub async fn shop(&self, id: &ShopId) -> ApiResult<Option<Shop>> {
        self.get_json(&format!("shop/{id}")).await
    }

    /// Writes a shop's profile.
    pub async fn put_shop(&self, shop: &Shop) -> ApiResult<()> {
        self.put_json(&format!("shop/{}", shop.id), shop).await
    }

    /// Writes a review.
    pub async fn put_review(&self, review: &Review) -> ApiResult<()> {
        self.put_json(&format!("review/{}/{}", review.shop, review.id), review).await
    }

    /// Appends an entry to the audit log. Each entry has its own key (newest first by
    /// construction), so concurrent writers never overwrite each other.
    pub async fn append_audit(&self, entry: &AuditEntry, now_ms: u64) -> ApiResult<()> {
        let reverse = 9_999_999_999_999u64.saturating_sub(now_ms);
        let mut nonce = [0u8; 4];
        getrandom::getrandom(&mut nonce).map_err(|e| ApiError::Internal(format!("random: {e}")))?;
        let nonce: String = nonce.iter().map(|b| format!("{b:02x}")).collect();
        self.put_json(&format!("audit/{reverse:013}-{nonce}"), entry).await
    }

    /// The newest `limit` audit entries.
    pub async fn audit(&self, limit: u64) -> ApiResult<Vec<AuditEntry>> {
        let page = self.kv.list().prefix("audit/".into()).limit(limit).execute().await?;
        let mut entries = Vec::new();
        for key in &page.keys {
            if let Some(e) = self.get_json(&key.name).await? {
                entries.push(e);
            }
        }
        Ok(entries)
    }
}
