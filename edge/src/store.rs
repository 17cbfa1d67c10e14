//! The only module that touches Workers KV. Key layout (see DESIGN.md):
//!
//! | key                  | value                                              |
//! |----------------------|----------------------------------------------------|
//! | `alliance`           | the alliance's profile ([`shared::Alliance`])       |
//! | `shop/{id}`          | a shop's profile ([`shared::Shop`])                 |
//! | `shop/{id}/widget`   | its precomputed first view ([`shared::WidgetDoc`])  |
//! | `review/{shop}/{id}` | one public review ([`shared::PublicReview`]), written by the shop's object |
//! | `ri/{shop}/{sort}/{all or s-service}/{sort key}-{id}` | empty: review indexes, one per sort and filter |
//! | `shop/{id}/busy`     | the shop's future confirmed bookings ([`shared::Busy`]), written by its object |
//! | `shopkey/{sha256}`   | the shop an access key belongs to (the key itself is never stored) |
//! | `shopkeys/{id}`      | the hashes of a shop's current access keys (for rotation and revocation) |
//! | `modlog/{rev-ms}-…`  | the public moderation log ([`shared::ModerationEntry`]) |
//! | `audit/{rev-ms}-{n}` | one audit entry, newest first ([`shared::AuditEntry`]) |
//! | `visit/{reference}`  | the shop of a completed visit, for the alliance-wide warranty lookup |

use crate::error::{ApiError, ApiResult};
use serde::de::DeserializeOwned;
use shared::{Alliance, AuditEntry, Shop, ShopId, WidgetDoc};
use worker::{kv::KvStore, Env};

/// Handle on the alliance's data.
pub struct Store {
    kv: KvStore,
}

impl Store {
    /// Opens the `DATA` KV namespace.
    pub fn open(env: &Env) -> ApiResult<Self> {
        if crate::fault::current() == crate::fault::Fault::Kv {
            return Err(ApiError::Unavailable("kv: injected fault".into()));
        }
        Ok(Self {
            kv: env.kv("DATA")?,
        })
    }

    /// One KV read, counted and held to the KV time limit; `cache_ttl` lets KV's own cache
    /// answer for that many seconds.
    async fn get_text(&self, key: &str, cache_ttl: Option<u64>) -> ApiResult<Option<String>> {
        crate::fault::within(
            crate::fault::KV_LIMIT_MS,
            "kv get",
            crate::fault::Fault::KvSlow,
            async {
                crate::ops::kv_read();
                let get = self.kv.get(key);
                let get = match cache_ttl {
                    Some(ttl) => get.cache_ttl(ttl),
                    None => get,
                };
                Ok(get.text().await?)
            },
        )
        .await
    }

    async fn get_json<T: DeserializeOwned>(&self, key: &str) -> ApiResult<Option<T>> {
        let text = self.get_text(key, None).await?;
        match text {
            None => Ok(None),
            Some(text) => serde_json::from_str(&text)
                .map(Some)
                .map_err(|e| ApiError::Internal(format!("stored {key} does not decode: {e}"))),
        }
    }

    /// The values of `keys` that exist, in their order, in one bulk read.
    async fn get_many<T: DeserializeOwned>(&self, keys: &[String]) -> ApiResult<Vec<T>> {
        crate::ops::kv_read();
        let mut found = self.kv.get_bulk(keys).json::<T>().await?;
        Ok(keys
            .iter()
            .filter_map(|k| found.remove(k).flatten())
            .collect())
    }

    async fn put_json<T: serde::Serialize>(&self, key: &str, value: &T) -> ApiResult<()> {
        let text = serde_json::to_string(value)
            .map_err(|e| ApiError::Internal(format!("encode {key}: {e}")))?;
        self.put_texts(&[(key.to_owned(), text)]).await
    }

    /// Writes each key's text, up to 50 in parallel at a time, each batch held to the KV time
    /// limit (the shop object writes its review projection this way).
    pub async fn put_texts(&self, pairs: &[(String, String)]) -> ApiResult<()> {
        for chunk in pairs.chunks(50) {
            crate::fault::within(
                crate::fault::KV_LIMIT_MS,
                "kv put",
                crate::fault::Fault::KvSlow,
                async {
                    crate::ops::kv_write(chunk.len());
                    let puts = chunk
                        .iter()
                        .map(|(k, v)| async { self.kv.put(k, v.as_str())?.execute().await });
                    for r in futures_util::future::join_all(puts).await {
                        r?;
                    }
                    Ok(())
                },
            )
            .await?;
        }
        Ok(())
    }

