//! What every contender does before its own work: read each file and gunzip
//! it when it is gzip, as `newsworker extract` does.

use std::io::Read;

/// The files named on the command line, read and gunzipped, one at a time.
pub fn pages() -> impl Iterator<Item = (String, String)> {
    std::env::args().skip(1).map(|path| {
        let raw = std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
        let bytes = if raw.starts_with(&[0x1f, 0x8b]) {
            let mut out = Vec::new();
            flate2::read::GzDecoder::new(&raw[..])
                .read_to_end(&mut out)
                .unwrap_or_else(|e| panic!("{path}: {e}"));
            out
        } else {
            raw
        };
        (path, String::from_utf8_lossy(&bytes).into_owned())
    })
}
