//! The example pages as golden tests: the seed article and its siblings in
//! other languages come out clean, with their metadata, embeds and credits.

mod common;

use common::{assert_valid_record, example_page, extract_bytes, record_json};

const SEED_URL: &str = "https://www.eurodailynews.example/world/2023/07/12/nato-summit-ukraine-security-guarantees?utm_source=twitter";

/// The seed's article paragraphs: everything but the title, the tweet, the
/// credit line and the cookie banner that the naive scraper kept.
fn seed_paragraphs() -> Vec<String> {
    let seed = include_str!("../examples/pages/seed-paragraphs.txt");
    seed.split("\n\n")
        .map(|p| p.trim().to_owned())
        .filter(|p| !p.is_empty())
        .collect()
}

#[test]
fn seed_text_is_every_article_paragraph_and_nothing_else() {
    let article = extract_bytes(&example_page("nato-vilnius-2023.html"), Some(SEED_URL)).unwrap();
    let got: Vec<&str> = article.text.split("\n\n").collect();
    assert_eq!(got, seed_paragraphs());
    for leak in [
        "cookies",
        "Accept",
        "Read More",
        "pic.twitter.com",
        "AFP and Reuters",
        "Share on",
        "Related",
        "newsletter",
    ] {
        assert!(!article.text.contains(leak), "text leaks {leak:?}");
    }
}

#[test]
fn seed_embeds_credits_and_removals() {
    let article = extract_bytes(&example_page("nato-vilnius-2023.html"), Some(SEED_URL)).unwrap();
    assert_eq!(article.credits, vec!["AFP", "Reuters"]);
    assert_eq!(article.embeds.len(), 1);
    let tweet = &article.embeds[0];
    assert_eq!(tweet.kind, "tweet");
    assert_eq!(
        tweet.author.as_deref(),
        Some("Volodymyr Zelensky (@ZelenskyyUa)")
    );
    assert!(
        tweet
            .url
            .as_deref()
            .unwrap()
            .contains("/status/1679197016212979712")
    );
    assert!(
        tweet
            .text
            .as_deref()
            .unwrap()
            .starts_with("We return home with a good result")
    );
    assert!(article.removed["consent"] >= 1);
    for kind in ["nav", "share", "related", "embeds", "credits"] {
        assert!(
            article.removed.get(kind).copied().unwrap_or(0) >= 1,
            "nothing removed as {kind}"
        );
    }
}

#[test]
fn seed_metadata() {
    let article = extract_bytes(&example_page("nato-vilnius-2023.html"), Some(SEED_URL)).unwrap();
    assert_eq!(
        article.title.as_deref(),
        Some("NATO summit: in the absence of membership, Ukraine obtains new security guarantees")
    );
    assert_eq!(article.authors, vec!["Claire Martin"]);
    assert_eq!(article.site_name.as_deref(), Some("Euro Daily News"));
    assert_eq!(article.language.as_deref(), Some("en"));
    assert_eq!(article.is_accessible_for_free, Some(true));
    assert_eq!(
        article.canonical_url.as_deref(),
        Some(
            "https://www.eurodailynews.example/world/2023/07/12/nato-summit-ukraine-security-guarantees"
        )
    );
    let record = record_json(article, Some(SEED_URL));
    // The instants of before, with the offset the page's JSON-LD states
    // (Vilnius, UTC+3), so the day is the page's own.
    assert_eq!(record["published_at"], "2023-07-12T18:05:00+03:00");
    assert_eq!(record["modified_at"], "2023-07-12T19:40:00+03:00");
    assert_valid_record(&record);
}

#[test]
fn record_id_ignores_tracking_parameters() {
    let page = example_page("nato-vilnius-2023.html");
    let a = record_json(
        extract_bytes(&page, Some(SEED_URL)).unwrap(),
        Some(SEED_URL),
    );
    let clean = "https://www.eurodailynews.example/world/2023/07/12/nato-summit-ukraine-security-guarantees";
    let b = record_json(extract_bytes(&page, Some(clean)).unwrap(), Some(clean));
    assert_eq!(a["id"], b["id"]);
}