    /// Deletes each key, held to the KV time limit.
    pub async fn delete_keys(&self, keys: &[String]) -> ApiResult<()> {
        crate::fault::within(
            crate::fault::KV_LIMIT_MS,
            "kv delete",
            crate::fault::Fault::KvSlow,
            async {
                for key in keys {
                    crate::ops::kv_delete();
                    self.kv.delete(key).await?;
                }
                Ok(())
            },
        )
        .await
    }

    /// Writes a shop's first view (only its object does, after each change).
    pub async fn put_widget(&self, shop: &str, doc: &WidgetDoc) -> ApiResult<()> {
        self.put_json(&format!("shop/{shop}/widget"), doc).await
    }

    /// Writes a shop's future confirmed bookings (only its object does).
    pub async fn put_busy(&self, shop: &str, busy: &[shared::Busy]) -> ApiResult<()> {
        self.put_json(&format!("shop/{shop}/busy"), &busy).await
    }

    /// Records which shop a completed visit was at, for the alliance-wide warranty lookup.
    pub async fn put_visit(&self, reference: &str, shop: &ShopId) -> ApiResult<()> {
        let key = format!("visit/{reference}");
        self.put_texts(&[(key, shop.as_str().to_owned())]).await
    }

    /// The stored first view of a shop.
    pub async fn widget(&self, shop: &ShopId) -> ApiResult<Option<WidgetDoc>> {
        self.get_json(&format!("shop/{shop}/widget")).await
    }

    /// The first view for serving it: from this location's Cache API when it holds it (no KV
    /// read), else from KV (read with a 30 s KV cache), then kept in the Cache API for
    /// [`FIRST_VIEW_CACHE_SECS`]. Returns the document and whether the cache answered.
    pub async fn widget_cached(&self, shop: &ShopId) -> ApiResult<Option<(WidgetDoc, bool)>> {
        let cache = worker::Cache::default();
        let key = first_view_cache_key(shop);
        if let Ok(Some(mut hit)) = cache.get(key.as_str(), false).await {
            if let Ok(text) = hit.text().await {
                if let Ok(doc) = serde_json::from_str(&text) {
                    return Ok(Some((doc, true)));
                }
            }
        }
        let key_kv = format!("shop/{shop}/widget");
        let text = self.get_text(&key_kv, Some(30)).await?;
        let Some(text) = text else { return Ok(None) };
        let doc: WidgetDoc = serde_json::from_str(&text)
            .map_err(|e| ApiError::Internal(format!("stored {key_kv} does not decode: {e}")))?;
        let headers = worker::Headers::new();
        headers.set("content-type", "application/json")?;
        headers.set(
            "cache-control",
            &format!("public, max-age={FIRST_VIEW_CACHE_SECS}"),
        )?;
        if let Ok(resp) = worker::Response::ok(text) {
            let _ = cache.put(key.as_str(), resp.with_headers(headers)).await;
        }
        Ok(Some((doc, false)))
    }

    /// The first `limit` key names under `prefix`, in KV's order (newest first where the key
    /// starts with a reversed time).
    async fn first_names(&self, prefix: &str, limit: u64) -> ApiResult<Vec<String>> {
        crate::ops::kv_list();
        let page = self
            .kv
            .list()
            .prefix(prefix.into())
            .limit(limit)
            .execute()
            .await?;
        Ok(page.keys.into_iter().map(|k| k.name).collect())
    }

    /// Every key name under `prefix` (paging through KV's list).
    async fn names(&self, prefix: &str) -> ApiResult<Vec<String>> {
        let mut names = Vec::new();
        let mut cursor: Option<String> = None;
        loop {
            let mut list = self.kv.list().prefix(prefix.into());
            if let Some(c) = cursor.take() {
                list = list.cursor(c);
            }
            crate::ops::kv_list();
            let page = list.execute().await?;
            names.extend(page.keys.into_iter().map(|k| k.name));
            match page.cursor {
                Some(c) if !page.list_complete => cursor = Some(c),
                _ => break,
            }
        }
        Ok(names)
    }

    /// Every shop's stored first view, read in parallel.
    pub async fn all_widgets(&self) -> ApiResult<Vec<WidgetDoc>> {
        let names = self.names("shop/").await?;
        let reads = names
            .iter()
            .filter(|n| n.ends_with("/widget"))
            .map(|n| self.get_json::<WidgetDoc>(n));
        let mut docs = Vec::new();
        for doc in futures_util::future::join_all(reads).await {
            if let Some(doc) = doc? {
                docs.push(doc);
            }
        }
        Ok(docs)
    }

