//! Accounts as CouchDB `_users` documents (`org.couchdb.user:NAME`, `type: "user"`,
//! `roles`, a `password` on write): reading a written document ([`UserDoc::parse`]), the
//! password rules ([`check_password`]), the users-table row a document becomes
//! ([`row_of`]) and the document a row is shown as ([`doc_of`], which never carries the
//! password or its hash). `disabled: true` is the hub's own field: such an account cannot
//! sign in. Who may write which document is `auth::Principal::manages`; HTTP is
//! `couch::users`. No I/O.

use crate::auth::{AccountRole, RolesError, MAX_NAME_LEN, MAX_PASSWORD_LEN};
use crate::store::accounts::UserRow;
use serde_json::{json, Map, Value};

/// Every `_users` document id is this prefix and the user name.
pub const USER_PREFIX: &str = "org.couchdb.user:";
/// The least number of characters a password must have.
pub const MIN_PASSWORD_CHARS: usize = 8;

/// Passwords too well known to keep anyone out: the lists of leaked passwords (in China
/// and elsewhere) start with these. Compared case-insensitively.
const WELL_KNOWN: &[&str] = &[
    "12345678",
    "123456789",
    "1234567890",
    "11111111",
    "00000000",
    "88888888",
    "66666666",
    "87654321",
    "12341234",
    "11223344",
    "12344321",
    "123123123",
    "147258369",
    "123456780",
    "password",
    "password1",
    "password123",
    "passw0rd",
    "p@ssw0rd",
    "qwertyui",
    "qwerty123",
    "qwertyuiop",
    "1qaz2wsx",
    "1q2w3e4r",
    "1q2w3e4r5t",
    "zaq12wsx",
    "asdfghjk",
    "asdf1234",
    "abcd1234",
    "abc12345",
    "abc123456",
    "a1234567",
    "a12345678",
    "a123456789",
    "aa123456",
    "iloveyou",
    "woaini1314",
    "woaini520",
    "5201314520",
    "13145201314",
    "admin123",
    "admin888",
    "administrator",
    "welcome1",
    "sunshine",
    "princess",
    "football",
    "baseball",
    "superman",
    "trustno1",
    "1234qwer",
    "qwer1234",
];

/// Why a password is refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PasswordProblem {
    /// Fewer than [`MIN_PASSWORD_CHARS`] characters.
    #[error("the password must have at least {MIN_PASSWORD_CHARS} characters")]
    TooShort,
    /// Longer than `auth::MAX_PASSWORD_LEN` bytes.
    #[error("the password must have at most {MAX_PASSWORD_LEN} bytes")]
    TooLong,
    /// The user name, in any case.
    #[error("the password must not be the user name")]
    SameAsName,
    /// On the list of well-known passwords.
    #[error("the password is one of the best-known passwords; choose another")]
    WellKnown,
}

/// Checks a new password for user `name`.
pub fn check_password(name: &str, password: &str) -> Result<(), PasswordProblem> {
    if password.chars().count() < MIN_PASSWORD_CHARS {
        return Err(PasswordProblem::TooShort);
    }
    if password.len() > MAX_PASSWORD_LEN {
        return Err(PasswordProblem::TooLong);
    }
    let lower = password.to_lowercase();
    if lower == name.to_lowercase() {
        return Err(PasswordProblem::SameAsName);
    }
    if WELL_KNOWN.contains(&lower.as_str()) {
        return Err(PasswordProblem::WellKnown);
    }
    Ok(())
}

