//! Element-level boilerplate rules: which containers are navigation, ads,
//! share bars, related links, comments, newsletter boxes, consent banners...
//!
//! Decided from the tag, ARIA role, `id` and `class` only, with patterns
//! compiled once. The patterns match whole hyphen/underscore-separated words
//! (so `ad` never matches `header` or `shadow`). Whether a match is obeyed is
//! decided later, with the text statistics in hand: a container that holds
//! most of the page's text is never dropped because of a class name.

use std::sync::LazyLock;

use regex::Regex;

use super::dom::Tag;

/// What cleaning removed, by kind: the keys of the record's `removed` object.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Kind {
    Consent,
    Nav,
    Footer,
    Ads,
    Share,
    Related,
    Comments,
    Newsletter,
    Paywall,
    Sidebar,
    Meta,
    Caption,
    Hidden,
    Embeds,
    Credits,
    Form,
}

impl Kind {
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Consent => "consent",
            Kind::Nav => "nav",
            Kind::Footer => "footer",
            Kind::Ads => "ads",
            Kind::Share => "share",
            Kind::Related => "related",
            Kind::Comments => "comments",
            Kind::Newsletter => "newsletter",
            Kind::Paywall => "paywall",
            Kind::Sidebar => "sidebar",
            Kind::Meta => "meta",
            Kind::Caption => "caption",
            Kind::Hidden => "hidden",
            Kind::Embeds => "embeds",
            Kind::Credits => "credits",
            Kind::Form => "form",
        }
    }
}

/// The boilerplate verdict and content weight for one element.
#[derive(Debug, Clone, Copy, Default)]
pub struct Verdict {
    pub kind: Option<Kind>,
    /// Readability-style class weight: positive for article-ish names.
    pub weight: f32,
    /// Names such as `articleBody` or `entry-content` that mark the main text.
    pub article_marker: bool,
}

/// `(?:^|[\s_-])` and its closing twin: our notion of a word in class names.
macro_rules! words {
    ($body:expr) => {
        concat!(r"(?:^|[\s_-])(?:", $body, r")(?:$|[\s_-]|\d)")
    };
}

static CONSENT_PLATFORM: LazyLock<Regex> = LazyLock::new(|| {
    // Named consent platforms and WordPress plugins (see docs/extraction.md).
    compile(concat!(
        r"onetrust|optanon|cybotcookiebot|cookiebot|qc-cmp|didomi|truste|trustarc|usercentrics|",
        r"sp_message_container|sp_privacy_manager|osano|cookieconsent|iubenda|termly|klaro|",
        r"borlabs|brlbs|moove_gdpr|cookiescript|cookiefirst|cmpbox|fc-consent|axeptio|",
        r"tarteaucitron|coioverlay|cookie-information|lanyard_root|ketch-|transcend-consent|",
        r"ch2-container|_evidon|sliding-popup|pea_cook|catapult-cookie|wpgdprc|cookielawinfo|",
        r"cookie-law-info|cli-modal|cli-popupbar|cky-|cmplz|cn-notice|cookie-notice|",
        r"eu-cookie|cc-window|cc-banner|cc_banner|cc--main|cc-main|js-consent-banner|",
        r"gdpr-?consent|cookie_hdr|hs-eu-cookie|ez-cookie|sd-cmp|pubtech-cmp|cl-consent",
    ))
});

static CONSENT_GENERIC: LazyLock<Regex> = LazyLock::new(|| {
    compile(concat!(
        r"(?:^|[\s_-])(?:cookie|gdpr|gprd|consent|cmp\d|cmp(?:$|[\s_-]))|",
        r"privacy-?(?:consent|banner|notice|bar|popup|policy-banner)|already-visited"
    ))
});

static POSITIVE_MARKER: LazyLock<Regex> = LazyLock::new(|| {
    compile(concat!(
        r"articlebody|article-?body|article__body|article_body|article-?text|article__text|",
        r"article-?content|article__content|entry-?content|entry__content|post-?content|",
        r"post-?body|post-?entry|story-?body|story__body|story-?content|story-?text|body-?text|",
        r"text-?body|news-?content|news-?text|main-?content|content-?body|c-entry-content|",
        r"rich-?text|field-?body|field-name-body|article-?entry|entry-?body|single-?content|",
        r"the-?content|blog-?content|post-?text|text-?content|caas-body|articletext|storytext"
    ))
});

