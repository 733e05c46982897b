//! The setup QR that headquarters prints for an account: what it holds (the sync server's
//! address, the station's code, name and level, the user name — never a password), its
//! text format and the parser the phone's 扫码设置 uses, including the check that the code
//! was made for the server the app is served from. Pure: never touches the camera, the DOM
//! or the network; drawing the code is `qr`'s.
//!
//! The format is one line of ASCII, so any scanner reads it the same way (a QR code's byte
//! mode carries no charset, and some decoders guess Latin-1 for UTF-8):
//! `yehua:setup:v1?server=…&station=…&name=…&level=…&user=…`, every value
//! percent-encoded (UTF-8). The version tag lets a later format be told apart and refused
//! clearly by an older app.

use percent_encoding::{percent_decode_str, utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};

/// What every setup code starts with, whatever its version.
const TAG: &str = "yehua:setup:";
/// The version this app writes and reads.
const VERSION: &str = "v1";
/// Characters left as they are in a value (RFC 3986 unreserved); the rest is `%XX`.
const VALUE: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// What a setup code tells a phone.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Setup {
    /// The sync server's address, e.g. `https://hub.example/couch`.
    pub server: String,
    /// The station's administrative code (6–12 digits).
    pub station: String,
    /// The station's name.
    pub name: String,
    /// The station's level as its wire name (`village`, `township`, `county`, `city`).
    pub level: String,
    /// The account's user name.
    pub user: String,
}

/// Why a scanned code cannot set up this phone.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SetupError {
    /// Not a setup code at all (another QR code).
    #[error("not a setup code")]
    NotSetup,
    /// A setup code of a version this app does not read.
    #[error("setup code version {0} is not supported")]
    Version(String),
    /// A setup code with a field missing, empty, repeated, unknown or badly written.
    #[error("the setup code is damaged: {0}")]
    Malformed(&'static str),
    /// Made for another server than the one this app is served from.
    #[error("the setup code is for {0}, not this server")]
    OtherServer(String),
}

impl Setup {
    /// The code's text.
    pub fn payload(&self) -> String {
        let enc = |v: &str| utf8_percent_encode(v, VALUE).to_string();
        format!(
            "{TAG}{VERSION}?server={}&station={}&name={}&level={}&user={}",
            enc(&self.server),
            enc(&self.station),
            enc(&self.name),
            enc(&self.level),
            enc(&self.user)
        )
    }

    /// Reads a scanned text; every field must be there once, non-empty and well formed.
    pub fn parse(scanned: &str) -> Result<Self, SetupError> {
        let rest = scanned
            .trim()
            .strip_prefix(TAG)
            .ok_or(SetupError::NotSetup)?;
        let (version, query) = rest.split_once('?').unwrap_or((rest, ""));
        if version != VERSION {
            return Err(SetupError::Version(version.chars().take(8).collect()));
        }
        let mut fields: [(&str, Option<String>); 5] = [
            ("server", None),
            ("station", None),
            ("name", None),
            ("level", None),
            ("user", None),
        ];
        for pair in query.split('&') {
            let (key, value) = pair.split_once('=').ok_or(SetupError::Malformed("field"))?;
            let slot = fields
                .iter_mut()
                .find(|(k, _)| *k == key)
                .ok_or(SetupError::Malformed("field"))?;
            if slot.1.is_some() {
                return Err(SetupError::Malformed("repeated"));
            }
            let value = percent_decode_str(value)
                .decode_utf8()
                .map_err(|_| SetupError::Malformed("encoding"))?;
            if value.trim().is_empty() || value.chars().any(char::is_control) {
                return Err(SetupError::Malformed(slot.0));
            }
            slot.1 = Some(value.trim().to_owned());
        }
        let [server, station, name, level, user] =
            fields.map(|(k, v)| v.ok_or(SetupError::Malformed(k)));
        let setup = Setup {
            server: server?,
            station: station?,
            name: name?,
            level: level?,
            user: user?,
        };
        if origin(&setup.server).is_none() {
            return Err(SetupError::Malformed("server"));
        }
        if !(6..=12).contains(&setup.station.len())
            || !setup.station.bytes().all(|b| b.is_ascii_digit())
        {
            return Err(SetupError::Malformed("station"));
        }
        if !["village", "township", "county", "city"].contains(&setup.level.as_str()) {
            return Err(SetupError::Malformed("level"));
        }
        Ok(setup)
    }

