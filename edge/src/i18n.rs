//! The edge's one translation helper and how a page picks its language.

use crate::http::param;
use shared::{Locale, Problem, ProblemKind, Reason};
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

/// A field's refusal in the reader's language, from its reason (the English `detail` stays for
/// API users); `None` for a reason with no message of its own.
pub fn reason_text(l: Locale, reason: Reason) -> Option<String> {
    let en = l == Locale::En;
    Some(match reason {
        Reason::Required => t(l, "這一欄必須填寫。", "This field is required.").into(),
        Reason::TooShort { min } if en => format!("At least {min} characters."),
        Reason::TooShort { min } => format!("至少需要 {min} 個字。"),
        Reason::TooLong { max } if en => format!("At most {max} characters."),
        Reason::TooLong { max } => format!("最多 {max} 個字。"),
        Reason::ControlCharacters => t(
            l,
            "不能包含控制字元。",
            "It may not contain control characters.",
        )
        .into(),
        Reason::Format => t(l, "格式不正確。", "This is not in the expected format.").into(),
        Reason::OutOfRange => t(l, "超出允許的範圍。", "This is outside the allowed range.").into(),
        Reason::NotOffered => t(l, "不是可選的項目。", "This is not one of the choices.").into(),
        Reason::MustAgree => t(l, "請勾選同意。", "Please tick to agree.").into(),
        Reason::MustBeEmpty => t(l, "這一欄請留空。", "Leave this field empty.").into(),
        _ => return None,
    })
}

/// What a console page says about a refusal: its field's reason where it has one; else, in
/// Chinese, what kind of refusal it is with the specific English detail after it, and in
/// English the detail.
pub fn problem_text(l: Locale, p: &Problem) -> String {
    if let Some(text) = p.errors.iter().find_map(|e| reason_text(l, e.reason)) {
        return text;
    }
    if l == Locale::En {
        return p.detail.clone();
    }
    let kind = match p.kind() {
        Some(ProblemKind::NotFound | ProblemKind::UnknownShop) => "找不到這筆資料",
        Some(ProblemKind::Conflict | ProblemKind::SlotFull) => "目前無法這樣做",
        Some(
            ProblemKind::InvalidBody | ProblemKind::InvalidParameter | ProblemKind::Unprocessable,
        ) => "資料有誤",
        Some(ProblemKind::TooManyRequests) => "操作太頻繁，請稍後再試",
        Some(ProblemKind::Unauthorized | ProblemKind::Forbidden | ProblemKind::ForeignOrigin) => {
            "沒有權限這樣做"
        }
        Some(ProblemKind::InvalidToken | ProblemKind::TokenExpired | ProblemKind::TokenUsed) => {
            "連結無效或已過期"
        }
        _ => "無法完成",
    };
    format!("{kind}（{}）", p.detail)
}

#[cfg(test)]
mod tests {
    use super::*;
    use shared::FieldError;

    #[test]
    fn a_refusal_reads_in_the_pages_language() {
        let field = Problem::fields(vec![FieldError::new(
            "text",
            Reason::TooLong { max: 40 },
            "name must be at most 40 characters, not 41",
        )]);
        assert_eq!(problem_text(Locale::ZhTw, &field), "最多 40 個字。");
        assert_eq!(problem_text(Locale::En, &field), "At most 40 characters.");
        let conflict = Problem::new(ProblemKind::Conflict, "not before the start");
        assert_eq!(
            problem_text(Locale::ZhTw, &conflict),
            "目前無法這樣做（not before the start）"
        );
        assert_eq!(problem_text(Locale::En, &conflict), "not before the start");
        assert_eq!(reason_text(Locale::En, Reason::Other), None);
    }
}
