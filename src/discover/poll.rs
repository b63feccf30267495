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

    /// Polls `source` once: every document it leads to, breadth first.
    pub async fn poll(&self, source: &Source) -> Polled {
        let mut polled = Polled::default();
        let mut queue: VecDeque<(Url, Kind, u32)> =
            VecDeque::from([(source.url().clone(), source.kind, 0)]);
        let mut visited: HashSet<String> = HashSet::new();
        while let Some((url, kind, depth)) = queue.pop_front() {
            let fail = |error: DiscoverError| DocumentError {
                document: url.to_string(),
                error,
            };
            let target = match Target::parse(url.as_str()) {
                Ok(target) => target,
                Err(e) => {
                    polled.errors.push(fail(e.into()));
                    continue;
                }
            };
            let key = target.canonical.to_string();
            if !visited.insert(key.clone()) {
                polled
                    .errors
                    .push(fail(DiscoverError::SitemapLoop(url.to_string())));
                continue;
            }
            if visited.len() > self.limits.max_documents {
                polled.errors.push(fail(DiscoverError::TooManyDocuments(
                    self.limits.max_documents,
                )));
                break;
            }
            let remembered = self.remembered(&key);
            let answer = self
                .fetcher
                .fetch_document(
                    &target,
                    &remembered.validators,
                    self.limits.max_document_bytes,
                )
                .await;
            let (fetched, validators) = match answer {
                Err(failed) => {
                    polled.errors.push(fail(failed.error.into()));
                    continue;
                }
                Ok(Document::NotModified) => {
                    polled.not_modified += 1;
                    for (child, kind) in remembered.children {
                        queue.push_back((child, kind, depth + 1));
                    }
                    continue;
                }
                Ok(Document::Changed {
                    fetched,
                    validators,
                }) => (fetched, validators),
            };
            polled.fetched += 1;
            let body = match newsworker_core::extract::decode::gunzip_if_needed(
                &fetched.body,
                self.limits.max_document_bytes,
            ) {
                Ok(body) => body,
                Err(e) => {
                    polled
                        .errors
                        .push(fail(DiscoverError::Decompress(e.to_string())));
                    continue;
                }
            };
            let contents =
                match document::read(&body, &fetched.final_url, kind, self.limits.max_entries) {
                    Ok(contents) => contents,
                    Err(e) => {
                        polled.errors.push(fail(e));
                        continue;
                    }
                };
            let mut children: Vec<(Url, Kind)> = Vec::new();
            match contents {
                Contents::Entries {
                    format,
                    entries,
                    dropped,
                } => {
                    if dropped > 0 {
                        polled.errors.push(fail(DiscoverError::TooManyEntries {
                            found: entries.len() + dropped,
                            limit: self.limits.max_entries,
                        }));
                    }
                    polled.found.extend(entries.into_iter().filter_map(|entry| {
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
                        self.robots_sitemaps(&fetched.final_url)
                            .await
                            .into_iter()
                            .map(|u| (u, Kind::Sitemap)),
                    );
                }
            }
            if !children.is_empty() && depth >= self.limits.max_depth {
                polled
                    .errors
                    .push(fail(DiscoverError::TooDeep(self.limits.max_depth)));
                children.clear();
            }
            for (child, kind) in &children {
                queue.push_back((child.clone(), *kind, depth + 1));
            }
            self.remember(
                key,
                Remembered {
                    validators,
                    children,
                },
            );
        }
        polled
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
