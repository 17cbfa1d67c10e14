//! Reading requests (query, fields, bodies, the client's address and origin) and the small
//! helpers of pages (escaping, ETags); the response builders come from `response.rs`.

use crate::error::{ApiError, ApiResult};
pub use crate::response::{json, set, text};
use shared::ProblemKind;
use worker::Request;

/// Largest request body any route accepts.
pub const MAX_BODY: usize = 1024 * 1024;

/// The request's query parameters.
pub fn query(req: &Request) -> ApiResult<Vec<(String, String)>> {
    Ok(req
        .url()?
        .query_pairs()
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect())
}

/// The value of header `name`, if the message has it.
pub fn header(headers: &worker::Headers, name: &str) -> Option<String> {
    headers.get(name).ok().flatten()
}

/// The first value of `name` in a query's or a form's name–value pairs.
pub fn param<'a>(pairs: &'a [(String, String)], name: &str) -> Option<&'a str> {
    pairs
        .iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.as_str())
}

/// The first value of `name` in a form, `""` when it is absent (to a form, an empty field and a
/// missing one are the same).
pub fn field<'a>(pairs: &'a [(String, String)], name: &str) -> &'a str {
    param(pairs, name).unwrap_or("")
}

/// Query parameter `name` as an integer within `range`, `default` when absent, else 400 naming it.
pub fn bounded<T>(
    q: &[(String, String)],
    name: &str,
    default: T,
    range: std::ops::RangeInclusive<T>,
) -> ApiResult<T>
where
    T: std::str::FromStr + PartialOrd + std::fmt::Display + Copy,
{
    match param(q, name) {
        None => Ok(default),
        Some(v) => v
            .parse::<T>()
            .ok()
            .filter(|n| range.contains(n))
            .ok_or_else(|| {
                ApiError::field(
                    ProblemKind::InvalidParameter,
                    name,
                    format!(
                        "{name} must be {} to {}, not {v:?}",
                        range.start(),
                        range.end()
                    ),
                )
            }),
    }
}

/// The client's address as Cloudflare reports it (`local` in tests without the header): the key
/// of the per-address rate limits.
pub fn client_ip(req: &Request) -> String {
    crate::http::header(req.headers(), "cf-connecting-ip").unwrap_or_else(|| "local".into())
}

/// The alliance's own origin, where the request arrived (`https://alliance.example`): the
/// origin of its directory and hosted member pages, which counts as every member's site.
pub fn own_origin(req: &Request) -> Option<String> {
    req.url().ok().map(|u| u.origin().ascii_serialization())
}

/// Escapes text for HTML and XML (element content and quoted attribute values).
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// A `data:` URL for an SVG image, percent-encoded.
pub fn svg_data_url(svg: &str) -> String {
    let mut out = String::from("data:image/svg+xml,");
    for b in svg.bytes() {
        if b.is_ascii_alphanumeric() || b"-_.~/=:;,()!*".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// A strong ETag for a body.
pub fn etag(body: &str) -> String {
    use sha2::{Digest, Sha256};
    let digest = Sha256::digest(body.as_bytes());
    let hex = hex::encode(&digest[..12]);
    format!("\"{hex}\"")
}

/// True when the request's `If-None-Match` already names `etag`.
pub fn not_modified(req: &Request, etag: &str) -> bool {
    crate::http::header(req.headers(), "if-none-match")
        .is_some_and(|v| v.split(',').any(|t| t.trim() == etag || t.trim() == "*"))
}

/// Reads a body of media type `expected` and at most `max` bytes (415 or 413 otherwise,
/// checked before reading when the client declares its length).
pub async fn read_body(req: &mut Request, expected: &str, max: usize) -> ApiResult<Vec<u8>> {
    let content_type = crate::http::header(req.headers(), "content-type").unwrap_or_default();
    let essence = content_type
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase();
    if essence != expected {
        return Err(ApiError::field(
            ProblemKind::UnsupportedMediaType,
            "content-type",
            format!("expected {expected}, got {content_type:?}"),
        ));
    }
    let too_large = || {
        ApiError::field(
            ProblemKind::PayloadTooLarge,
            "body",
            format!("body must be at most {max} bytes"),
        )
    };
    let declared =
        crate::http::header(req.headers(), "content-length").and_then(|v| v.parse::<usize>().ok());
    if declared.is_some_and(|n| n > max) {
        return Err(too_large());
    }
    let bytes = req.bytes().await?;
    if bytes.len() > max {
        return Err(too_large());
    }
    Ok(bytes)
}

/// Reads a JSON body, enforcing its content type and size.
pub async fn read_json<T: serde::de::DeserializeOwned>(req: &mut Request) -> ApiResult<T> {
    let bytes = read_body(req, "application/json", MAX_BODY).await?;
    let mut de = serde_json::Deserializer::from_slice(&bytes);
    let value = serde_path_to_error::deserialize(&mut de).map_err(|e| {
        let path = e.path().to_string();
        let field = if path == "." || path == "?" || path.is_empty() {
            "body".to_owned()
        } else {
            path
        };
        ApiError::field(
            ProblemKind::InvalidBody,
            field,
            format!("body is not valid: {}", e.inner()),
        )
    })?;
    de.end().map_err(|e| {
        ApiError::field(
            ProblemKind::InvalidBody,
            "body",
            format!("body is not valid: {e}"),
        )
    })?;
    Ok(value)
}
