use crate::api::FetchError;
use crate::i18n::t;
use leptos::prelude::*;
use shared::Locale;

/// Placeholder with the card's shape, so nothing jumps when the data arrives.
#[component]
pub fn Loading(locale: Locale) -> impl IntoView {
    view! {
        <div class="aw-loading" role="status">
            <div class="aw-bone aw-bone-title"></div>
            <div class="aw-bone"></div>
            <p class="aw-muted">{t(locale).loading}</p>
        </div>
    }
}

/// An error the visitor can understand, with a retry button where retrying can help.
#[component]
pub fn ErrorState(
    error: FetchError,
    locale: Locale,
    on_retry: impl Fn() + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let c = t(locale);
    let (message, retry) = match error {
        FetchError::Network => (c.network_error, true),
        FetchError::UnknownShop => (c.unknown_shop, false),
        FetchError::InvalidShop => (c.invalid_shop, false),
        _ => (c.server_error, true),
    };
    let kind = match error {
        FetchError::Network => "network",
        FetchError::UnknownShop => "unknown-shop",
        FetchError::InvalidShop => "invalid-shop",
        _ => "server",
    };
    view! {
        <div class="aw-error" role="alert" data-state=kind>
            <p class="aw-error-title">{c.error_title}</p>
            <p>{message}</p>
            {retry.then(|| view! {
                <button type="button" class="aw-button" on:click=move |_| on_retry()>{c.retry}</button>
            })}
        </div>
    }
}
