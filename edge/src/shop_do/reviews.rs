//! Reviews inside the shop's object: a customer's review (one per visit, rate-limited, its
//! service, date and provenance from the visit's record), the shop's one reply, the admin's
//! hiding with a published reason; and the rows and KV keys they are kept in.

use super::*;

/// Body of `POST /reviews`: a validated review with its verified token's visit.
#[derive(Serialize, Deserialize)]
pub struct SubmitReq {
    /// The visit from the review token; one review per visit.
    pub visit: String,
    /// The client's address, for the rate limit.
    pub ip: String,
    /// Rating.
    pub stars: Stars,
    /// Normalised text.
    pub text: String,
    /// Service id, as the form named it.
    pub service: String,
    /// The service the signed token names, if it names one.
    #[serde(default)]
    pub token_service: Option<String>,
    /// The name as given (shown shortened).
    pub author: String,
    /// Language of the text.
    pub language: Locale,
}

/// Body of `PUT /reply`.
#[derive(Serialize, Deserialize)]
pub struct ReplyReq {
    /// Review id.
    pub id: shared::ReviewId,
    /// Reply text (already validated).
    pub text: String,
}

/// Body of `POST /hide`.
#[derive(Serialize, Deserialize)]
pub struct HideReq {
    /// Review id.
    pub id: shared::ReviewId,
    /// Why.
    pub reason: HideReason,
}

#[derive(Deserialize)]
pub(super) struct Row {
    pub(super) id: String,
    pub(super) created_ms: f64,
    pub(super) created_at: String,
    pub(super) stars: f64,
    pub(super) text: String,
    pub(super) language: String,
    pub(super) service: String,
    pub(super) author: String,
    pub(super) verified: f64,
    pub(super) reply_text: Option<String>,
    pub(super) reply_at: Option<String>,
    pub(super) hidden: Option<String>,
    pub(super) indexed: f64,
    #[serde(default)]
    pub(super) provenance: Option<String>,
}

#[derive(Deserialize)]
pub(super) struct GoneRow {
    pub(super) id: String,
    pub(super) stars: f64,
    pub(super) created_ms: f64,
    pub(super) service: String,
}

/// A stored star value; one that is no rating is an internal error naming it (never counted
/// as some rating it is not).
pub(super) fn stars_of(n: f64) -> ApiResult<Stars> {
    Stars::parse(n as i64).map_err(|e| ApiError::Internal(format!("stored review: {e}")))
}

impl Row {
    /// The review as the public sees it; a stored value that does not decode (a star value, a
    /// hiding reason) is an internal error, never shown as something it is not.
    pub(super) fn public(&self) -> ApiResult<PublicReview> {
        let hidden: Option<HideReason> = match self.hidden.as_deref() {
            Some(h) => Some(serde_json::from_value(h.into()).map_err(|e| {
                ApiError::Internal(format!("review {}: stored hiding reason: {e}", self.id))
            })?),
            None => None,
        };
        let stars = stars_of(self.stars)?;
        let language = if self.language == "en" {
            Locale::En
        } else {
            Locale::ZhTw
        };
        Ok(PublicReview {
            id: self.id.clone(),
            created_at: self.created_at.clone(),
            content: hidden.is_none().then(|| ReviewContent {
                stars,
                text: self.text.clone(),
                language,
                service: self.service.clone(),
                author: short_name(&self.author),
                verified_visit: self.verified > 0.0,
                provenance: Provenance::parse(self.provenance.as_deref().unwrap_or_default()),
                reply: self.reply_text.clone().map(|text| Reply {
                    text,
                    updated_at: self.reply_at.clone().unwrap_or_default(),
                }),
            }),
            hidden,
        })
    }
}

/// KV keys of one review: its value, and one index key per sort for all services and for its own.
fn review_keys(
    shop: &str,
    id: &str,
    stars: Stars,
    created_ms: u64,
    service: &str,
) -> (String, Vec<String>) {
    let value = format!("review/{shop}/{id}");
    let mut index = Vec::new();
    for sort in ReviewSort::ALL {
        let k = sort.sort_key(stars, created_ms, id);
        index.push(format!("ri/{shop}/{}/all/{k}", sort.code()));
        index.push(format!("ri/{shop}/{}/s-{service}/{k}", sort.code()));
    }
    (value, index)
}

/// [`review_keys`] of a stored row: stars and time as SQLite hands them over.
pub(super) fn stored_keys(
    shop: &str,
    id: &str,
    stars: f64,
    created_ms: f64,
    service: &str,
) -> ApiResult<(String, Vec<String>)> {
    Ok(review_keys(
        shop,
        id,
        stars_of(stars)?,
        created_ms as u64,
        service,
    ))
}

