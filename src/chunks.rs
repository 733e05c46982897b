//! The split points: which screens load with the first screen and which arrive later.
//!
//! With the `split` feature (the release build, `trunk build --release`), each [`Chunk`]'s
//! screens are compiled into their own wasm module, fetched the first time one of them is
//! opened (and precached by the service worker right after the first screen). Without it
//! (browser tests, `cargo test --target wasm32-unknown-unknown`) everything is in one
//! module and [`preload`] is a no-op, so the same code runs either way.
//!
//! What stays in the first module: boot, the store, the profile form, the home screen's
//! figures, the header and the bottom bar (src/app.rs). Everything a route reaches goes
//! through [`LazyScreen`]; so do the parts of the first screen it can paint without
//! ([`Screen::HomeExtras`], [`Screen::SetupScan`]: in the [`Chunk::Forums`] module, the
//! screen most often opened next, fetched as soon as the first screen is up; a chunk of
//! their own would split every shared chunk in two and cost the other screens requests).
//! A chunk that cannot be fetched shows 这一页还没下载到手机上 (a part: 这部分内容…) with
//! 重试, never a blank page. Owns the chunk boundaries; must not hold any screen's logic.

use crate::i18n::*;
use crate::pages;
use leptos::prelude::*;
use leptos::task::spawn_local;
use std::cell::Cell;

/// A chunk of the app that is downloaded when first used.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Chunk {
    /// 夜话 forums, their roster, the concerns raised and a forum's print page; and what
    /// the first screen shows once it is painted: 首页's 待修改, 演示模式 and demo-data parts
    /// and the way into the console (with the demo generator and the document writes they
    /// use), and the first start's 扫码设置 with its sign-in.
    Forums,
    /// Volunteers, their cards, certificates and teams.
    People,
    /// Surveys: editing, filling in, results; and the headquarters console (上报情况,
    /// 账号管理, an account's setup QR, 站点管理, 导入文件). The console is compiled into this
    /// module rather than one of its own: a sixth split point gave every function it shares
    /// with another chunk a shared chunk per combination (21 on /forums' path instead of 10,
    /// each ~20 ms of a slow phone's start), and surveys is a chunk no start needs unless
    /// it opens at 调查 or the console (the service worker precaches every module anyway).
    Surveys,
    /// The desk work: sync and conflicts, statistics with the month's 台账 and 公示 and the
    /// 扫码核验 of printed paper, export, settings (import); and the
    /// replication engine (src/sync/engine.rs), which the sync service loads at start.
    Office,
}

impl Chunk {
    fn bit(self) -> u32 {
        1 << self as u32
    }
}

/// A screen behind a route, other than the first screen's.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Screen {
    Forums,
    ForumForm,
    ForumDetail,
    ForumPrint,
    Roster,
    Concerns,
    Volunteers,
    VolunteerForm,
    VolunteerDetail,
    VolunteerCard,
    Certificate,
    Teams,
    PointsShop,
    PointsBook,
    PointsRules,
    HonourRoll,
    Surveys,
    SurveyResults,
    SurveyForm,
    SurveyFill,
    Sync,
    Conflicts,
    Conflict,
    Stats,
    LedgerPrint,
    NoticePrint,
    Verify,
    Export,
    Settings,
    HqStatus,
    HqAccounts,
    HqSetup,
    HqReview,
    HqStations,
    HqImport,
    /// Not a route: 首页's parts below its figures (`pages::home::HomeExtras`).
    HomeExtras,
    /// Not a route: the first start's 扫码设置 (`pages::profile::SetupScan`).
    SetupScan,
}