struct Expect {
    page: &'static str,
    language: &'static str,
    credit: &'static str,
    first_words: &'static str,
    last_words: &'static str,
    banned: &'static [&'static str],
}

#[test]
fn pages_in_other_languages_come_out_clean() {
    let cases = [
        Expect {
            page: "de-bundestag-ukraine-hilfe.html",
            language: "de",
            credit: "dpa",
            first_words: "Der Bundestag hat am Donnerstag",
            last_words: "an mehreren Frontabschnitten vorrückten.",
            banned: &[
                "Cookies",
                "akzeptieren",
                "Mehr zum Thema",
                "teilen",
                "(dpa)",
                "Von Jana Becker",
            ],
        },
        Expect {
            page: "pl-szczyt-nato-wilno.html",
            language: "pl",
            credit: "PAP",
            first_words: "Drugiego dnia szczytu NATO",
            last_words: "zostaną spełnione warunki.",
            banned: &[
                "cookie",
                "Źródło",
                "Komentarze",
                "Udostępnij",
                "Najczęściej",
            ],
        },
        Expect {
            page: "fr-sommet-otan-vilnius.html",
            language: "fr",
            credit: "AFP",
            first_words: "Au deuxième et dernier jour",
            last_words: "menace la sécurité de la Russie.",
            banned: &[
                "cookies",
                "Avec AFP",
                "newsletter",
                "À lire aussi",
                "Par Sophie Laurent",
            ],
        },
        Expect {
            page: "es-cumbre-otan-vilna.html",
            language: "es",
            credit: "EFE",
            first_words: "Los países del G7",
            last_words: "una amenaza directa para su seguridad.",
            banned: &[
                "cookies",
                "Instagram",
                "Compartir",
                "relacionadas",
                "Aceptar",
            ],
        },
    ];
    for case in cases {
        let article = extract_bytes(&example_page(case.page), None).unwrap();
        assert_eq!(
            article.language.as_deref(),
            Some(case.language),
            "{}",
            case.page
        );
        assert_eq!(article.credits, vec![case.credit], "{}", case.page);
        assert!(
            article.text.starts_with(case.first_words),
            "{}: {}",
            case.page,
            article.text
        );
        assert!(
            article.text.ends_with(case.last_words),
            "{}: {}",
            case.page,
            article.text
        );
        for banned in case.banned {
            assert!(
                !article.text.contains(banned),
                "{} leaks {banned:?}",
                case.page
            );
        }
        assert!(
            article.removed.get("consent").copied().unwrap_or(0) >= 1,
            "{}",
            case.page
        );
        assert_valid_record(&record_json(article, None));
    }
}

#[test]
fn embeds_in_other_languages() {
    let fr = extract_bytes(&example_page("fr-sommet-otan-vilnius.html"), None).unwrap();
    assert_eq!(fr.embeds[0].kind, "youtube");
    assert_eq!(
        fr.embeds[0].url.as_deref(),
        Some("https://www.youtube.com/embed/abc123XYZ")
    );
    let es = extract_bytes(&example_page("es-cumbre-otan-vilna.html"), None).unwrap();
    assert_eq!(es.embeds[0].kind, "instagram");
    assert_eq!(
        es.embeds[0].url.as_deref(),
        Some("https://www.instagram.com/p/CuoExample/")
    );
}

#[test]
fn embeds_outside_the_article_are_not_the_articles() {
    let paragraph = "<p>The foreign ministers met in Brussels on Tuesday to discuss sanctions, energy prices and the war, officials said.</p>";
    let page = format!(
        "<html><body><article>{}<blockquote class=\"twitter-tweet\"><p>Talks went well.</p>&mdash; A Minister (@minister) <a href=\"https://twitter.com/minister/status/1\">July 1, 2023</a></blockquote>{}</article>\
         <aside class=\"sidebar\"><iframe src=\"https://www.youtube.com/embed/sidebarvideo\"></iframe></aside></body></html>",
        paragraph.repeat(3),
        paragraph.repeat(2)
    );
    let article = extract_bytes(page.as_bytes(), None).unwrap();
    assert_eq!(article.embeds.len(), 1, "{:?}", article.embeds);
    assert_eq!(article.embeds[0].kind, "tweet");
    assert!(!article.text.contains("Talks went well"));
}
