//! What a request's handlers share, built once by the router ([`crate::routes`]) and handed
//! down, as an axum `State` would be: the KV store and the Durable Objects, the secrets, and the
//! request's clock. Handlers take `&App` and use what they need; none opens a binding or reads
//! `LINK_SECRET` itself. The store and the secrets are opened on first use, so a route that
//! needs neither (health, static files) works when KV or a secret does not.

use crate::error::ApiResult;
use crate::objects::{NetworkObject, ShopObject};
use crate::secrets::Secrets;
use crate::store::Store;
use shared::ShopId;
use std::cell::OnceCell;
use worker::Env;

/// One request's shared state.
pub struct App {
    env: Env,
    store: OnceCell<Store>,
    secrets: OnceCell<Secrets>,
    now_ms: u64,
    origin: Option<String>,
}

impl App {
    /// The state of a request arriving now.
    pub fn new(env: Env) -> Self {
        Self {
            env,
            store: OnceCell::new(),
            secrets: OnceCell::new(),
            now_ms: js_sys::Date::now() as u64,
            origin: None,
        }
    }

    /// The same, answering on `origin` (the edge's own origin, which the shop objects use in
    /// the links their messages carry unless `PUBLIC_BASE_URL` says otherwise).
    pub fn on(mut self, origin: Option<String>) -> Self {
        self.origin = origin;
        self
    }

    /// The alliance's KV data, opened once.
    pub fn store(&self) -> ApiResult<&Store> {
        if let Some(store) = self.store.get() {
            return Ok(store);
        }
        let store = Store::open(&self.env)?;
        Ok(self.store.get_or_init(|| store))
    }

    /// `LINK_SECRET` and its predecessor, read once.
    pub fn secrets(&self) -> ApiResult<&Secrets> {
        if let Some(secrets) = self.secrets.get() {
            return Ok(secrets);
        }
        let secrets = Secrets::from_env(&self.env)?;
        Ok(self.secrets.get_or_init(|| secrets))
    }

    /// The Durable Object of `shop`.
    pub fn shop(&self, shop: &ShopId) -> ApiResult<ShopObject> {
        Ok(ShopObject::of(&self.env, shop)?.told_edge(self.origin.clone()))
    }

    /// The alliance's network object.
    pub fn network(&self) -> ApiResult<NetworkObject> {
        NetworkObject::of(&self.env)
    }

    /// When the request arrived, milliseconds since the epoch.
    pub fn now_ms(&self) -> u64 {
        self.now_ms
    }

    /// The same instant as RFC 3339 text with milliseconds (what audit and moderation entries
    /// record) and as milliseconds.
    pub fn stamp(&self) -> (String, u64) {
        let date = js_sys::Date::new(&(self.now_ms as f64).into());
        (
            date.to_iso_string().as_string().unwrap_or_default(),
            self.now_ms,
        )
    }

    /// The deployment's variables and the bindings with no client of their own (the policy
    /// switches, `ADMIN_TOKEN`, Turnstile's secret).
    pub fn env(&self) -> &Env {
        &self.env
    }
}
