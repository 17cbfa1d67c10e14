use crate::{
    Alliance, AllowedOrigin, BadgeState, LocalizedText, MembershipStatus, RatingSummary, Shop,
    ShopId, Warranty,
};
use serde::{Deserialize, Serialize};

/// Everything the widget's first view shows, served by `GET /v1/shops/{id}/widget` in one
/// request from one precomputed document ([`WidgetDoc`]).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WidgetView {
    /// The shop.
    pub shop: ShopCard,
    /// The alliance it belongs to.
    pub alliance: AllianceCard,
    /// The shop's membership, with the badge decided for the requesting origin.
    pub membership: MembershipCard,
    /// The shop's rating across its visible reviews.
    pub rating: RatingSummary,
    /// The alliance-wide reputation: active members and their combined rating.
    pub network: NetworkSummary,
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

/// The alliance as the badge shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AllianceCard {
    /// The alliance's name.
    pub name: LocalizedText,
    /// Its logo, SVG markup, shown as an image.
    pub logo_svg: String,
    /// The standards every member promises.
    pub standards: Vec<LocalizedText>,
    /// The alliance-wide warranty.
    pub warranty: Warranty,
}

/// The shop's membership as the badge shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MembershipCard {
    /// Status in the alliance.
    pub status: MembershipStatus,
    /// The year the shop joined.
    pub member_since: u16,
    /// What the badge may say on the page that asked (decided per request by the edge).
    #[serde(default)]
    pub badge: BadgeState,
}

/// The alliance-wide reputation shown beside the shop's own.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct NetworkSummary {
    /// Number of active member shops.
    pub members: u32,
    /// Combined rating across all active members' reviews.
    pub rating: RatingSummary,
}

impl NetworkSummary {
    /// Sums the active members among `shops` (status and own rating summary of each).
    pub fn of<'a>(shops: impl IntoIterator<Item = (MembershipStatus, &'a RatingSummary)>) -> Self {
        let mut n = NetworkSummary::default();
        for (status, rating) in shops {
            if status == MembershipStatus::Active {
                n.members += 1;
                n.rating.merge(rating);
            }
        }
        n
    }
}

/// The stored form of a shop's first view: the view, plus what the edge needs to decide the
/// badge per request. Never sent to browsers as is.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WidgetDoc {
    /// The first view, with `membership.badge` left at its default.
    pub view: WidgetView,
    /// Where the shop's badge is valid.
    pub allowed_origins: Vec<AllowedOrigin>,
}

impl WidgetDoc {
    /// Builds the stored first view of `shop`.
    pub fn build(alliance: &Alliance, shop: &Shop, rating: RatingSummary, network: NetworkSummary) -> Self {
        WidgetDoc {
            view: WidgetView {
                shop: ShopCard { id: shop.id.clone(), name: shop.name.clone(), city: shop.city.clone() },
                alliance: AllianceCard {
                    name: alliance.name.clone(),
                    logo_svg: alliance.logo_svg.clone(),
                    standards: alliance.standards.clone(),
                    warranty: alliance.warranty,
                },
                membership: MembershipCard {
                    status: shop.membership.status,
                    member_since: shop.membership.member_since,
                    badge: BadgeState::default(),
                },
                rating,
                network,
            },
            allowed_origins: shop.membership.allowed_origins.clone(),
        }
    }

    /// The view as served to a page at `origin`.
    pub fn view_for(mut self, origin: Option<&str>) -> WidgetView {
        self.view.membership.badge =
            BadgeState::decide(self.view.membership.status, origin, &self.allowed_origins);
        self.view
    }
}
