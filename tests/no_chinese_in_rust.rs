//! Every text the cadre reads lives in `locales/zh-CN.json` and `locales/en.json`, so it
//! follows a language switch: no Chinese is written in the client's Rust source. Comments
//! (`//`, `//!`, `///`) and `#[cfg(test)]` modules may hold Chinese; code may not.
#![cfg(not(target_arch = "wasm32"))]

use std::fs;
use std::path::{Path, PathBuf};

/// A Chinese character (CJK unified ideographs, their extensions and compatibility forms).
fn is_han(c: char) -> bool {
    matches!(c as u32,
        0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xF900..=0xFAFF | 0x20000..=0x3134F)
}

/// The code of `line`: what comes before a `//` comment that is not inside a string.
fn code_of(line: &str) -> &str {
    let mut in_string = false;
    let mut escaped = false;
    let bytes = line.as_bytes();
    for (i, &b) in bytes.iter().enumerate() {
        match b {
            _ if escaped => escaped = false,
            b'\\' if in_string => escaped = true,
            b'"' => in_string = !in_string,
            b'/' if !in_string && bytes.get(i + 1) == Some(&b'/') => return &line[..i],
            _ => {}
        }
    }
    line
}

/// `(line number, line)` of each line of `text` whose code holds Chinese, up to the file's
/// test module.
fn offending(text: &str) -> Vec<(usize, String)> {
    text.lines()
        .take_while(|l| l.trim() != "#[cfg(test)]")
        .enumerate()
        .filter(|(_, l)| code_of(l).chars().any(is_han))
        .map(|(i, l)| (i + 1, l.trim().to_owned()))
        .collect()
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in fs::read_dir(dir).expect("read src/") {
        let path = entry.expect("dir entry").path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

#[test]
fn the_check_sees_code_and_skips_comments_and_tests() {
    assert_eq!(offending("let a = \"保存\";").len(), 1);
    assert_eq!(offending("view! { <p>\"已保存\"</p> } // 已保存").len(), 1);
    assert_eq!(offending("format!(\"{n} 条\") // note").len(), 1);
    assert!(offending("// 保存\n//! 夜话\n    /// 志愿者\nlet a = 1; // 注释").is_empty());
    assert!(offending("let url = \"http://x\"; // 网址").is_empty());
    assert!(
        offending("fn a() {}\n#[cfg(test)]\nmod tests { const A: &str = \"示范村\"; }").is_empty()
    );
    assert!(
        offending(".split([',', '，', '、'])").is_empty(),
        "punctuation is not text"
    );
}

#[test]
fn no_chinese_in_client_rust_source() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    files.sort();
    assert!(
        files.len() > 50,
        "found only {} files under src/",
        files.len()
    );
    let mut found = Vec::new();
    for file in files {
        let text = fs::read_to_string(&file).expect("read a source file");
        for (n, line) in offending(&text) {
            found.push(format!("{}:{n}: {line}", file.display()));
        }
    }
    assert!(
        found.is_empty(),
        "Chinese in Rust source; move it to locales/zh-CN.json and locales/en.json:\n{}",
        found.join("\n")
    );
}
