use crate::i18n;
use leptos::prelude::*;
use shared::{Locale, RatingSummary};

/// The average as stars with its text equivalent, and the number of reviews.
#[component]
pub fn Rating(rating: RatingSummary, locale: Locale) -> impl IntoView {
    if rating.count == 0 {
        return view! { <p class="aw-rating aw-muted">{i18n::t(locale).no_reviews}</p> }.into_any();
    }
    let average = rating.average_display();
    let tenths = rating.average_tenths().unwrap_or(0);
    // Width of the filled stars, in percent of five stars.
    let fill = format!("width:{}%", tenths * 2);
    view! {
        <p class="aw-rating">
            <span class="aw-stars" role="img" aria-label=i18n::rated(locale, &average)>
                <span class="aw-stars-empty" aria-hidden="true">"★★★★★"</span>
                <span class="aw-stars-full" aria-hidden="true" style=fill>"★★★★★"</span>
            </span>
            <span class="aw-average" aria-hidden="true">{average}</span>
            <span class="aw-count">{i18n::review_count(locale, rating.count)}</span>
        </p>
    }
    .into_any()
}
