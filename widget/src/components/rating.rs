use crate::i18n;
use leptos::either::Either;
use leptos::prelude::*;
use shared::{Locale, RatingSummary};

/// The average as stars with its text equivalent, and the number of reviews.
#[component]
pub fn Rating(rating: RatingSummary, hidden: u32, locale: Locale) -> impl IntoView {
    let hidden_note = (hidden > 0).then(
        || view! { <p class="aw-hidden-note aw-muted">{i18n::hidden_note(locale, hidden)}</p> },
    );
    if rating.count == 0 {
        return Either::Left(
            view! { <p class="aw-rating aw-muted">{i18n::t(locale).no_reviews}</p> {hidden_note} },
        );
    }
    let rows = (1..=5u8)
        .rev()
        .map(|n| {
            let stars = shared::Stars::parse(n).expect("1 to 5");
            let count = rating.histogram[usize::from(n - 1)];
            // A width class, not a `style` attribute: the edge writes this as HTML, and a strict
            // `style-src` CSP blocks `style` attributes in markup.
            let width = width_class(rating.percent(stars));
            view! {
                <li aria-label=i18n::histogram_row(locale, n, count)>
                    <span aria-hidden="true" class="aw-hist-label">{n}"★"</span>
                    <span aria-hidden="true" class="aw-hist-bar"><span class=width></span></span>
                    <span aria-hidden="true" class="aw-hist-count">{count}</span>
                </li>
            }
        })
        .collect_view();
    let average = rating.average_display();
    let tenths = rating.average_tenths().unwrap_or(0);
    // Width of the filled stars, in percent of five stars.
    let fill = format!("aw-stars-full {}", width_class(tenths * 2));
    Either::Right(view! {
        <p class="aw-rating">
            <span class="aw-stars" role="img" aria-label=i18n::rated(locale, &average)>
                <span class="aw-stars-empty" aria-hidden="true">"★★★★★"</span>
                <span class=fill aria-hidden="true">"★★★★★"</span>
            </span>
            <span class="aw-average" aria-hidden="true">{average}</span>
            <span class="aw-count">{i18n::review_count(locale, rating.count)}</span>
        </p>
        <ul class="aw-histogram">{rows}</ul>
        <p class="aw-provenance aw-muted">{i18n::provenance_counts(locale, rating.booked, rating.invited())}</p>
        {hidden_note}
    })
}

/// The stylesheet's class for a width of `percent`% (`aw-w0` … `aw-w100`, clamped).
fn width_class(percent: u32) -> String {
    format!("aw-w{}", percent.min(100))
}
