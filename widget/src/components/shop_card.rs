use super::rating::Rating;
use crate::i18n;
use leptos::prelude::*;
use shared::{Locale, MembershipStatus, WidgetView};

/// The first view: the shop's name, its membership line and its rating.
#[component]
pub fn ShopCard(view: WidgetView, locale: Locale) -> impl IntoView {
    let alliance = view.alliance.name.get(locale).to_owned();
    let (membership, class) = match view.alliance.status {
        MembershipStatus::Active => {
            (i18n::member_since(locale, &alliance, view.alliance.member_since), "aw-member")
        }
        MembershipStatus::Suspended => (i18n::t(locale).suspended.to_owned(), "aw-member aw-lapsed"),
        _ => (i18n::t(locale).revoked.to_owned(), "aw-member aw-lapsed"),
    };
    view! {
        <div class="aw-card" data-state="ready">
            <h2 class="aw-name">{view.shop.name.get(locale).to_owned()}</h2>
            <p class="aw-city aw-muted">{view.shop.city.get(locale).to_owned()}</p>
            <p class=class>{membership}</p>
            <Rating rating=view.rating locale />
        </div>
    }
}
