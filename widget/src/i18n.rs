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
};

/// The catalogue for `locale`.
pub fn t(locale: Locale) -> &'static Catalog {
    match locale {
        Locale::En => &EN,
        _ => &ZH_TW,
    }
}

/// "Member of {alliance} since {year}".
pub fn member_since(locale: Locale, alliance: &str, year: u16) -> String {
    match locale {
        Locale::En => format!("Member of {alliance} since {year}"),
        _ => format!("{alliance}會員（{year} 年加入）"),
    }
}

/// "{n} reviews".
pub fn review_count(locale: Locale, n: u32) -> String {
    match (locale, n) {
        (Locale::En, 1) => "1 review".to_owned(),
        (Locale::En, n) => format!("{n} reviews"),
        (_, n) => format!("{n} 則評價"),
    }
}

/// Text equivalent of the star graphic: "Rated 4.6 out of 5".
pub fn rated(locale: Locale, average: &str) -> String {
    match locale {
        Locale::En => format!("Rated {average} out of 5"),
        _ => format!("評分 {average}（滿分 5 分）"),
    }
}
