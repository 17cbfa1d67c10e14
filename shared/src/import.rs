use crate::{Alliance, NetworkSummary, RatingSummary, Review, Shop, ShopId, WidgetDoc};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashSet};
use std::fmt;

/// A whole alliance at once: its profile, its member shops and their reviews.
///
/// This is the body of the admin import (`POST /v1/admin/import`) and the format of the demo
/// data file `demo/alliance.json`; the demo is loaded through that same endpoint.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
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
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
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
    /// A field is invalid for the reason given.
    Invalid { field: String, detail: String },
}

impl ImportError {
    /// The JSON path of the field at fault, e.g. `reviews[3].service`.
    pub fn field(&self) -> String {
        match self {
            ImportError::DuplicateShop(_) => "shops".into(),
            ImportError::ReviewOfUnknownShop { .. } => "reviews.shop".into(),
            ImportError::ReviewOfUnknownService { .. } => "reviews.service".into(),
            ImportError::DuplicateReview(_) => "reviews.id".into(),
            ImportError::BadText { field, .. } | ImportError::Invalid { field, .. } => {
                field.clone()
            }
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
            ImportError::Invalid { field, detail } => write!(f, "{field}: {detail}"),
        }
    }
}

impl std::error::Error for ImportError {}

fn check_text(field: impl Fn() -> String, text: &str, max: usize) -> Result<(), ImportError> {
    if text.trim().is_empty() {
        return Err(ImportError::BadText {
            field: field(),
            reason: "is empty",
        });
    }
    if text.chars().count() > max {
        return Err(ImportError::BadText {
            field: field(),
            reason: "is too long",
        });
    }
    Ok(())
}

/// The logo is only ever shown as an image, but it is still checked to be plain SVG: small, and
/// with no script, event handler or `javascript:` link in it.
pub fn check_logo(svg: &str) -> Result<(), ImportError> {
    let bad = |reason| {
        Err(ImportError::BadText {
            field: "alliance.logo_svg".into(),
            reason,
        })
    };
    let lower = svg.to_ascii_lowercase();
    if !lower.trim_start().starts_with("<svg") {
        return bad("must be SVG markup starting with <svg");
    }
    if svg.len() > 8192 {
        return bad("must be at most 8 KiB");
    }
    let has_handler = lower.match_indices(" on").any(|(i, _)| {
        lower[i + 3..]
            .chars()
            .take_while(|c| c.is_ascii_alphabetic())
            .count()
            > 0
            && lower[i + 3..]
                .trim_start_matches(|c: char| c.is_ascii_alphabetic())
                .trim_start()
                .starts_with('=')
    });
    if lower.contains("<script")
        || lower.contains("javascript:")
        || lower.contains("<foreignobject")
        || has_handler
    {
        return bad("must not contain scripts, event handlers or javascript: links");
    }
    Ok(())
}

impl Shop {
    /// Checks the profile's texts: names, city, address and phone present and of sane length.
    ///
    /// # Errors
    /// [`ImportError::BadText`] naming the field.
    pub fn validate(&self) -> Result<(), ImportError> {
        check_text(|| "name.zh-TW".into(), &self.name.zh_tw, 80)?;
        check_text(|| "name.en".into(), &self.name.en, 80)?;
        check_text(|| "city.zh-TW".into(), &self.city.zh_tw, 80)?;
        check_text(|| "city.en".into(), &self.city.en, 80)?;
        check_text(|| "address.zh-TW".into(), &self.address.zh_tw, 200)?;
        check_text(|| "address.en".into(), &self.address.en, 200)?;
        check_text(|| "phone".into(), &self.phone, 30)?;
        if let Some(rules) = &self.booking {
            rules.validate().map_err(|detail| ImportError::Invalid {
                field: "booking".into(),
                detail,
            })?;
        }
        if self.bays > crate::MAX_BAYS {
            return Err(ImportError::Invalid {
                field: "bays".into(),
                detail: format!("bays must be 1 to {}, not {}", crate::MAX_BAYS, self.bays),
            });
        }
        if self.bays == 0
            || self.services.iter().any(|s| {
                s.bays == 0
                    || s.bays > self.bays
                    || !crate::SERVICE_MINUTES.contains(&s.duration_minutes)
            })
        {
            return Err(ImportError::Invalid {
                field: "services".into(),
                detail: "each service needs 1 to `bays` bays and 5 to 1440 minutes".into(),
            });
        }
        if let Some(page) = &self.page_url {
            let on_origin = self.membership.allowed_origins.iter().any(|o| {
                page.strip_prefix(o.as_str())
                    .is_some_and(|rest| rest.is_empty() || rest.starts_with('/'))
            });
            if page.len() > 300 || !on_origin || page.chars().any(|c| c.is_whitespace()) {
                return Err(ImportError::Invalid {
                    field: "page_url".into(),
                    detail:
                        "the widget page must be an address on one of the shop's allowed origins"
                            .into(),
                });
            }
        }
        if let Some(email) = &self.alert_email {
            if !crate::email_ok(email) {
                return Err(ImportError::Invalid {
                    field: "alert_email".into(),
                    detail: format!("alert_email {email:?} is not an e-mail address"),
                });
            }
        }
        if let Some(hour) = self.reminder_hour {
            if !crate::REMINDER_HOURS.contains(&hour) {
                return Err(ImportError::Invalid {
                    field: "reminder_hour".into(),
                    detail: format!(
                        "reminder_hour must be {} to {} (outside the quiet hours), not {hour}",
                        crate::REMINDER_HOURS.start(),
                        crate::REMINDER_HOURS.end()
                    ),
                });
            }
        }
        if self.membership.allowed_origins.len() > 20 {
            return Err(ImportError::BadText {
                field: "membership.allowed_origins".into(),
                reason: "lists more than 20 origins",
            });
        }
        Ok(())
    }
}

