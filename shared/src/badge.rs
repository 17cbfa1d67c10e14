use crate::{AllowedOrigin, MembershipStatus};
use serde::{Deserialize, Serialize};

/// What the membership badge may say where it is being shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
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
    pub fn decide(
        status: MembershipStatus,
        origin: Option<&str>,
        allowed: &[AllowedOrigin],
    ) -> Self {
        match status {
            MembershipStatus::Suspended => BadgeState::Suspended,
            MembershipStatus::Revoked => BadgeState::Revoked,
            _ => match origin {
                Some(o) if allowed.iter().any(|a| a.as_str() == o) => BadgeState::Verified,
                _ => BadgeState::NotVerifiedHere,
            },
        }
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

    #[test]
    fn active_member_on_its_own_origin_is_verified() {
        let s = BadgeState::decide(
            MembershipStatus::Active,
            Some("https://www.shop.tw"),
            &allowed(),
        );
        assert_eq!(s, BadgeState::Verified);
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
                BadgeState::decide(MembershipStatus::Active, origin, &allowed()),
                BadgeState::NotVerifiedHere,
                "{origin:?}"
            );
        }
    }

    #[test]
    fn lapsed_membership_is_never_verified_even_on_its_own_origin() {
        let o = Some("https://shop.tw");
        assert_eq!(
            BadgeState::decide(MembershipStatus::Suspended, o, &allowed()),
            BadgeState::Suspended
        );
        assert_eq!(
            BadgeState::decide(MembershipStatus::Revoked, o, &allowed()),
            BadgeState::Revoked
        );
    }
}
