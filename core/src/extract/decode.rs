//! Bytes to text: gzip detection, size limits and charset decoding.
//!
//! The order follows the HTML standard's encoding sniffing: a byte-order mark
//! wins, then the transport's charset (an HTTP header), then a `<meta>`
//! declaration in the first few kilobytes, then statistical detection. A
//! declaration that the bytes contradict (a page labelled windows-1252 that is
//! valid UTF-8, or labelled UTF-8 that is not) is overruled by the bytes.

use std::io::Read;

use encoding_rs::{Encoding, UTF_8};
use flate2::read::MultiGzDecoder;
use std::borrow::Cow;

use super::ExtractError;

/// How far into the document a `<meta charset>` declaration is looked for.
const PRESCAN_BYTES: usize = 4096;

/// Decoded page text with the encoding that was used. UTF-8 input is
/// borrowed, not copied: the prescan makes the parser's copy.
#[derive(Debug)]
pub struct Decoded<'a> {
    pub text: Cow<'a, str>,
    pub encoding: &'static Encoding,
}

/// Inflates `bytes` when they start with the gzip magic, refusing output over `limit`.
pub fn gunzip_if_needed(
    bytes: &[u8],
    limit: u64,
) -> Result<std::borrow::Cow<'_, [u8]>, ExtractError> {
    if bytes.len() as u64 > limit {
        return Err(ExtractError::TooLarge {
            size: bytes.len() as u64,
            limit,
        });
    }
    if !bytes.starts_with(&[0x1f, 0x8b]) {
        return Ok(std::borrow::Cow::Borrowed(bytes));
    }
    // The trailer states the (last member's) size modulo 4 GiB: a hint that
    // spares growing the buffer a dozen times, each a copy, and never more
    // than the limit, whatever a hostile trailer says.
    let stated = bytes
        .last_chunk::<4>()
        .map_or(0, |size| u64::from(u32::from_le_bytes(*size)));
    let mut out =
        Vec::with_capacity(usize::try_from(stated.min(limit.saturating_add(1))).unwrap_or(0));
    // Read one byte past the limit so an oversized stream is detected without inflating it all.
    MultiGzDecoder::new(bytes)
        .take(limit.saturating_add(1))
        .read_to_end(&mut out)
        .map_err(|err| ExtractError::Decode(format!("broken gzip stream: {err}")))?;
    if out.len() as u64 > limit {
        return Err(ExtractError::TooLarge {
            size: out.len() as u64,
            limit,
        });
    }
    Ok(std::borrow::Cow::Owned(out))
}

/// Decodes HTML bytes to text. `transport_charset` is a charset label from the
/// transport (for example an HTTP `Content-Type` header), if any.
pub fn decode_html<'a>(
    bytes: &'a [u8],
    transport_charset: Option<&str>,
) -> Result<Decoded<'a>, ExtractError> {
    if let Some((encoding, bom_len)) = Encoding::for_bom(bytes) {
        let (text, _) = encoding.decode_without_bom_handling(&bytes[bom_len..]);
        return Ok(Decoded {
            text: Cow::Owned(text.into_owned()),
            encoding,
        });
    }
    if looks_binary(bytes) {
        return Err(ExtractError::Decode(
            "content is binary, not HTML text".to_owned(),
        ));
    }
    let declared = transport_charset
        .and_then(|label| Encoding::for_label(label.trim().as_bytes()))
        .or_else(|| prescan_meta_charset(&bytes[..bytes.len().min(PRESCAN_BYTES)]))
        // UTF-16 declared inside an ASCII-compatible document is a lie (HTML standard).
        .map(|enc| {
            if enc.is_ascii_compatible() {
                enc
            } else {
                UTF_8
            }
        });
    let utf8 = std::str::from_utf8(bytes).ok();
    // One stray byte in a UTF-8 page (a truncated character, a pasted
    // Latin-1 quote) does not make the page windows-1252: decoded as UTF-8,
    // it costs one replacement character instead of mojibake everywhere.
    if utf8.is_none() && declared.is_none_or(|d| d == UTF_8) && nearly_utf8(bytes) {
        let (text, _) = UTF_8.decode_without_bom_handling(bytes);
        return Ok(Decoded {
            text: Cow::Owned(text.into_owned()),
            encoding: UTF_8,
        });
    }
    let encoding = choose_encoding(bytes, utf8.is_some(), declared);
    if encoding == UTF_8
        && let Some(text) = utf8
    {
        return Ok(Decoded {
            text: Cow::Borrowed(text),
            encoding,
        });
    }
    let (text, _, _) = encoding.decode(bytes);
    Ok(Decoded {
        text: Cow::Owned(text.into_owned()),
        encoding,
    })
}