impl Screen {
    /// The chunk the screen is compiled into.
    pub fn chunk(self) -> Chunk {
        use Screen::*;
        match self {
            Forums | ForumForm | ForumDetail | ForumPrint | Roster | Concerns | HomeExtras
            | SetupScan => Chunk::Forums,
            Volunteers | VolunteerForm | VolunteerDetail | VolunteerCard | Certificate | Teams
            | PointsShop | PointsBook | PointsRules | HonourRoll => Chunk::People,
            Surveys | SurveyResults | SurveyForm | SurveyFill | HqStatus | HqAccounts | HqSetup
            | HqReview | HqStations | HqImport => Chunk::Surveys,
            Sync | Conflicts | Conflict | Stats | LedgerPrint | NoticePrint | Verify | Export
            | Settings => Chunk::Office,
        }
    }

    /// Whether this is part of a screen (shown in place, nothing while it downloads)
    /// rather than a route's whole screen.
    fn is_part(self) -> bool {
        matches!(self, Screen::HomeExtras | Screen::SetupScan)
    }
}

/// A chunk could not be downloaded (no signal on a first visit, or the server is gone).
#[derive(Debug, Clone, thiserror::Error)]
#[error("a part of the app could not be downloaded")]
pub struct ChunkError;

#[cfg(feature = "split")]
impl From<leptos::wasm_split::SplitLoaderError> for ChunkError {
    fn from(_: leptos::wasm_split::SplitLoaderError) -> Self {
        ChunkError
    }
}

/// Calls a function marked as a split point with
/// `#[cfg_attr(feature = "split", leptos::wasm_split::wasm_split(…, fallible))]`: under the
/// `split` feature it is async (its chunk may need downloading), otherwise a plain call.
/// Either way the result is the function's `Result<_, ChunkError>`.
macro_rules! load {
    ($call:expr) => {{
        #[cfg(feature = "split")]
        let result = $call.await;
        #[cfg(not(feature = "split"))]
        let result = $call;
        result
    }};
}
pub(crate) use load;

thread_local! {
    /// The chunks known to be loaded (one bit per [`Chunk`]).
    static LOADED: Cell<u32> = const { Cell::new(0) };
}

fn is_loaded(chunk: Chunk) -> bool {
    !cfg!(feature = "split") || LOADED.with(|l| l.get() & chunk.bit() != 0)
}

/// Downloads and links `chunk` unless it is already; a failure is not remembered, so
/// the next call tries again.
async fn preload(chunk: Chunk) -> Result<(), ChunkError> {
    if is_loaded(chunk) {
        return Ok(());
    }
    #[cfg(feature = "split")]
    match chunk {
        Chunk::Forums => split::preload_forums().await?,
        Chunk::People => split::preload_people().await?,
        Chunk::Surveys => split::preload_surveys().await?,
        Chunk::Office => split::preload_office().await?,
    }
    LOADED.with(|l| l.set(l.get() | chunk.bit()));
    Ok(())
}

/// The chunk of the screen at the address `path` (one of src/app.rs' routes), or `None`
/// for 首页 and any address the router sends there.
fn chunk_at(path: &str) -> Option<Chunk> {
    match path.trim_start_matches('/').split('/').next().unwrap_or("") {
        "forums" | "concerns" => Some(Chunk::Forums),
        "volunteers" | "teams" | "points" => Some(Chunk::People),
        "surveys" | "hq" => Some(Chunk::Surveys),
        "sync" | "stats" | "settings" => Some(Chunk::Office),
        _ => None,
    }
}

/// Starts fetching the chunk of the screen the app is opened at, so that it downloads,
/// compiles and links while the store opens instead of after it (the route's
/// [`LazyScreen`] then finds it loaded, or joins the same load). Called once by
/// `app::Boot`, before it opens the store. A failure is only logged: the screen's own
/// [`LazyScreen`] fetches again and offers 重试.
pub fn prefetch_opening_screen() {
    let Some(chunk) = web_sys::window()
        .and_then(|w| w.location().pathname().ok())
        .and_then(|path| chunk_at(&path))
    else {
        return;
    };
    spawn_local(async move {
        if let Err(e) = preload(chunk).await {
            leptos::logging::warn!("yehua: {chunk:?} chunk, fetched at start: {e}");
        }
    });
}

