//! The parts only some visitors use, loaded when they are asked for.
//!
//! Each function marked `#[wasm_split(...)]` is a split point: the release build
//! (`cargo xtask build`) cuts the code only it reaches into its own wasm chunk, fetched the
//! first time it is called (see DESIGN.md, "What the first view downloads"). So the first view
//! (badge, rating and reviews) does not download the booking flow, the manage view or the
//! review form. On other targets, and in the edge's build (`ssr`, which renders only the first
//! view and runs no event handler), the functions are called directly.
//!
//! A chunk that cannot be fetched is an error the visitor sees, with a retry button; it never
//! takes the rest of the widget down.

use super::booking::Booking;
use super::manage::Manage;
use super::review_form::ReviewFormView;
use crate::i18n;
use leptos::prelude::*;
use leptos::reactive::computed::ScopedFuture;
use leptos::reactive::owner::Owner;
use leptos::task::spawn_local;
#[cfg(not(feature = "ssr"))]
use leptos::wasm_split::wasm_split;
use shared::{Locale, ServiceLabel};
use std::collections::BTreeMap;
use std::future::Future;
use wasm_bindgen::JsCast;

/// A chunk could not be fetched or instantiated (the details are in the browser's console).
#[derive(Debug, Clone, Copy)]
pub struct ChunkError;

/// A split point: cut into its own chunk in the browser build, a plain `async fn` in the
/// edge's (`ssr`), where `wasm_split`'s imports would have nothing to link to.
macro_rules! split_point {
    ($split:ident $(, preload($preload:ident))?; fn $name:ident($args:ident: $ty:ty) -> $ret:ty $body:block) => {
        #[cfg(not(feature = "ssr"))]
        #[wasm_split($split, wasm_split_path = ::leptos::wasm_split, fallible $(, preload($preload))?)]
        fn $name($args: $ty) -> $ret $body

        #[cfg(feature = "ssr")]
        async fn $name($args: $ty) -> $ret $body

        $(
            #[cfg(feature = "ssr")]
            async fn $preload() -> Result<(), ChunkError> {
                Ok(())
            }
        )?
    };
}

impl From<leptos::wasm_split::SplitLoaderError> for ChunkError {
    fn from(_: leptos::wasm_split::SplitLoaderError) -> Self {
        ChunkError
    }
}

/// What the booking flow needs from the first view.
pub struct BookingArgs {
    services: Vec<ServiceLabel>,
    time_zone: String,
    api: String,
    shop: String,
    prefill: BTreeMap<String, String>,
    locale: Locale,
    on_close: Callback<()>,
}

split_point! { booking, preload(preload_booking);
fn booking_flow(args: BookingArgs) -> Result<AnyView, ChunkError> {
    let BookingArgs {
        services,
        time_zone,
        api,
        shop,
        prefill,
        locale,
        on_close,
    } = args;
    Ok(view! { <Booking services time_zone api shop prefill locale on_close /> }.into_any())
}
}

/// What the manage view needs.
pub struct ManageArgs {
    token: String,
    api: String,
    locale: Locale,
}

split_point! { manage;
fn manage_view(args: ManageArgs) -> Result<AnyView, ChunkError> {
    let ManageArgs { token, api, locale } = args;
    Ok(view! { <Manage token api locale /> }.into_any())
}
}

/// What the review form needs.
pub struct ReviewArgs {
    token: String,
    services: Vec<ServiceLabel>,
    api: String,
    shop: String,
    locale: Locale,
    on_published: Callback<()>,
}

