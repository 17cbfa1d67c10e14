//! The widget's string catalogue, in Traditional Chinese and English. Components take every
//! visible string from here.

use shared::Locale;

/// All fixed strings of one language.
#[derive(Debug)]
pub struct Catalog {
    /// Shown while the shop's data loads.
    pub loading: &'static str,
    /// Label of the retry button.
    pub retry: &'static str,
    /// Heading of every error state.
    pub error_title: &'static str,
    /// The edge could not be reached.
    pub network_error: &'static str,
    /// The edge failed.
    pub server_error: &'static str,
    /// The snippet names a shop that is not in the alliance.
    pub unknown_shop: &'static str,
    /// The snippet's shop id is malformed.
    pub invalid_shop: &'static str,
    /// A shop without reviews.
    pub no_reviews: &'static str,
    /// Membership is suspended.
    pub suspended: &'static str,
    /// Membership was revoked.
    pub revoked: &'static str,
    /// The badge is shown on a site the shop did not register.
    pub not_verified_here: &'static str,
    /// Explains the not-verified state.
    pub not_verified_hint: &'static str,
    /// Heading of the expandable standards.
    pub standards: &'static str,
    /// Link to the alliance's verification page.
    pub verify_link: &'static str,
    /// Note that the link opens a new tab.
    pub new_tab: &'static str,
}

static ZH_TW: Catalog = Catalog {
    loading: "正在載入店家資訊…",
    retry: "重試",
    error_title: "暫時無法顯示",
    network_error: "無法連線到聯盟服務，請檢查網路後重試。",
    server_error: "聯盟服務暫時出了問題，請稍後再試。",
    unknown_shop: "這家店目前不在聯盟的會員名單中。",
    invalid_shop: "小工具的店家代碼設定有誤，請通知店家。",
    no_reviews: "尚無評價，成為第一位評價的顧客吧。",
    suspended: "聯盟會員資格暫停中",
    revoked: "已不是聯盟會員",
    not_verified_here: "此徽章未在本網站通過驗證",
    not_verified_hint: "聯盟只為店家登記的網站驗證徽章。請到聯盟的查證頁面確認。",
    standards: "聯盟會員的承諾",
    verify_link: "到聯盟查證會員資格",
    new_tab: "（開新分頁）",
};

static EN: Catalog = Catalog {
    loading: "Loading shop details…",
    retry: "Try again",
    error_title: "Can't show this right now",
    network_error: "Couldn't reach the alliance service. Check your connection and try again.",
    server_error: "The alliance service is having trouble. Please try again shortly.",
    unknown_shop: "This shop isn't currently listed as an alliance member.",
    invalid_shop: "This widget's shop code is set up wrongly. Please let the shop know.",
    no_reviews: "No reviews yet. Be the first to review this shop.",
    suspended: "Alliance membership suspended",
    revoked: "No longer an alliance member",
    not_verified_here: "This badge is not verified on this site",
    not_verified_hint: "The alliance verifies badges only on the shop's registered websites. Check on the alliance's verification page.",
    standards: "What every member promises",
    verify_link: "Check this membership with the alliance",
    new_tab: " (opens in a new tab)",
};

/// The catalogue for `locale`.
pub fn t(locale: Locale) -> &'static Catalog {
    match locale {
        Locale::En => &EN,
        _ => &ZH_TW,
    }
}

/// "Verified member since {year}".
pub fn verified_since(locale: Locale, year: u16) -> String {
    match locale {
        Locale::En => format!("Verified member since {year}"),
        _ => format!("{year} 年起的認證會員"),
    }
}

/// Digits grouped by thousands: 20000 → "20,000".
pub fn grouped(n: u32) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// The alliance-wide warranty.
pub fn warranty(locale: Locale, months: u16, km: u32) -> String {
    match locale {
        Locale::En => format!("{months}-month / {} km warranty, honoured at any member", grouped(km)),
        _ => format!("{months} 個月或 {} 公里保固，任一會員皆可保固", grouped(km)),
    }
}

/// The alliance-wide reputation line.
pub fn network(locale: Locale, members: u32, average: &str, reviews: u32) -> String {
    match locale {
        Locale::En => format!("Alliance: {members} member shops, rated {average} from {} reviews", grouped(reviews)),
        _ => format!("聯盟共 {members} 家會員，整體評分 {average}（{} 則評價）", grouped(reviews)),
    }
}

/// "{n} reviews".
pub fn review_count(locale: Locale, n: u32) -> String {
    match (locale, n) {
        (Locale::En, 1) => "1 review".to_owned(),
        (Locale::En, n) => format!("{} reviews", grouped(n)),
        (_, n) => format!("{} 則評價", grouped(n)),
    }
}

/// Text equivalent of the star graphic: "Rated 4.6 out of 5".
pub fn rated(locale: Locale, average: &str) -> String {
    match locale {
        Locale::En => format!("Rated {average} out of 5"),
        _ => format!("評分 {average}（滿分 5 分）"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_are_grouped_by_thousands() {
        assert_eq!(grouped(0), "0");
        assert_eq!(grouped(999), "999");
        assert_eq!(grouped(20000), "20,000");
        assert_eq!(grouped(1234567), "1,234,567");
    }

    #[test]
    fn both_catalogues_say_something_for_every_state() {
        for c in [t(Locale::ZhTw), t(Locale::En)] {
            for s in [c.loading, c.retry, c.network_error, c.unknown_shop, c.not_verified_here, c.revoked, c.suspended] {
                assert!(!s.is_empty());
            }
        }
    }
}