    /// Reads a scanned text and checks it was made for the server at `page_origin` (the
    /// origin the app is served from, e.g. `https://hub.example`).
    pub fn parse_for(scanned: &str, page_origin: &str) -> Result<Self, SetupError> {
        let setup = Self::parse(scanned)?;
        let theirs = origin(&setup.server).unwrap_or_default();
        if !theirs.eq_ignore_ascii_case(page_origin.trim_end_matches('/')) {
            return Err(SetupError::OtherServer(theirs.to_owned()));
        }
        Ok(setup)
    }
}

/// The `scheme://host[:port]` of an http(s) address, if it is one.
fn origin(address: &str) -> Option<&str> {
    let after = address
        .strip_prefix("https://")
        .or_else(|| address.strip_prefix("http://"))?;
    let host_len = after.find(['/', '?', '#']).unwrap_or(after.len());
    let host = &after[..host_len];
    if host.is_empty() || host.contains(['@', ' ']) {
        return None;
    }
    Some(&address[..address.len() - after.len() + host_len])
}

#[cfg(test)]
mod tests {
    use super::*;

    fn li() -> Setup {
        Setup {
            server: "http://127.0.0.1:5984/couch".into(),
            station: "330106002".into(),
            name: "新村新时代文明实践站 & 1=1".into(),
            level: "village".into(),
            user: "li".into(),
        }
    }

    #[test]
    fn a_code_reads_back_whole_and_is_ascii() {
        let text = li().payload();
        assert!(text.starts_with("yehua:setup:v1?server=http%3A%2F%2F127.0.0.1"));
        assert!(text.is_ascii(), "{text}");
        assert!(!text.contains("password"));
        assert_eq!(Setup::parse(&text), Ok(li()));
        assert_eq!(Setup::parse_for(&text, "http://127.0.0.1:5984"), Ok(li()));
        assert_eq!(Setup::parse_for(&text, "HTTP://127.0.0.1:5984/"), Ok(li()));
    }

    #[test]
    fn a_code_drawn_and_scanned_is_the_same_setup() {
        let m = crate::qr::encode(&li().payload()).unwrap();
        // 4 pixels a module, a 4-module quiet zone.
        let side = (m.size + 8) * 4;
        let dark = |x: usize, y: usize| {
            let (mx, my) = ((x / 4).wrapping_sub(4), (y / 4).wrapping_sub(4));
            mx < m.size && my < m.size && m.dark[my * m.size + mx]
        };
        let luma: Vec<u8> = (0..side * side)
            .map(|i| if dark(i % side, i / side) { 0 } else { 255 })
            .collect();
        let text = crate::qr::decode_luma(side, side, &luma).expect("decodes");
        assert_eq!(Setup::parse(&text), Ok(li()));
    }

    #[test]
    fn another_server_is_refused() {
        let text = li().payload();
        assert_eq!(
            Setup::parse_for(&text, "https://hub.example"),
            Err(SetupError::OtherServer("http://127.0.0.1:5984".into()))
        );
        assert_eq!(
            Setup::parse_for(&text, "http://127.0.0.1:5985"),
            Err(SetupError::OtherServer("http://127.0.0.1:5984".into()))
        );
    }

    #[test]
    fn foreign_versions_and_damaged_codes_are_refused() {
        let good = li().payload();
        assert_eq!(
            Setup::parse("https://example.com"),
            Err(SetupError::NotSetup)
        );
        assert_eq!(
            Setup::parse("yehua:v1:volunteer:1"),
            Err(SetupError::NotSetup)
        );
        assert_eq!(
            Setup::parse(&good.replace(":v1?", ":v2?")),
            Err(SetupError::Version("v2".into()))
        );
        let damaged = [
            good.replace("&user=li", ""),
            good.replace("&user=li", "&user="),
            good.replace("&user=li", "&user=%20"),
            good.replace("&user=li", "&user=li&user=wang"),
            good.replace("&user=li", "&user=li&password=x"),
            good.replace("&user=li", "&user"),
            good.replace("&user=li", "&user=%FF"),
            good.replace("&user=li", "&user=l%0Ai"),
            good.replace("station=330106002", "station=3301"),
            good.replace("station=330106002", "station=33010600a"),
            good.replace("level=village", "level=planet"),
            good.replace("server=http%3A%2F%2F", "server=ftp%3A%2F%2F"),
            good.replace(
                "server=http%3A%2F%2F127.0.0.1%3A5984",
                "server=http%3A%2F%2F",
            ),
            "yehua:setup:v1".to_owned(),
        ];
        for text in damaged {
            assert!(
                matches!(Setup::parse(&text), Err(SetupError::Malformed(_))),
                "{text}: {:?}",
                Setup::parse(&text)
            );
        }
    }
}
