//! IndexedDB's order on the keys the store's indexes use (arrays of strings), and a span
//! of such keys between two bounds — so the store can take, out of packs it has read, the
//! index entries one range of an index holds, exactly as IndexedDB would list them.
//!
//! Pure: the store builds its `KeyRange`s from the same [`Span`] it filters with.

use std::cmp::Ordering;

/// IndexedDB's order on two array keys of strings: element by element, each string by
/// its UTF-16 code units (not by its UTF-8 bytes: they differ above U+FFFF), and a key
/// that is a prefix of the other first.
pub fn compare(a: &[String], b: &[String]) -> Ordering {
    for (x, y) in a.iter().zip(b) {
        match x.encode_utf16().cmp(y.encode_utf16()) {
            Ordering::Equal => {}
            other => return other,
        }
    }
    a.len().cmp(&b.len())
}

/// One end of a [`Span`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Bound {
    /// The key at the end.
    pub key: Vec<String>,
    /// Whether the key itself is left out.
    pub open: bool,
}

impl Bound {
    /// The end at `key`, `key` included.
    pub fn closed(key: Vec<String>) -> Self {
        Self { key, open: false }
    }

    /// The end at `key`, `key` left out.
    pub fn open(key: Vec<String>) -> Self {
        Self { key, open: true }
    }
}

/// The keys between two bounds (what an IndexedDB `KeyRange::Bound` holds).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Span {
    /// The low end.
    pub lower: Bound,
    /// The high end.
    pub upper: Bound,
}

impl Span {
    /// Whether `key` lies in the span.
    pub fn contains(&self, key: &[String]) -> bool {
        let above = match compare(key, &self.lower.key) {
            Ordering::Greater => true,
            Ordering::Equal => !self.lower.open,
            Ordering::Less => false,
        };
        let below = match compare(key, &self.upper.key) {
            Ordering::Less => true,
            Ordering::Equal => !self.upper.open,
            Ordering::Greater => false,
        };
        above && below
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn k(parts: &[&str]) -> Vec<String> {
        parts.iter().map(|p| (*p).to_owned()).collect()
    }

    #[test]
    fn strings_compare_by_utf16_code_units_and_prefixes_come_first() {
        // U+FF5E (one unit, 0xFF5E) sorts after U+1F600 (a surrogate pair, 0xD83D…) in
        // UTF-16, though before it by code point.
        assert_eq!(compare(&k(&["😀"]), &k(&["～"])), Ordering::Less);
        assert_eq!("😀".cmp("～"), Ordering::Greater);
        assert_eq!(compare(&k(&["a"]), &k(&["a", ""])), Ordering::Less);
        assert_eq!(compare(&k(&["a", "b"]), &k(&["a", "b"])), Ordering::Equal);
        assert_eq!(compare(&k(&["b"]), &k(&["a", "z"])), Ordering::Greater);
    }

    #[test]
    fn a_span_holds_what_its_bounds_say() {
        let whole = Span {
            lower: Bound::closed(k(&["activity"])),
            upper: Bound::closed(k(&["activity", "\u{ffff}"])),
        };
        assert!(whole.contains(&k(&["activity", "2026-01-01", "activity:1"])));
        assert!(!whole.contains(&k(&["attendance", "2026-01-01", "a:1"])));
        assert!(!whole.contains(&k(&["acti", "2026-01-01", "a:1"])));
        let cut = k(&["activity", "2026-01-01", "activity:1"]);
        let before = Span {
            lower: Bound::closed(k(&["activity"])),
            upper: Bound::open(cut.clone()),
        };
        assert!(!before.contains(&cut));
        assert!(before.contains(&k(&["activity", "2026-01-01", "activity:0"])));
        let from = Span {
            lower: Bound::closed(cut.clone()),
            upper: Bound::open(k(&["activity", "2026-02"])),
        };
        assert!(from.contains(&cut));
        assert!(!from.contains(&k(&["activity", "2026-02", "activity:9"])));
    }
}
