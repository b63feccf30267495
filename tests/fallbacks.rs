//! Pages unlike the benchmark's: the main-content decision's fallbacks, the
//! article element and misnamed blocks, and the pages that really have no
//! article (which alone may come back empty).

mod common;

use common::extract_bytes;
use newsworker::extract::ExtractError;
use newsworker::extract::content::Method;

/// A paragraph of ordinary prose, about `n` sentences long.
fn prose(topic: &str, n: usize) -> String {
    (0..n)
        .map(|i| {
            format!(
                "The {topic} report, part {i}, describes in plain words how the council \
                 weighed the proposal, which residents had asked for, and what it will cost."
            )
        })
        .collect::<Vec<_>>()
        .join(" ")
}

fn page(body: &str) -> Vec<u8> {
    format!(
        "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Council votes</title></head><body>{body}</body></html>"
    )
    .into_bytes()
}

#[test]
fn an_article_element_under_a_long_comment_thread_is_the_article() {
    // The post's class names an author and tags ("author-", "tag-"), words
    // that name bylines; the comments hold more text than the post.
    let comments: String = (0..12)
        .map(|i| {
            format!(
                "<div class=\"comment\" id=\"comment-{i}\"><p>{}</p></div>",
                prose("reader", 3)
            )
        })
        .collect();
    let body = format!(
        "<article class=\"entry author-jane tag-news tag-council\"><h1>Council votes</h1>\
         <p>{}</p><p>{}</p></article><section id=\"comments\">{comments}</section>",
        prose("budget", 2),
        prose("school", 2)
    );
    let article = extract_bytes(&page(&body), None).unwrap();
    assert!(
        article.text.contains("The budget report, part 0"),
        "{}",
        article.text
    );
    assert!(
        article.text.contains("The school report, part 1"),
        "{}",
        article.text
    );
    assert!(!article.text.contains("reader report"), "{}", article.text);
    assert_eq!(article.method, Method::MainContent);
}

#[test]
fn sections_named_after_their_headings_are_not_share_bars() {
    // Documentation generators turn "Sharing with a single developer" into
    // an id; the word "sharing" in it does not make a share bar.
    let body = format!(
        "<div class=\"content\"><div class=\"section\" id=\"intro\"><h2>Intro</h2><p>{}</p></div>\
         <div class=\"section\" id=\"sharing-with-a-single-developer\"><h2>Sharing with a single developer</h2><p>{}</p><p>{}</p></div>\
         <div class=\"section\" id=\"sharing-with-many-developers-at-once\"><h2>Sharing with many</h2><p>{}</p></div></div>\
         <div class=\"share-buttons\"><a href=\"/s\">Share on X</a></div>",
        prose("intro", 2),
        prose("single", 3),
        prose("pair", 2),
        prose("many", 3)
    );
    let article = extract_bytes(&page(&body), None).unwrap();
    for part in ["intro", "single", "many"] {
        assert!(
            article.text.contains(&format!("The {part} report")),
            "{part}: {}",
            article.text
        );
    }
    assert!(!article.text.contains("Share on X"));
}

#[test]
fn text_in_script_pseudo_links_is_text() {
    // A `javascript:` link is a script hook, not navigation.
    let body = format!(
        "<a href=\"javascript:\"><p>{}</p><p>{}</p></a>",
        prose("wrapped", 2),
        prose("hooked", 1)
    );
    let article = extract_bytes(&page(&body), None).unwrap();
    assert!(
        article.text.contains("The wrapped report"),
        "{}",
        article.text
    );
    assert!(
        article.text.contains("The hooked report"),
        "{}",
        article.text
    );
}

#[test]
fn a_short_notice_beside_the_real_text_falls_back_to_the_densest_block() {
    // The best-scoring container is a short notice with commas; the page's
    // prose is in list items the scorer does not count as paragraphs.
    let items: String = (0..6)
        .map(|i| {
            format!(
                "<li class=\"feature\"><h3>Feature {i}</h3><span>{}</span></li>",
                prose(&format!("feature{i}"), 2)
            )
        })
        .collect();
    let body = format!(
        "<main><div class=\"notice\"><p>Note, first, that this edition, unlike others, is for testing, so expect changes, often.</p></div>\
         <section><ul class=\"features\">{items}</ul></section></main>"
    );
    let article = extract_bytes(&page(&body), None).unwrap();
    assert_eq!(article.method, Method::DensestBlock, "{}", article.text);
    for i in 0..6 {
        assert!(
            article.text.contains(&format!("The feature{i} report")),
            "{i}: {}",
            article.text
        );
    }
}

