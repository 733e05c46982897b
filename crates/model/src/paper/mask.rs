//! What a public notice may show of a person: a villager's name masked (王*明), and no
//! telephone number in any free text. Owns these two rules only; never decides what is
//! printed.
//!
//! Masking rules (decided here, checked in `paper/tests.rs`):
//! - The surname stays: a compound surname from [`COMPOUND_SURNAMES`] when the name starts
//!   with one and is longer than it, else the first character.
//! - Of the given name, the last character stays when it has two or more characters and
//!   every other character becomes `*`; a one-character given name becomes `*`. So 王明 →
//!   王*, 王小明 → 王*明, 王小明华 → 王**华, 欧阳明 → 欧阳*, 欧阳明华 → 欧阳*华.
//! - A name that is only a surname (王) gets one `*` (王*), so no full name is ever printed;
//!   spaces are trimmed first and an empty name stays empty.
//! - Telephone numbers: any run of 7 or more digits (spaces and dashes inside a run
//!   allowed, so 138 1234 5678 and 0571-8888888 are one run) has every digit replaced by
//!   `*`. Dates (2026-11-22) and short figures stay.

/// Compound surnames (复姓) that keep both characters.
pub const COMPOUND_SURNAMES: &[&str] = &[
    "欧阳", "司马", "诸葛", "上官", "东方", "皇甫", "尉迟", "公孙", "慕容", "长孙", "宇文", "司徒",
    "司空", "夏侯", "令狐", "轩辕", "端木", "南宫", "万俟", "闻人", "单于", "呼延", "独孤", "西门",
    "澹台", "公冶", "太史", "申屠", "钟离", "百里", "东郭", "左丘", "淳于",
];

/// A name as the 公示 prints it.
pub fn mask_name(name: &str) -> String {
    let name = name.trim();
    if name.is_empty() {
        return String::new();
    }
    let surname = COMPOUND_SURNAMES
        .iter()
        .find(|s| name.starts_with(**s) && name.chars().count() > s.chars().count())
        .map(|s| s.chars().count())
        .unwrap_or(1);
    let chars: Vec<char> = name.chars().collect();
    let (head, given) = chars.split_at(surname);
    let mut out: String = head.iter().collect();
    match given.len() {
        0 | 1 => out.push('*'),
        n => {
            out.extend(std::iter::repeat_n('*', n - 1));
            out.push(given[n - 1]);
        }
    }
    out
}

/// Digits in a run before it is taken for a telephone number.
const PHONE_DIGITS: usize = 7;

/// `text` with every telephone-number-like run of digits starred out.
pub fn scrub_phones(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    while i < chars.len() {
        if !chars[i].is_ascii_digit() {
            out.push(chars[i]);
            i += 1;
            continue;
        }
        // A run: digits, with single spaces or dashes between digits.
        let mut end = i;
        let mut digits = 0;
        let mut j = i;
        while j < chars.len() {
            if chars[j].is_ascii_digit() {
                digits += 1;
                j += 1;
                end = j;
            } else if matches!(chars[j], ' ' | '-')
                && chars.get(j + 1).is_some_and(char::is_ascii_digit)
            {
                j += 1;
            } else {
                break;
            }
        }
        let run: String = chars[i..end].iter().collect();
        let phone = digits >= PHONE_DIGITS && !is_date(&run);
        for c in &chars[i..end] {
            out.push(if phone && c.is_ascii_digit() { '*' } else { *c });
        }
        i = end;
    }
    out
}

/// `2026-11-22` or `2026-1-5`: a date, not a number to hide.
fn is_date(run: &str) -> bool {
    let groups: Vec<&str> = run.split('-').collect();
    groups.len() == 3
        && groups[0].len() == 4
        && groups[1..].iter().all(|g| (1..=2).contains(&g.len()))
        && groups.iter().all(|g| g.bytes().all(|b| b.is_ascii_digit()))
}

/// Whether `text` still holds a telephone-number-like run (what a test asserts never).
pub fn has_phone(text: &str) -> bool {
    scrub_phones(text) != text
}
