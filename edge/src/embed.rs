//! The snippet a shop pastes (and the alliance's own pages embed): a placeholder with the
//! no-JavaScript badge inside, and the loader, for the view, language, theme and accent chosen.

use crate::http::param;
use shared::ShopId;

/// What the shop chose.
pub struct Choice {
    /// `all`, `badge`, `reviews` or `booking`.
    pub view: &'static str,
    /// `zh-TW` or `en`.
    pub locale: &'static str,
    /// `light`, `dark` or `auto`.
    pub theme: &'static str,
    /// `#rrggbb`, or empty for the alliance's default.
    pub accent: String,
}

fn pick(value: Option<&str>, allowed: &[&'static str]) -> &'static str {
    value
        .and_then(|v| allowed.iter().find(|a| **a == v))
        .copied()
        .unwrap_or(allowed[0])
}

impl Choice {
    /// Reads the choice from the query; unknown values fall back to the defaults.
    pub fn from_query(q: &[(String, String)]) -> Self {
        let accent = param(q, "accent")
            .filter(|a| {
                a.len() == 7 && a.starts_with('#') && a[1..].chars().all(|c| c.is_ascii_hexdigit())
            })
            .unwrap_or("")
            .to_ascii_lowercase();
        Choice {
            view: pick(param(q, "view"), &["all", "badge", "reviews", "booking"]),
            locale: pick(param(q, "locale"), &["zh-TW", "en"]),
            theme: pick(param(q, "theme"), &["light", "dark", "auto"]),
            accent,
        }
    }

    /// The choice as the preview's query string.
    pub fn query(&self, shop: &ShopId) -> String {
        format!(
            "shop={shop}&view={}&locale={}&theme={}&accent={}",
            self.view,
            self.locale,
            self.theme,
            self.accent.replace('#', "%23")
        )
    }
}

/// The snippet a shop pastes: a placeholder with the no-JavaScript badge inside, and the loader.
pub fn snippet(edge: &str, shop: &ShopId, c: &Choice) -> String {
    let mut attrs = format!(r#"data-alliance-shop="{shop}""#);
    if c.view != "all" {
        attrs.push_str(&format!(r#" data-view="{}""#, c.view));
    }
    attrs.push_str(&format!(
        r#" data-locale="{}" data-theme="{}""#,
        c.locale, c.theme
    ));
    if !c.accent.is_empty() {
        attrs.push_str(&format!(r#" data-accent="{}""#, c.accent));
    }
    let alt = if c.locale == "en" {
        "Alliance membership badge"
    } else {
        "聯盟會員徽章"
    };
    format!(
        r#"<div {attrs}><a href="{edge}/verify/{shop}"><img src="{edge}/badge/{shop}.svg" alt="{alt}" width="280" height="72"></a></div>
<script src="{edge}/embed.js" async></script>"#
    )
}