/// Renders `screen`, whose chunk must be loaded.
fn render(screen: Screen) -> AnyView {
    #[cfg(feature = "split")]
    {
        use futures::FutureExt;
        // The chunk is loaded, so each wrapper's load step is already done and the
        // future is ready on its first poll.
        let view = match screen.chunk() {
            Chunk::Forums => split::forums(screen).now_or_never(),
            Chunk::People => split::people(screen).now_or_never(),
            Chunk::Surveys => split::surveys(screen).now_or_never(),
            Chunk::Office => split::office(screen).now_or_never(),
        };
        match view {
            Some(Ok(view)) => view,
            _ => unreachable!("render is only called once the chunk is loaded"),
        }
    }
    #[cfg(not(feature = "split"))]
    match screen.chunk() {
        Chunk::Forums => forums_screens(screen),
        Chunk::People => people_screens(screen),
        Chunk::Surveys => surveys_screens(screen),
        Chunk::Office => office_screens(screen),
    }
}

/// The screens of each chunk: the only place a screen's component is named (the console's
/// in [`console_screens`], which only [`Chunk::Surveys`]' function calls). Each
/// function names only its own chunk's screens, so the splitter puts them (and what only
/// they use) in that chunk's module.
fn forums_screens(screen: Screen) -> AnyView {
    use pages::*;
    match screen {
        Screen::HomeExtras => view! { <home::HomeExtras/> }.into_any(),
        Screen::SetupScan => view! { <profile::SetupScan/> }.into_any(),
        Screen::ForumForm => view! { <forum_form::ForumFormPage/> }.into_any(),
        Screen::ForumDetail => view! { <forum_detail::ForumDetailPage/> }.into_any(),
        Screen::ForumPrint => view! { <forum_print::ForumPrintPage/> }.into_any(),
        Screen::Roster => view! { <roster::RosterPage/> }.into_any(),
        Screen::Concerns => view! { <concerns::ConcernsPage/> }.into_any(),
        _ => view! { <forums::ForumsPage/> }.into_any(),
    }
}

fn people_screens(screen: Screen) -> AnyView {
    use pages::*;
    match screen {
        Screen::VolunteerForm => view! { <volunteer_form::VolunteerFormPage/> }.into_any(),
        Screen::VolunteerDetail => view! { <volunteer_detail::VolunteerDetailPage/> }.into_any(),
        Screen::VolunteerCard => view! { <volunteer_card::VolunteerCardPage/> }.into_any(),
        Screen::Certificate => view! { <certificate::CertificatePage/> }.into_any(),
        Screen::Teams => view! { <teams::TeamsPage/> }.into_any(),
        Screen::PointsShop => view! { <points_shop::PointsShopPage/> }.into_any(),
        Screen::PointsBook => view! { <points_book::PointsBookPage/> }.into_any(),
        Screen::PointsRules => view! { <points_rules::PointsRulesPage/> }.into_any(),
        Screen::HonourRoll => view! { <honour_roll::HonourRollPage/> }.into_any(),
        _ => view! { <volunteers::VolunteersPage/> }.into_any(),
    }
}

fn surveys_screens(screen: Screen) -> AnyView {
    use pages::*;
    match screen {
        Screen::SurveyResults => view! { <survey_results::SurveyResultsPage/> }.into_any(),
        Screen::SurveyForm => view! { <survey_form::SurveyFormPage/> }.into_any(),
        Screen::SurveyFill => view! { <survey_fill::SurveyFillPage/> }.into_any(),
        Screen::HqStatus
        | Screen::HqAccounts
        | Screen::HqSetup
        | Screen::HqReview
        | Screen::HqStations
        | Screen::HqImport => console_screens(screen),
        _ => view! { <surveys::SurveysPage/> }.into_any(),
    }
}

