//! Publication dates from every place a page states them, the right one
//! when several disagree, and the page's own day in the record.

mod common;

use newsworker::extract::{self, Options, Page};

/// A page in `lang` whose story is written in that language: the text's
/// own language overrides a declared one it contradicts.
fn page(head: &str, body: &str, lang: &str) -> Vec<u8> {
    let sentence = match lang {
        "de" => {
            "Der Rat hat am Abend über den Haushalt für das kommende Jahr abgestimmt, nach einer langen Debatte, in der jede Partei sprach, und der Bürgermeister dankte den Mitarbeitern. "
        }
        "fr" => {
            "Le conseil a voté le budget de l'année prochaine après un long débat dans lequel chaque parti a pris la parole, et le maire a remercié les agents pour leur travail. "
        }
        "es" => {
            "El consejo votó el presupuesto para el próximo año después de un largo debate en el que habló cada partido, y el alcalde agradeció a los empleados su trabajo. "
        }
        "it" => {
            "Il consiglio ha votato il bilancio per il prossimo anno dopo un lungo dibattito in cui ha parlato ogni partito, e il sindaco ha ringraziato il personale per il lavoro. "
        }
        "pt" => {
            "O conselho votou o orçamento para o próximo ano depois de um longo debate em que falou cada partido, e o prefeito agradeceu aos funcionários pelo trabalho. "
        }
        "pl" => {
            "Rada głosowała nad budżetem na przyszły rok po długiej debacie, w której wypowiedziała się każda partia, a burmistrz podziękował pracownikom za ich pracę. "
        }
        "nl" => {
            "De raad heeft na een lang debat, waarin elke partij het woord nam, over de begroting voor het komende jaar gestemd en de burgemeester bedankte het personeel. "
        }
        "ru" => {
            "Совет проголосовал за бюджет на следующий год после долгих дебатов, в которых выступила каждая партия, и мэр поблагодарил сотрудников за работу. "
        }
        "uk" => {
            "Рада проголосувала за бюджет на наступний рік після довгих дебатів, у яких виступила кожна партія, і мер подякував працівникам за роботу. "
        }
        _ => {
            "The council met on the day and voted on the budget for the coming year, \
              after a long debate in which every party spoke, and the mayor thanked the staff. "
        }
    };
    let story = sentence.repeat(4);
    format!(
        "<!DOCTYPE html><html lang=\"{lang}\"><head><meta charset=\"utf-8\"><title>Council votes</title>{head}</head>\
         <body>{body}<div class=\"story\"><p>{story}</p><p>{story}</p></div></body></html>"
    )
    .into_bytes()
}

fn published(bytes: &[u8], now: Option<&str>) -> Option<String> {
    let options = Options {
        now: now.map(|n| {
            chrono::DateTime::parse_from_rfc3339(n)
                .expect("test time")
                .to_utc()
        }),
        ..Options::default()
    };
    extract::extract(
        Page {
            bytes,
            url: None,
            charset: None,
        },
        &options,
    )
    .expect("article")
    .published_at
    .map(|d| d.to_rfc3339())
}

#[test]
fn every_machine_readable_source() {
    let cases = [
        (
            r#"<script type="application/ld+json">{"@type":"NewsArticle","datePublished":"2023-07-12T10:00:00+02:00"}</script>"#,
            "",
            "2023-07-12T10:00:00+02:00",
        ),
        (
            // JSON-LD with raw line breaks in a string, as many sites write it.
            "<script type=\"application/ld+json\">[{\"@type\":\"NewsArticle\",\"headline\":\"Two\nlines\",\"datePublished\":\"2023-07-12\"}]</script>",
            "",
            "2023-07-12",
        ),
        (
            r#"<meta property="article:published_time" content="2023-07-12T23:30:00-05:00">"#,
            "",
            "2023-07-12T23:30:00-05:00",
        ),
        (
            "",
            r#"<h1>Council votes</h1><span itemprop="datePublished" content="2023-07-12">July 12</span>"#,
            "2023-07-12",
        ),
        (
            "",
            r#"<h1>Council votes</h1><abbr class="published" title="2023-07-12T08:15:00Z">Wednesday</abbr>"#,
            "2023-07-12T08:15:00Z",
        ),
        (
            "",
            r#"<h1>Council votes</h1><time pubdate datetime="2023-07-12">Wednesday</time>"#,
            "2023-07-12",
        ),
        // Scholarly and older publishing tags.
        (
            r#"<meta name="citation_publication_date" content="2023/07/12">"#,
            "",
            "2023-07-12",
        ),
        (
            r#"<meta itemprop="dateCreated" content="2023-07-12">"#,
            "",
            "2023-07-12",
        ),
        // Only a modification stated: the page's only date.
        (
            r#"<meta name="last-modified" content="2023-07-12">"#,
            "",
            "2023-07-12",
        ),
    ];
    for (head, body, want) in cases {
        assert_eq!(
            published(&page(head, body, "en"), None).as_deref(),
            Some(want),
            "{head} {body}"
        );
    }
}

