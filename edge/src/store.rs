//! The only module that touches Workers KV. Key layout (see DESIGN.md):
//!
//! | key                 | value                                          |
//! |---------------------|------------------------------------------------|
//! | `alliance`          | the alliance's profile ([`shared::Alliance`])   |
//! | `shop/{id}`         | a shop's profile ([`shared::Shop`])             |
//! | `shop/{id}/widget`  | its precomputed first view ([`shared::WidgetView`]) |
//! | `review/{shop}/{id}`| one review ([`shared::Review`])                 |

use crate::error::ApiResult;
use shared::{Alliance, Review, Shop, ShopId, WidgetView};
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

    /// The first-view document of a shop, as stored JSON text (served without re-encoding).
    pub async fn widget_json(&self, shop: &ShopId) -> ApiResult<Option<String>> {
        Ok(self.kv.get(&format!("shop/{shop}/widget")).text().await?)
    }

    /// Whether the alliance profile has been written.
    pub async fn has_alliance(&self) -> ApiResult<bool> {
        Ok(self.kv.get("alliance").text().await?.is_some())
    }

    /// Writes the alliance profile.
    pub async fn put_alliance(&self, alliance: &Alliance) -> ApiResult<()> {
        self.put_json("alliance", alliance).await
    }

    /// Writes a shop's profile.
    pub async fn put_shop(&self, shop: &Shop) -> ApiResult<()> {
        self.put_json(&format!("shop/{}", shop.id), shop).await
    }

    /// Writes a review.
    pub async fn put_review(&self, review: &Review) -> ApiResult<()> {
        self.put_json(&format!("review/{}/{}", review.shop, review.id), review).await
    }

    /// Writes a shop's precomputed first view.
    pub async fn put_widget(&self, view: &WidgetView) -> ApiResult<()> {
        self.put_json(&format!("shop/{}/widget", view.shop.id), view).await
    }

    async fn put_json<T: serde::Serialize>(&self, key: &str, value: &T) -> ApiResult<()> {
        let text = serde_json::to_string(value)
            .map_err(|e| crate::error::ApiError::Internal(format!("encode {key}: {e}")))?;
        self.kv.put(key, text)?.execute().await?;
        Ok(())
    }
}