fn office_screens(screen: Screen) -> AnyView {
    use pages::*;
    match screen {
        Screen::Conflicts => view! { <conflicts::ConflictsPage/> }.into_any(),
        Screen::Conflict => view! { <conflict::ConflictPage/> }.into_any(),
        Screen::Stats => view! { <stats::StatsPage/> }.into_any(),
        Screen::LedgerPrint => view! { <ledger_print::LedgerPrintPage/> }.into_any(),
        Screen::NoticePrint => view! { <notice_print::NoticePrintPage/> }.into_any(),
        Screen::Verify => view! { <verify::VerifyPage/> }.into_any(),
        Screen::Export => view! { <export::ExportPage/> }.into_any(),
        Screen::Settings => view! { <settings::SettingsPage/> }.into_any(),
        _ => view! { <sync::SyncPage/> }.into_any(),
    }
}

fn console_screens(screen: Screen) -> AnyView {
    use pages::*;
    match screen {
        Screen::HqAccounts => view! { <hq_accounts::HqAccountsPage/> }.into_any(),
        Screen::HqSetup => view! { <hq_setup::HqSetupPage/> }.into_any(),
        Screen::HqReview => view! { <hq_review::HqReviewPage/> }.into_any(),
        Screen::HqStations => view! { <hq_stations::HqStationsPage/> }.into_any(),
        Screen::HqImport => view! { <hq_import::HqImportPage/> }.into_any(),
        _ => view! { <hq_status::HqStatusPage/> }.into_any(),
    }
}

/// One split point per chunk, each reaching only its own `*_screens` function.
#[cfg(feature = "split")]
mod split {
    use super::*;
    use leptos::wasm_split::wasm_split;

    macro_rules! split_point {
        ($module:ident, $preload:ident, $screens:ident) => {
            #[wasm_split($module, wasm_split_path = ::leptos::wasm_split, fallible, preload($preload))]
            pub fn $module(screen: Screen) -> Result<AnyView, ChunkError> {
                Ok($screens(screen))
            }
        };
    }
    split_point!(forums, preload_forums, forums_screens);
    split_point!(people, preload_people, people_screens);
    split_point!(surveys, preload_surveys, surveys_screens);
    split_point!(office, preload_office, office_screens);
}

#[derive(Clone, Copy, PartialEq)]
enum State {
    Loading,
    Failed,
    Ready,
}

/// A route's screen: shown at once when its chunk is here, else after it is fetched;
/// when fetching fails, a message and 重试.
#[component]
pub fn LazyScreen(screen: Screen) -> impl IntoView {
    let i18n = use_i18n();
    let chunk = screen.chunk();
    let state = RwSignal::new(if is_loaded(chunk) {
        State::Ready
    } else {
        State::Loading
    });
    let fetch = move || {
        state.set(State::Loading);
        spawn_local(async move {
            let next = match preload(chunk).await {
                Ok(()) => State::Ready,
                Err(e) => {
                    leptos::logging::warn!("yehua: {chunk:?} chunk: {e}");
                    State::Failed
                }
            };
            _ = state.try_set(next);
        });
    };
    if state.get_untracked() == State::Loading {
        fetch();
    }
    move || {
        match state.get() {
        State::Ready => render(screen),
        State::Loading if screen.is_part() => ().into_any(),
        State::Loading => view! {
            <p class="chunk-loading" role="status" data-testid="chunk-loading">{t!(i18n, chunk_loading)}</p>
        }
        .into_any(),
        State::Failed => view! {
            <div class="chunk-failed" role="alert" data-testid="chunk-failed">
                // A part of a screen says so: the screen around it is already here.
                <p>{move || if screen.is_part() {
                    t_string!(i18n, chunk_part_failed).to_string()
                } else {
                    t_string!(i18n, chunk_failed).to_string()
                }}</p>
                <button class="primary" data-testid="chunk-retry" on:click=move |_| fetch()>{t!(i18n, retry)}</button>
            </div>
        }
        .into_any(),
    }
    }
}

/// The route view for `screen`.
pub fn lazy(screen: Screen) -> impl Fn() -> AnyView + Clone + Send + Sync + 'static {
    move || view! { <LazyScreen screen=screen/> }.into_any()
}
