//! Finding people by name the way a cadre types on a phone: a Chinese substring (王), or the
//! pinyin initials (wjg for 王建国) when typing Chinese is slow; and the key a list of
//! names is sorted by. Owns matching and that key; the pinyin order itself comes from the
//! browser (`Intl.Collator('zh-CN')`, src/collate.rs).

use std::borrow::Cow;

/// Surnames read otherwise than the same character in ordinary words, each with a
/// stand-in: a character that has only the surname's reading. The browser's pinyin
/// collation (ICU, CLDR) sorts a character by its commonest reading, so 曾 would go with
/// 层 (céng), 单 with 丹 (dān), 解 with 姐 (jiě), 区 with 曲 (qū); compared through the
/// stand-in they sort as zēng, shàn, xiè, ōu, as on a roll call. Compound surnames first.
/// (surname, stand-in, the surname's pinyin)
pub const SURNAME_READINGS: &[(&str, &str, &str)] = &[
    ("单于", "蝉于", "chan"),
    ("万俟", "莫其", "moqi"),
    ("尉迟", "玉迟", "yuchi"),
    ("令狐", "灵狐", "linghu"),
    ("曾", "增", "zeng"),
    ("单", "善", "shan"),
    ("解", "谢", "xie"),
    ("区", "欧", "ou"),
    ("仇", "求", "qiu"),
    ("查", "渣", "zha"),
    ("朴", "瓢", "piao"),
    ("翟", "宅", "zhai"),
    ("盖", "葛", "ge"),
    ("缪", "妙", "miao"),
    ("覃", "秦", "qin"),
    ("召", "邵", "shao"),
    ("繁", "婆", "po"),
    ("员", "运", "yun"),
    ("句", "勾", "gou"),
    ("秘", "必", "bi"),
    ("种", "虫", "chong"),
    ("重", "虫", "chong"),
    ("折", "舌", "she"),
    ("薄", "博", "bo"),
    ("都", "督", "du"),
    ("过", "郭", "guo"),
    ("任", "人", "ren"),
    ("华", "画", "hua"),
    ("燕", "烟", "yan"),
    ("纪", "挤", "ji"),
    ("黑", "贺", "he"),
    ("莘", "深", "shen"),
    ("洗", "显", "xian"),
];

/// What a name is compared by in a pinyin collation: the name with a polyphonic surname
/// replaced by its stand-in (单小红 → 善小红), otherwise the name itself. Ties between a
/// name and its key are the caller's to break (by the names themselves).
pub fn collation_key(name: &str) -> Cow<'_, str> {
    let name = name.trim_start();
    SURNAME_READINGS
        .iter()
        .find_map(|(surname, stand_in, _)| {
            name.strip_prefix(surname)
                .map(|given| Cow::Owned(format!("{stand_in}{given}")))
        })
        .unwrap_or(Cow::Borrowed(name))
}

/// The pinyin initials of `name`, lower case (王建国 → wjg); other characters stay as they
/// are (lower-cased).
pub fn initials(name: &str) -> String {
    rust_pinyin::get_pinyin(name).to_lowercase()
}

/// Whether `name` matches `query`: empty matches all; otherwise a case-insensitive
/// substring of the name, or — for a query of Latin letters — of its pinyin initials.
pub fn matches_name(name: &str, query: &str) -> bool {
    let q = query.trim().to_lowercase();
    if q.is_empty() || name.to_lowercase().contains(&q) {
        return true;
    }
    q.chars().all(|c| c.is_ascii_alphabetic()) && initials(name).contains(&q)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chinese_substring_or_pinyin_initials() {
        assert!(matches_name("王建国", ""));
        assert!(matches_name("王建国", "建国"));
        assert!(matches_name("王建国", "wjg"));
        assert!(matches_name("王建国", "WJ"));
        assert!(matches_name("王建国", " jg "));
        assert!(!matches_name("王建国", "wg"), "initials must be contiguous");
        assert!(!matches_name("王建国", "李"));
        assert!(
            !matches_name("王建国", "w1"),
            "only letters search the initials"
        );
        assert!(matches_name("Li Ming", "li m"));
    }

    #[test]
    fn polyphonic_surnames_are_keyed_by_their_surname_reading() {
        assert_eq!(collation_key("单小红"), "善小红");
        assert_eq!(collation_key("曾国强"), "增国强");
        assert_eq!(collation_key("解放"), "谢放", "the first character only");
        assert_eq!(collation_key("区"), "欧");
        assert_eq!(
            collation_key("单于春"),
            "蝉于春",
            "a compound surname before 单"
        );
        assert_eq!(collation_key("黄大爷"), "黄大爷");
        assert_eq!(collation_key("王单"), "王单");
        assert_eq!(collation_key(""), "");
        assert!(matches!(collation_key("陆阿姨"), Cow::Borrowed(_)));
    }

    #[test]
    fn every_stand_in_reads_as_the_surname_does() {
        for (surname, stand_in, pinyin) in SURNAME_READINGS {
            assert_eq!(
                surname.chars().count(),
                stand_in.chars().count(),
                "{surname}"
            );
            assert_ne!(surname, stand_in);
            // The initials table knows each character's commonest reading: the stand-in's
            // is the surname's.
            let first = &pinyin[..1];
            assert_eq!(&initials(stand_in)[..1], first, "{surname} → {stand_in}");
        }
        let mut surnames: Vec<_> = SURNAME_READINGS.iter().map(|r| r.0).collect();
        surnames.dedup();
        assert_eq!(surnames.len(), SURNAME_READINGS.len(), "each surname once");
        // Compound surnames come before the single ones they start with.
        for (i, (s, ..)) in SURNAME_READINGS.iter().enumerate() {
            for (t, ..) in &SURNAME_READINGS[..i] {
                assert!(!s.starts_with(t) || s == t, "{t} shadows {s}");
            }
        }
    }

    #[test]
    fn initials_of_common_village_names() {
        assert_eq!(initials("张华强"), "zhq");
        assert_eq!(initials("赵志愿"), "zzy");
        // A first-letter table knows one reading per character: 长 reads c (chang), not z.
        assert_eq!(initials("钱长"), "qc");
        assert_eq!(initials("李医生2"), "lys2");
    }
}
