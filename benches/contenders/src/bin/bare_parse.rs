//! The floor: read, gunzip and parse each page with scraper (html5ever),
//! counting its nodes so the parse is not optimised away.

fn main() {
    let mut nodes = 0usize;
    for (_, html) in newsworker_contenders::pages() {
        let document = scraper::Html::parse_document(&html);
        nodes += document.tree.nodes().count();
    }
    println!("{nodes}");
}
