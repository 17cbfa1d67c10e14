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

    /// Every `.rs` file under `dir`, with its text.
    fn sources(dir: &std::path::Path, out: &mut Vec<(std::path::PathBuf, String)>) {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                sources(&path, out);
            } else if path.extension().is_some_and(|e| e == "rs") {
                out.push((path.clone(), std::fs::read_to_string(&path).unwrap()));
            }
        }
    }

    /// SECURITY.md: the widget renders text only as text (never as inner HTML), and the loader puts
    /// markup into the page in one place only: the edge's first view, parsed inert in a
    /// `<template>` (besides the one-line probe for Trusted Types, which assigns nothing).
    #[test]
    fn no_markup_is_built_from_strings_but_the_loaders_first_view() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut files = Vec::new();
        sources(&root.join("src"), &mut files);
        assert!(files.len() > 10, "the widget's sources were found");
        // The code, not its tests (this test names what it looks for).
        let needles = [
            "inner_html",
            "innerHTML",
            "outer_html",
            "insert_adjacent_html",
        ];
        for (path, text) in &files {
            let code = text.split("#[cfg(test)]").next().unwrap_or_default();
            for needle in needles {
                assert!(!code.contains(needle), "{} uses {needle}", path.display());
            }
        }
        let loader = std::fs::read_to_string(root.join("embed/embed.js")).unwrap();
        let sinks: Vec<&str> = loader
            .lines()
            .map(str::trim)
            .filter(|l| {
                [
                    "innerHTML",
                    "outerHTML",
                    "insertAdjacentHTML",
                    "document.write",
                    "setHTML",
                    "createContextualFragment",
                    "DOMParser",
                    "parseHTML",
                    "srcdoc",
                ]
                .iter()
                .any(|s| l.contains(s))
            })
            .filter(|l| !l.starts_with("//"))
            .collect();
        assert_eq!(
            sinks,
            [
                r#"document.createElement("template").innerHTML = "";"#,
                "t.innerHTML = policy ? policy.createHTML(html) : html;",
            ],
            "the loader's HTML sinks"
        );
    }
}
