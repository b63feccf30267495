//! Broken and hostile inputs: each gives an article or a typed error, never a
//! panic, a hang or unbounded memory. (How long they take is measured by the
//! fuzzer and the benchmarks, not asserted here.)

mod common;

use std::io::Write;

use common::extract_bytes;
use newsworker::extract::{DEFAULT_MAX_BYTES, Options, Page, extract};

fn paragraph_page(body: &str) -> String {
    format!("<html><head><title>T</title></head><body><article>{body}</article></body></html>")
}

#[test]
fn empty_input_is_an_empty_extraction() {
    assert_eq!(
        extract_bytes(b"", None).unwrap_err().class(),
        "empty_extraction"
    );
    assert_eq!(
        extract_bytes(b"   \n  ", None).unwrap_err().class(),
        "empty_extraction"
    );
}

#[test]
fn binary_garbage_is_a_decode_error() {
    let garbage: Vec<u8> = (0..100_000u32)
        .map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8)
        .collect();
    assert_eq!(extract_bytes(&garbage, None).unwrap_err().class(), "decode");
}

#[test]
fn a_five_megabyte_single_line_is_extracted() {
    let sentence = "The ministers met in Brussels on Tuesday, and they agreed on sanctions. ";
    let body = format!(
        "<p>{}</p>",
        sentence.repeat(5 * 1024 * 1024 / sentence.len())
    );
    let page = paragraph_page(&body);
    assert!(page.len() > 5_000_000 && !page.contains('\n'));
    let article = extract_bytes(page.as_bytes(), None).unwrap();
    assert!(article.text.len() > 4_900_000);
}

#[test]
fn a_hundred_thousand_nested_divs_do_not_hang_the_parser() {
    let page = format!(
        "<html><body>{}<p>Deep inside the nesting there is still a paragraph of article text, long enough to count.</p>{}</body></html>",
        "<div>".repeat(100_000),
        "</div>".repeat(100_000)
    );
    let article = extract_bytes(page.as_bytes(), None).unwrap();
    assert!(article.text.contains("Deep inside the nesting"));
}

#[test]
fn invalid_utf8_is_decoded_somehow() {
    let mut page =
        paragraph_page("<p>Zürich and Kraków hosted the talks on Monday, officials said.</p>")
            .into_bytes();
    page.splice(40..40, [0xff, 0xfe, 0xc3, 0x28, 0xa0, 0xa1]);
    let article = extract_bytes(&page, None).unwrap();
    assert!(article.text.contains("hosted the talks"));
}

#[test]
fn utf16_with_bom_is_decoded() {
    let page = paragraph_page(
        "<p>Grüße aus Berlin: der Kanzler traf am Montag den polnischen Präsidenten.</p>",
    );
    let mut bytes = vec![0xff, 0xfe];
    for unit in page.encode_utf16() {
        bytes.extend_from_slice(&unit.to_le_bytes());
    }
    let article = extract_bytes(&bytes, None).unwrap();
    assert!(
        article.text.contains("Grüße aus Berlin"),
        "{}",
        article.text
    );
}

#[test]
fn windows_1251_is_decoded_with_and_without_a_declaration() {
    let text = "Президент России заявил во вторник, что переговоры с Украиной зашли в тупик.";
    for head in ["<meta charset=\"windows-1251\">", ""] {
        let page =
            format!("<html><head>{head}</head><body><p>{text}</p><p>{text}</p></body></html>");
        let (bytes, _, _) = encoding_rs::WINDOWS_1251.encode(&page);
        let article = extract_bytes(&bytes, None).unwrap();
        assert!(
            article.text.contains("Президент России"),
            "{head:?}: {}",
            article.text
        );
        assert_eq!(article.language.as_deref(), Some("ru"));
    }
}

#[test]
fn shift_jis_is_decoded() {
    let text = "日本政府は火曜日、北大西洋条約機構の首脳会議に首相が出席すると発表した。";
    let page = format!(
        "<html><head><meta http-equiv=\"Content-Type\" content=\"text/html; charset=Shift_JIS\"></head><body><p>{text}</p></body></html>"
    );
    let (bytes, _, _) = encoding_rs::SHIFT_JIS.encode(&page);
    let article = extract_bytes(&bytes, None).unwrap();
    assert!(article.text.contains("日本政府"), "{}", article.text);
    assert_eq!(article.language.as_deref(), Some("ja"));
}

#[test]
fn pages_over_the_limit_are_refused() {
    let big = vec![b'a'; (DEFAULT_MAX_BYTES + 1) as usize];
    assert_eq!(extract_bytes(&big, None).unwrap_err().class(), "too_large");
    let small_limit = Options {
        max_bytes: 1000,
        now: None,
    };
    let page = paragraph_page(&"<p>words words words</p>".repeat(100));
    let err = extract(
        Page {
            bytes: page.as_bytes(),
            url: None,
            charset: None,
        },
        &small_limit,
    )
    .unwrap_err();
    assert_eq!(err.class(), "too_large");
    assert!(err.to_string().contains("limit of 1000 bytes"));
}

#[test]
fn gzip_bombs_are_stopped() {
    let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    let zeros = vec![b' '; 1 << 20];
    for _ in 0..64 {
        enc.write_all(&zeros).unwrap();
    }
    let bomb = enc.finish().unwrap();
    assert!(bomb.len() < 200_000);
    assert_eq!(extract_bytes(&bomb, None).unwrap_err().class(), "too_large");
}

#[test]
fn truncated_gzip_is_a_decode_error() {
    let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    enc.write_all(paragraph_page(&"<p>Some article text here.</p>".repeat(200)).as_bytes())
        .unwrap();
    let gz = enc.finish().unwrap();
    let err = extract_bytes(&gz[..gz.len() / 2], None).unwrap_err();
    assert_eq!(err.class(), "decode");
}

#[test]
fn unclosed_and_misnested_markup_is_tolerated() {
    let page = b"<html><body><p>First <b>bold <i>both</b> italic</i> paragraph of the story about the summit.<p>Second paragraph with <a href='x'>a link<div>and a div inside</a> text.<table><tr><td>cell";
    let article = extract_bytes(page, None).unwrap();
    assert!(article.text.contains("First bold both italic paragraph"));
}
