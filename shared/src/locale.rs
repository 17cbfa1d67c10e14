use serde::{Deserialize, Serialize};

/// A language the widget speaks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
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

#[cfg(test)]
mod tests {
    use super::*;

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
        let t = LocalizedText { zh_tw: "大安".into(), en: " ".into() };
        assert_eq!(t.get(Locale::En), "大安");
        assert_eq!(t.get(Locale::ZhTw), "大安");
    }

    #[test]
    fn locale_serializes_as_its_tag() {
        assert_eq!(serde_json::to_string(&Locale::ZhTw).unwrap(), "\"zh-TW\"");
        assert_eq!(Locale::En.tag(), "en");
    }
}
