use serde::Serialize;
use std::fmt;

/// An exact web origin (scheme, host and optional port) where a shop's badge is valid, e.g.
/// `https://shop.example.tw`. Only `https` is accepted, except plain `http` for `localhost`
/// and `127.x.x.x`, so local development works.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(transparent)]
pub struct AllowedOrigin(String);

/// Why a string is not an acceptable badge origin.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum OriginError {
    /// Not of the form `scheme://host[:port]`.
    Malformed(String),
    /// Plain `http` for a host other than localhost or 127.x.
    NotHttps(String),
    /// Has a path, query or fragment; an origin has none.
    HasPath(String),
}

impl fmt::Display for OriginError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            OriginError::Malformed(s) => {
                write!(f, "{s:?} is not an origin like https://shop.example.tw")
            }
            OriginError::NotHttps(s) => {
                write!(
                    f,
                    "{s:?} must use https (plain http only for localhost and 127.x)"
                )
            }
            OriginError::HasPath(s) => write!(f, "{s:?} must be an origin without a path"),
        }
    }
}

impl std::error::Error for OriginError {}

fn is_loopback(host: &str) -> bool {
    host == "localhost" || {
        let parts: Vec<&str> = host.split('.').collect();
        parts.len() == 4
            && parts[0] == "127"
            && parts
                .iter()
                .all(|p| !p.is_empty() && p.len() <= 3 && p.parse::<u8>().is_ok())
    }
}

fn valid_host(host: &str) -> bool {
    !host.is_empty()
        && host.len() <= 253
        && host.split('.').all(|label| {
            !label.is_empty()
                && label.len() <= 63
                && !label.starts_with('-')
                && !label.ends_with('-')
                && label
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
        })
}

impl AllowedOrigin {
    /// Parses and normalises (lowercases) an origin.
    ///
    /// # Errors
    /// An [`OriginError`] naming the rule broken.
    pub fn parse(raw: &str) -> Result<Self, OriginError> {
        let lower = raw.trim().to_ascii_lowercase();
        let (scheme, rest) = lower
            .split_once("://")
            .ok_or_else(|| OriginError::Malformed(raw.to_owned()))?;
        let rest = rest.strip_suffix('/').unwrap_or(rest);
        if rest.contains(['/', '?', '#']) {
            return Err(OriginError::HasPath(raw.to_owned()));
        }
        if rest.contains('@') {
            return Err(OriginError::Malformed(raw.to_owned()));
        }
        let (host, port) = match rest.rsplit_once(':') {
            Some((h, p)) => {
                let ok = !p.is_empty() && p.len() <= 5 && p.parse::<u16>().is_ok_and(|n| n > 0);
                if !ok {
                    return Err(OriginError::Malformed(raw.to_owned()));
                }
                (h, Some(p))
            }
            None => (rest, None),
        };
        if !valid_host(host) {
            return Err(OriginError::Malformed(raw.to_owned()));
        }
        match scheme {
            "https" => {}
            "http" if is_loopback(host) => {}
            "http" => return Err(OriginError::NotHttps(raw.to_owned())),
            _ => return Err(OriginError::Malformed(raw.to_owned())),
        }
        let port = port.map(|p| format!(":{p}")).unwrap_or_default();
        Ok(Self(format!("{scheme}://{host}{port}")))
    }
}

parsed_name!(AllowedOrigin, OriginError);

/// The origin a request came from, from its own `Origin` header, else from its `Referer`.
/// Returns `None` when neither names one (e.g. `Origin: null`).
pub fn request_origin(origin: Option<&str>, referer: Option<&str>) -> Option<String> {
    if let Some(o) = origin
        .map(str::trim)
        .filter(|o| !o.is_empty() && *o != "null")
    {
        return Some(o.to_ascii_lowercase());
    }
    let referer = referer?.trim();
    let (scheme, rest) = referer.split_once("://")?;
    let authority = rest.split(['/', '?', '#']).next()?;
    if authority.is_empty() || authority.contains('@') {
        return None;
    }
    Some(format!(
        "{}://{}",
        scheme.to_ascii_lowercase(),
        authority.to_ascii_lowercase()
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn https_origins_are_accepted_and_normalised() {
        assert_eq!(
            AllowedOrigin::parse("https://Shop.Example.TW/")
                .unwrap()
                .as_str(),
            "https://shop.example.tw"
        );
        assert_eq!(
            AllowedOrigin::parse("https://www.shop.tw:8443")
                .unwrap()
                .as_str(),
            "https://www.shop.tw:8443"
        );
    }

    #[test]
    fn plain_http_only_for_loopback() {
        assert!(AllowedOrigin::parse("http://127.0.0.1:8080").is_ok());
        assert!(AllowedOrigin::parse("http://localhost:3000").is_ok());
        assert_eq!(
            AllowedOrigin::parse("http://shop.example.tw"),
            Err(OriginError::NotHttps("http://shop.example.tw".into()))
        );
        assert!(matches!(
            AllowedOrigin::parse("http://127.0.0.1.evil.tw"),
            Err(OriginError::NotHttps(_))
        ));
    }

    #[test]
    fn paths_and_junk_are_rejected() {
        assert!(matches!(
            AllowedOrigin::parse("https://shop.tw/about"),
            Err(OriginError::HasPath(_))
        ));
        for bad in [
            "shop.tw",
            "ftp://shop.tw",
            "https://",
            "https://a b.tw",
            "https://shop.tw:0",
            "https://shop.tw:99999",
            "https://u@shop.tw",
            "javascript://x",
        ] {
            assert!(AllowedOrigin::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn request_origin_prefers_origin_then_referer() {
        assert_eq!(
            request_origin(Some("https://a.tw"), Some("https://b.tw/x")),
            Some("https://a.tw".into())
        );
        assert_eq!(
            request_origin(None, Some("https://B.tw:8443/page?q=1")),
            Some("https://b.tw:8443".into())
        );
        assert_eq!(request_origin(Some("null"), None), None);
        assert_eq!(request_origin(None, None), None);
    }
}