/// Why a written `_users` document is refused (all 400s).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum UserDocError {
    /// The id is not `org.couchdb.user:NAME` with a valid name.
    #[error("a _users document id must be org.couchdb.user:NAME, NAME 1–{MAX_NAME_LEN} bytes without `:` or a leading `_`")]
    BadId,
    /// The body is not a JSON object.
    #[error("a _users document must be a JSON object")]
    NotObject,
    /// `name` differs from the id's name.
    #[error("doc.name must be the name in the id ({0})")]
    NameMismatch(String),
    /// `type` is not `user`.
    #[error("doc.type must be user")]
    NotUser,
    /// `roles` is not an array of strings.
    #[error("doc.roles must be an array of strings")]
    RolesShape,
    /// `roles` holds no or several roles, or an unknown one.
    #[error(transparent)]
    Roles(#[from] RolesError),
    /// `password` is not a string.
    #[error("doc.password must be a string")]
    PasswordShape,
    /// `disabled` is not a boolean.
    #[error("doc.disabled must be true or false")]
    DisabledShape,
    /// A field the hub does not keep (it would be lost).
    #[error("doc.{0} is not kept by this hub; send only name, type, roles, password and disabled")]
    UnknownField(String),
    /// The body's `_rev` and the `rev` parameter disagree.
    #[error("_rev in the body and ?rev= differ")]
    RevMismatch,
    /// The password breaks a rule.
    #[error(transparent)]
    Password(#[from] PasswordProblem),
}

/// The user name of a `_users` document id, if it is a valid one.
pub fn name_of_id(id: &str) -> Result<&str, UserDocError> {
    let name = id.strip_prefix(USER_PREFIX).ok_or(UserDocError::BadId)?;
    let ok = !name.is_empty()
        && name.len() <= MAX_NAME_LEN
        && !name.contains(':')
        && !name.starts_with('_')
        && !name.chars().any(char::is_control);
    if ok {
        Ok(name)
    } else {
        Err(UserDocError::BadId)
    }
}

/// A `_users` document as a client writes it.
#[derive(Clone, PartialEq, Eq)]
pub struct UserDoc {
    /// The user name.
    pub name: String,
    /// The one role.
    pub role: AccountRole,
    /// A new password, if the document carries one (checked against the rules).
    pub password: Option<String>,
    /// True if the account may not sign in.
    pub disabled: bool,
    /// The revision it replaces (None: a new account).
    pub rev: Option<String>,
}

impl std::fmt::Debug for UserDoc {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("UserDoc")
            .field("name", &self.name)
            .field("role", &self.role)
            .field("password", &self.password.as_ref().map(|_| "<redacted>"))
            .field("disabled", &self.disabled)
            .field("rev", &self.rev)
            .finish()
    }
}

impl UserDoc {
    /// Reads the body of `PUT /_users/{id}` (with `?rev=` as `rev_param`).
    pub fn parse(id: &str, body: &Value, rev_param: Option<&str>) -> Result<Self, UserDocError> {
        let name = name_of_id(id)?;
        let Value::Object(fields) = body else {
            return Err(UserDocError::NotObject);
        };
        let mut doc = UserDoc {
            name: name.to_owned(),
            role: AccountRole::Admin,
            password: None,
            disabled: false,
            rev: rev_param.map(str::to_owned),
        };
        let mut roles = None;
        let mut typed = false;
        for (k, v) in fields {
            match k.as_str() {
                "_id" if v.as_str() == Some(id) => {}
                "_id" => return Err(UserDocError::BadId),
                "_rev" => {
                    let rev = v.as_str().ok_or(UserDocError::RevMismatch)?;
                    if doc.rev.as_deref().is_some_and(|r| r != rev) {
                        return Err(UserDocError::RevMismatch);
                    }
                    doc.rev = Some(rev.to_owned());
                }
                "name" if v.as_str() == Some(name) => {}
                "name" => return Err(UserDocError::NameMismatch(name.to_owned())),
                "type" if v.as_str() == Some("user") => typed = true,
                "type" => return Err(UserDocError::NotUser),
                "roles" => roles = Some(string_list(v).ok_or(UserDocError::RolesShape)?),
                "password" => {
                    let pw = v.as_str().ok_or(UserDocError::PasswordShape)?;
                    check_password(name, pw)?;
                    doc.password = Some(pw.to_owned());
                }
                "disabled" => doc.disabled = v.as_bool().ok_or(UserDocError::DisabledShape)?,
                other => return Err(UserDocError::UnknownField(other.to_owned())),
            }
        }
        if !typed {
            return Err(UserDocError::NotUser);
        }
        doc.role = AccountRole::from_roles(&roles.ok_or(UserDocError::RolesShape)?)?;
        Ok(doc)
    }
}

fn string_list(v: &Value) -> Option<Vec<String>> {
    v.as_array()?
        .iter()
        .map(|r| r.as_str().map(str::to_owned))
        .collect()
}

/// The users-table row of account `name` with `role`. `station` is the row's station: the
/// role's own, else (an `_admin`) the one given, else none.
pub fn row_of(
    name: &str,
    role: &AccountRole,
    station: Option<&str>,
    password_hash: String,
    disabled: bool,
) -> UserRow {
    UserRow {
        name: name.to_owned(),
        station: role.station().or(station).unwrap_or_default().to_owned(),
        role: role.kind().as_str().to_owned(),
        roles: vec![role.to_couch()],
        password_hash,
        rev: String::new(),
        disabled,
    }
}

