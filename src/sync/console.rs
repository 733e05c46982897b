//! The headquarters console's calls to the server: accounts through CouchDB's `_users`
//! database (list, create, reset a password, disable / enable, change station — each a
//! `PUT` of the whole document at its `_rev`) and 上报情况 from the hub's
//! `GET /_yehua/status?month=`; and an account's setup code (`model::setup`) from its
//! `_users` document and its station's row; the station tree ([`tree`]) and the upload of
//! export files ([`upload`]); 审核: a station's activities of a month with their reviews
//! (`_all_docs` of the station database over `activity:` and `review:` ids, joined by
//! `model::review::month_board`) and writing a review (`PUT` of `review:<activity id>`, the
//! only document the hub lets headquarters write there). Session cookie as for sync; never keeps a password. The
//! screens call these and never fetch themselves; the rules (who may manage whom, the
//! password rules) are the server's, and its refusals come back as [`ConsoleError`].

pub mod tree;
pub mod upload;

use super::remote::fetch_text;
use super::SyncError;
use model::rollup::status::StationStatus;
use model::rollup::Row;
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

/// An account as the console shows it (a `_users` document without secrets).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Account {
    /// Login name.
    pub name: String,
    /// The document's revision, needed to change it.
    #[serde(rename = "_rev")]
    pub rev: String,
    /// `cadre:<code>`, `hq:<code>` or `_admin`.
    #[serde(default)]
    pub roles: Vec<String>,
    /// True if the account may not sign in.
    #[serde(default)]
    pub disabled: bool,
}

impl Account {
    /// The role's kind (`cadre`, `hq`, `_admin`) and station code.
    pub fn role(&self) -> (&str, &str) {
        match self.roles.first().map(String::as_str) {
            Some(r) => r.split_once(':').unwrap_or((r, "")),
            None => ("", ""),
        }
    }
}

/// 上报情况 as the hub answers it.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct Status {
    /// `YYYY-MM`.
    pub month: String,
    /// When it was computed (Unix seconds).
    pub now: i64,
    /// One row per station.
    pub stations: Vec<StationStatus>,
    /// The month's dashboard rows, per station and summed up the tree.
    pub figures: Vec<Row>,
}