split_point! { review;
fn review_form(args: ReviewArgs) -> Result<AnyView, ChunkError> {
    let ReviewArgs {
        token,
        services,
        api,
        shop,
        locale,
        on_published,
    } = args;
    let on_published = move || on_published.run(());
    Ok(view! { <ReviewFormView token services api shop locale on_published /> }.into_any())
}
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum Part {
    Loading,
    Ready,
    Failed,
}

/// Shows what `load` builds once its chunk has arrived: a loading line meanwhile, and an error
/// with a retry button when the chunk could not be fetched.
///
/// The view is built under the reactive owner this is called in (the load finishes later, in a
/// task of its own), so its signals and effects are disposed with the part that shows it:
/// closing the booking flow or unmounting the widget cleans it up.
fn deferred<Fut>(locale: Locale, load: impl Fn() -> Fut + Copy + Send + Sync + 'static) -> AnyView
where
    Fut: Future<Output = Result<AnyView, ChunkError>> + 'static,
{
    let c = i18n::t(locale);
    let state = RwSignal::new(Part::Loading);
    let built = StoredValue::new_local(None::<AnyView>);
    let owner = Owner::current().unwrap_or_default();
    let start = move || {
        state.set(Part::Loading);
        spawn_local(ScopedFuture {
            owner: owner.clone(),
            observer: None,
            fut: async move {
                match load().await {
                    Ok(view) => {
                        let _ = built.try_update_value(|v| *v = Some(view));
                        let _ = state.try_set(Part::Ready);
                    }
                    Err(ChunkError) => {
                        let _ = state.try_set(Part::Failed);
                    }
                }
            },
        });
    };
    start();
    (move || match state.get() {
        Part::Loading => view! {
            <p class="aw-muted aw-part" role="status" data-state="loading">{c.part_loading}</p>
        }
        .into_any(),
        Part::Ready => built
            .try_update_value(Option::take)
            .flatten()
            .unwrap_or_else(|| ().into_any()),
        Part::Failed => {
            let retry = start.clone();
            view! {
                <div class="aw-error aw-part" role="alert" data-state="chunk">
                    <p>{c.part_error}</p>
                    <button type="button" class="aw-button" on:click=move |_| retry()>{c.retry}</button>
                </div>
            }
            .into_any()
        }
    })
    .into_any()
}

/// The "book a visit" button; pressing it loads and opens the booking flow (pointing at or
/// focusing it starts the download). The popup starts open. Closing the flow hides it rather
/// than dropping it: opening it again is instant and keeps what the customer had chosen.
#[component]
pub fn BookingEntry(
    services: Vec<ServiceLabel>,
    time_zone: String,
    api: String,
    shop: String,
    prefill: BTreeMap<String, String>,
    locale: Locale,
    open: bool,
) -> impl IntoView {
    let c = i18n::t(locale);
    let opened = RwSignal::new(open);
    let started = RwSignal::new(open);
    let args = StoredValue::new((services, time_zone, api, shop, prefill));
    let on_close = Callback::new(move |()| opened.set(false));
    let flow = NodeRef::<leptos::html::Div>::new();
    let warm = || {
        spawn_local(async {
            let _ = preload_booking().await;
        })
    };
    let reopen = move |_| {
        if started.get_untracked() {
            // Back where the customer left it: focus its current step's heading.
            request_animation_frame(move || {
                let heading = flow
                    .get_untracked()
                    .and_then(|d| d.query_selector("h3").ok().flatten())
                    .and_then(|h| h.dyn_into::<web_sys::HtmlElement>().ok());
                if let Some(h) = heading {
                    let _ = h.focus();
                }
            });
        }
        // (Setting a signal notifies even when unchanged: only the first press builds the flow.)
        if !started.get_untracked() {
            started.set(true);
        }
        opened.set(true);
    };
    // Hydrating the edge's first view: a visitor already pointing at or focused on the button
    // (which is what loaded the module) gets the booking flow fetched now, as they would have.
    let button = NodeRef::<leptos::html::Button>::new();
    Effect::new(move || {
        if button
            .get()
            .is_some_and(|b| b.matches(":hover, :focus").unwrap_or(false))
        {
            warm();
        }
    });
    view! {
        <div class="aw-book-entry" hidden=move || opened.get()>
            <button type="button" class="aw-button aw-book" node_ref=button on:pointerenter=move |_| warm() on:focus=move |_| warm()
                on:click=reopen>{c.book_cta}</button>
        </div>
        {move || started.get().then(|| view! {
            <div node_ref=flow hidden=move || !opened.get()>
                {deferred(locale, move || {
                    let (services, time_zone, api, shop, prefill) = args.get_value();
                    booking_flow(BookingArgs { services, time_zone, api, shop, prefill, locale, on_close })
                })}
            </div>
        })}
    }
}

/// The customer's booking from its manage link, loaded on arrival.
pub fn deferred_manage(token: String, api: String, locale: Locale) -> AnyView {
    let args = StoredValue::new((token, api));
    deferred(locale, move || {
        let (token, api) = args.get_value();
        manage_view(ManageArgs { token, api, locale })
    })
}

/// The review form from a verified-visit link, loaded on arrival.
pub fn deferred_review_form(
    token: String,
    services: Vec<ServiceLabel>,
    api: String,
    shop: String,
    locale: Locale,
    on_published: Callback<()>,
) -> AnyView {
    let args = StoredValue::new((token, services, api, shop));
    deferred(locale, move || {
        let (token, services, api, shop) = args.get_value();
        review_form(ReviewArgs {
            token,
            services,
            api,
            shop,
            locale,
            on_published,
        })
    })
}
