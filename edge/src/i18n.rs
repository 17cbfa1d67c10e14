//! The edge's one translation helper and how a page picks its language.

use crate::http::param;
use shared::Locale;
use worker::Request;

/// The page's language: `?lang=`, else the browser's first `Accept-Language`, else zh-TW.
pub fn lang_of(q: &[(String, String)], req: &Request) -> Locale {
    param(q, "lang")
        .and_then(Locale::from_tag)
        .or_else(|| {
            let accept = crate::http::header(req.headers(), "accept-language")?;
            Locale::from_tag(accept.split(',').next()?.split(';').next()?.trim())
        })
        .unwrap_or_default()
}

/// The text of `l`.
pub fn t(l: Locale, zh: &'static str, en: &'static str) -> &'static str {
    if l == Locale::En {
        en
    } else {
        zh
    }
}
