use crate::{
    Alliance, AllowedOrigin, BadgeState, LocalizedText, MembershipStatus, PublicReview,
    RatingSummary, Shop, ShopId, Warranty,
};
use serde::{Deserialize, Serialize};

/// Everything the widget's first view shows, served by `GET /v1/shops/{id}/widget` in one
/// request from one precomputed document ([`WidgetDoc`]).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct WidgetView {
    /// The shop.
    pub shop: ShopCard,
    /// The alliance it belongs to.
    pub alliance: AllianceCard,
    /// The shop's membership, with the badge decided for the requesting origin.
    pub membership: MembershipCard,
    /// The shop's rating across its visible reviews.
    pub rating: RatingSummary,
    /// The five most useful recent reviews (see [`pick_first_reviews`]).
    #[serde(default)]
    pub reviews: Vec<PublicReview>,
    /// How many of the shop's reviews the alliance has hidden (excluded from `rating`).
    #[serde(default)]
    pub hidden_reviews: u32,
    /// The alliance-wide reputation: active members and their combined rating.
    pub network: NetworkSummary,
}

/// A service's id and name, for labels and the review filter.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ServiceLabel {
    /// Id, as in reviews.
    pub id: String,
    /// Name in both languages.
    pub name: LocalizedText,
    /// Duration in minutes.
    #[serde(default)]
    pub duration_minutes: u16,
    /// Price range as the shop words it.
    #[serde(default)]
    pub price: Option<LocalizedText>,
}

/// The reviews the first view shows: among the 20 newest visible reviews, the five most useful
/// (substantial text first, then those the shop replied to), shown newest first.
pub fn pick_first_reviews(newest_first: &[PublicReview]) -> Vec<PublicReview> {
    let mut recent: Vec<(usize, &PublicReview)> = newest_first
        .iter()
        .filter(|r| r.content.is_some())
        .take(20)
        .enumerate()
        .collect();
    let score = |r: &PublicReview| {
        let c = r.content.as_ref().expect("filtered to visible");
        u8::from(c.text.chars().count() >= 30) * 2 + u8::from(c.reply.is_some())
    };
    recent.sort_by_key(|(i, r)| (std::cmp::Reverse(score(r)), *i));
    let mut picked: Vec<(usize, &PublicReview)> = recent.into_iter().take(5).collect();
    picked.sort_by_key(|(i, _)| *i);
    picked.into_iter().map(|(_, r)| r.clone()).collect()
}

/// The shop as the widget introduces it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ShopCard {
    /// Identifier.
    pub id: ShopId,
    /// Name in both languages.
    pub name: LocalizedText,
    /// District or city in both languages.
    pub city: LocalizedText,
    /// The services it offers.
    #[serde(default)]
    pub services: Vec<ServiceLabel>,
    /// Whether it takes online bookings.
    #[serde(default)]
    pub bookable: bool,
    /// Its IANA time zone, in which booking times are shown.
    #[serde(default)]
    pub time_zone: String,
}

/// The alliance as the badge shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
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
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
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
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
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
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct WidgetDoc {
    /// The first view, with `membership.badge` left at its default.
    pub view: WidgetView,
    /// Where the shop's badge is valid.
    pub allowed_origins: Vec<AllowedOrigin>,
}

impl WidgetDoc {
    /// Builds the stored first view of `shop`.
    pub fn build(
        alliance: &Alliance,
        shop: &Shop,
        rating: RatingSummary,
        network: NetworkSummary,
    ) -> Self {
        WidgetDoc {
            view: WidgetView {
                shop: ShopCard {
                    id: shop.id.clone(),
                    name: shop.name.clone(),
                    city: shop.city.clone(),
                    services: shop
                        .services
                        .iter()
                        .map(|s| ServiceLabel {
                            id: s.id.to_string(),
                            name: s.name.clone(),
                            duration_minutes: s.duration_minutes,
                            price: Some(s.price.clone()),
                        })
                        .collect(),
                    bookable: shop.booking.is_some(),
                    time_zone: shop.time_zone.to_string(),
                },
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
                reviews: Vec::new(),
                hidden_reviews: 0,
                network,
            },
            allowed_origins: shop.membership.allowed_origins.clone(),
        }
    }

    /// The view as served to a page at `origin`; `home` is the alliance's own origin.
    pub fn view_for(mut self, origin: Option<&str>, home: Option<&str>) -> WidgetView {
        self.view.membership.badge = BadgeState::decide(
            self.view.membership.status,
            origin,
            &self.allowed_origins,
            home,
        );
        self.view
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Locale, ReviewContent, Stars};

    fn review(id: &str, text: &str, reply: bool) -> PublicReview {
        PublicReview {
            id: id.into(),
            created_at: "2026-11-01T00:00:00Z".into(),
            content: Some(ReviewContent {
                stars: Stars::parse(4).unwrap(),
                text: text.into(),
                language: Locale::En,
                service: "oil".into(),
                author: "A B.".into(),
                verified_visit: true,
                provenance: crate::Provenance::Invited,
                reply: reply.then(|| crate::Reply {
                    text: "thanks".into(),
                    updated_at: "x".into(),
                }),
            }),
            hidden: None,
        }
    }

    #[test]
    fn first_reviews_prefer_substance_and_keep_date_order() {
        let long = "a long and useful review of the brake job";
        let mut list = vec![
            review("1", "ok", false),
            review("2", long, false),
            review("3", "fine", true),
            review("4", long, true),
            review("5", "meh", false),
            review("6", long, false),
            review("7", "good", false),
        ];
        list.push(PublicReview {
            id: "h".into(),
            created_at: "x".into(),
            content: None,
            hidden: Some(crate::HideReason::Spam),
        });
        let ids: Vec<String> = pick_first_reviews(&list)
            .into_iter()
            .map(|r| r.id)
            .collect();
        assert_eq!(ids, ["1", "2", "3", "4", "6"]);
    }
}
