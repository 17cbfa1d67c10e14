use super::review_item::ReviewItem;
use crate::api;
use crate::i18n;
use leptos::prelude::*;
use leptos::task::spawn_local;
use shared::{Locale, PublicReview, ReviewSort, ServiceLabel};

/// Where the list is: the first view's picks, or pages fetched from the edge.
#[derive(Debug, Clone, PartialEq)]
enum Paging {
    /// Showing the first view's five; "more" starts paging.
    Picks,
    /// Paging; `None` when the last page is shown.
    Next(Option<String>),
}

/// The review list: sort, filter by service, and "more" with cursor paging. Each review is
/// shown once, whatever order pages arrive in.
#[component]
pub fn Reviews(
    first: Vec<PublicReview>,
    total: u32,
    services: Vec<ServiceLabel>,
    time_zone: String,
    api: String,
    shop: String,
    locale: Locale,
) -> impl IntoView {
    let c = i18n::t(locale);
    let first_len = first.len();
    let (items, set_items) = signal(first);
    let (paging, set_paging) = signal(Paging::Picks);
    let (sort, set_sort) = signal(ReviewSort::Newest);
    let (service, set_service) = signal(String::new());
    let (busy, set_busy) = signal(false);
    let (failed, set_failed) = signal(false);
    let source = StoredValue::new((api, shop));
    let labels = StoredValue::new((services.clone(), time_zone));

    let load = move |reset: bool| {
        let cursor = match paging.get_untracked() {
            Paging::Next(Some(c)) if !reset => Some(c),
            _ => None,
        };
        let (api, shop) = source.get_value();
        let (sort, service) = (sort.get_untracked(), service.get_untracked());
        set_busy.set(true);
        set_failed.set(false);
        spawn_local(async move {
            let filter = (!service.is_empty()).then_some(service.as_str());
            match api::reviews(&api, &shop, sort, filter, cursor.as_deref()).await {
                Ok(page) => {
                    set_items.update(|list| {
                        if reset {
                            list.clear();
                        }
                        for r in page.reviews {
                            if !list.iter().any(|x| x.id == r.id) {
                                list.push(r);
                            }
                        }
                    });
                    set_paging.set(Paging::Next(page.next));
                }
                Err(_) => set_failed.set(true),
            }
            set_busy.set(false);
        });
    };

    let on_sort = move |ev: leptos::ev::Event| {
        set_sort.set(ReviewSort::parse(&event_target_value(&ev)).unwrap_or_default());
        load(true);
    };
    let on_service = move |ev: leptos::ev::Event| {
        set_service.set(event_target_value(&ev));
        load(true);
    };
    let shown_all_picks = first_len >= total as usize;
    let has_more = move || match paging.get() {
        Paging::Picks => !shown_all_picks,
        Paging::Next(next) => next.is_some(),
    };
    let options = services
        .iter()
        .map(|s| view! { <option value=s.id.clone()>{s.name.get(locale).to_owned()}</option> })
        .collect_view();

    view! {
        <section class="aw-reviews" aria-labelledby="aw-reviews-title">
            <h3 id="aw-reviews-title" class="aw-h3">{c.reviews_title}</h3>
            <div class="aw-controls">
                <label class="aw-control">
                    <span>{c.sort_label}</span>
                    <select on:change=on_sort>
                        <option value="newest">{c.sort_newest}</option>
                        <option value="highest">{c.sort_highest}</option>
                        <option value="lowest">{c.sort_lowest}</option>
                    </select>
                </label>
                <label class="aw-control">
                    <span>{c.filter_label}</span>
                    <select on:change=on_service>
                        <option value="">{c.filter_all}</option>
                        {options}
                    </select>
                </label>
            </div>
            <ul class="aw-review-list" aria-busy=move || if busy.get() { "true" } else { "false" }>
                <For
                    each=move || items.get()
                    key=|r| r.id.clone()
                    children=move |r| {
                        let (services, time_zone) = labels.get_value();
                        view! { <ReviewItem review=r services time_zone locale /> }
                    }
                />
            </ul>
            {move || (items.with(Vec::is_empty) && !busy.get()).then(|| view! { <p class="aw-muted">{c.no_matching}</p> })}
            {move || failed.get().then(|| view! { <p class="aw-field-error" role="alert">{c.reviews_error}</p> })}
            <p class="aw-sr" role="status">{move || if busy.get() { c.loading_reviews } else { "" }}</p>
            {move || has_more().then(|| view! {
                <button type="button" class="aw-button aw-secondary" disabled=move || busy.get() on:click=move |_| load(false)>
                    {move || if busy.get() { c.loading_reviews } else { c.more }}
                </button>
            })}
        </section>
    }
}
