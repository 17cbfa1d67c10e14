use crate::ShopId;
use serde::{Deserialize, Serialize};

/// Body of a membership status change (suspend, reinstate, revoke): the reason is required and
/// is kept in the audit log.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct StatusChange {
    /// Why, in a sentence (1 to 500 characters, no control characters).
    pub reason: String,
}

impl StatusChange {
    /// Checks the reason.
    ///
    /// # Errors
    /// A message naming what is wrong with it.
    pub fn validate(&self) -> Result<(), String> {
        let n = self.reason.trim().chars().count();
        if n == 0 {
            return Err("reason is required".into());
        }
        if n > 500 {
            return Err(format!("reason must be at most 500 characters, not {n}"));
        }
        if self.reason.chars().any(|c| c.is_control() && c != '\n') {
            return Err("reason may not contain control characters".into());
        }
        Ok(())
    }
}

/// One line of the audit log: who changed what, when.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AuditEntry {
    /// When, RFC 3339 in UTC.
    pub at: String,
    /// Who: the credential's holder, e.g. `alliance-admin`.
    pub actor: String,
    /// What kind of change, e.g. `member.revoke`.
    pub action: String,
    /// The shop changed, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub shop: Option<ShopId>,
    /// Details, e.g. the reason given.
    pub detail: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn status_change_needs_a_sensible_reason() {
        let r = |s: &str| StatusChange { reason: s.into() }.validate();
        assert!(r("unpaid dues since March").is_ok());
        assert!(r("  ").is_err());
        assert!(r(&"x".repeat(501)).is_err());
        assert!(r("bell\u{7}").is_err());
    }
}
