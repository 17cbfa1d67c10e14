use super::badge::Badge;
use super::rating::Rating;
use crate::i18n;
use leptos::prelude::*;
use shared::{Locale, WidgetView};

/// The first view: the shop's name, its membership badge, its rating and the alliance's.
#[component]
pub fn ShopCard(view: WidgetView, verify_url: String, locale: Locale) -> impl IntoView {
    let network = (view.network.rating.count > 0).then(|| {
        let n = &view.network;
        view! {
            <p class="aw-network aw-muted">
                {i18n::network(locale, n.members, &n.rating.average_display(), n.rating.count)}
            </p>
        }
    });
    view! {
        <div class="aw-card" data-state="ready">
            <h2 class="aw-name">{view.shop.name.get(locale).to_owned()}</h2>
            <p class="aw-city aw-muted">{view.shop.city.get(locale).to_owned()}</p>
            <Rating rating=view.rating locale />
            <Badge alliance=view.alliance membership=view.membership verify_url locale />
            {network}
        </div>
    }
}
