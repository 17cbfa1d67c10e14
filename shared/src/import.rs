use crate::{Alliance, RatingSummary, Review, Shop, ShopId, WidgetView};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashSet};
use std::fmt;

/// A whole alliance at once: its profile, its member shops and their reviews.
///
/// This is the body of the admin import (`POST /v1/admin/import`) and the format of the demo
/// data file `demo/alliance.json`; the demo is loaded through that same endpoint.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AllianceImport {
    /// The alliance's profile.
    pub alliance: Alliance,
    /// Member shops.
    pub shops: Vec<Shop>,
    /// Reviews of those shops.
    pub reviews: Vec<Review>,
}

/// What an import did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImportReport {
    /// Number of shops written.
    pub shops: usize,
    /// Number of reviews written.
    pub reviews: usize,
    /// True when the data was already present and nothing was written.
    pub skipped: bool,
}

/// Why an import is not consistent. Nothing of it is stored.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum ImportError {
    /// Two shops share an id.
    DuplicateShop(ShopId),
    /// A review names a shop that is not in the import.
    ReviewOfUnknownShop { review: String, shop: ShopId },
    /// A review names a service its shop does not offer.
    ReviewOfUnknownService { review: String, service: String },
    /// Two reviews of one shop share an id.
    DuplicateReview(String),
    /// A text field is empty or too long.
    BadText { field: String, reason: &'static str },
}

impl ImportError {
    /// The JSON path of the field at fault, e.g. `reviews[3].service`.
    pub fn field(&self) -> String {
        match self {
            ImportError::DuplicateShop(_) => "shops".into(),
            ImportError::ReviewOfUnknownShop { .. } => "reviews.shop".into(),
            ImportError::ReviewOfUnknownService { .. } => "reviews.service".into(),
            ImportError::DuplicateReview(_) => "reviews.id".into(),
            ImportError::BadText { field, .. } => field.clone(),
        }
    }
}

impl fmt::Display for ImportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ImportError::DuplicateShop(id) => write!(f, "shop {id} appears twice"),
            ImportError::ReviewOfUnknownShop { review, shop } => {
                write!(f, "review {review} names unknown shop {shop}")
            }
            ImportError::ReviewOfUnknownService { review, service } => {
                write!(f, "review {review} names unknown service {service:?}")
            }
            ImportError::DuplicateReview(id) => write!(f, "review {id} appears twice"),
            ImportError::BadText { field, reason } => write!(f, "{field} {reason}"),
        }
    }
}

impl std::error::Error for ImportError {}

fn check_text(field: impl Fn() -> String, text: &str, max: usize) -> Result<(), ImportError> {
    if text.trim().is_empty() {
        return Err(ImportError::BadText { field: field(), reason: "is empty" });
    }
    if text.chars().count() > max {
        return Err(ImportError::BadText { field: field(), reason: "is too long" });
    }
    Ok(())
}

impl AllianceImport {
    /// Checks that the import is consistent: unique ids, reviews of known shops and services,
    /// sensible text lengths.
    ///
    /// # Errors
    /// The first [`ImportError`] found.
    pub fn validate(&self) -> Result<(), ImportError> {
        let mut shops = BTreeMap::new();
        for (i, shop) in self.shops.iter().enumerate() {
            if shops.insert(&shop.id, shop).is_some() {
                return Err(ImportError::DuplicateShop(shop.id.clone()));
            }
            check_text(|| format!("shops[{i}].name.zh-TW"), &shop.name.zh_tw, 80)?;
            check_text(|| format!("shops[{i}].name.en"), &shop.name.en, 80)?;
        }
        let mut review_ids = HashSet::new();
        for (i, review) in self.reviews.iter().enumerate() {
            let Some(shop) = shops.get(&review.shop) else {
                return Err(ImportError::ReviewOfUnknownShop {
                    review: review.id.clone(),
                    shop: review.shop.clone(),
                });
            };
            if !shop.services.iter().any(|s| s.id == review.service) {
                return Err(ImportError::ReviewOfUnknownService {
                    review: review.id.clone(),
                    service: review.service.clone(),
                });
            }
            if !review_ids.insert((&review.shop, &review.id)) {
                return Err(ImportError::DuplicateReview(review.id.clone()));
            }
            check_text(|| format!("reviews[{i}].text"), &review.text, 2000)?;
            check_text(|| format!("reviews[{i}].author"), &review.author, 80)?;
        }
        Ok(())
    }

    /// The first-view document of every shop, with its rating summed over its reviews.
    pub fn widget_views(&self) -> Vec<WidgetView> {
        self.shops
            .iter()
            .map(|shop| {
                let rating = RatingSummary::from_stars(
                    self.reviews.iter().filter(|r| r.shop == shop.id).map(|r| r.stars),
                );
                WidgetView::build(&self.alliance, shop, rating)
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn demo() -> AllianceImport {
        serde_json::from_str(include_str!("../../demo/alliance.json")).expect("demo data parses")
    }

    #[test]
    fn demo_data_is_consistent_and_large_enough() {
        let d = demo();
        d.validate().unwrap();
        assert!(d.shops.len() >= 6, "at least 6 shops");
        assert!(d.reviews.len() >= 60, "at least 60 reviews");
        let langs: HashSet<_> = d.reviews.iter().map(|r| r.language).collect();
        assert_eq!(langs.len(), 2, "reviews in both languages");
        assert!(d.shops.iter().all(|s| s.time_zone == "Asia/Taipei"));
    }

    #[test]
    fn widget_views_sum_each_shops_own_reviews() {
        let d = demo();
        let views = d.widget_views();
        assert_eq!(views.len(), d.shops.len());
        let total: u32 = views.iter().map(|v| v.rating.count).sum();
        assert_eq!(total as usize, d.reviews.len());
        for v in &views {
            let own = d.reviews.iter().filter(|r| r.shop == v.shop.id);
            let sum: u64 = own.map(|r| u64::from(r.stars.get())).sum();
            assert_eq!(v.rating.sum, sum);
        }
    }

    #[test]
    fn review_of_unknown_service_is_rejected() {
        let mut d = demo();
        d.reviews[0].service = "teleport".into();
        let err = d.validate().unwrap_err();
        assert!(matches!(err, ImportError::ReviewOfUnknownService { .. }));
        assert_eq!(err.field(), "reviews.service");
    }

    #[test]
    fn duplicate_shop_is_rejected() {
        let mut d = demo();
        let first = d.shops[0].clone();
        d.shops.push(first);
        assert!(matches!(d.validate(), Err(ImportError::DuplicateShop(_))));
    }
}