fn choose_encoding(
    bytes: &[u8],
    valid_utf8: bool,
    declared: Option<&'static Encoding>,
) -> &'static Encoding {
    match declared {
        Some(enc) if enc == UTF_8 && valid_utf8 => UTF_8,
        // Pages mislabelled as a legacy charset but actually UTF-8 are common.
        Some(_) if valid_utf8 && !bytes.is_ascii() => UTF_8,
        Some(enc) if enc != UTF_8 => enc,
        _ if valid_utf8 => UTF_8,
        _ => {
            let mut detector =
                chardetng::EncodingDetector::new(chardetng::Iso2022JpDetection::Deny);
            detector.feed(bytes, true);
            detector.guess(None, chardetng::Utf8Detection::Allow)
        }
    }
}

/// Binary content is full of control bytes (NUL among them); text has
/// at most a stray one, which must not cost the page.
fn looks_binary(bytes: &[u8]) -> bool {
    let sample = &bytes[..bytes.len().min(8192)];
    if sample.is_empty() {
        return false;
    }
    let control = sample
        .iter()
        .filter(|&&b| b < 0x20 && !matches!(b, b'\n' | b'\r' | b'\t' | 0x0c | 0x1b))
        .count();
    control * 20 > sample.len()
}

/// Invalid sequences allowed per this many bytes for text to still be
/// UTF-8 with a few damaged characters.
const BYTES_PER_INVALID: usize = 1000;

/// Whether `bytes` are UTF-8 but for a few invalid sequences (at most one
/// per [`BYTES_PER_INVALID`] bytes, and at least one allowed), and do have
/// multi-byte characters: a Latin-1 page has no valid ones.
fn nearly_utf8(bytes: &[u8]) -> bool {
    let allowed = (bytes.len() / BYTES_PER_INVALID).max(1);
    let (mut invalid, mut multibyte, mut rest) = (0usize, 0usize, bytes);
    loop {
        match std::str::from_utf8(rest) {
            Ok(valid) => {
                multibyte += valid.bytes().filter(|b| *b >= 0xC0).count();
                break;
            }
            Err(e) => {
                let (valid, after) = rest.split_at(e.valid_up_to());
                multibyte += valid.iter().filter(|b| **b >= 0xC0).count();
                invalid += 1;
                if invalid > allowed {
                    return false;
                }
                let skip = e.error_len().unwrap_or(after.len()).max(1);
                rest = &after[skip.min(after.len())..];
            }
        }
    }
    multibyte > invalid
}

/// Finds `<meta charset=...>` or `<meta http-equiv=Content-Type content="...charset=...">`.
fn prescan_meta_charset(head: &[u8]) -> Option<&'static Encoding> {
    let lower: Vec<u8> = head.iter().map(u8::to_ascii_lowercase).collect();
    let mut from = 0;
    while let Some(pos) = find(&lower[from..], b"<meta") {
        let start = from + pos;
        let end = lower[start..]
            .iter()
            .position(|&b| b == b'>')
            .map_or(lower.len(), |p| start + p);
        let tag = &lower[start..end];
        if let Some(at) = find(tag, b"charset") {
            let rest = &tag[at + b"charset".len()..];
            let rest = skip_while(rest, |b| b.is_ascii_whitespace());
            if let Some(value) = rest.strip_prefix(b"=") {
                let value = skip_while(value, |b| {
                    b.is_ascii_whitespace() || b == b'"' || b == b'\''
                });
                let len = value
                    .iter()
                    .position(|&b| {
                        b.is_ascii_whitespace() || matches!(b, b'"' | b'\'' | b';' | b'/' | b'>')
                    })
                    .unwrap_or(value.len());
                if let Some(enc) = Encoding::for_label(&value[..len]) {
                    return Some(enc);
                }
            }
        }
        from = end;
    }
    None
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

