//! One path for every message the cadre reads about a failure. `UserMessage` turns a typed
//! error into text in a given language: the client's own texts come from `locales/` (so
//! they follow a language switch), the `model` and `exchange` errors bring their own
//! zh-CN (`zh()`) and English (`Display`) texts. `ErrorNote` shows one in the current
//! language. Errors keep their type until they reach here; nothing else picks a language.
//! Owns no store or network access.

use crate::i18n::*;
use crate::pwa::PwaError;
use crate::records::exchange::{ExportError, ImportFailure};
use crate::records::paper::CheckError;
use crate::records::RecordError;
use crate::store::StoreError;
use crate::sync::SyncError;
use leptos::prelude::*;
use std::sync::Arc;

/// A failure the cadre can be told about, in either language.
pub trait UserMessage {
    /// What to tell the cadre, in `locale`.
    fn message(&self, locale: Locale) -> String;
}

/// The `model` and `exchange` errors: their own Chinese text, their `Display` in English.
macro_rules! own_texts {
    ($($ty:ty),* $(,)?) => {$(
        impl UserMessage for $ty {
            fn message(&self, locale: Locale) -> String {
                match locale {
                    Locale::zh_CN => self.zh(),
                    Locale::en => self.to_string(),
                }
            }
        }
    )*};
}

own_texts!(
    model::form::FormError,
    model::concern::StepError,
    model::attendance::AttendanceError,
    model::survey::check::SurveyError,
    model::survey::edit::StatusError,
    model::survey::answer::AnswerError,
    model::points::PointsError,
    model::paper::hours::NumberError,
    model::paper::stamp::StampError,
    model::validate::ValidationError,
    exchange::ImportError,
);

/// What a screen keeps to say after an action (a failed save, a refused input): a typed
/// error or one of the screen's own texts, put into words only when shown, so it follows a
/// language switch.
#[derive(Clone)]
pub struct Said(Arc<dyn UserMessage + Send + Sync>);

/// One of a screen's own texts from `locales/`, in either language.
struct Text(fn(Locale) -> String);

impl UserMessage for Text {
    fn message(&self, locale: Locale) -> String {
        (self.0)(locale)
    }
}

impl Said {
    /// A screen's own text: `Said::text(|l| td_string!(l, key).to_string())`.
    pub fn text(words: fn(Locale) -> String) -> Self {
        Self(Arc::new(Text(words)))
    }
}

impl UserMessage for Said {
    fn message(&self, locale: Locale) -> String {
        self.0.message(locale)
    }
}

/// `error`, kept to be said.
pub fn said<E: UserMessage + Send + Sync + 'static>(error: E) -> Said {
    Said(Arc::new(error))
}

/// `error`'s message in the current language, as a text that follows a language switch.
pub fn message_text<E>(error: E) -> impl Fn() -> String + Send + Sync + 'static
where
    E: UserMessage + Send + Sync + 'static,
{
    let i18n = use_i18n();
    move || error.message(i18n.get_locale())
}

/// An error shown in the current language, following a language switch.
#[component]
pub fn ErrorNote<E>(
    /// The failure.
    error: E,
    /// The paragraph's class: `error` (a block) or `field-error` (under a form).
    #[prop(default = "error")]
    class: &'static str,
    /// A `data-testid` for tests.
    #[prop(default = None, into)]
    testid: Option<&'static str>,
) -> impl IntoView
where
    E: UserMessage + Send + Sync + 'static,
{
    view! { <p class=class role="alert" data-testid=testid>{message_text(error)}</p> }
}

/// The error in `slot`, if any, as an `ErrorNote` (for forms that keep their last failure).
pub fn error_slot<E>(
    slot: RwSignal<Option<E>>,
    class: &'static str,
    testid: Option<&'static str>,
) -> impl IntoView
where
    E: UserMessage + Clone + Send + Sync + 'static,
{
    move || {
        slot.get()
            .map(|error| view! { <ErrorNote error class testid/> })
    }
}

impl UserMessage for StoreError {
    fn message(&self, locale: Locale) -> String {
        let text = match self {
            Self::QuotaExceeded(_) => td_string!(locale, err_store_quota),
            Self::Blocked => td_string!(locale, err_store_blocked),
            Self::VersionError(_) => td_string!(locale, err_store_version),
            Self::NotFound(_) => td_string!(locale, err_store_not_found),
            Self::Conflict(_) => td_string!(locale, err_store_conflict),
            Self::InvalidDoc(_) => td_string!(locale, err_store_invalid),
            Self::Corrupt(_) | Self::Idb(_) => td_string!(locale, err_store_failed),
            Self::Shape(_) => td_string!(locale, err_store_shape),
        };
        text.to_string()
    }
}

impl UserMessage for SyncError {
    fn message(&self, locale: Locale) -> String {
        let text = match self {
            Self::Unauthorized(_) => td_string!(locale, err_sync_unauthorized),
            Self::Forbidden(_) => td_string!(locale, err_sync_forbidden),
            Self::Unreachable(_) => td_string!(locale, err_sync_unreachable),
            Self::TooManyAttempts(_) => td_string!(locale, err_sync_too_many),
            Self::Quota(_) => td_string!(locale, err_sync_quota),
            Self::Protocol(_) => td_string!(locale, err_sync_protocol),
            Self::Store(_) => td_string!(locale, err_sync_store),
            Self::Busy => td_string!(locale, err_sync_busy),
        };
        text.to_string()
    }
}

