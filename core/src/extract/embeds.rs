//! Social posts and videos embedded in articles: recognised from the
//! publishers' standard embed markup, moved out of the text into `embeds`.

use std::sync::LazyLock;

use regex::Regex;
use serde::{Deserialize, Serialize};

/// One embedded post or video.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Embed {
    /// `tweet`, `instagram`, `facebook`, `youtube`, `tiktok`, `vimeo`, `video`...
    pub kind: String,
    pub url: Option<String>,
    pub author: Option<String>,
    pub text: Option<String>,
}

/// What an element's markup says about it being an embed.
pub enum EmbedMarkup {
    /// A quoted post whose text is inside the element (tweets, Instagram, TikTok).
    Quoted {
        kind: &'static str,
        url: Option<String>,
    },
    /// A player or post loaded from elsewhere (iframes, Facebook divs).
    External { kind: &'static str, url: String },
}

/// Recognises embed markup from the tag name and attributes.
pub fn recognise(
    tag: &str,
    class: &str,
    attr: impl Fn(&str) -> Option<String>,
) -> Option<EmbedMarkup> {
    match tag {
        "blockquote" => {
            let kind = if class.contains("twitter-tweet") || class.contains("twitter-video") {
                "tweet"
            } else if class.contains("instagram-media") {
                "instagram"
            } else if class.contains("tiktok-embed") {
                "tiktok"
            } else if class.contains("reddit-card") || class.contains("reddit-embed") {
                "reddit"
            } else {
                return None;
            };
            let url = attr("data-instgrm-permalink").or_else(|| attr("cite"));
            Some(EmbedMarkup::Quoted { kind, url })
        }
        "iframe" | "embed" | "amp-iframe" | "amp-youtube" | "amp-twitter" => {
            let src = attr("src").or_else(|| attr("data-src"))?;
            let kind = external_kind(&src)?;
            Some(EmbedMarkup::External { kind, url: src })
        }
        "div" if class.contains("fb-post") || class.contains("fb-video") => {
            let url = attr("data-href")?;
            Some(EmbedMarkup::External {
                kind: if class.contains("fb-video") {
                    "video"
                } else {
                    "facebook"
                },
                url,
            })
        }
        _ => None,
    }
}

fn external_kind(src: &str) -> Option<&'static str> {
    let src = src.to_ascii_lowercase();
    let table: [(&str, &'static str); 9] = [
        ("youtube.com/embed", "youtube"),
        ("youtube-nocookie.com", "youtube"),
        ("player.vimeo.com", "vimeo"),
        ("facebook.com/plugins", "facebook"),
        ("instagram.com/p/", "instagram"),
        ("tiktok.com/embed", "tiktok"),
        ("platform.twitter.com", "tweet"),
        ("dailymotion.com/embed", "video"),
        ("open.spotify.com/embed", "audio"),
    ];
    table
        .iter()
        .find(|(needle, _)| src.contains(needle))
        .map(|(_, kind)| *kind)
}

/// "— Volodymyr Zelensky (@ZelenskyyUa) July 12, 2023": a tweet's signature
/// line. Handles are ASCII letters, digits and `_` (a counted Unicode `\w`
/// compiled fifteen copies of the class: 8 of the pattern's 10 ms).
static TWEET_SIGNATURE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"[—–-]\s*([^()\n—–]{1,80}?)\s*\((@[A-Za-z0-9_]{1,15})\)\s*(?:\w+ \d{1,2}, \d{4}|\d{1,2} \w+ \d{4})?",
    )
    .unwrap_or_else(|err| panic!("bad pattern: {err}"))
});

/// Whether a blockquote's text and links make it a pasted tweet without the
/// standard class (as in the seed article).
pub fn looks_like_tweet(text: &str, links: &[&str]) -> bool {
    let has_status_link = links
        .iter()
        .any(|l| (l.contains("twitter.com/") || l.contains("//x.com/")) && l.contains("/status"));
    // The cheap test first: the signature's pattern takes milliseconds to
    // compile, and most pages quote no tweet.
    has_status_link || (text.contains("pic.twitter.com") && TWEET_SIGNATURE.is_match(text))
}

/// Builds an embed from a quoted post's text and its links.
pub fn from_quote(kind: &str, url: Option<String>, text: &str, links: &[&str]) -> Embed {
    let status = links
        .iter()
        .rev()
        .find(|l| {
            l.contains("/status/") || l.contains("instagram.com/p/") || l.contains("tiktok.com/")
        })
        .map(|l| (*l).to_owned());
    let mut body = text.trim().to_owned();
    let mut author = None;
    if let Some(m) = TWEET_SIGNATURE.captures(&body) {
        let name = m.get(1).map_or("", |g| g.as_str()).trim();
        let handle = m.get(2).map_or("", |g| g.as_str());
        author = Some(if name.is_empty() {
            handle.to_owned()
        } else {
            format!("{name} ({handle})")
        });
        if let Some(whole) = m.get(0) {
            body.truncate(whole.start());
        }
    }
    Embed {
        kind: kind.to_owned(),
        url: url.or(status),
        author,
        text: Some(body.trim().to_owned()).filter(|t| !t.is_empty()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tweet_signature_gives_author_and_trims_text() {
        let text = "We return home with a good result. pic.twitter.com/zA0hvg7sIi — Volodymyr Zelensky (@ZelenskyyUa) July 12, 2023";
        let links = ["https://twitter.com/ZelenskyyUa/status/1679197016212979712?ref_src=twsrc"];
        assert!(looks_like_tweet(text, &links));
        let embed = from_quote("tweet", None, text, &links);
        assert_eq!(
            embed.author.as_deref(),
            Some("Volodymyr Zelensky (@ZelenskyyUa)")
        );
        assert_eq!(
            embed.text.as_deref(),
            Some("We return home with a good result. pic.twitter.com/zA0hvg7sIi")
        );
        assert!(embed.url.unwrap().contains("/status/"));
    }

    #[test]
    fn iframes_are_recognised_by_source() {
        let m = recognise("iframe", "", |name| {
            (name == "src").then(|| "https://www.youtube.com/embed/abc".to_owned())
        });
        assert!(matches!(
            m,
            Some(EmbedMarkup::External {
                kind: "youtube",
                ..
            })
        ));
        let none = recognise("iframe", "", |name| {
            (name == "src").then(|| "https://example.org/widget".to_owned())
        });
        assert!(none.is_none());
    }
}
