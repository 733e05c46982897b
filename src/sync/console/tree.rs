//! The console's station tree: `GET /_yehua/stations` (the stations the user may change),
//! `POST` to add one, `PUT /_yehua/stations/{code}` to rename or move one. The rules are
//! the hub's; a refusal comes back as `ConsoleError::Station` with the hub's key.

use super::{call, parse, ConsoleError};
use model::rollup::StationInfo;
use serde::Deserialize;
use serde_json::json;

/// The stations the signed-in user may change, by code.
pub async fn stations(server: &str) -> Result<Vec<StationInfo>, ConsoleError> {
    #[derive(Deserialize)]
    struct Listing {
        stations: Vec<StationInfo>,
    }
    let text = call(server, "GET", "_yehua/stations", None).await?;
    Ok(parse::<Listing>("stations", &text)?.stations)
}

/// Adds `station` (its database comes with it).
pub async fn add(server: &str, station: &StationInfo) -> Result<(), ConsoleError> {
    let body = json!({"code": station.code.trim(), "name": station.name.trim(),
                      "parent": station.parent, "level": station.level});
    call(server, "POST", "_yehua/stations", Some(&body))
        .await
        .map(|_| ())
}

/// Renames station `code` to `name` and puts it under `parent`.
pub async fn change(
    server: &str,
    code: &str,
    name: &str,
    parent: Option<&str>,
) -> Result<(), ConsoleError> {
    let path = format!(
        "_yehua/stations/{}",
        String::from(js_sys::encode_uri_component(code))
    );
    let body = json!({"name": name.trim(), "parent": parent});
    call(server, "PUT", &path, Some(&body)).await.map(|_| ())
}
