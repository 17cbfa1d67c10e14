use serde::Serialize;
use std::fmt;

/// Identifier of a member shop, as used in URLs and in the embed snippet (`data-shop`).
///
/// 3 to 40 characters of lowercase ASCII letters, digits and single hyphens, starting with a
/// letter and not ending with a hyphen, e.g. `da-an-auto`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(transparent)]
pub struct ShopId(String);

/// Why a string is not a valid [`ShopId`].
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum IdError {
    /// Shorter than 3 or longer than 40 characters.
    Length(usize),
    /// Contains a character other than `a-z`, `0-9` and `-`.
    Character(char),
    /// Does not start with a letter, ends with a hyphen or has two hyphens in a row.
    Shape,
}

impl fmt::Display for IdError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            IdError::Length(n) => write!(f, "shop id must be 3 to 40 characters, not {n}"),
            IdError::Character(c) => write!(f, "shop id may not contain {c:?}"),
            IdError::Shape => {
                f.write_str("shop id must start with a letter and use single hyphens between words")
            }
        }
    }
}

impl std::error::Error for IdError {}

impl ShopId {
    /// Parses a shop id.
    ///
    /// # Errors
    /// Returns an [`IdError`] saying which rule the input breaks.
    pub fn parse(raw: &str) -> Result<Self, IdError> {
        let len = raw.chars().count();
        if !(3..=40).contains(&len) {
            return Err(IdError::Length(len));
        }
        if let Some(c) = raw
            .chars()
            .find(|c| !(c.is_ascii_lowercase() || c.is_ascii_digit() || *c == '-'))
        {
            return Err(IdError::Character(c));
        }
        let bytes = raw.as_bytes();
        if !bytes[0].is_ascii_lowercase() || bytes[bytes.len() - 1] == b'-' || raw.contains("--") {
            return Err(IdError::Shape);
        }
        Ok(Self(raw.to_owned()))
    }
}

parsed_name!(ShopId, IdError);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn well_formed_ids_are_accepted() {
        for ok in ["abc", "da-an-auto", "shop-42", "a1b"] {
            assert_eq!(ShopId::parse(ok).unwrap().as_str(), ok);
        }
    }

    #[test]
    fn ids_of_wrong_length_are_rejected() {
        assert_eq!(ShopId::parse("ab"), Err(IdError::Length(2)));
        assert_eq!(ShopId::parse(&"a".repeat(41)), Err(IdError::Length(41)));
    }

    #[test]
    fn ids_with_foreign_characters_are_rejected() {
        assert_eq!(ShopId::parse("Shop"), Err(IdError::Character('S')));
        assert_eq!(ShopId::parse("a/b/c"), Err(IdError::Character('/')));
        assert_eq!(ShopId::parse("車行abc"), Err(IdError::Character('車')));
    }

    #[test]
    fn ids_of_wrong_shape_are_rejected() {
        for bad in ["1shop", "-shop", "shop-", "a--b"] {
            assert_eq!(ShopId::parse(bad), Err(IdError::Shape), "{bad}");
        }
    }

    #[test]
    fn deserializing_validates() {
        assert!(serde_json::from_str::<ShopId>("\"ok-shop\"").is_ok());
        assert!(serde_json::from_str::<ShopId>("\"Bad Shop\"").is_err());
    }
}