#[test]
fn the_date_written_by_the_headline_in_each_language() {
    for (lang, line) in [
        ("en", "By Jane Doe | July 12, 2023, 10:00"),
        ("de", "Von Max Muster, 12. Juli 2023, 10:00 Uhr"),
        ("fr", "Par Jeanne Dupont, publié le 12 juillet 2023 à 10h00"),
        ("es", "Por Juan Pérez, 12 de julio de 2023"),
        ("it", "di Mario Rossi, 12 luglio 2023"),
        ("pt", "Por João Silva, 12 de julho de 2023"),
        ("nl", "Door Jan Jansen, 12 juli 2023"),
        ("pl", "Jan Kowalski, 12 lipca 2023"),
        ("ru", "Иван Иванов, 12 июля 2023"),
        ("uk", "Іван Іваненко, 12 липня 2023"),
        ("de", "Von Max Muster, 12.07.2023"),
        ("en", "Posted 07/12/2023"),
        ("fr", "Mis à jour le 12/07/2023"),
    ] {
        let body = format!("<h1>Council votes</h1><div class=\"byline\">{line}</div>");
        let got = published(&page("", &body, lang), None);
        assert_eq!(
            got.as_deref().map(|d| &d[..10]),
            Some("2023-07-12"),
            "{lang}: {line}"
        );
    }
}

#[test]
fn dates_in_related_lists_comments_and_footers_do_not_win() {
    // A related list sits between the headline and the byline; the comments
    // and the footer have their own dates; only the byline is the article's.
    let body = "<h1>Council votes</h1>\
        <aside class=\"related\"><ul><li><a href=\"/a\">Older story</a> 1 January 2022</li></ul></aside>\
        <div class=\"byline\">By Jane Doe, 12 July 2023</div>";
    let with_tail = format!(
        "{body}<section id=\"comments\"><div class=\"comment\"><p>Reader, 3 March 2023: great.</p></div></section>"
    );
    let bytes = page("", &with_tail, "en");
    let mut html = String::from_utf8(bytes).unwrap();
    html = html.replace(
        "</body>",
        "<footer>© 2019 Example News. Updated 5 May 2020.</footer></body>",
    );
    assert_eq!(
        published(html.as_bytes(), None).as_deref(),
        Some("2023-07-12")
    );
    // Without the byline there is no date: the others are not the article's.
    let bare = "<h1>Council votes</h1>\
        <aside class=\"related\"><ul><li><a href=\"/a\">Older story</a> 1 January 2022</li></ul></aside>";
    let mut html = String::from_utf8(page("", bare, "en")).unwrap();
    html = html.replace("</body>", "<footer>© 2019 Example News</footer></body>");
    assert_eq!(published(html.as_bytes(), None), None);
}

#[test]
fn the_pages_own_day_and_implausible_dates() {
    // The meta tag says UTC; the page shows the reader the day before.
    let head = r#"<meta property="article:published_time" content="2023-07-13T02:30:00Z">"#;
    let body = "<h1>Council votes</h1><div class=\"byline\">July 12, 2023, 10:30 p.m.</div>";
    assert_eq!(
        published(&page(head, body, "en"), None)
            .as_deref()
            .map(|d| &d[..10]),
        Some("2023-07-12")
    );
    // After the fetch, or before the web: not a publication date.
    let future = r#"<meta property="article:published_time" content="2031-01-01T10:00:00Z">"#;
    assert_eq!(
        published(
            &page(future, "<h1>Council votes</h1>", "en"),
            Some("2026-11-30T12:00:00Z")
        ),
        None
    );
    let old = r#"<meta property="article:published_time" content="1970-01-01T00:00:00Z">"#;
    assert_eq!(
        published(&page(old, "<h1>Council votes</h1>", "en"), None),
        None
    );
}

#[test]
fn the_record_writes_the_page_date_as_the_schema_says() {
    let head = r#"<meta property="article:published_time" content="2023-07-12T23:30:00-05:00">"#;
    let article = common::extract_bytes(&page(head, "<h1>Council votes</h1>", "en"), None).unwrap();
    let record = common::record_json(article, Some("https://example.com/council"));
    assert_eq!(record["published_at"], "2023-07-12T23:30:00-05:00");
    assert_eq!(record["schema"], "newsworker.article.v1.4");
    common::assert_valid_record(&record);
}

