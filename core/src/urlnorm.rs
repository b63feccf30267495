//! URL hygiene: the canonical form of a URL that record ids hash.
//!
//! Pure, so the extractor and (later) the fetcher agree on it. The `url`
//! crate already lower-cases hosts, converts IDNs to punycode and drops
//! default ports; on top of that we drop fragments and tracking parameters.

use url::Url;

/// Query parameters that only track the click, never select the content.
const TRACKING_PARAMS: &[&str] = &[
    "fbclid",
    "gclid",
    "dclid",
    "gbraid",
    "wbraid",
    "msclkid",
    "yclid",
    "igshid",
    "mc_cid",
    "mc_eid",
    "_ga",
    "_gl",
    "ocid",
    "cmpid",
    "ncid",
    "sr_share",
    "ref_src",
    "ref_url",
    "s_cid",
    "smid",
    "spm",
    "twclid",
    "li_fat_id",
    "mkt_tok",
    "oly_anon_id",
    "oly_enc_id",
    "vero_id",
    "wt_mc",
];

fn is_tracking(key: &str) -> bool {
    let key = key.to_ascii_lowercase();
    key.starts_with("utm_") || key.starts_with("pk_") || TRACKING_PARAMS.contains(&key.as_str())
}

/// Returns the canonical form of `url`: no fragment, no tracking parameters.
pub fn canonicalize(url: &Url) -> Url {
    let mut out = url.clone();
    out.set_fragment(None);
    if url.query().is_some() {
        let kept: Vec<(String, String)> = url
            .query_pairs()
            .filter(|(k, _)| !is_tracking(k))
            .map(|(k, v)| (k.into_owned(), v.into_owned()))
            .collect();
        if kept.is_empty() {
            out.set_query(None);
        } else {
            out.query_pairs_mut().clear().extend_pairs(kept);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tracking_and_fragment_are_dropped() {
        let u =
            Url::parse("https://News.Example.COM:443/a/b?id=7&utm_source=x&fbclid=y#top").unwrap();
        assert_eq!(
            canonicalize(&u).as_str(),
            "https://news.example.com/a/b?id=7"
        );
        let u = Url::parse("https://example.com/a?utm_medium=social").unwrap();
        assert_eq!(canonicalize(&u).as_str(), "https://example.com/a");
    }

    #[test]
    fn idn_hosts_become_punycode() {
        let u = Url::parse("https://bücher.example/x").unwrap();
        assert_eq!(canonicalize(&u).as_str(), "https://xn--bcher-kva.example/x");
    }
}
