//! Browser test of the name order (src/collate.rs) in headless Chromium: pinyin as a
//! Chinese reader expects, common surnames and polyphonic ones by their surname reading.
#![cfg(target_arch = "wasm32")]

use std::cmp::Ordering;
use wasm_bindgen_test::*;
use yehua::collate::{compare_names, sort_by_name};

wasm_bindgen_test_configure!(run_in_browser);

/// Names in the order a roll call reads them: the surname's pinyin, then the given name.
const ROLL_CALL: &[&str] = &[
    "白雪",   // bái
    "陈建国", // chén
    "丁海燕", // dīng
    "盖春生", // gě, not gài
    "黄大爷", // huáng
    "李桂兰", // lǐ
    "刘志强", // liú
    "陆阿姨", // lù
    "缪玉珍", // miào, not miù
    "欧阳红", // ōuyáng
    "区永福", // ōu, not qū (永 yǒng after 阳 yáng)
    "朴春花", // piáo, not pǔ
    "秦丽华", // qín
    "覃晓东", // qín, not tán (晓 xiǎo after 丽 lì)
    "仇德明", // qiú, not chóu
    "单小红", // shàn, not dān
    "孙红梅", // sūn
    "王建国", // wáng
    "韦师傅", // wéi
    "解德明", // xiè, not jiě
    "徐秀英", // xú
    "杨志强", // yáng
    "曾国强", // zēng, not céng
    "查文斌", // zhā, not chá
    "翟永福", // zhái, not dí
    "张华强", // zhāng
    "赵志愿", // zhào
    "朱玉珍", // zhū
];

#[wasm_bindgen_test]
fn names_sort_in_pinyin_order_with_surname_readings() {
    for start in [0, 7, 19] {
        // Every rotation of the reversed list sorts back to the roll call.
        let mut names: Vec<&str> = ROLL_CALL.iter().rev().copied().collect();
        names.rotate_left(start);
        sort_by_name(&mut names, |n| *n);
        assert_eq!(names, ROLL_CALL);
    }
    let mut by_code_point = ROLL_CALL.to_vec();
    by_code_point.sort();
    assert_ne!(
        by_code_point, ROLL_CALL,
        "code-point order is not pinyin order"
    );
}

#[wasm_bindgen_test]
fn polyphonic_surnames_compare_by_their_surname_reading() {
    // (name, sorts after, sorts before): the ordinary word's reading would put each
    // outside its bounds.
    for (name, after, before) in [
        ("曾一", "杨一", "张一"), // zēng, not céng (before 杨)
        ("单一", "冉一", "邵一"), // shàn, not dān (before 冉)
        ("解一", "王一", "徐一"), // xiè, not jiě (before 王)
        ("区一", "牛一", "潘一"), // ōu, not qū (after 潘)
        ("仇一", "秦一", "冉一"), // qiú, not chóu (before 秦)
    ] {
        assert_eq!(
            compare_names(name, after),
            Ordering::Greater,
            "{name} after {after}"
        );
        assert_eq!(
            compare_names(name, before),
            Ordering::Less,
            "{name} before {before}"
        );
    }
    assert_eq!(compare_names("黄大爷", "黄大爷"), Ordering::Equal);
    assert_eq!(compare_names("陆", "黄"), Ordering::Greater);
    assert_eq!(compare_names("韦", "陆"), Ordering::Greater);
    // Two names with the same key still have one order.
    assert_eq!(
        compare_names("覃一", "秦一"),
        compare_names("秦一", "覃一").reverse()
    );
    assert_ne!(compare_names("覃一", "秦一"), Ordering::Equal);
}