/// A site shows today's date in its masthead, far above the article: it is
/// not the article's day, even when a UTC timestamp's day differs from it.
/// A date in the headline's own container, above the title, is.
#[test]
fn a_masthead_date_is_not_the_articles_and_one_above_the_title_is() {
    let head = r#"<meta property="article:published_time" content="2020-07-18T20:01:31Z">"#;
    let masthead = "<div class=\"app-bar\"><span class=\"date\">Sunday, July 19, 2020</span>\
                    <a href=\"/paper\">Today's paper</a></div>";
    let menu = "<ul><li><a href=\"/news\">News</a></li><li><a href=\"/sports\">Sports</a></li>\
                <li><a href=\"/business\">Business</a></li><li><a href=\"/opinion\">Opinion</a></li></ul>";
    let body = format!(
        "{masthead}{menu}<main><h1>Council votes</h1><p class=\"byline\">By Ann Lee</p></main>"
    );
    assert_eq!(
        published(&page(head, &body, "en"), None).as_deref(),
        Some("2020-07-18T20:01:31Z")
    );
    let above = format!(
        "{masthead}{menu}<main><header><span class=\"kicker\">publiziert am 25. September 2018</span>\
         <h1>Council votes</h1></header></main>"
    );
    assert_eq!(
        published(&page("", &above, "de"), None).as_deref(),
        Some("2018-09-25")
    );
}

/// A page that states no date of its own anywhere near the article is
/// dated, last, by the first date in its text, its masthead's too: read on
/// the day it was published. Related lists, sidebars and footers still do
/// not date it.
#[test]
fn a_page_without_its_own_date_takes_the_mastheads() {
    let masthead = "<div class=\"top-bar\"><span>Miércoles, 15 de Abril de 2020</span>\
                    <a href=\"/\">Portada</a></div>";
    let body = format!("{masthead}<main><h1>Council votes</h1></main>");
    assert_eq!(
        published(&page("", &body, "es"), None).as_deref(),
        Some("2020-04-15")
    );
    let elsewhere = "<main><h1>Council votes</h1></main>\
        <aside class=\"sidebar\"><p>Más leídas, 3 de marzo de 2020</p></aside>";
    let mut html = String::from_utf8(page("", elsewhere, "es")).unwrap();
    html = html.replace(
        "</body>",
        "<footer><p>Actualizado 5 de mayo de 2020</p></footer></body>",
    );
    assert_eq!(published(html.as_bytes(), None), None);
}

/// A byline whose date a short inline script writes (old blog platforms):
/// the page's only date. Long scripts, scripts with a source and the
/// head's scripts are not read.
#[test]
fn a_date_written_by_a_short_inline_script_is_the_last_resort() {
    let byline = "<h1>Council votes</h1><p class=\"meta\">Posted \
                  <script>showDate(\"2020/04/17 01:43:09\")</script> by Ann</p>";
    assert_eq!(
        published(&page("", byline, "en"), None).as_deref(),
        Some("2020-04-17T01:43:00")
    );
    let long = format!(
        "<h1>Council votes</h1><script>var config = {{{}}}; var built = \"2019-01-02\";</script>",
        "\"key\": 1, ".repeat(30)
    );
    assert_eq!(published(&page("", &long, "en"), None), None);
    let sourced = "<h1>Council votes</h1><script src=\"/app.js\">/* 2019-01-02 */</script>";
    assert_eq!(published(&page("", sourced, "en"), None), None);
    let in_head = page(
        "<script>var built = \"2019-01-02\";</script>",
        "<h1>Council votes</h1>",
        "en",
    );
    assert_eq!(published(&in_head, None), None);
    // A date the page states otherwise wins.
    let stated = page(
        r#"<meta property="article:published_time" content="2020-10-13">"#,
        byline,
        "en",
    );
    assert_eq!(published(&stated, None).as_deref(), Some("2020-10-13"));
}

#[test]
fn the_articles_image_path_dates_a_page_that_states_no_date() {
    // A relative path (the page judged without its URL) has the date too.
    let relative = page(
        r#"<meta property="og:image" content=" /uploads/2020/10/13/news/153257/photo.jpg">"#,
        "<h1>Council votes</h1>",
        "en",
    );
    assert_eq!(published(&relative, None).as_deref(), Some("2020-10-13"));
    // A stated date wins over the image's.
    let stated = page(
        r#"<meta property="og:image" content="/uploads/2019/01/02/photo.jpg"><meta property="article:published_time" content="2020-10-13">"#,
        "<h1>Council votes</h1>",
        "en",
    );
    assert_eq!(published(&stated, None).as_deref(), Some("2020-10-13"));
}

