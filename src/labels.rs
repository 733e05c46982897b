//! The words for the model's wire values in the current language: activity kinds, concern
//! statuses, categories and ratings, survey statuses, attendance roles and team specialties. Every screen
//! and printed page labels these through here, with matches the compiler checks are
//! complete; the Chinese words equal the CSV tables' (`model`'s `zh()`), which
//! `tests/labels.rs` checks against `locales/zh-CN.json`. Owns no state.

use crate::i18n::*;
use leptos_i18n::I18nContext;
use model::concern::Rating;
use model::survey::Status as SurveyStatus;
use model::{ActivityKind, ConcernCategory, ConcernStatus};

type I18n = I18nContext<Locale>;

/// An activity kind.
pub fn kind(i18n: I18n, k: ActivityKind) -> &'static str {
    match k {
        ActivityKind::EveningForum => t_string!(i18n, kind_evening_forum),
        ActivityKind::PolicyTalk => t_string!(i18n, kind_policy_talk),
        ActivityKind::Service => t_string!(i18n, kind_service),
        ActivityKind::Culture => t_string!(i18n, kind_culture),
        ActivityKind::Other => t_string!(i18n, kind_other),
    }
}

/// An activity kind given by its wire name (an unknown one reads as 其他).
pub fn kind_text(i18n: I18n, wire: &str) -> &'static str {
    kind(
        i18n,
        ActivityKind::parse(wire).unwrap_or(ActivityKind::Other),
    )
}

/// A concern's status.
pub fn status(i18n: I18n, s: ConcernStatus) -> &'static str {
    match s {
        ConcernStatus::Open => t_string!(i18n, status_open),
        ConcernStatus::Assigned => t_string!(i18n, status_assigned),
        ConcernStatus::Resolved => t_string!(i18n, status_resolved),
        ConcernStatus::Rated => t_string!(i18n, status_rated),
    }
}

/// A concern's status given by its wire name (an unknown one is shown as written).
pub fn status_text(i18n: I18n, wire: &str) -> String {
    ConcernStatus::parse(wire).map_or_else(|| wire.to_owned(), |s| status(i18n, s).to_owned())
}

/// A concern's category.
pub fn category(i18n: I18n, c: ConcernCategory) -> &'static str {
    match c {
        ConcernCategory::Employment => t_string!(i18n, cat_employment),
        ConcernCategory::Agritech => t_string!(i18n, cat_agritech),
        ConcernCategory::Medical => t_string!(i18n, cat_medical),
        ConcernCategory::Education => t_string!(i18n, cat_education),
        ConcernCategory::Elderly => t_string!(i18n, cat_elderly),
        ConcernCategory::Infrastructure => t_string!(i18n, cat_infrastructure),
        ConcernCategory::Dispute => t_string!(i18n, cat_dispute),
        ConcernCategory::Policy => t_string!(i18n, cat_policy),
        ConcernCategory::Other => t_string!(i18n, cat_other),
    }
}

/// A concern's category given by its wire name (an unknown one reads as 其他).
pub fn category_text(i18n: I18n, wire: &str) -> &'static str {
    category(
        i18n,
        ConcernCategory::parse(wire).unwrap_or(ConcernCategory::Other),
    )
}

/// A villager's rating.
pub fn rating(i18n: I18n, r: Rating) -> &'static str {
    match r {
        Rating::Satisfied => t_string!(i18n, rating_satisfied),
        Rating::BasicallySatisfied => t_string!(i18n, rating_basically_satisfied),
        Rating::Unsatisfied => t_string!(i18n, rating_unsatisfied),
    }
}

/// A rating given by its wire name (empty when not rated).
pub fn rating_text(i18n: I18n, wire: &str) -> &'static str {
    Rating::parse(wire).map_or("", |r| rating(i18n, r))
}

/// A survey's status.
pub fn survey_status(i18n: I18n, s: SurveyStatus) -> &'static str {
    match s {
        SurveyStatus::Draft => t_string!(i18n, sv_status_draft),
        SurveyStatus::Open => t_string!(i18n, sv_status_open),
        SurveyStatus::Closed => t_string!(i18n, sv_status_closed),
    }
}

/// A volunteer's role at an activity (`records::people::ROLES`; unknown reads as 其他).
pub fn role(i18n: I18n, role: &str) -> &'static str {
    match role {
        "speaker" => t_string!(i18n, role_speaker),
        "service" => t_string!(i18n, role_service),
        "organizer" => t_string!(i18n, role_organizer),
        "performer" => t_string!(i18n, role_performer),
        _ => t_string!(i18n, role_other),
    }
}

/// A team's specialty (unknown reads as 其他).
pub fn specialty(i18n: I18n, s: &str) -> &'static str {
    match s {
        "agritech" => t_string!(i18n, spec_agritech),
        "medical" => t_string!(i18n, spec_medical),
        "legal" => t_string!(i18n, spec_legal),
        "arts" => t_string!(i18n, spec_arts),
        "policy" => t_string!(i18n, spec_policy),
        "sanitation" => t_string!(i18n, spec_sanitation),
        "elderly" => t_string!(i18n, spec_elderly),
        _ => t_string!(i18n, spec_other),
    }
}
