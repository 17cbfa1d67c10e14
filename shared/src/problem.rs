use serde::{Deserialize, Serialize};

/// The kinds of problem the API reports, each with a stable `type` URI.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum ProblemKind {
    /// No shop with that id is in the alliance.
    UnknownShop,
    /// A path parameter, such as a shop id, is malformed.
    InvalidParameter,
    /// The request body failed validation.
    InvalidBody,
    /// No route matches the path.
    NotFound,
    /// The route exists but not for this method.
    MethodNotAllowed,
    /// The body's content type is not the one the route takes.
    UnsupportedMediaType,
    /// The body is larger than the route accepts.
    PayloadTooLarge,
    /// The request lacks credentials.
    Unauthorized,
    /// The credentials given are malformed or not valid.
    Forbidden,
    /// The request conflicts with the current state, e.g. the shop already exists.
    Conflict,
    /// Too many requests from this client or for this token; retry later.
    TooManyRequests,
    /// The review link was already used.
    TokenUsed,
    /// The review link is forged, altered, malformed or for another shop.
    InvalidToken,
    /// The review link has expired.
    TokenExpired,
    /// A write came from a page that is not one of the shop's registered origins.
    ForeignOrigin,
    /// Every bay is taken at that time.
    SlotFull,
    /// Well-formed, but it contradicts what it refers to: an `Idempotency-Key` reused with
    /// another body, a review form naming another service than its visit's.
    Unprocessable,
    /// A storage back end failed; retrying later may work.
    Unavailable,
    /// An unexpected failure in the edge itself.
    Internal,
}

impl ProblemKind {
    /// Every kind.
    pub const ALL: [ProblemKind; 19] = [
        ProblemKind::UnknownShop,
        ProblemKind::InvalidParameter,
        ProblemKind::InvalidBody,
        ProblemKind::NotFound,
        ProblemKind::MethodNotAllowed,
        ProblemKind::UnsupportedMediaType,
        ProblemKind::PayloadTooLarge,
        ProblemKind::Unauthorized,
        ProblemKind::Forbidden,
        ProblemKind::Conflict,
        ProblemKind::TooManyRequests,
        ProblemKind::TokenUsed,
        ProblemKind::InvalidToken,
        ProblemKind::TokenExpired,
        ProblemKind::ForeignOrigin,
        ProblemKind::SlotFull,
        ProblemKind::Unprocessable,
        ProblemKind::Unavailable,
        ProblemKind::Internal,
    ];

    /// The kind a problem's `type` URI names (`None` for one this build does not know).
    pub fn from_type(uri: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.type_uri() == uri)
    }

    /// The stable `type` URI clients may match on.
    pub fn type_uri(self) -> &'static str {
        match self {
            ProblemKind::UnknownShop => "/problems/unknown-shop",
            ProblemKind::InvalidParameter => "/problems/invalid-parameter",
            ProblemKind::InvalidBody => "/problems/invalid-body",
            ProblemKind::NotFound => "/problems/not-found",
            ProblemKind::MethodNotAllowed => "/problems/method-not-allowed",
            ProblemKind::UnsupportedMediaType => "/problems/unsupported-media-type",
            ProblemKind::PayloadTooLarge => "/problems/payload-too-large",
            ProblemKind::Unauthorized => "/problems/unauthorized",
            ProblemKind::Forbidden => "/problems/forbidden",
            ProblemKind::Conflict => "/problems/conflict",
            ProblemKind::TooManyRequests => "/problems/too-many-requests",
            ProblemKind::TokenUsed => "/problems/token-used",
            ProblemKind::InvalidToken => "/problems/invalid-token",
            ProblemKind::TokenExpired => "/problems/token-expired",
            ProblemKind::ForeignOrigin => "/problems/foreign-origin",
            ProblemKind::SlotFull => "/problems/slot-full",
            ProblemKind::Unprocessable => "/problems/unprocessable",
            ProblemKind::Unavailable => "/problems/unavailable",
            ProblemKind::Internal => "/problems/internal",
        }
    }

    /// The HTTP status code that goes with it.
    pub fn status(self) -> u16 {
        match self {
            ProblemKind::UnknownShop | ProblemKind::NotFound => 404,
            ProblemKind::InvalidParameter | ProblemKind::InvalidBody => 400,
            ProblemKind::MethodNotAllowed => 405,
            ProblemKind::UnsupportedMediaType => 415,
            ProblemKind::PayloadTooLarge => 413,
            ProblemKind::Unauthorized => 401,
            ProblemKind::Forbidden => 403,
            ProblemKind::Conflict => 409,
            ProblemKind::TooManyRequests => 429,
            ProblemKind::TokenUsed => 409,
            ProblemKind::InvalidToken => 403,
            ProblemKind::TokenExpired => 410,
            ProblemKind::ForeignOrigin => 403,
            ProblemKind::SlotFull => 409,
            ProblemKind::Unprocessable => 422,
            ProblemKind::Unavailable => 503,
            ProblemKind::Internal => 500,
        }
    }

    /// A short, human-readable summary of the kind.
    pub fn title(self) -> &'static str {
        match self {
            ProblemKind::UnknownShop => "unknown shop",
            ProblemKind::InvalidParameter => "invalid parameter",
            ProblemKind::InvalidBody => "invalid request body",
            ProblemKind::NotFound => "not found",
            ProblemKind::MethodNotAllowed => "method not allowed",
            ProblemKind::UnsupportedMediaType => "unsupported media type",
            ProblemKind::PayloadTooLarge => "payload too large",
            ProblemKind::Unauthorized => "unauthorized",
            ProblemKind::Forbidden => "forbidden",
            ProblemKind::Conflict => "conflict",
            ProblemKind::TooManyRequests => "too many requests",
            ProblemKind::TokenUsed => "review link already used",
            ProblemKind::InvalidToken => "invalid review link",
            ProblemKind::TokenExpired => "review link expired",
            ProblemKind::ForeignOrigin => "origin not allowed",
            ProblemKind::SlotFull => "slot full",
            ProblemKind::Unprocessable => "unprocessable request",
            ProblemKind::Unavailable => "service unavailable",
            ProblemKind::Internal => "internal error",
        }
    }
}