    /// The future confirmed bookings of a shop, as its object last wrote them.
    pub async fn busy(&self, shop: &ShopId) -> ApiResult<Vec<shared::Busy>> {
        Ok(self
            .get_json(&format!("shop/{shop}/busy"))
            .await?
            .unwrap_or_default())
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
        self.put_json(&format!("shop/{}", shop.id), shop).await?;
        purge_rosters().await;
        Ok(())
    }

    /// Every member's profile, as the public pages read it (directory, referrals): kept in this
    /// location's Cache API for [`FIRST_VIEW_CACHE_SECS`], dropped by every write here, so an
    /// unauthenticated request does not list and read every shop from KV each time.
    pub async fn all_shops_cached(&self) -> ApiResult<Vec<Shop>> {
        roster(ROSTER_SHOPS, self.all_shops()).await
    }

    /// Every member's first view, cached like [`Store::all_shops_cached`].
    pub async fn all_widgets_cached(&self) -> ApiResult<Vec<WidgetDoc>> {
        roster(ROSTER_WIDGETS, self.all_widgets()).await
    }

    /// Appends an entry to the audit log. Each entry has its own key (newest first by
    /// construction), so concurrent writers never overwrite each other.
    pub async fn append_audit(&self, entry: &AuditEntry, now_ms: u64) -> ApiResult<()> {
        let reverse = 9_999_999_999_999u64.saturating_sub(now_ms);
        let nonce = crate::secrets::random_hex::<4>()?;
        self.put_json(&format!("audit/{reverse:013}-{nonce}"), entry)
            .await
    }

    /// The newest `limit` audit entries.
    pub async fn audit(&self, limit: u64) -> ApiResult<Vec<AuditEntry>> {
        let mut entries = Vec::new();
        for key in self.first_names("audit/", limit).await? {
            if let Some(e) = self.get_json(&key).await? {
                entries.push(e);
            }
        }
        Ok(entries)
    }
}

/// A page of index keys: the review ids in order, and the cursor of the next page.
pub struct IdPage {
    /// Review ids in the index's order.
    pub ids: Vec<String>,
    /// KV's cursor for the next page, `None` at the end.
    pub next: Option<String>,
}

impl Store {
    /// One page of a shop's review index (`ri/{shop}/{sort}/{filter}/…`), in key order.
    pub async fn review_ids(
        &self,
        shop: &ShopId,
        sort: &str,
        filter: &str,
        cursor: Option<String>,
        limit: u64,
    ) -> ApiResult<IdPage> {
        let prefix = format!("ri/{shop}/{sort}/{filter}/");
        let mut cursor = cursor;
        // KV may answer with an empty page that is not the last one: ask again (bounded).
        for _ in 0..5 {
            let mut list = self.kv.list().prefix(prefix.clone()).limit(limit);
            if let Some(c) = cursor.take() {
                list = list.cursor(c);
            }
            crate::ops::kv_list();
            let page = list.execute().await?;
            let ids: Vec<String> = page
                .keys
                .iter()
                .filter_map(|k| k.name.rsplit_once('-').map(|(_, id)| id.to_owned()))
                .collect();
            let next = if page.list_complete {
                None
            } else {
                page.cursor.clone()
            };
            if !ids.is_empty() || next.is_none() {
                return Ok(IdPage { ids, next });
            }
            cursor = next;
        }
        Ok(IdPage {
            ids: Vec::new(),
            next: cursor,
        })
    }

    /// The public reviews with these ids, in the same order (one bulk read).
    pub async fn reviews(
        &self,
        shop: &ShopId,
        ids: &[String],
    ) -> ApiResult<Vec<shared::PublicReview>> {
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        let keys: Vec<String> = ids.iter().map(|id| format!("review/{shop}/{id}")).collect();
        self.get_many(&keys).await
    }

    /// Every member's profile (`shop/{id}` keys), read in parallel.
    pub async fn all_shops(&self) -> ApiResult<Vec<Shop>> {
        let ids: Vec<ShopId> = self
            .names("shop/")
            .await?
            .iter()
            .filter_map(|n| n.strip_prefix("shop/"))
            .filter(|rest| !rest.contains('/'))
            .filter_map(|id| ShopId::parse(id).ok())
            .collect();
        let found = futures_util::future::join_all(ids.iter().map(|id| self.shop(id))).await;
        let mut shops = Vec::new();
        for shop in found {
            if let Some(shop) = shop? {
                shops.push(shop);
            }
        }
        Ok(shops)
    }

    /// The shop id stored under `key` (an index entry).
    async fn shop_at(&self, key: &str) -> ApiResult<Option<ShopId>> {
        Ok(self
            .get_text(key, None)
            .await?
            .and_then(|s| ShopId::parse(&s).ok()))
    }

