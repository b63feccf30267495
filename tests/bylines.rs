//! Authors and titles as a reader would write them down, from pages in
//! several languages: no "By", roles, agencies, dates or handles around
//! the names, several names split, and titles without the site's name.

use newsworker::extract::{self, Options, Page};

/// A page with `head` and a byline `byline` above a story long enough to
/// be an article.
fn page(lang: &str, head: &str, byline: &str) -> Vec<u8> {
    let story = "The delegations met for two days and agreed on a common statement, \
                 which the ministers presented to the press on the second evening. "
        .repeat(5);
    format!(
        "<!DOCTYPE html><html lang=\"{lang}\"><head><meta charset=\"utf-8\">{head}</head>\
         <body><article><h1>Headline of the story</h1>{byline}<p>{story}</p><p>{story}</p>\
         </article></body></html>"
    )
    .into_bytes()
}

fn article(bytes: &[u8]) -> extract::Article {
    extract::extract(
        Page {
            bytes,
            url: None,
            charset: None,
        },
        &Options::default(),
    )
    .expect("article")
}

#[test]
fn bylines_in_several_languages_give_clean_names() {
    for (lang, byline, want) in [
        (
            "en",
            r#"<div class="byline">By Jane Doe and John Roe, Senior Correspondents | July 12, 2023</div>"#,
            vec!["Jane Doe", "John Roe"],
        ),
        (
            "de",
            r#"<p class="author-line">Von Anna Müller, Korrespondentin in Kiew</p>"#,
            vec!["Anna Müller"],
        ),
        (
            "fr",
            r#"<span class="byline">Par Anne Martin et Paul Durand (AFP)</span>"#,
            vec!["Anne Martin", "Paul Durand"],
        ),
        (
            "es",
            r#"<div class="author">Por María García, corresponsal en Bruselas · 12/07/2023</div>"#,
            vec!["María García"],
        ),
        (
            "pl",
            r#"<div class="author">Autor: Jan Kowalski @jkowalski</div>"#,
            vec!["Jan Kowalski"],
        ),
    ] {
        let a = article(&page(lang, "<title>Headline of the story</title>", byline));
        assert_eq!(a.authors, want, "{lang}: {byline}");
    }
}

#[test]
fn author_fields_are_cleaned_like_bylines() {
    let head = r#"<title>Headline of the story</title>
        <script type="application/ld+json">{"@context":"https://schema.org","@type":"NewsArticle",
        "headline":"Headline of the story","author":[{"@type":"Person","name":"By Иван Петров"},
        {"@type":"Person","name":"Ольга Смирнова, корреспондент"}]}</script>"#;
    assert_eq!(
        article(&page("ru", head, "")).authors,
        ["Иван Петров", "Ольга Смирнова"]
    );
    let head = r#"<title>Headline of the story</title>
        <meta name="author" content="di Marco Rossi e Giulia Bianchi">"#;
    assert_eq!(
        article(&page("it", head, "")).authors,
        ["Marco Rossi", "Giulia Bianchi"]
    );
}

#[test]
fn titles_lose_the_site_name_and_section_labels() {
    for (lang, head, want) in [
        (
            "de",
            r#"<title>Gipfel in Vilnius endet ohne Beitrittsdatum | Politik | SPIEGEL</title>
               <meta property="og:site_name" content="DER SPIEGEL">"#,
            "Gipfel in Vilnius endet ohne Beitrittsdatum",
        ),
        (
            "fr",
            r#"<title>Le Monde - Sommet de l'OTAN : ce qu'il faut retenir</title>
               <meta property="og:site_name" content="Le Monde">"#,
            "Sommet de l'OTAN : ce qu'il faut retenir",
        ),
        (
            "es",
            r#"<meta property="og:title" content="La cumbre de la OTAN termina en Vilna - EL PAÍS">
               <meta property="og:site_name" content="El País">"#,
            "La cumbre de la OTAN termina en Vilna",
        ),
        (
            "en",
            r#"<title>Biden meets Zelensky - live updates | CNN</title>
               <meta property="og:site_name" content="CNN">"#,
            "Biden meets Zelensky - live updates",
        ),
    ] {
        let a = article(&page(lang, head, ""));
        assert_eq!(a.title.as_deref(), Some(want), "{lang}");
    }
}