/// An RFC 9457 problem details document (`application/problem+json`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Problem {
    /// Stable URI naming the kind of problem.
    #[serde(rename = "type")]
    pub kind: String,
    /// Short summary of the kind.
    pub title: String,
    /// HTTP status code.
    pub status: u16,
    /// What went wrong with this request, naming the value.
    pub detail: String,
    /// The request field or parameter at fault, when there is one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
    /// Every field at fault, when a form had several problems at once.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub errors: Vec<crate::FieldError>,
}

impl Problem {
    /// The kind its `type` names, when this build knows it.
    pub fn kind(&self) -> Option<ProblemKind> {
        ProblemKind::from_type(&self.kind)
    }

    /// A problem of `kind` with a specific `detail`.
    pub fn new(kind: ProblemKind, detail: impl Into<String>) -> Self {
        Self {
            kind: kind.type_uri().to_owned(),
            title: kind.title().to_owned(),
            status: kind.status(),
            detail: detail.into(),
            field: None,
            errors: Vec::new(),
        }
    }

    /// A 400 for a form with field errors: names the first field, lists all of them.
    pub fn fields(errors: Vec<crate::FieldError>) -> Self {
        let first = errors.first().cloned();
        let detail = errors
            .iter()
            .map(|e| e.detail.as_str())
            .collect::<Vec<_>>()
            .join("; ");
        let mut p = Problem::new(ProblemKind::InvalidBody, detail);
        p.field = first.map(|e| e.field);
        p.errors = errors;
        p
    }

    /// The same problem, naming the field at fault.
    pub fn with_field(mut self, field: impl Into<String>) -> Self {
        self.field = Some(field.into());
        self
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_kind_is_parsed_back_from_its_type_uri() {
        for k in ProblemKind::ALL {
            assert_eq!(ProblemKind::from_type(k.type_uri()), Some(k));
        }
        assert_eq!(ProblemKind::from_type("/problems/something-new"), None);
    }

    #[test]
    fn field_reasons_travel_as_data_next_to_the_detail() {
        let e = crate::FieldError::new("text", crate::Reason::TooLong { max: 2000 }, "too long");
        let v = serde_json::to_value(&e).unwrap();
        assert_eq!(
            v["reason"],
            serde_json::json!({ "kind": "too-long", "max": 2000 })
        );
        assert_eq!(v["detail"], "too long");
        // A problem from an edge that sends no reason still reads.
        let old: crate::FieldError =
            serde_json::from_str(r#"{"field":"text","detail":"x"}"#).unwrap();
        assert_eq!(old.reason, crate::Reason::Other);
    }

    #[test]
    fn problem_serializes_per_rfc_9457() {
        let p = Problem::new(ProblemKind::InvalidParameter, "shop id may not contain '/'")
            .with_field("shop");
        let v: serde_json::Value = serde_json::to_value(&p).unwrap();
        assert_eq!(v["type"], "/problems/invalid-parameter");
        assert_eq!(v["status"], 400);
        assert_eq!(v["field"], "shop");
        assert_eq!(v["title"], "invalid parameter");
    }
}