static HIDDEN: LazyLock<Regex> = LazyLock::new(|| {
    compile(words!(
        r"hidden|hide|d-none|sr-only|screen-?reader-?(?:text|only)?|visually-?hidden|visuallyhidden|offscreen|print-?only|is-hidden|invisible|element-invisible"
    ))
});

static RULES: LazyLock<Vec<(Kind, Regex)>> = LazyLock::new(|| {
    vec![
        (
            Kind::Share,
            compile(words!(
                r"share\w*|sharing|social\w*|sharedaddy|addthis\w*|addtoany|a2a_kit|sharethis|print-?button|email-?share|follow-?us|socials|social-?links"
            )),
        ),
        (
            Kind::Related,
            compile(words!(
                r"related\w*|recommend\w*|more-?stories|more-?articles|read-?more|readmore|also-?read|see-?also|trending\w*|popular|most-?(?:read|popular|viewed|shared)|mostread|mostpopular|you-?may\w*|youmay\w*|recirc\w*|more-?from\w*|next-?post|prev-?post|previous-?post|post-?navigation|nav-?links|jp-relatedposts|yarpp\w*|crp_related|further-?reading|latest-?(?:news|posts|articles|stories)|top-?stories|taboola\w*|outbrain\w*|zergnet|more-?on"
            )),
        ),
        (
            Kind::Comments,
            compile(words!(
                r"comments?|commentlist|comment-\w+|disqus\w*|respond|discussion|responses"
            )),
        ),
        (
            Kind::Newsletter,
            compile(words!(
                r"newsletter\w*|subscribe\w*|subscription\w*|signup|sign-?up|mailchimp|mc4wp\w*|optin\w*|opt-?in|email-?signup|inline-?signup"
            )),
        ),
        (
            Kind::Ads,
            compile(words!(
                r"ads?|adv|advert\w*|advertisement|adslot\w*|adunit\w*|adsense|adsbygoogle|ad-?slot|ad-?container|ad-?wrapper|ad-?unit|dfp\w*|gpt-?ad\w*|googleads?|doubleclick|sponsor\w*|promo|promos|promotion\w*|commercial|banner-?ad|billboard|leaderboard|skyscraper"
            )),
        ),
        (
            Kind::Nav,
            compile(words!(
                r"nav|navbar|navigation|menu\w*|breadcrumbs?|masthead|topbar|top-?bar|(?:site|page|global|main)-?header|header-?nav|skip-?link\w*|skiplinks?|pagination|pager|toolbar"
            )),
        ),
        (
            Kind::Footer,
            compile(words!(r"footer\w*|site-?footer|colophon|copyright")),
        ),
        (
            Kind::Sidebar,
            compile(words!(
                r"sidebar\w*|side-?bar|widget\w*|right-?rail|left-?rail|rail"
            )),
        ),
        (
            Kind::Meta,
            compile(words!(
                r"byline\w*|author\w*|dateline|post-?meta|entry-?meta|article-?meta|meta-?data|timestamp|posted-?on|tags?|tag-?list|tags-?\w+|categories|category-?list|(?:entry|article|post|story)-?header|(?:entry|post|article|story)-?title|headline\w*|kicker|date|pubdate|publish-?date"
            )),
        ),
        (
            Kind::Caption,
            compile(words!(
                r"caption\w*|wp-caption-text|credit|image-?credit|photo-?credit|media-?credit|img-?credit"
            )),
        ),
    ]
});

static POSITIVE_WEIGHT: LazyLock<Regex> = LazyLock::new(|| {
    compile(r"article|body|content|entry|hentry|h-entry|main|page|post|text|blog|story")
});

static NEGATIVE_WEIGHT: LazyLock<Regex> = LazyLock::new(|| {
    compile(concat!(
        r"-ad-|hidden|banner|combx|comment|com-|contact|foot|footnote|gdpr|masthead|media|meta|",
        r"outbrain|promo|related|scroll|share|shoutbox|sidebar|skyscraper|sponsor|shopping|tags|",
        r"tool|widget"
    ))
});