impl AllianceImport {
    /// Checks that the import is consistent: unique ids, reviews of known shops and services,
    /// sensible text lengths.
    ///
    /// # Errors
    /// The first [`ImportError`] found.
    pub fn validate(&self) -> Result<(), ImportError> {
        check_logo(&self.alliance.logo_svg)?;
        let mut shops = BTreeMap::new();
        for (i, shop) in self.shops.iter().enumerate() {
            if shops.insert(&shop.id, shop).is_some() {
                return Err(ImportError::DuplicateShop(shop.id.clone()));
            }
            shop.validate().map_err(|e| match e {
                ImportError::BadText { field, reason } => ImportError::BadText {
                    field: format!("shops[{i}].{field}"),
                    reason,
                },
                ImportError::Invalid { field, detail } => ImportError::Invalid {
                    field: format!("shops[{i}].{field}"),
                    detail,
                },
                other => other,
            })?;
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
            if crate::parse_rfc3339(&review.created_at).is_none() {
                return Err(ImportError::BadText {
                    field: format!("reviews[{i}].created_at"),
                    reason: "is not a real UTC timestamp like 2026-10-03T08:15:00Z",
                });
            }
            check_text(|| format!("reviews[{i}].author"), &review.author, 80)?;
        }
        Ok(())
    }

    /// The stored first view of every shop, with its rating summed over its reviews and the
    /// alliance-wide figures over all active members.
    pub fn widget_docs(&self) -> Vec<WidgetDoc> {
        let ratings: Vec<RatingSummary> = self
            .shops
            .iter()
            .map(|shop| {
                RatingSummary::from_stars(
                    self.reviews
                        .iter()
                        .filter(|r| r.shop == shop.id)
                        .map(|r| r.stars),
                )
            })
            .collect();
        let network = NetworkSummary::of(
            self.shops
                .iter()
                .zip(&ratings)
                .map(|(s, r)| (s.membership.status, r)),
        );
        self.shops
            .iter()
            .zip(ratings)
            .map(|(shop, rating)| WidgetDoc::build(&self.alliance, shop, rating, network.clone()))
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
    fn a_review_dated_on_no_real_day_is_refused_naming_its_field() {
        for bad in ["2026-02-30T10:00:00Z", "2026-12-31T23:59:60Z", "yesterday"] {
            let mut d = demo();
            d.reviews[3].created_at = bad.into();
            match d.validate() {
                Err(ImportError::BadText { field, .. }) => {
                    assert_eq!(field, "reviews[3].created_at", "{bad}")
                }
                other => panic!("{bad}: {other:?}"),
            }
        }
    }

    #[test]
    fn a_shop_has_at_most_the_bays_the_profile_form_allows() {
        let mut shop = demo().shops[0].clone();
        shop.bays = crate::MAX_BAYS;
        shop.validate().unwrap();
        shop.bays = crate::MAX_BAYS + 1;
        assert!(
            matches!(shop.validate(), Err(ImportError::Invalid { field, .. }) if field == "bays")
        );
    }

    #[test]
    fn widget_docs_sum_each_shops_own_reviews_and_the_network() {
        let d = demo();
        let docs = d.widget_docs();
        assert_eq!(docs.len(), d.shops.len());
        let total: u32 = docs.iter().map(|w| w.view.rating.count).sum();
        assert_eq!(total as usize, d.reviews.len());
        for w in &docs {
            let own = d.reviews.iter().filter(|r| r.shop == w.view.shop.id);
            let sum: u64 = own.map(|r| u64::from(r.stars.get())).sum();
            assert_eq!(w.view.rating.sum, sum);
            assert_eq!(w.view.network.members as usize, d.shops.len());
            assert_eq!(w.view.network.rating.count as usize, d.reviews.len());
        }
    }

    #[test]
    fn suspended_shops_leave_the_network_figures() {
        let mut d = demo();
        d.shops[0].membership.status = crate::MembershipStatus::Suspended;
        let own = d.reviews.iter().filter(|r| r.shop == d.shops[0].id).count();
        let docs = d.widget_docs();
        assert_eq!(docs[1].view.network.members as usize, d.shops.len() - 1);
        assert_eq!(
            docs[1].view.network.rating.count as usize,
            d.reviews.len() - own
        );
    }

    #[test]
    fn the_widget_page_must_be_on_an_allowed_origin() {
        let mut shop = demo().shops[0].clone();
        let origin = shop.membership.allowed_origins[0].as_str().to_owned();
        for good in [
            format!("{origin}/"),
            format!("{origin}/shop?x=1"),
            origin.clone(),
        ] {
            shop.page_url = Some(good.clone());
            assert!(shop.validate().is_ok(), "{good}");
        }
        for bad in [
            "https://elsewhere.example/".to_owned(),
            format!("{origin}.evil.example/"),
            format!("{origin}/a b"),
        ] {
            shop.page_url = Some(bad.clone());
            let err = shop.validate().unwrap_err();
            assert_eq!(err.field(), "page_url", "{bad}");
        }
    }

    #[test]
    fn scripted_logos_are_rejected() {
        for bad in [
            "<svg><script>alert(1)</script></svg>",
            "<svg onload=\"alert(1)\"></svg>",
            "<svg><a href=\"javascript:alert(1)\"></a></svg>",
            "<div>not svg</div>",
        ] {
            assert!(check_logo(bad).is_err(), "{bad}");
        }
        assert!(check_logo("<svg viewBox=\"0 0 10 10\"><path d=\"M0 0h10v10z\"/></svg>").is_ok());
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