impl UserMessage for RecordError {
    fn message(&self, locale: Locale) -> String {
        match self {
            Self::Store(e) => e.message(locale),
            Self::Form(e) => e.message(locale),
            Self::Step(e) => e.message(locale),
            Self::Attendance(e) => e.message(locale),
            Self::Points(e) => e.message(locale),
            Self::Survey(e) => e.message(locale),
            Self::SurveyStatus(e) => e.message(locale),
            Self::VolunteerNumber(e) => e.message(locale),
            Self::EmptyConcern => td_string!(locale, err_empty_concern).to_string(),
            Self::SurveyNotOpen => td_string!(locale, err_survey_not_open).to_string(),
            Self::Answers(_) => td_string!(locale, err_answers).to_string(),
            Self::Photo(e) => e.message(locale),
            Self::Sync(e) => e.message(locale),
            Self::NotOnPhone => td_string!(locale, err_photo_not_on_phone).to_string(),
        }
    }
}

impl UserMessage for ExportError {
    fn message(&self, locale: Locale) -> String {
        match self {
            Self::Store(e) => e.message(locale),
            Self::Name(_) => td_string!(locale, err_export_name).to_string(),
            Self::Photo(e) => e.message(locale),
        }
    }
}

impl UserMessage for ImportFailure {
    fn message(&self, locale: Locale) -> String {
        match self {
            Self::Unreadable(_) => td_string!(locale, err_import_unreadable).to_string(),
            Self::File(e) => e.message(locale),
            Self::Store(e) => e.message(locale),
            Self::Refused(n) => format!(
                "{}{n}{}",
                td_string!(locale, err_import_refused_before),
                td_string!(locale, err_import_refused_after)
            ),
        }
    }
}

impl UserMessage for PwaError {
    fn message(&self, locale: Locale) -> String {
        let text = match self {
            Self::Unsupported(_) => td_string!(locale, err_browser_unsupported),
            Self::Js(_) => td_string!(locale, err_browser_failed),
        };
        text.to_string()
    }
}

impl UserMessage for CheckError {
    fn message(&self, locale: Locale) -> String {
        match self {
            Self::Stamp(e) => e.message(locale),
            Self::Store(e) => e.message(locale),
        }
    }
}

impl UserMessage for crate::sync::console::ConsoleError {
    fn message(&self, locale: Locale) -> String {
        use crate::sync::console::ConsoleError as E;
        let text = match self {
            E::PasswordsDiffer => td_string!(locale, err_hq_passwords_differ),
            E::WeakPassword(_) => td_string!(locale, err_hq_weak_password),
            E::Conflict(_) => td_string!(locale, err_hq_conflict),
            E::NotAllowed(_) => td_string!(locale, err_hq_not_allowed),
            E::Refused(_) => td_string!(locale, err_hq_refused),
            E::NotSignedIn => td_string!(locale, err_hq_not_signed_in),
            E::NoStation => td_string!(locale, err_hq_no_station),
            E::Review(e) => return e.message(locale),
            E::Station(key) => match key.as_str() {
                "not_yours" => td_string!(locale, err_tree_not_yours),
                "own_station" => td_string!(locale, err_tree_own_station),
                "bad_code" => td_string!(locale, err_tree_bad_code),
                "exists" => td_string!(locale, err_tree_exists),
                "no_station" => td_string!(locale, err_tree_no_station),
                "empty_name" => td_string!(locale, err_tree_empty_name),
                "level_order" | "bad_level" => td_string!(locale, err_tree_level),
                "cycle" => td_string!(locale, err_tree_cycle),
                _ => td_string!(locale, err_hq_refused),
            },
            E::Sync(e) => return e.message(locale),
        };
        text.to_string()
    }
}

impl UserMessage for crate::sync::console::upload::Refusal {
    fn message(&self, locale: Locale) -> String {
        use crate::sync::console::upload::Refusal as R;
        match self {
            // The hub's `exchange` said it in both languages.
            R::BadFile { zh, reason, .. } => match locale {
                Locale::zh_CN => zh.clone(),
                Locale::en => reason.clone(),
            },
            R::NotYours(code) => td_string!(locale, err_upload_not_yours).replace("{code}", code),
            R::NoStation(code) => td_string!(locale, err_upload_no_station).replace("{code}", code),
            R::TooLarge => td_string!(locale, err_upload_too_large).to_string(),
            R::Failed(e) => e.message(locale),
        }
    }
}

impl UserMessage for model::setup::SetupError {
    fn message(&self, locale: Locale) -> String {
        use model::setup::SetupError as E;
        match self {
            E::NotSetup => td_string!(locale, err_setup_not_setup).to_string(),
            E::Version(_) => td_string!(locale, err_setup_version).to_string(),
            E::Malformed(_) => td_string!(locale, err_setup_malformed).to_string(),
            // The address is the code's own, not a translated text: put in where `{server}` is.
            E::OtherServer(server) => {
                td_string!(locale, err_setup_other_server).replace("{server}", server)
            }
        }
    }
}