/// The role a stored row holds (from its `roles`, which `row_of` wrote).
pub fn role_of(row: &UserRow) -> Option<AccountRole> {
    AccountRole::from_roles(&row.roles).ok()
}

/// The `_users` document of a stored row: never the password or its hash.
pub fn doc_of(row: &UserRow) -> Value {
    let mut doc = Map::new();
    doc.insert("_id".into(), json!(format!("{USER_PREFIX}{}", row.name)));
    doc.insert("_rev".into(), json!(row.rev));
    doc.insert("type".into(), json!("user"));
    doc.insert("name".into(), json!(row.name));
    doc.insert("roles".into(), json!(row.roles));
    doc.insert("disabled".into(), json!(row.disabled));
    Value::Object(doc)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn password_rules() {
        assert_eq!(
            check_password("wang", "short"),
            Err(PasswordProblem::TooShort)
        );
        assert_eq!(
            check_password("wangxiaoming", "WangXiaoMing"),
            Err(PasswordProblem::SameAsName)
        );
        for known in ["12345678", "Password", "woaini1314", "1qaz2wsx", "88888888"] {
            assert_eq!(
                check_password("wang", known),
                Err(PasswordProblem::WellKnown),
                "{known}"
            );
        }
        assert_eq!(
            check_password("wang", &"x".repeat(MAX_PASSWORD_LEN + 1)),
            Err(PasswordProblem::TooLong)
        );
        assert_eq!(check_password("wang", "河边的柳树发芽了"), Ok(()));
        assert_eq!(check_password("wang", "tea-field-2026"), Ok(()));
    }

    #[test]
    fn documents_are_read_strictly() {
        let id = "org.couchdb.user:wang";
        let ok = json!({"_id": id, "name": "wang", "type": "user",
                        "roles": ["cadre:330106001"], "password": "tea-field-2026"});
        let doc = UserDoc::parse(id, &ok, None).unwrap();
        assert_eq!(doc.role, AccountRole::Cadre("330106001".into()));
        assert_eq!(doc.password.as_deref(), Some("tea-field-2026"));
        assert!(!format!("{doc:?}").contains("tea-field"), "Debug hides it");
        let with = |k: &str, v: Value| {
            let mut b = ok.clone();
            b[k] = v;
            UserDoc::parse(id, &b, None)
        };
        assert_eq!(
            with("name", json!("li")),
            Err(UserDocError::NameMismatch("wang".into()))
        );
        assert_eq!(with("type", json!("admin")), Err(UserDocError::NotUser));
        assert_eq!(
            with("roles", json!("cadre:1")),
            Err(UserDocError::RolesShape)
        );
        assert_eq!(
            with("roles", json!(["cadre:1", "_admin"])),
            Err(UserDocError::Roles(RolesError::Count(2)))
        );
        assert_eq!(
            with("password", json!("wang")),
            Err(UserDocError::Password(PasswordProblem::TooShort))
        );
        assert_eq!(
            with("password_sha", json!("x")),
            Err(UserDocError::UnknownField("password_sha".into()))
        );
        assert_eq!(
            with("_rev", json!("1-a")).unwrap().rev.as_deref(),
            Some("1-a")
        );
        let mut revved = ok.clone();
        revved["_rev"] = json!("1-a");
        assert_eq!(
            UserDoc::parse(id, &revved, Some("2-b")),
            Err(UserDocError::RevMismatch)
        );
        assert_eq!(
            UserDoc::parse(id, &ok, Some("2-b")).unwrap().rev.as_deref(),
            Some("2-b")
        );
        for bad in [
            "wang",
            "org.couchdb.user:",
            "org.couchdb.user:_x",
            "org.couchdb.user:a:b",
        ] {
            assert_eq!(
                UserDoc::parse(bad, &ok, None),
                Err(UserDocError::BadId),
                "{bad}"
            );
        }
        assert_eq!(
            UserDoc::parse(id, &json!([1]), None),
            Err(UserDocError::NotObject)
        );
    }

    #[test]
    fn a_document_never_shows_the_hash() {
        let row = row_of(
            "wang",
            &AccountRole::Hq("330106".into()),
            None,
            "$argon2id$secret".into(),
            true,
        );
        let doc = doc_of(&row);
        assert_eq!(doc["roles"], json!(["hq:330106"]));
        assert_eq!(doc["disabled"], json!(true));
        assert!(!doc.to_string().contains("argon2"));
        assert_eq!(row.station, "330106");
        assert_eq!(row.role, "hq");
    }
}
