use super::shop_card::ShopCard;
use super::status::{ErrorState, Loading};
use crate::api::{self, FetchError};
use leptos::either::EitherOf4;
use leptos::prelude::*;
use leptos::task::spawn_local;
use shared::{Locale, WidgetView};

/// Where the first view is in its life.
// One value per widget, in a signal: boxing the document would buy nothing.
#[allow(clippy::large_enum_variant)]
#[derive(Debug, Clone, PartialEq)]
enum Load {
    Loading,
    Ready(WidgetView),
    Failed(FetchError),
}

/// The whole widget for one shop: loads its first view once, then shows it or an error state.
/// With `initial` (the document the edge rendered the first view from) it starts ready and
/// loads nothing: the edge renders it so (`render_first_view`) and the browser hydrates it.
#[component]
#[allow(clippy::too_many_arguments)]
pub fn App(
    shop: String,
    api: String,
    prefill: std::collections::BTreeMap<String, String>,
    prefetch: Option<js_sys::Promise>,
    locale: Locale,
    parts: super::Parts,
    open: bool,
    #[prop(optional)] initial: Option<WidgetView>,
) -> impl IntoView {
    let ready = initial.is_some();
    let (state, set_state) = signal(initial.map_or(Load::Loading, Load::Ready));
    // A page whose address carries a link's token gets the client-side mount, never the
    // edge's first view (embed.js decides): a ready widget reads no address.
    let review_token = (!ready).then(|| review_token_for(&shop)).flatten();
    let manage_token = (!ready).then(|| manage_token_for(&shop)).flatten();
    let prefill = StoredValue::new(prefill);
    let (published, set_published) = signal(false);
    let verify_url = format!(
        "{}/verify/{}",
        api.trim_end_matches('/'),
        js_sys::encode_uri_component(&shop)
    );
    let source = StoredValue::new((api, shop));
    let load = move || {
        set_state.set(Load::Loading);
        let (api, shop) = source.get_value();
        spawn_local(async move {
            set_state.set(match api::widget(&api, &shop).await {
                Ok(view) => Load::Ready(view),
                Err(e) => Load::Failed(e),
            });
        });
    };
    // With the first view already on its way (embed.js started it), the loading state waits a
    // moment before showing: usually the data is there first, and a flash of the loading state
    // would only move the host page twice.
    let (patient, set_patient) = signal(ready || prefetch.is_none());
    if !patient.get_untracked() {
        set_timeout(
            move || {
                let _ = set_patient.try_set(true);
            },
            std::time::Duration::from_millis(300),
        );
    }
    match prefetch {
        _ if ready => {}
        Some(p) => spawn_local(async move {
            set_state.set(match api::widget_from(p).await {
                Ok(view) => Load::Ready(view),
                Err(e) => Load::Failed(e),
            });
        }),
        None => load(),
    }
    // After a review is published, show the new figures without a loading flash.
    let on_published = move || {
        set_published.set(true);
        let (api, shop) = source.get_value();
        spawn_local(async move {
            if let Ok(view) = api::widget(&api, &shop).await {
                set_state.set(Load::Ready(view));
            }
        });
    };
    view! {
        <section
            class="aw"
            lang=locale.tag()
            aria-busy=move || if matches!(state.get(), Load::Loading) { "true" } else { "false" }
        >
            {move || match state.get() {
                Load::Loading if patient.get() => EitherOf4::A(view! { <Loading locale /> }),
                Load::Loading => EitherOf4::B(()),
                Load::Ready(view) => {
                    let api = source.get_value().0;
                    EitherOf4::C(view! {
                        <ShopCard view verify_url=verify_url.clone() api review_token=review_token.clone()
                            manage_token=manage_token.clone() prefill=prefill.get_value() published on_published locale parts open />
                    })
                }
                Load::Failed(error) => EitherOf4::D(view! { <ErrorState error locale on_retry=load /> }),
            }}
        </section>
    }
}

/// A token the host page's address carries for the widget: `#name=TOKEN` (links made now, kept
/// out of what the page's server and analytics see), else `?name=TOKEN` (older links).
fn link_token(name: &str) -> Option<String> {
    let location = web_sys::window()?.location();
    let read = |part: String| {
        web_sys::UrlSearchParams::new_with_str(part.trim_start_matches(['#', '?']))
            .ok()?
            .get(name)
    };
    read(location.hash().ok()?).or_else(|| read(location.search().ok()?))
}

/// Takes `name` out of the address bar (fragment and query), with no reload and no history
/// entry, so the token is not left for the host page's scripts, bookmarks or screenshots.
fn forget_link_token(name: &str) {
    let Some(window) = web_sys::window() else {
        return;
    };
    let Some(url) = window
        .location()
        .href()
        .ok()
        .and_then(|h| web_sys::Url::new(&h).ok())
    else {
        return;
    };
    url.search_params().delete(name);
    let hash = url.hash();
    if let Ok(params) = web_sys::UrlSearchParams::new_with_str(hash.trim_start_matches('#')) {
        if params.has(name) {
            params.delete(name);
            url.set_hash(&String::from(params.to_string()));
        }
    }
    if let Ok(history) = window.history() {
        let _ = history.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&url.href()));
    }
}

/// The review token in the host page's address (`#review=TOKEN`), when it is for this shop; read
/// once, then removed from the address.
fn review_token_for(shop: &str) -> Option<String> {
    let token = link_token("review")?;
    let claims = shared::ReviewToken::peek(&token)?;
    (claims.shop.as_str() == shop).then(|| {
        forget_link_token("review");
        token
    })
}

/// The manage token in the host page's address (`#manage=TOKEN`); read once, then removed.
fn manage_token_for(shop: &str) -> Option<String> {
    let token = link_token("manage")?;
    let claims = shared::ManageToken::peek(&token)?;
    if claims.shop.as_str() == shop {
        forget_link_token("manage");
        return Some(token);
    }
    // A referral's booking belongs to the member it was made with, but is managed on the site
    // where the customer booked it (the edge checks the link and the origin): shown when this is
    // the page's only widget, so a page with several never shows it twice.
    let widgets = web_sys::window()?
        .document()?
        .query_selector_all("[data-alliance-shop]:not([data-alliance-open])")
        .ok()?
        .length();
    (widgets == 1).then(|| {
        forget_link_token("manage");
        token
    })
}
