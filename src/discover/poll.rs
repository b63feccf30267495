//! One poll of one source: its document fetched (conditionally), read,
//! and followed where it points (a sitemap index to its sitemaps, a site's
//! page to its feeds and robots.txt sitemaps), within limits; the article
//! URLs found, and an error for each document that failed. One document's
//! failure never stops the others.

use std::collections::{HashMap, HashSet, VecDeque};
use std::sync::{Arc, Mutex};

use chrono::{DateTime, Utc};
use url::Url;

use super::document::{self, Contents};
use super::error::{DiscoverError, DocumentError};
use super::source::{Kind, Source};
use crate::fetch::{Document, Fetcher, Target, Validators};

/// Bounds on one poll: a hostile or broken source costs at most this.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Limits {
    /// Largest document, after decompression (sitemaps may be 50 MB).
    pub max_document_bytes: u64,
    /// Most entries kept from one document (a sitemap holds at most 50,000).
    pub max_entries: usize,
    /// Most documents fetched in one poll of a source.
    pub max_documents: usize,
    /// Most levels of sitemap indexes followed.
    pub max_depth: u32,
}

/// An article URL found, with what its document says of it.
#[derive(Debug, Clone, PartialEq)]
pub struct Found {
    pub target: Target,
    pub title: Option<String>,
    pub published: Option<DateTime<Utc>>,
    /// The feed's id for the item, when it gives one.
    pub id: Option<String>,
    /// The feed or sitemap that listed it.
    pub document: Url,
    /// `rss`, `rss1`, `atom`, `json_feed`, `sitemap` or `news_sitemap`.
    pub format: &'static str,
}

/// What one poll of a source gave.
#[derive(Debug, Default)]
pub struct Polled {
    pub found: Vec<Found>,
    pub errors: Vec<DocumentError>,
    /// Documents fetched with a body.
    pub fetched: u32,
    /// Documents the server said had not changed (304).
    pub not_modified: u32,
}

/// What the last answer for a document taught: its validators, and where
/// it pointed (a sitemap index's sitemaps, a page's feeds), so that a 304
/// still leads to the documents behind it, which may have changed.
#[derive(Debug, Clone, Default)]
struct Remembered {
    validators: Validators,
    children: Vec<(Url, Kind)>,
}

/// Most documents whose validators are remembered; past it the memory
/// starts again (one unconditional fetch each).
const MAX_REMEMBERED: usize = 100_000;
/// Most sitemaps taken from one robots.txt.
const MAX_ROBOTS_SITEMAPS: usize = 16;

/// One poll in progress: the documents still to read and what the read
/// ones gave.
pub struct Poll<'a> {
    discoverer: &'a Discoverer,
    queue: VecDeque<(Url, Kind, u32)>,
    visited: HashSet<String>,
    pub errors: Vec<DocumentError>,
    /// Documents fetched with a body.
    pub fetched: u32,
    /// Documents the server said had not changed (304).
    pub not_modified: u32,
}

