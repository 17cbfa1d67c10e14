use crate::i18n;
use leptos::either::Either;
use leptos::prelude::*;
use shared::{Locale, PublicReview, ServiceLabel};

/// One review: stars with their text equivalent, the text (always as text), the service, the
/// date in the shop's time zone, the shortened name, the verified-visit mark and the shop's
/// reply; or, when the alliance hid it, only its public placeholder.
#[component]
pub fn ReviewItem(
    review: PublicReview,
    services: Vec<ServiceLabel>,
    time_zone: String,
    locale: Locale,
) -> impl IntoView {
    let c = i18n::t(locale);
    let date = i18n::date(locale, &review.created_at, &time_zone);
    let Some(content) = review.content else {
        let reason = review
            .hidden
            .map(|r| i18n::hidden_placeholder(locale, r))
            .unwrap_or_default();
        return Either::Left(view! {
            <li class="aw-review aw-review-hidden" data-review=review.id>
                <p>{reason}</p>
                <p class="aw-review-meta"><time datetime=review.created_at>{date}</time></p>
            </li>
        });
    };
    let n = content.stars.get();
    let service = services
        .iter()
        .find(|s| s.id == content.service)
        .map(|s| s.name.get(locale).to_owned())
        .unwrap_or(content.service.clone());
    let filled = "★".repeat(usize::from(n));
    let empty = "★".repeat(usize::from(5 - n));
    let reply = content.reply.map(|r| {
        view! {
            <div class="aw-reply">
                <p class="aw-reply-title">{c.shop_reply}</p>
                <p class="aw-text">{r.text}</p>
            </div>
        }
    });
    // How the visit is known, never more than the records show.
    let verified = content.verified_visit.then(|| match content.provenance {
        shared::Provenance::Booked => {
            Either::Left(view! { <span class="aw-verified" data-provenance="booked">"✓ "{c.booked_visit}</span> })
        }
        _ => Either::Right(view! { <span class="aw-invited" data-provenance="invited">{c.invited_visit}</span> }),
    });
    Either::Right(view! {
        <li class="aw-review" data-review=review.id>
            <p class="aw-review-head">
                <span class="aw-stars-sm" role="img" aria-label=i18n::stars_text(locale, n)>
                    <span aria-hidden="true">{filled}</span>
                    <span class="aw-stars-off" aria-hidden="true">{empty}</span>
                </span>
                <span class="aw-author">{content.author}</span>
                {verified}
            </p>
            <p class="aw-review-meta">{service}" · "<time datetime=review.created_at>{date}</time></p>
            <p class="aw-text" lang=content.language.tag()>{content.text}</p>
            {reply}
        </li>
    })
}
