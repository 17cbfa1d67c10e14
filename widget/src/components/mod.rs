//! The widget's components, one per file.

mod app;
mod badge;
mod booking;
mod deferred;
mod manage;
mod rating;
mod review_form;
mod review_item;
mod reviews;
mod shop_card;
mod slot_picker;
mod status;

pub use app::App;

/// Which parts of the widget a placeholder shows (`data-view`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Parts {
    /// The membership badge and the alliance's figures.
    pub badge: bool,
    /// The rating, the review list and the review form.
    pub reviews: bool,
    /// Booking and a booking's manage view.
    pub booking: bool,
}

impl Parts {
    /// Parses `all` (also empty or unknown), `badge`, `reviews` or `booking`.
    pub fn parse(view: &str) -> Self {
        let only = |badge, reviews, booking| Parts {
            badge,
            reviews,
            booking,
        };
        match view {
            "badge" => only(true, false, false),
            "reviews" => only(false, true, false),
            "booking" => only(false, false, true),
            _ => only(true, true, true),
        }
    }

    /// The view's name, as given in `data-view`.
    pub fn name(self) -> &'static str {
        match (self.badge, self.reviews, self.booking) {
            (true, false, false) => "badge",
            (false, true, false) => "reviews",
            (false, false, true) => "booking",
            _ => "all",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::Parts;

    #[test]
    fn views_parse_and_name_themselves() {
        for v in ["all", "badge", "reviews", "booking"] {
            assert_eq!(Parts::parse(v).name(), v);
        }
        assert_eq!(Parts::parse(""), Parts::parse("all"));
        assert_eq!(Parts::parse("everything?"), Parts::parse("all"));
    }
}