impl Poll<'_> {
    /// Reads the next document: the entries it lists (none for an index,
    /// a page, a 304 or a failure, whose error is kept in `errors`), or
    /// `None` when the poll is done.
    pub async fn next_document(&mut self) -> Option<Vec<Found>> {
        let (url, kind, depth) = self.queue.pop_front()?;
        let d = self.discoverer;
        let limits = d.limits;
        let fail = |error: DiscoverError| DocumentError {
            document: url.to_string(),
            error,
        };
        let target = match Target::parse(url.as_str()) {
            Ok(target) => target,
            Err(e) => {
                self.errors.push(fail(e.into()));
                return Some(Vec::new());
            }
        };
        let key = target.canonical.to_string();
        if !self.visited.insert(key.clone()) {
            self.errors
                .push(fail(DiscoverError::SitemapLoop(url.to_string())));
            return Some(Vec::new());
        }
        if self.visited.len() > limits.max_documents {
            self.errors
                .push(fail(DiscoverError::TooManyDocuments(limits.max_documents)));
            self.queue.clear();
            return Some(Vec::new());
        }
        let remembered = d.remembered(&key);
        let answer = d
            .fetcher
            .fetch_document(&target, &remembered.validators, limits.max_document_bytes)
            .await;
        let (fetched, validators) = match answer {
            Err(failed) => {
                self.errors.push(fail(failed.error.into()));
                return Some(Vec::new());
            }
            Ok(Document::NotModified) => {
                self.not_modified += 1;
                for (child, kind) in remembered.children {
                    self.queue.push_back((child, kind, depth + 1));
                }
                return Some(Vec::new());
            }
            Ok(Document::Changed {
                fetched,
                validators,
            }) => (fetched, validators),
        };
        self.fetched += 1;
        let body = match newsworker_core::extract::decode::gunzip_if_needed(
            &fetched.body,
            limits.max_document_bytes,
        ) {
            Ok(body) => body,
            Err(e) => {
                self.errors
                    .push(fail(DiscoverError::Decompress(e.to_string())));
                return Some(Vec::new());
            }
        };
        let contents = match document::read(&body, &fetched.final_url, kind, limits.max_entries) {
            Ok(contents) => contents,
            Err(e) => {
                self.errors.push(fail(e));
                return Some(Vec::new());
            }
        };
        let mut found = Vec::new();
        let mut children: Vec<(Url, Kind)> = Vec::new();
        match contents {
            Contents::Entries {
                format,
                entries,
                dropped,
            } => {
                if dropped > 0 {
                    self.errors.push(fail(DiscoverError::TooManyEntries {
                        found: entries.len() + dropped,
                        limit: limits.max_entries,
                    }));
                }
                found.extend(entries.into_iter().filter_map(|entry| {
                    Some(Found {
                        target: Target::parse(&entry.url).ok()?,
                        title: entry.title,
                        published: entry.published,
                        id: entry.id,
                        document: fetched.final_url.clone(),
                        format,
                    })
                }));
            }
            Contents::Index(sitemaps) => {
                children.extend(sitemaps.into_iter().map(|u| (u, Kind::Sitemap)));
            }
            Contents::Site(feeds) => {
                children.extend(feeds.into_iter().map(|u| (u, Kind::Feed)));
                children.extend(
                    d.robots_sitemaps(&fetched.final_url)
                        .await
                        .into_iter()
                        .map(|u| (u, Kind::Sitemap)),
                );
                // A feed's URL that now serves an ordinary page (moved, an
                // error page) must not pass for a source polled in vain.
                if children.is_empty() {
                    self.errors.push(fail(DiscoverError::NoFeeds));
                }
            }
        }
        if !children.is_empty() && depth >= limits.max_depth {
            self.errors
                .push(fail(DiscoverError::TooDeep(limits.max_depth)));
            children.clear();
        }
        for (child, kind) in &children {
            self.queue.push_back((child.clone(), *kind, depth + 1));
        }
        d.remember(
            key,
            Remembered {
                validators,
                children,
            },
        );
        Some(found)
    }
}

/// Polls sources through the shared [`Fetcher`] (its guard, robots.txt
/// rules, politeness and retries).
pub struct Discoverer {
    fetcher: Arc<Fetcher>,
    limits: Limits,
    memory: Mutex<HashMap<String, Remembered>>,
}

impl Discoverer {
    pub fn new(fetcher: Arc<Fetcher>, limits: Limits) -> Discoverer {
        Discoverer {
            fetcher,
            limits,
            memory: Mutex::new(HashMap::new()),
        }
    }

    /// Polls `source` once: every document it leads to, breadth first,
    /// all entries gathered (see [`Discoverer::start_poll`] to take them a
    /// document at a time).
    pub async fn poll(&self, source: &Source) -> Polled {
        let mut poll = self.start_poll(source);
        let mut found = Vec::new();
        while let Some(batch) = poll.next_document().await {
            found.extend(batch);
        }
        Polled {
            found,
            errors: poll.errors,
            fetched: poll.fetched,
            not_modified: poll.not_modified,
        }
    }

    /// A poll of `source` taken one document at a time, so that memory is
    /// bounded by one document (a million URLs in twenty sitemaps are
    /// never held at once).
    pub fn start_poll(&self, source: &Source) -> Poll<'_> {
        Poll {
            discoverer: self,
            queue: VecDeque::from([(source.url().clone(), source.kind, 0)]),
            visited: HashSet::new(),
            errors: Vec::new(),
            fetched: 0,
            not_modified: 0,
        }
    }
    /// The `Sitemap:` lines of the site's robots.txt; none when it cannot
    /// be read (a site need not have one).
    async fn robots_sitemaps(&self, page: &Url) -> Vec<Url> {
        let Some(robots) = crate::fetch::robots::robots_url(page) else {
            return Vec::new();
        };
        let Ok(target) = Target::parse(robots.as_str()) else {
            return Vec::new();
        };
        match self
            .fetcher
            .fetch_document(&target, &Validators::default(), 512 * 1024)
            .await
        {
            Ok(Document::Changed { fetched, .. }) => {
                document::robots_sitemaps(&fetched.body, &fetched.final_url, MAX_ROBOTS_SITEMAPS)
            }
            Ok(Document::NotModified) => Vec::new(),
            Err(failed) => {
                tracing::debug!(url = %robots, error = %failed.error, "no robots.txt sitemaps");
                Vec::new()
            }
        }
    }

    fn remembered(&self, key: &str) -> Remembered {
        let memory = self.memory.lock().unwrap_or_else(|e| e.into_inner());
        memory.get(key).cloned().unwrap_or_default()
    }

    fn remember(&self, key: String, what: Remembered) {
        let mut memory = self.memory.lock().unwrap_or_else(|e| e.into_inner());
        if memory.len() >= MAX_REMEMBERED && !memory.contains_key(&key) {
            memory.clear();
        }
        memory.insert(key, what);
    }
}
