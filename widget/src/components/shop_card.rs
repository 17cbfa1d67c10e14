use super::badge::Badge;
use super::deferred::{deferred_manage, deferred_review_form, BookingEntry};
use super::rating::Rating;
use super::reviews::Reviews;
use crate::i18n;
use leptos::prelude::*;
use shared::{Locale, WidgetView};

/// The first view: the shop's name, its membership badge, its rating and the alliance's.
#[component]
#[allow(clippy::too_many_arguments)]
pub fn ShopCard(
    view: WidgetView,
    verify_url: String,
    api: String,
    review_token: Option<String>,
    manage_token: Option<String>,
    prefill: std::collections::BTreeMap<String, String>,
    published: ReadSignal<bool>,
    on_published: impl Fn() + Copy + Send + Sync + 'static,
    locale: Locale,
    parts: super::Parts,
    open: bool,
) -> impl IntoView {
    let shop = view.shop.id.to_string();
    let services = view.shop.services.clone();
    let total = view.rating.count + view.hidden_reviews;
    let manage = manage_token
        .filter(|_| parts.booking)
        .map(|token| deferred_manage(token, api.clone(), locale));
    let booking = (parts.booking && view.shop.bookable).then(|| {
        view! {
            <BookingEntry services=services.clone() time_zone=view.shop.time_zone.clone() api=api.clone() shop=shop.clone()
                prefill locale open />
        }
    });
    let form = review_token.filter(|_| parts.reviews).map(|token| {
        let (services, api, shop) = (services.clone(), api.clone(), shop.clone());
        move || {
            if published.get() {
                view! { <p class="aw-thanks" role="status">{i18n::t(locale).thanks}</p> }.into_any()
            } else {
                let (token, services, api, shop) =
                    (token.clone(), services.clone(), api.clone(), shop.clone());
                deferred_review_form(
                    token,
                    services,
                    api,
                    shop,
                    locale,
                    Callback::new(move |()| on_published()),
                )
            }
        }
    });
    let network = (parts.badge && view.network.rating.count > 0).then(|| {
        let n = &view.network;
        view! {
            <p class="aw-network aw-muted">
                {i18n::network(locale, n.members, &n.rating.average_display(), n.rating.count)}
            </p>
        }
    });
    view! {
        <div class="aw-card" data-state="ready" data-view=parts.name()>
            <h2 class="aw-name">{view.shop.name.get(locale).to_owned()}</h2>
            <p class="aw-city aw-muted">{view.shop.city.get(locale).to_owned()}</p>
            {parts.reviews.then(|| view! { <Rating rating=view.rating hidden=view.hidden_reviews locale /> })}
            {manage}
            {booking}
            {parts.badge.then(|| view! { <Badge alliance=view.alliance membership=view.membership verify_url locale /> })}
            {network}
            {form}
            {(parts.reviews && total > 0).then(|| view! { <Reviews first=view.reviews total services time_zone=view.shop.time_zone api shop locale /> })}
        </div>
    }
}