/// Why a console call failed.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum ConsoleError {
    /// The two passwords typed differ.
    #[error("the passwords typed differ")]
    PasswordsDiffer,
    /// The server refused the password (too short, the name, a well-known one).
    #[error("weak password: {0}")]
    WeakPassword(String),
    /// The name is taken, or the account changed meanwhile (409).
    #[error("conflict: {0}")]
    Conflict(String),
    /// Not the caller's to manage (403).
    #[error("not allowed: {0}")]
    NotAllowed(String),
    /// Refused as malformed (400), with the server's reason.
    #[error("refused: {0}")]
    Refused(String),
    /// Nobody is signed in on this phone.
    #[error("not signed in")]
    NotSignedIn,
    /// The account has no station among those the user sees (an admin), so no setup code.
    #[error("no station for a setup code")]
    NoStation,
    /// A review that cannot be written (a return without a reason), nothing sent.
    #[error(transparent)]
    Review(#[from] model::ValidationError),
    /// A change of the station tree was refused; the hub's key (`hub::stations`).
    #[error("station tree: {0}")]
    Station(String),
    /// The link or the session failed.
    #[error(transparent)]
    Sync(#[from] SyncError),
}

/// The hub's key of a refused change of the station tree, if the answer has one.
fn problem(text: &str) -> Option<String> {
    serde_json::from_str::<Value>(text)
        .ok()
        .and_then(|v| v["problem"].as_str().map(str::to_owned))
}

fn reason(text: &str) -> String {
    serde_json::from_str::<Value>(text)
        .ok()
        .and_then(|v| v["reason"].as_str().map(str::to_owned))
        .unwrap_or_default()
}

async fn call(
    server: &str,
    method: &str,
    path: &str,
    body: Option<&Value>,
) -> Result<String, ConsoleError> {
    let url = format!("{}/{path}", server.trim_end_matches('/'));
    let body = body.map(Value::to_string);
    match fetch_text(method, &url, body.as_deref()).await? {
        (s, text) if (200..300).contains(&s) => Ok(text),
        (_, text) if problem(&text).is_some() => {
            Err(ConsoleError::Station(problem(&text).unwrap_or_default()))
        }
        (400, text) => {
            let r = reason(&text);
            Err(if r.contains("password") {
                ConsoleError::WeakPassword(r)
            } else {
                ConsoleError::Refused(r)
            })
        }
        (403, text) => Err(ConsoleError::NotAllowed(reason(&text))),
        (409, text) => Err(ConsoleError::Conflict(reason(&text))),
        (s, text) => Err(SyncError::from_status(s, path, &text).into()),
    }
}

fn parse<T: serde::de::DeserializeOwned>(what: &str, text: &str) -> Result<T, ConsoleError> {
    serde_json::from_str(text)
        .map_err(|e| ConsoleError::Sync(SyncError::Protocol(format!("{what}: {e}"))))
}

fn user_path(name: &str) -> String {
    let id = format!("org.couchdb.user:{name}");
    format!("_users/{}", String::from(js_sys::encode_uri_component(&id)))
}

/// The accounts the signed-in user may manage (and their own), by name.
pub async fn accounts(server: &str) -> Result<Vec<Account>, ConsoleError> {
    #[derive(Deserialize)]
    struct Listing {
        rows: Vec<ListRow>,
    }
    #[derive(Deserialize)]
    struct ListRow {
        doc: Account,
    }
    let text = call(server, "GET", "_users/_all_docs?include_docs=true", None).await?;
    let listing: Listing = parse("_users", &text)?;
    Ok(listing.rows.into_iter().map(|r| r.doc).collect())
}

/// A new password typed twice: the first, if both agree.
pub fn typed_twice(first: &str, second: &str) -> Result<String, ConsoleError> {
    if first == second {
        Ok(first.to_owned())
    } else {
        Err(ConsoleError::PasswordsDiffer)
    }
}

/// Creates account `name` with `role` (`cadre:<code>` or `hq:<code>`) and `password`.
pub async fn create(
    server: &str,
    name: &str,
    role: &str,
    password: &str,
) -> Result<(), ConsoleError> {
    let doc = json!({"_id": format!("org.couchdb.user:{name}"), "name": name, "type": "user",
                     "roles": [role], "password": password});
    call(server, "PUT", &user_path(name), Some(&doc))
        .await
        .map(|_| ())
}

/// Writes `account` back with its changes (a new `password` if given) at its `_rev`.
pub async fn save(
    server: &str,
    account: &Account,
    password: Option<&str>,
) -> Result<(), ConsoleError> {
    let mut doc = json!({"_id": format!("org.couchdb.user:{}", account.name), "_rev": account.rev,
                         "name": account.name, "type": "user", "roles": account.roles,
                         "disabled": account.disabled});
    if let Some(pw) = password {
        doc["password"] = json!(pw);
    }
    call(server, "PUT", &user_path(&account.name), Some(&doc))
        .await
        .map(|_| ())
}

/// 上报情况 of `month` (`YYYY-MM`) for the stations the user may see.
pub async fn status(server: &str, month: &str) -> Result<Status, ConsoleError> {
    let text = call(server, "GET", &format!("_yehua/status?month={month}"), None).await?;
    parse("status", &text)
}

/// Account `name`'s setup code: this server, its station's code, name and level (from
/// 上报情况 of `month`), its user name — never a password (the document has none).
pub async fn setup(
    server: &str,
    name: &str,
    month: &str,
) -> Result<model::setup::Setup, ConsoleError> {
    let account: Account = parse(
        "_users",
        &call(server, "GET", &user_path(name), None).await?,
    )?;
    let code = account.role().1;
    let station = status(server, month)
        .await?
        .stations
        .into_iter()
        .find(|s| !code.is_empty() && s.code == code)
        .ok_or(ConsoleError::NoStation)?;
    Ok(model::setup::Setup {
        server: server.trim_end_matches('/').to_owned(),
        station: station.code,
        name: station.name,
        level: station.level,
        user: account.name,
    })
}

/// The live documents of `db` of `T`'s type (the ids `<type>:…`), decoded as `T` (each
/// with its `_rev`).
async fn docs_of<T: model::Record>(server: &str, db: &str) -> Result<Vec<T>, ConsoleError> {
    let prefix = format!("{}:", T::TYPE.as_str());
    #[derive(Deserialize)]
    struct Listing {
        rows: Vec<ListRow>,
    }
    #[derive(Deserialize)]
    struct ListRow {
        doc: Option<Value>,
    }
    let key = |k: String| String::from(js_sys::encode_uri_component(&Value::String(k).to_string()));
    let path = format!(
        "{db}/_all_docs?include_docs=true&startkey={}&endkey={}",
        key(prefix.clone()),
        key(format!("{prefix}\u{fff0}"))
    );
    let listing: Listing = parse(db, &call(server, "GET", &path, None).await?)?;
    listing
        .rows
        .into_iter()
        .filter_map(|r| r.doc)
        .map(|d| T::decode(d).map_err(|e| ConsoleError::Sync(SyncError::Protocol(e.to_string()))))
        .collect()
}

/// Station `code`'s activities of `month` with their reviews, as the hub holds them.
pub async fn review_board(
    server: &str,
    code: &str,
    month: &str,
) -> Result<Vec<model::review::Item>, ConsoleError> {
    let db = super::service::station_db(code);
    let activities = docs_of::<model::Activity>(server, &db).await?;
    let reviews = docs_of::<model::review::Review>(server, &db).await?;
    Ok(model::review::month_board(activities, reviews, month))
}

/// Writes headquarters' review `decision` into its station's database, replacing the
/// review at `replaces` (its `_rev`) if there is one. A return without a reason is refused
/// here, before anything is sent.
pub async fn review(
    server: &str,
    decision: &model::review::Decision<'_>,
    replaces: Option<&str>,
) -> Result<(), ConsoleError> {
    let mut doc = decision.to_doc()?;
    if let Some(rev) = replaces {
        doc["_rev"] = json!(rev);
    }
    let id = model::id::review_id(decision.activity);
    let path = format!(
        "{}/{}",
        super::service::station_db(decision.station),
        String::from(js_sys::encode_uri_component(&id))
    );
    call(server, "PUT", &path, Some(&doc)).await.map(|_| ())
}
