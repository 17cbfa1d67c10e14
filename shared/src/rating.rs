use serde::{Deserialize, Serialize};
use std::fmt;

/// A star rating from 1 to 5.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(transparent)]
pub struct Stars(u8);

/// A number that is not a star rating.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StarsError(pub i64);

impl fmt::Display for StarsError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "stars must be 1 to 5, not {}", self.0)
    }
}

impl std::error::Error for StarsError {}

impl Stars {
    /// Parses a rating.
    ///
    /// # Errors
    /// [`StarsError`] when `n` is not between 1 and 5.
    pub fn parse(n: impl Into<i64>) -> Result<Self, StarsError> {
        let n = n.into();
        if (1..=5).contains(&n) {
            Ok(Stars(n as u8))
        } else {
            Err(StarsError(n))
        }
    }

    /// The rating as a number from 1 to 5.
    pub fn get(self) -> u8 {
        self.0
    }
}

impl<'de> Deserialize<'de> for Stars {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let n = i64::deserialize(d)?;
        Stars::parse(n).map_err(serde::de::Error::custom)
    }
}

/// The rating summary of a set of reviews: kept exact by adding and removing single ratings,
/// so the single writer of a shop's reviews never has to recount.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RatingSummary {
    /// Number of ratings counted.
    pub count: u32,
    /// Sum of all ratings counted.
    pub sum: u64,
    /// `histogram[i]` is the number of ratings of `i + 1` stars.
    pub histogram: [u32; 5],
    /// Of the reviews counted, how many are of visits booked and completed through the
    /// alliance; the rest (`count - booked`) were invited by the shop after a visit.
    #[serde(default)]
    pub booked: u32,
}

impl RatingSummary {
    /// Summarises a set of ratings.
    pub fn from_stars(stars: impl IntoIterator<Item = Stars>) -> Self {
        let mut s = Self::default();
        for star in stars {
            s.add(star);
        }
        s
    }

    /// How many of the counted reviews were invited by the shop (see [`crate::Provenance`]).
    pub fn invited(&self) -> u32 {
        self.count.saturating_sub(self.booked)
    }

    /// Counts one more rating.
    pub fn add(&mut self, stars: Stars) {
        self.count += 1;
        self.sum += u64::from(stars.get());
        self.histogram[usize::from(stars.get() - 1)] += 1;
    }

    /// Stops counting a rating that was counted before (for example a hidden review).
    /// Does nothing when no rating of that value is counted.
    pub fn remove(&mut self, stars: Stars) {
        let slot = &mut self.histogram[usize::from(stars.get() - 1)];
        if *slot > 0 {
            *slot -= 1;
            self.count -= 1;
            self.sum -= u64::from(stars.get());
        }
    }

    /// Adds every rating counted in `other`.
    pub fn merge(&mut self, other: &RatingSummary) {
        self.count += other.count;
        self.sum += other.sum;
        self.booked += other.booked;
        for (mine, theirs) in self.histogram.iter_mut().zip(other.histogram) {
            *mine += theirs;
        }
    }

    /// Stops counting every rating counted in `other` (saturating, never below zero).
    pub fn unmerge(&mut self, other: &RatingSummary) {
        self.count = self.count.saturating_sub(other.count);
        self.sum = self.sum.saturating_sub(other.sum);
        self.booked = self.booked.saturating_sub(other.booked);
        for (mine, theirs) in self.histogram.iter_mut().zip(other.histogram) {
            *mine = mine.saturating_sub(theirs);
        }
    }

    /// The average in tenths of a star, rounded half up (47 means 4.7); `None` with no ratings.
    pub fn average_tenths(&self) -> Option<u32> {
        if self.count == 0 {
            return None;
        }
        let count = u64::from(self.count);
        Some(((self.sum * 20 + count) / (count * 2)) as u32)
    }

    /// The average to one decimal, e.g. `"4.7"`, or `"–"` with no ratings. Formatted with integer
    /// arithmetic: no float formatting code ends up in the widget.
    pub fn average_display(&self) -> String {
        match self.average_tenths() {
            Some(t) => format!("{}.{}", t / 10, t % 10),
            None => "–".to_owned(),
        }
    }

    /// Share of ratings with `stars` stars, in whole percent (for histogram bars).
    pub fn percent(&self, stars: Stars) -> u32 {
        if self.count == 0 {
            return 0;
        }
        let n = self.histogram[usize::from(stars.get() - 1)];
        ((u64::from(n) * 100 + u64::from(self.count) / 2) / u64::from(self.count)) as u32
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn stars(v: &[u8]) -> Vec<Stars> {
        v.iter().map(|&s| Stars::parse(s).unwrap()).collect()
    }

    #[test]
    fn stars_outside_one_to_five_are_rejected() {
        assert_eq!(Stars::parse(0), Err(StarsError(0)));
        assert_eq!(Stars::parse(6), Err(StarsError(6)));
        assert!(serde_json::from_str::<Stars>("9").is_err());
        assert_eq!(serde_json::from_str::<Stars>("4").unwrap().get(), 4);
    }

    #[test]
    fn summary_counts_average_and_histogram() {
        let s = RatingSummary::from_stars(stars(&[5, 5, 4, 3, 1]));
        assert_eq!(s.count, 5);
        assert_eq!(s.sum, 18);
        assert_eq!(s.histogram, [1, 0, 1, 1, 2]);
        assert_eq!(s.average_tenths(), Some(36));
        assert_eq!(s.average_display(), "3.6");
        assert_eq!(s.percent(Stars::parse(5).unwrap()), 40);
    }

    #[test]
    fn average_rounds_half_up_to_one_decimal() {
        // 4.25 -> 4.3, 4.24 -> 4.2
        let mut v = vec![5u8; 1];
        v.extend([4, 4, 4]);
        assert_eq!(
            RatingSummary::from_stars(stars(&v)).average_display(),
            "4.3"
        );
        let s = RatingSummary {
            count: 100,
            sum: 424,
            histogram: [0, 0, 0, 76, 24],
            booked: 0,
        };
        assert_eq!(s.average_display(), "4.2");
    }

    #[test]
    fn merging_equals_summarising_everything() {
        let mut a = RatingSummary::from_stars(stars(&[5, 4]));
        a.merge(&RatingSummary::from_stars(stars(&[1, 3, 3])));
        assert_eq!(a, RatingSummary::from_stars(stars(&[5, 4, 1, 3, 3])));
        a.unmerge(&RatingSummary::from_stars(stars(&[1, 3, 3])));
        assert_eq!(a, RatingSummary::from_stars(stars(&[5, 4])));
    }

    #[test]
    fn empty_summary_has_no_average() {
        let s = RatingSummary::default();
        assert_eq!(s.average_tenths(), None);
        assert_eq!(s.average_display(), "–");
        assert_eq!(s.percent(Stars::parse(5).unwrap()), 0);
    }

    #[test]
    fn removing_a_rating_undoes_adding_it() {
        let mut s = RatingSummary::from_stars(stars(&[5, 2]));
        let before = s.clone();
        s.add(Stars::parse(3).unwrap());
        s.remove(Stars::parse(3).unwrap());
        assert_eq!(s, before);
        s.remove(Stars::parse(1).unwrap()); // never counted: no change
        assert_eq!(s, before);
    }
}