    /// The shop a completed visit's reference belongs to.
    pub async fn visit_shop(&self, reference: &str) -> ApiResult<Option<ShopId>> {
        self.shop_at(&format!("visit/{reference}")).await
    }

    /// Makes `hash` the shop's only access key: earlier keys stop working (and with them every
    /// console session opened with them). `None` revokes every key.
    pub async fn set_shop_key(&self, shop: &ShopId, hash: Option<&str>) -> ApiResult<()> {
        let old = self.shop_key_hashes(shop).await?;
        if let Some(hash) = hash {
            crate::ops::kv_write(1);
            self.kv
                .put(&format!("shopkey/{hash}"), shop.as_str())?
                .execute()
                .await?;
        }
        let current: Vec<&str> = hash.into_iter().collect();
        self.put_json(&format!("shopkeys/{shop}"), &current).await?;
        for h in old.iter().filter(|h| Some(h.as_str()) != hash) {
            crate::ops::kv_delete();
            self.kv.delete(&format!("shopkey/{h}")).await?;
        }
        Ok(())
    }

    /// The hashes of the shop's current access keys.
    pub async fn shop_key_hashes(&self, shop: &ShopId) -> ApiResult<Vec<String>> {
        Ok(self
            .get_json(&format!("shopkeys/{shop}"))
            .await?
            .unwrap_or_default())
    }

    /// The shop an access key's hash belongs to.
    pub async fn shop_of_key(&self, hash: &str) -> ApiResult<Option<ShopId>> {
        self.shop_at(&format!("shopkey/{hash}")).await
    }

    /// Appends an entry to the public moderation log.
    pub async fn append_moderation(
        &self,
        entry: &shared::ModerationEntry,
        now_ms: u64,
    ) -> ApiResult<()> {
        let reverse = 9_999_999_999_999u64.saturating_sub(now_ms);
        self.put_json(
            &format!("modlog/{reverse:013}-{}-{}", entry.shop, entry.review),
            entry,
        )
        .await
    }

    /// The newest `limit` moderation log entries.
    pub async fn moderation(&self, limit: u64) -> ApiResult<Vec<shared::ModerationEntry>> {
        let keys = self.first_names("modlog/", limit).await?;
        if keys.is_empty() {
            return Ok(Vec::new());
        }
        self.get_many(&keys).await
    }
}

/// How long a location's Cache API keeps a first view (writes purge it where they are made).
pub const FIRST_VIEW_CACHE_SECS: u32 = 10;

fn first_view_cache_key(shop: &ShopId) -> String {
    format!("https://first-view.cache.invalid/{shop}")
}

/// Drops this location's cached first view of `shop` (after a write that may change it), and
/// the cached rosters the public pages read (its rating or status may be in them).
pub async fn purge_first_view(shop: &ShopId) {
    let _ = worker::Cache::default()
        .delete(first_view_cache_key(shop).as_str(), false)
        .await;
    purge_rosters().await;
}

const ROSTER_SHOPS: &str = "https://roster.cache.invalid/shops";
const ROSTER_WIDGETS: &str = "https://roster.cache.invalid/widgets";

/// The roster under `key` from this location's Cache API, else `load`ed and kept there.
async fn roster<T: DeserializeOwned + serde::Serialize>(
    key: &str,
    load: impl std::future::Future<Output = ApiResult<T>>,
) -> ApiResult<T> {
    if let Some(hit) = roster_get(key).await {
        return Ok(hit);
    }
    let value = load.await?;
    roster_put(key, &value).await;
    Ok(value)
}

async fn roster_get<T: DeserializeOwned>(key: &str) -> Option<T> {
    let mut hit = worker::Cache::default().get(key, false).await.ok()??;
    serde_json::from_str(&hit.text().await.ok()?).ok()
}

async fn roster_put<T: serde::Serialize>(key: &str, value: &T) {
    let Ok(text) = serde_json::to_string(value) else {
        return;
    };
    let headers = worker::Headers::new();
    let _ = headers.set("content-type", "application/json");
    let _ = headers.set(
        "cache-control",
        &format!("public, max-age={FIRST_VIEW_CACHE_SECS}"),
    );
    if let Ok(resp) = worker::Response::ok(text) {
        let _ = worker::Cache::default()
            .put(key, resp.with_headers(headers))
            .await;
    }
}

/// Drops this location's cached rosters (after any write to a member).
pub async fn purge_rosters() {
    let cache = worker::Cache::default();
    for key in [ROSTER_SHOPS, ROSTER_WIDGETS] {
        let _ = cache.delete(key, false).await;
    }
}
