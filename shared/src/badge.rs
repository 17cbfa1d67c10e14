use crate::{AllowedOrigin, MembershipStatus};
use serde::{Deserialize, Serialize};

/// What the membership badge may say where it is being shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "kebab-case")]
#[non_exhaustive]
pub enum BadgeState {
    /// An active member, shown on one of its own registered origins.
    Verified,
    /// An active member, but shown somewhere it did not register: not verified here.
    #[default]
    NotVerifiedHere,
    /// Membership is suspended.
    Suspended,
    /// Membership was revoked.
    Revoked,
}

impl BadgeState {
    /// Decides the badge from the membership and the origin the request came from (taken from
    /// the request's own `Origin`/`Referer` headers, never from anything the page passes in).
    /// `home` is the alliance's own origin, where every member has its hosted page.
    pub fn decide(
        status: MembershipStatus,
        origin: Option<&str>,
        allowed: &[AllowedOrigin],
        home: Option<&str>,
    ) -> Self {
        match status {
            MembershipStatus::Suspended => BadgeState::Suspended,
            MembershipStatus::Revoked => BadgeState::Revoked,
            _ if on_member_site(origin, allowed, home) => BadgeState::Verified,
            _ => BadgeState::NotVerifiedHere,
        }
    }
}

/// Whether `origin` is one of the member's sites: an origin the alliance granted it, or the
/// alliance's own origin `home` (its hosted member page).
pub fn on_member_site(origin: Option<&str>, allowed: &[AllowedOrigin], home: Option<&str>) -> bool {
    match origin {
        Some(o) => home == Some(o) || allowed.iter().any(|a| a.as_str() == o),
        None => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn allowed() -> Vec<AllowedOrigin> {
        vec![
            AllowedOrigin::parse("https://shop.tw").unwrap(),
            AllowedOrigin::parse("https://www.shop.tw").unwrap(),
        ]
    }

    /// [`BadgeState::decide`] for the test shop's origins.
    fn decide(status: MembershipStatus, origin: Option<&str>, home: Option<&str>) -> BadgeState {
        BadgeState::decide(status, origin, &allowed(), home)
    }

    #[test]
    fn active_member_on_its_own_origin_is_verified() {
        let s = decide(MembershipStatus::Active, Some("https://www.shop.tw"), None);
        assert_eq!(s, BadgeState::Verified);
    }

    #[test]
    fn the_alliances_own_origin_is_every_active_members_site() {
        let home = Some("https://alliance.tw");
        let s = decide(MembershipStatus::Active, home, home);
        assert_eq!(s, BadgeState::Verified);
        assert_eq!(
            decide(MembershipStatus::Revoked, home, home),
            BadgeState::Revoked
        );
        assert_eq!(
            decide(MembershipStatus::Active, None, None),
            BadgeState::NotVerifiedHere
        );
    }

    #[test]
    fn active_member_elsewhere_is_not_verified_here() {
        for origin in [
            Some("https://copycat.tw"),
            Some("http://shop.tw"),
            Some("https://shop.tw:444"),
            None,
        ] {
            assert_eq!(
                decide(
                    MembershipStatus::Active,
                    origin,
                    Some("https://alliance.tw")
                ),
                BadgeState::NotVerifiedHere,
                "{origin:?}"
            );
        }
    }

    #[test]
    fn lapsed_membership_is_never_verified_even_on_its_own_origin() {
        let o = Some("https://shop.tw");
        assert_eq!(
            decide(MembershipStatus::Suspended, o, o),
            BadgeState::Suspended
        );
        assert_eq!(decide(MembershipStatus::Revoked, o, o), BadgeState::Revoked);
    }
}
