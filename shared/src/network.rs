//! The alliance as a network: distances between members, what a referral offers, and how
//! returning customers progress toward being regulars.

use crate::{LocalizedText, ShopId, Slot};
use serde::{Deserialize, Serialize};

/// Visits after which a customer is a regular of the alliance (trust research: about seven).
pub const REGULAR_VISITS: u32 = 7;
/// Visits after which trust is full (about eight).
pub const TRUSTED_VISITS: u32 = 8;

/// Great-circle distance in kilometres between two points given in degrees (haversine).
///
/// ```
/// // Taipei Main Station to Taipei 101: about 5.3 km.
/// let d = shared::distance_km(25.0478, 121.5170, 25.0340, 121.5645);
/// assert!((d - 5.0).abs() < 0.5, "{d}");
/// ```
pub fn distance_km(lat1: f64, lon1: f64, lat2: f64, lon2: f64) -> f64 {
    let (p1, p2) = (lat1.to_radians(), lat2.to_radians());
    let dp = (lat2 - lat1).to_radians();
    let dl = (lon2 - lon1).to_radians();
    let a = (dp / 2.0).sin().powi(2) + p1.cos() * p2.cos() * (dl / 2.0).sin().powi(2);
    2.0 * 6371.0 * a.sqrt().min(1.0).asin()
}

/// Another member a shop offers when it cannot serve the customer.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Referral {
    /// The member.
    pub shop: ShopId,
    /// Its name.
    pub name: LocalizedText,
    /// Its district or city.
    pub city: LocalizedText,
    /// Distance from the referring shop, in km (one decimal).
    pub distance_km: f64,
    /// Its average rating as shown (e.g. `4.6`), and how many reviews.
    pub rating: String,
    /// Number of visible reviews.
    pub reviews: u32,
    /// The day of `slots` (`YYYY-MM-DD`, its time zone): the day asked about, or its next day
    /// with free times when no day was given.
    pub date: String,
    /// The service's name at that member.
    pub service_name: LocalizedText,
    /// Its free starts on that day, in its own time zone.
    pub slots: Vec<Slot>,
    /// Its time zone.
    pub time_zone: String,
}

/// Where a returning customer stands with the alliance.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct VisitProgress {
    /// This visit's number (1 for the first).
    pub visit: u32,
    /// Visits still to go before being a regular, 0 once there.
    pub to_regular: u32,
    /// Whether trust is full ([`TRUSTED_VISITS`] or more).
    pub trusted: bool,
}

/// The progress of a customer on their `visit`th visit.
pub fn visit_progress(visit: u32) -> VisitProgress {
    VisitProgress {
        visit,
        to_regular: REGULAR_VISITS.saturating_sub(visit),
        trusted: visit >= TRUSTED_VISITS,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn distances_are_symmetric_and_zero_at_the_same_place() {
        let (a, b) = ((25.0330, 121.5654), (24.1477, 120.6736));
        let ab = distance_km(a.0, a.1, b.0, b.1);
        let ba = distance_km(b.0, b.1, a.0, a.1);
        assert!((ab - ba).abs() < 1e-9);
        // Taipei to Taichung: about 131 km as the crow flies.
        assert!((125.0..140.0).contains(&ab), "{ab}");
        assert_eq!(distance_km(a.0, a.1, a.0, a.1), 0.0);
    }

    #[test]
    fn progress_counts_down_to_a_regular_and_marks_full_trust() {
        assert_eq!(visit_progress(1).to_regular, 6);
        assert_eq!(visit_progress(7).to_regular, 0);
        assert!(!visit_progress(7).trusted);
        assert!(visit_progress(8).trusted);
        assert_eq!(visit_progress(30).to_regular, 0);
    }
}
