use serde::{Deserialize, Serialize};

/// A language the widget speaks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[non_exhaustive]
pub enum Locale {
    /// Traditional Chinese as used in Taiwan.
    #[default]
    #[serde(rename = "zh-TW")]
    ZhTw,
    /// English.
    #[serde(rename = "en")]
    En,
}

impl Locale {
    /// Picks the best supported locale for a BCP 47 language tag such as `zh-Hant-TW`, `en-GB`
    /// or `zh`. Returns `None` when the tag names neither Chinese nor English.
    pub fn from_tag(tag: &str) -> Option<Self> {
        let primary = tag.split(['-', '_']).next()?.trim().to_ascii_lowercase();
        match primary.as_str() {
            "zh" => Some(Locale::ZhTw),
            "en" => Some(Locale::En),
            _ => None,
        }
    }

    /// The language a review's text is written in: Chinese when at least one in five of its
    /// letters is a CJK character, else English.
    pub fn detect(text: &str) -> Self {
        let (mut cjk, mut letters) = (0usize, 0usize);
        for c in text.chars().filter(|c| c.is_alphabetic()) {
            letters += 1;
            if matches!(c as u32, 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xF900..=0xFAFF) {
                cjk += 1;
            }
        }
        if letters > 0 && cjk * 5 >= letters {
            Locale::ZhTw
        } else {
            Locale::En
        }
    }

    /// The BCP 47 tag, e.g. for a `lang` attribute.
    pub fn tag(self) -> &'static str {
        match self {
            Locale::ZhTw => "zh-TW",
            Locale::En => "en",
        }
    }
}

/// Text given in both of the alliance's languages.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LocalizedText {
    /// Traditional Chinese.
    #[serde(rename = "zh-TW")]
    pub zh_tw: String,
    /// English.
    pub en: String,
}

impl LocalizedText {
    /// The text in `locale`, falling back to the other language when that one is empty.
    pub fn get(&self, locale: Locale) -> &str {
        let (first, second) = match locale {
            Locale::ZhTw => (&self.zh_tw, &self.en),
            Locale::En => (&self.en, &self.zh_tw),
        };
        if first.trim().is_empty() {
            second
        } else {
            first
        }
    }
}

/// A whole number as both languages write it: digits grouped by three with commas (20000 →
/// "20,000"). By hand rather than through `Intl.NumberFormat`, whose construction cost more
/// main-thread time on a slow phone than the rest of the first render.
pub fn grouped(n: u32) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
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
    fn language_tags_map_to_supported_locales() {
        assert_eq!(Locale::from_tag("zh-Hant-TW"), Some(Locale::ZhTw));
        assert_eq!(Locale::from_tag("zh_TW"), Some(Locale::ZhTw));
        assert_eq!(Locale::from_tag("EN-gb"), Some(Locale::En));
        assert_eq!(Locale::from_tag("ja"), None);
        assert_eq!(Locale::from_tag(""), None);
    }

    #[test]
    fn localized_text_falls_back_to_the_other_language() {
        let t = LocalizedText {
            zh_tw: "大安".into(),
            en: " ".into(),
        };
        assert_eq!(t.get(Locale::En), "大安");
        assert_eq!(t.get(Locale::ZhTw), "大安");
    }

    #[test]
    fn review_language_is_detected_from_its_text() {
        assert_eq!(Locale::detect("師傅很細心，價格合理"), Locale::ZhTw);
        assert_eq!(Locale::detect("Toyota 的煞車換得很好"), Locale::ZhTw);
        assert_eq!(Locale::detect("Honest shop, fair price"), Locale::En);
    }

    #[test]
    fn locale_serializes_as_its_tag() {
        assert_eq!(serde_json::to_string(&Locale::ZhTw).unwrap(), "\"zh-TW\"");
        assert_eq!(Locale::En.tag(), "en");
    }
}