#[test]
fn the_headline_is_the_heading_that_states_the_title() {
    // The site's <h1> is its section; a live box after it has a teaser's
    // date (day first, as the site writes it); the article's heading is
    // the one that states the page's title, and its byline the date.
    let head = r#"<meta property="og:title" content="Council votes on the budget for next year">"#;
    let body = "<h1>Sport</h1><div class=\"box\"><h2>Live</h2><div><a href=\"/x\">Orchestra lights up Christmas</a>\
                <div>05/12/2020 - 15:10</div></div></div>\
                <article><h2>Council votes on the budget for next year</h2>\
                <div class=\"byline\">By Ann Lee, 6 December 2020</div></article>";
    assert_eq!(
        published(&page(head, body, "en"), None).as_deref(),
        Some("2020-12-06")
    );
}

#[test]
fn a_photo_captions_date_is_not_the_articles() {
    let body = "<h1>Council votes</h1><div class=\"lead-image\"><img src=\"/mayor.jpg\"><br>\
                FILE PHOTO: The mayor speaks in the town hall, January 16, 2020. REUTERS/Jane Roe</div>\
                <p>January 18, 2020</p>";
    assert_eq!(
        published(&page("", body, "en"), None).as_deref(),
        Some("2020-01-18")
    );
}

#[test]
fn the_publication_wins_over_an_update_stated_before_it() {
    for (lang, line, expected) in [
        (
            "de",
            "Aktualisiert am 13.07.2023, 09:00 Uhr · Erstellt am 12.07.2023, 18:00 Uhr",
            "2023-07-12T18:00:00",
        ),
        (
            "en",
            "Updated July 13, 2023 at 9:00 AM | Published July 12, 2023 at 6:00 PM",
            "2023-07-12T18:00:00",
        ),
        (
            "es",
            "Actualizado: 13/07/2023 · Publicado: 12/07/2023",
            "2023-07-12",
        ),
        // Only the update is stated: it is the only date there is.
        ("de", "Zuletzt aktualisiert: 13.07.2023", "2023-07-13"),
        // An update stated after the publication changes nothing.
        (
            "en",
            "Published July 12, 2023. Updated July 13, 2023",
            "2023-07-12",
        ),
    ] {
        let body = format!("<h1>Council votes</h1><div class=\"byline\">{line}</div>");
        assert_eq!(
            published(&page("", &body, lang), None).as_deref(),
            Some(expected),
            "{lang}: {line}"
        );
    }
}

fn published_and_modified(bytes: &[u8]) -> (Option<String>, Option<String>) {
    let article = extract::extract(
        Page {
            bytes,
            url: None,
            charset: None,
        },
        &Options::default(),
    )
    .expect("article");
    (
        article.published_at.map(|d| d.to_rfc3339()),
        article.modified_at.map(|d| d.to_rfc3339()),
    )
}

#[test]
fn a_visible_update_is_the_pages_modification() {
    for (line, modified) in [
        (
            "Aktualisiert am 13.07.2023, 09:00 Uhr · Erstellt am 12.07.2023, 18:00 Uhr",
            "2023-07-13T09:00:00",
        ),
        (
            "Published July 12, 2023 at 6:00 PM. Updated July 13, 2023 at 9:00 AM",
            "2023-07-13T09:00:00",
        ),
    ] {
        let lang = if line.starts_with("Aktualisiert") {
            "de"
        } else {
            "en"
        };
        let body = format!("<h1>Council votes</h1><div class=\"byline\">{line}</div>");
        let (published, got) = published_and_modified(&page("", &body, lang));
        assert_eq!(
            published.as_deref().map(|p| &p[..10]),
            Some("2023-07-12"),
            "{line}"
        );
        assert_eq!(got.as_deref(), Some(modified), "{line}");
    }
    // A markup modification stands.
    let head = "<meta property=\"article:modified_time\" content=\"2023-07-14T08:00:00+02:00\">";
    let body = "<h1>Council votes</h1><div class=\"byline\">Erstellt am 12.07.2023 · Aktualisiert am 13.07.2023</div>";
    let (_, got) = published_and_modified(&page(head, body, "de"));
    assert_eq!(got.as_deref(), Some("2023-07-14T08:00:00+02:00"));
}

#[test]
fn a_two_digit_year_counts_labelled_or_with_a_time() {
    for (line, expected) in [
        ("Erstellt: 12.07.23, 18:00 Uhr", Some("2023-07-12T18:00:00")),
        ("Stand: 12.07.23", Some("2023-07-12")),
        ("12.07.23 18:00", Some("2023-07-12T18:00:00")),
        // A score, a version: no label, no time.
        ("Endstand 2.1.20 nach Verlängerung", None),
    ] {
        let body = format!("<h1>Council votes</h1><div class=\"byline\">{line}</div>");
        assert_eq!(
            published(&page("", &body, "de"), None).as_deref(),
            expected,
            "{line}"
        );
    }
}