fn skip_while(bytes: &[u8], pred: impl Fn(u8) -> bool) -> &[u8] {
    let n = bytes.iter().take_while(|&&b| pred(b)).count();
    &bytes[n..]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn meta_charset_is_found() {
        let html = b"<html><head><meta charset=\"windows-1251\"></head><body>\xcf\xf0\xe8\xe2\xe5\xf2</body></html>";
        let decoded = decode_html(html, None).unwrap();
        assert_eq!(decoded.encoding.name(), "windows-1251");
        assert!(decoded.text.contains("Привет"));
    }

    #[test]
    fn http_equiv_charset_is_found() {
        let html = b"<meta http-equiv=\"Content-Type\" content=\"text/html; charset=ISO-8859-1\"><p>caf\xe9</p>";
        let decoded = decode_html(html, None).unwrap();
        assert!(decoded.text.contains("café"));
    }

    #[test]
    fn utf8_wins_over_a_wrong_legacy_label() {
        let html = "<meta charset=iso-8859-1><p>Zażółć gęślą jaźń</p>".as_bytes();
        let decoded = decode_html(html, None).unwrap();
        assert!(decoded.text.contains("Zażółć"));
    }

    #[test]
    fn undeclared_legacy_page_is_detected() {
        let (bytes, _, _) = encoding_rs::WINDOWS_1252.encode(
            "<p>Le président a déclaré que la réunion était très importante pour l'économie française.</p>",
        );
        let decoded = decode_html(&bytes, None).unwrap();
        assert!(decoded.text.contains("président"), "{}", decoded.text);
    }

    #[test]
    fn utf16_bom_is_honoured() {
        let mut bytes = vec![0xff, 0xfe];
        for unit in "<p>Grüße</p>".encode_utf16() {
            bytes.extend_from_slice(&unit.to_le_bytes());
        }
        let decoded = decode_html(&bytes, None).unwrap();
        assert_eq!(&*decoded.text, "<p>Grüße</p>");
    }

    #[test]
    fn one_bad_byte_does_not_make_a_utf8_page_windows_1252() {
        let mut bytes = "<meta charset=utf-8><p>Zażółć gęślą jaźń, la réunion à Genève.</p>"
            .repeat(40)
            .into_bytes();
        // A stray Latin-1 byte in the middle, between two characters.
        let at = 1000 + bytes[1000..].iter().position(|&b| b == b'<').unwrap();
        bytes.insert(at, 0xe9);
        let decoded = decode_html(&bytes, None).unwrap();
        assert_eq!(decoded.encoding, UTF_8);
        assert!(decoded.text.contains("Zażółć gęślą jaźń"));
        assert_eq!(decoded.text.matches('\u{FFFD}').count(), 1);
        assert!(!decoded.text.contains("Ã"), "mojibake");
        // Undeclared, the same.
        let undeclared = &bytes["<meta charset=utf-8>".len()..];
        assert_eq!(decode_html(undeclared, None).unwrap().encoding, UTF_8);
    }

    #[test]
    fn one_nul_byte_does_not_make_a_page_binary() {
        let mut bytes = b"<html><body><p>A page with one stray NUL byte in it.</p>".to_vec();
        bytes.insert(20, 0);
        bytes.extend(b"<p>More text.</p></body></html>");
        assert!(decode_html(&bytes, None).is_ok());
    }

    #[test]
    fn binary_is_refused() {
        let err = decode_html(&[0u8, 1, 2, 3, 0, 0, 255, 254, 7], None).unwrap_err();
        assert_eq!(err.class(), "decode");
        // A PNG: header, then compressed bytes full of control values.
        let mut png = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR".to_vec();
        png.extend((0..4000u32).map(|i| (i.wrapping_mul(2_654_435_761) >> 24) as u8));
        assert_eq!(decode_html(&png, None).unwrap_err().class(), "decode");
    }

    #[test]
    fn gzip_is_detected_by_magic_and_limited() {
        use std::io::Write;
        let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
        enc.write_all(&vec![b'a'; 10_000]).unwrap();
        let gz = enc.finish().unwrap();
        assert_eq!(gunzip_if_needed(&gz, 20_000).unwrap().len(), 10_000);
        let err = gunzip_if_needed(&gz, 1_000).unwrap_err();
        assert_eq!(err.class(), "too_large");
        assert_eq!(gunzip_if_needed(b"<p>plain</p>", 100).unwrap().len(), 12);
    }
}
