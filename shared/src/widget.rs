use crate::{LocalizedText, MembershipStatus, RatingSummary, ShopId};
use serde::{Deserialize, Serialize};

/// Everything the widget's first view shows, served as one precomputed document by
/// `GET /v1/shops/{id}/widget`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WidgetView {
    /// The shop.
    pub shop: ShopCard,
    /// The alliance it belongs to.
    pub alliance: AllianceCard,
    /// The shop's rating across its visible reviews.
    pub rating: RatingSummary,
}

/// The shop as the widget introduces it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ShopCard {
    /// Identifier.
    pub id: ShopId,
    /// Name in both languages.
    pub name: LocalizedText,
    /// District or city in both languages.
    pub city: LocalizedText,
}

/// The alliance and the shop's membership of it, as the widget's membership line shows them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AllianceCard {
    /// The alliance's name.
    pub name: LocalizedText,
    /// The shop's membership status.
    pub status: MembershipStatus,
    /// The year the shop joined.
    pub member_since: u16,
}

impl WidgetView {
    /// Builds the first-view document of `shop` from its profile and rating summary.
    pub fn build(alliance: &crate::Alliance, shop: &crate::Shop, rating: RatingSummary) -> Self {
        WidgetView {
            shop: ShopCard {
                id: shop.id.clone(),
                name: shop.name.clone(),
                city: shop.city.clone(),
            },
            alliance: AllianceCard {
                name: alliance.name.clone(),
                status: shop.membership.status,
                member_since: shop.membership.member_since,
            },
            rating,
        }
    }
}