#[test]
fn pages_without_prose_are_empty_extractions() {
    // An index of links.
    let links: String = (0..40)
        .map(|i| format!("<li><a href=\"/story/{i}\">Story number {i} about the council and its long vote</a></li>"))
        .collect();
    let index = page(&format!(
        "<nav><ul>{links}</ul></nav><ul class=\"list\">{links}</ul>"
    ));
    // A login wall: a form and a line.
    let login = page(
        "<div class=\"login\"><h1>Sign in</h1><form><input name=\"user\"><input type=\"password\" name=\"pw\">\
         <button>Sign in</button></form><a href=\"/reset\">Forgot your password?</a></div>",
    );
    // An empty shell that a script would fill.
    let shell = page(
        "<div id=\"root\"></div><script>window.app = {};</script><noscript>Enable JavaScript.</noscript>",
    );
    for (name, bytes) in [("index", index), ("login wall", login), ("shell", shell)] {
        match extract_bytes(&bytes, None) {
            Err(ExtractError::EmptyExtraction) => {}
            other => panic!("{name}: {other:?}"),
        }
    }
}

#[test]
fn the_record_says_which_step_found_the_text() {
    let article = extract_bytes(&common::example_page("nato-vilnius-2023.html"), None).unwrap();
    let record = common::record_json(article, Some("https://example.com/nato"));
    assert_eq!(record["extraction_method"], "main_content");
    common::assert_valid_record(&record);
}

#[test]
fn a_data_table_inside_an_article_keeps_the_prose_around_it() {
    // The table's many cells outscore any one paragraph; the article is
    // the table and the prose around it.
    let rows: String = (0..120)
        .map(|i| {
            format!(
                "<tr><td>District {i}, with its schools, roads and clinics, as listed</td><td>{i}00, rising, of which most, by far, in the north</td></tr>"
            )
        })
        .collect();
    let body = format!(
        "<div class=\"page\"><div class=\"text\"><h1>Council budget</h1><section><p>{}</p><p>{}</p></section>\
         <table class=\"data\"><tbody>{rows}</tbody></table><section><p>{}</p></section></div></div>\
         <footer><a href=\"/about\">About</a></footer>",
        prose("opening", 2),
        prose("middle", 1),
        prose("closing", 1)
    );
    let article = extract_bytes(&page(&body), None).unwrap();
    for part in ["opening", "middle", "closing"] {
        assert!(
            article.text.contains(&format!("The {part} report")),
            "{part}: {}",
            article.text
        );
    }
    assert!(article.text.contains("District 119"), "{}", article.text);
}

#[test]
fn a_body_hidden_until_a_script_reveals_it_is_the_last_resort() {
    // Metering scripts hide the article under a "hide" class until they
    // decide; with nothing else visible, that text is the article.
    // Comments and a sidebar together hold more text than the article, so
    // the class name's verdict is obeyed and nothing visible is left.
    let body = format!(
        "<h1>Council votes</h1><div class=\"meter_hide\"><p>{}</p><p>{}</p></div>\
         <section class=\"comments\"><p>{}</p></section><aside><p>{}</p></aside>",
        prose("metered", 2),
        prose("revealed", 2),
        prose("reader", 3),
        prose("sidebar", 3)
    );
    let article = extract_bytes(&page(&body), None).unwrap();
    assert_eq!(article.method, Method::Unhidden);
    assert!(
        article.text.contains("The revealed report"),
        "{}",
        article.text
    );
    assert!(!article.text.contains("reader report"), "{}", article.text);
    // Where the page has visible text, hidden text stays out.
    let body = format!(
        "<div class=\"story\"><p>{}</p><p>{}</p></div><div class=\"hide\"><p>{}</p></div>",
        prose("visible", 2),
        prose("shown", 2),
        prose("secret", 2)
    );
    let article = extract_bytes(&page(&body), None).unwrap();
    assert_eq!(article.method, Method::MainContent);
    assert!(
        !article.text.contains("The secret report"),
        "{}",
        article.text
    );
}