fn compile(pattern: &str) -> Regex {
    // The patterns are constants covered by tests; failing here is a programming error.
    Regex::new(pattern).unwrap_or_else(|err| panic!("bad built-in pattern {pattern}: {err}"))
}

/// Classifies one element. `names` is its `id` and `class`, lower-cased and
/// space-joined; `role` and `style` are the raw attributes.
pub fn classify(tag: Tag, names: &str, role: Option<&str>, style: Option<&str>) -> Verdict {
    let mut verdict = Verdict::default();
    let structural = matches!(tag, Tag::Body | Tag::Main);
    if !structural && !names.is_empty() && (CONSENT_PLATFORM.is_match(names) || CONSENT_GENERIC.is_match(names)) {
        verdict.kind = Some(Kind::Consent);
        return verdict;
    }
    if let Some(style) = style
        && is_hidden_style(style)
    {
        verdict.kind = Some(Kind::Hidden);
    }
    verdict.kind = verdict.kind.or(match tag {
        Tag::Nav => Some(Kind::Nav),
        Tag::Footer => Some(Kind::Footer),
        Tag::Aside => Some(Kind::Sidebar),
        Tag::Figcaption => Some(Kind::Caption),
        _ => None,
    });
    if let Some(role) = role {
        verdict.kind = verdict.kind.or(match role {
            "navigation" | "menubar" | "menu" => Some(Kind::Nav),
            "contentinfo" => Some(Kind::Footer),
            "complementary" => Some(Kind::Sidebar),
            "banner" => Some(Kind::Nav),
            "alertdialog" | "dialog" => Some(Kind::Consent).filter(|_| names.contains("cookie")),
            _ => None,
        });
    }
    if names.is_empty() {
        return verdict;
    }
    verdict.article_marker = POSITIVE_MARKER.is_match(names);
    if POSITIVE_WEIGHT.is_match(names) {
        verdict.weight += 25.0;
    }
    if NEGATIVE_WEIGHT.is_match(names) {
        verdict.weight -= 25.0;
    }
    if structural || verdict.kind.is_some() {
        return verdict;
    }
    if HIDDEN.is_match(names) {
        verdict.kind = Some(Kind::Hidden);
        return verdict;
    }
    if verdict.article_marker {
        return verdict;
    }
    verdict.kind = RULES
        .iter()
        .find(|(_, re)| re.is_match(names))
        .map(|(kind, _)| *kind);
    verdict
}

fn is_hidden_style(style: &str) -> bool {
    let compact: String = style
        .chars()
        .filter(|c| !c.is_whitespace())
        .flat_map(char::to_lowercase)
        .collect();
    compact.contains("display:none") || compact.contains("visibility:hidden")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kind(names: &str) -> Option<Kind> {
        classify(Tag::Block, names, None, None).kind
    }

    #[test]
    fn words_do_not_match_inside_other_words() {
        assert_eq!(kind("header shadow loaded"), None);
        assert_eq!(kind("ad-slot"), Some(Kind::Ads));
        assert_eq!(kind("top ads"), Some(Kind::Ads));
    }

    #[test]
    fn consent_platforms_are_recognised() {
        for names in [
            "cookie-law-info-bar",
            "onetrust-banner-sdk",
            "cmplz-cookiebanner-container",
            "borlabscookiebox",
            "cookies__banner",
            "penci-wrap-gprd-law",
            "dk_gdpr",
            "qc-cmp2-container",
            "pea_cook_wrapper",
            "basel-cookies-popup",
        ] {
            assert_eq!(kind(names), Some(Kind::Consent), "{names}");
        }
    }

    #[test]
    fn body_classes_are_never_removed() {
        let v = classify(Tag::Body, "home cookies-not-set", None, None);
        assert_eq!(v.kind, None);
    }

    #[test]
    fn article_markers_win_over_boilerplate_words() {
        let v = classify(Tag::Block, "article-body share-enabled", None, None);
        assert!(v.article_marker);
        assert_eq!(v.kind, None);
    }

    #[test]
    fn hidden_styles_are_seen() {
        let v = classify(Tag::Block, "", None, Some("DISPLAY: none"));
        assert_eq!(v.kind, Some(Kind::Hidden));
    }
}