impl ShopDo {
    /// The stored review `id`, if there is one.
    fn review(&self, id: &str) -> ApiResult<Option<Row>> {
        Ok(self
            .rows("SELECT * FROM reviews WHERE id = ?", vec![id.into()])?
            .into_iter()
            .next())
    }

    pub(super) async fn submit(&self, r: SubmitReq) -> ApiResult<Response> {
        let now = js_sys::Date::now() as i64;
        let hour = 3_600_000;
        if !self.hit(&format!("ip:{}", r.ip), 10, hour, now)?
            || !self.hit(&format!("visit:{}", r.visit), 5, hour, now)?
        {
            let mut resp = ApiError::client(
                ProblemKind::TooManyRequests,
                "too many reviews from here; try again in an hour",
            )
            .into_response();
            http::set(&mut resp, "retry-after", "3600");
            return Ok(resp);
        }
        let used = self.rows(
            "SELECT * FROM reviews WHERE visit = ?",
            vec![r.visit.clone().into()],
        )?;
        if !used.is_empty() {
            return Err(ApiError::field(
                ProblemKind::TokenUsed,
                "token",
                "this review link has already been used",
            ));
        }
        let visit = self.visit_record(&r.visit)?;
        let service = match r.token_service.clone().or(visit.service) {
            Some(s) if s != r.service => {
                return Err(ApiError::field(
                    ProblemKind::Unprocessable,
                    "service",
                    format!(
                        "this review link is for a visit for service {s:?}; the form named {:?}",
                        r.service
                    ),
                ))
            }
            Some(s) => s,
            None => r.service.clone(),
        };
        let version = self.bump()?;
        let id = crate::secrets::random_hex::<5>()?;
        let created_at = format_rfc3339(now as u64);
        self.exec("INSERT INTO reviews (id, visit, created_ms, created_at, stars, text, language, service, author, verified, indexed, dirty, provenance, visit_date)
                 VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 1, 0, ?, ?, ?)",
                vec![
                    id.clone().into(),
                    r.visit.clone().into(),
                    now.into(),
                    created_at.into(),
                    i64::from(r.stars.get()).into(),
                    r.text.into(),
                    r.language.tag().into(),
                    service.into(),
                    r.author.into(),
                    version.into(),
                    visit.provenance.as_str().into(),
                    visit.date.map(SqlStorageValue::from).unwrap_or(SqlStorageValue::Null),
                ])?;
        let row = self.rows("SELECT * FROM reviews WHERE id = ?", vec![id.into()])?;
        self.flush().await?;
        let body = serde_json::to_string(&row[0].public()?)?;
        Ok(http::json(body, 201))
    }

    pub(super) async fn reply(&self, r: ReplyReq) -> ApiResult<Response> {
        let version = self.bump()?;
        let at = format_rfc3339(js_sys::Date::now() as u64);
        let cursor = self.exec(
            "UPDATE reviews SET reply_text = ?, reply_at = ?, dirty = ? WHERE id = ?",
            vec![
                r.text.into(),
                at.into(),
                version.into(),
                r.id.as_str().into(),
            ],
        )?;
        if cursor.rows_written() == 0 {
            return Err(ApiError::field(
                ProblemKind::NotFound,
                "review",
                format!("no review {} at this shop", r.id),
            ));
        }
        self.flush().await?;
        let row = self
            .review(&r.id)?
            .ok_or_else(|| ApiError::Internal(format!("review {} vanished", r.id)))?;
        Ok(http::json(serde_json::to_string(&row.public()?)?, 200))
    }

    pub(super) async fn hide(&self, r: HideReq) -> ApiResult<Response> {
        let Some(row) = self.review(&r.id)? else {
            return Err(ApiError::field(
                ProblemKind::NotFound,
                "review",
                format!("no review {} at this shop", r.id),
            ));
        };
        if row.hidden.is_some() {
            return Err(ApiError::field(
                ProblemKind::Conflict,
                "review",
                format!("review {} is already hidden", r.id),
            ));
        }
        let version = self.bump()?;
        self.exec(
            "UPDATE reviews SET hidden = ?, dirty = ? WHERE id = ?",
            vec![
                r.reason.as_str().into(),
                version.into(),
                r.id.as_str().into(),
            ],
        )?;
        self.flush().await?;
        let row = self
            .review(&r.id)?
            .ok_or_else(|| ApiError::Internal(format!("review {} vanished", r.id)))?;
        Ok(http::json(serde_json::to_string(&row.public()?)?, 200))
    }
}
