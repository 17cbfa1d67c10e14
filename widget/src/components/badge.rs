use crate::i18n;
use leptos::prelude::*;
use shared::{AllianceCard, BadgeState, Locale, MembershipCard};

/// The alliance membership badge. Its look follows the state the edge decided for this page:
/// verified (green, check), not verified on this site (amber, dashed, never like verified),
/// suspended or revoked (red, cross).
#[component]
pub fn Badge(
    alliance: AllianceCard,
    membership: MembershipCard,
    verify_url: String,
    locale: Locale,
) -> impl IntoView {
    let c = i18n::t(locale);
    let (state, icon, line) = match membership.badge {
        BadgeState::Verified => (
            "verified",
            "✓",
            i18n::verified_since(locale, membership.member_since),
        ),
        BadgeState::Suspended => ("suspended", "✗", c.suspended.to_owned()),
        BadgeState::Revoked => ("revoked", "✗", c.revoked.to_owned()),
        _ => ("not-verified", "!", c.not_verified_here.to_owned()),
    };
    let hint = (membership.badge == BadgeState::NotVerifiedHere)
        .then(|| view! { <p class="aw-hint">{c.not_verified_hint}</p> });
    let logo = format!(
        "data:image/svg+xml,{}",
        js_sys::encode_uri_component(&alliance.logo_svg)
    );
    let standards = alliance
        .standards
        .iter()
        .map(|s| view! { <li>{s.get(locale).to_owned()}</li> })
        .collect_view();
    let warranty = i18n::warranty(
        locale,
        alliance.warranty.months,
        alliance.warranty.kilometres,
    );
    // A lapsed member no longer makes the alliance's promises: do not show them.
    let member = matches!(
        membership.badge,
        BadgeState::Verified | BadgeState::NotVerifiedHere
    );
    let promises = member.then(|| {
        view! {
            <details class="aw-standards">
                <summary>{c.standards}</summary>
                <ul>{standards}<li>{warranty}</li></ul>
            </details>
        }
    });
    view! {
        <div class=format!("aw-badge aw-badge-{state}") data-badge=state>
            <p class="aw-alliance">
                <img class="aw-logo" src=logo alt="" width="28" height="28" />
                <span>{alliance.name.get(locale).to_owned()}</span>
            </p>
            <p class="aw-badge-line"><span class="aw-badge-icon" aria-hidden="true">{icon}</span>{line}</p>
            {hint}
            {promises}
            <a class="aw-verify" href=verify_url target="_blank" rel="noopener">
                {c.verify_link}<span class="aw-sr">{c.new_tab}</span>" ↗"
            </a>
        </div>
    }
}
