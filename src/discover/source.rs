//! The sources discovery watches: feeds, sitemaps and sites, from the
//! configuration (`discover.sources`), a file of one URL per line
//! (`discover.sources_file`) and the command line.

use std::time::Duration;

use serde::{Deserialize, Serialize};
use url::Url;

use crate::fetch::Target;

/// What a source is expected to be. `auto` reads whatever the bytes are;
/// the others refuse anything else (an HTML page served for a feed is an
/// error, not a site to explore).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    #[default]
    Auto,
    Feed,
    Sitemap,
    /// A site's home page: its `<link rel="alternate">` feeds and its
    /// robots.txt `Sitemap:` lines are polled.
    Site,
}

impl Kind {
    /// The kind for error messages.
    pub fn name(self) -> &'static str {
        match self {
            Kind::Auto => "a feed, sitemap or page",
            Kind::Feed => "a feed",
            Kind::Sitemap => "a sitemap",
            Kind::Site => "an HTML page",
        }
    }
}

/// A source as configured: a bare URL, or a table with its kind and
/// interval.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum SourceSpec {
    Url(String),
    Table {
        url: String,
        #[serde(default)]
        kind: Kind,
        /// Overrides `discover.interval_secs` for this source.
        #[serde(default)]
        interval_secs: Option<u64>,
    },
}

/// A source ready to poll.
#[derive(Debug, Clone, PartialEq)]
pub struct Source {
    pub target: Target,
    pub kind: Kind,
    pub interval: Duration,
}

impl Source {
    /// The URL as configured (for logs, metrics and the requests' `source`).
    pub fn url(&self) -> &Url {
        &self.target.requested
    }
}

/// A source that cannot be used, named with where it came from.
#[derive(Debug, thiserror::Error)]
#[error("discovery source {origin}: {message}")]
pub struct SourceListError {
    pub origin: String,
    pub message: String,
}

/// The sources from `specs` (configuration and arguments, named by
/// `origin`) and the lines of a sources file, parsed and checked like the
/// worker's URLs; the same canonical URL listed twice is polled once.
pub fn collect(
    specs: &[(String, SourceSpec)],
    file: Option<(&str, &str)>,
    default_interval: Duration,
) -> Result<Vec<Source>, SourceListError> {
    let mut sources: Vec<Source> = Vec::new();
    let mut add = |origin: &str, url: &str, kind: Kind, interval: Option<u64>| {
        let target = Target::parse(url).map_err(|e| SourceListError {
            origin: origin.to_owned(),
            message: e.to_string(),
        })?;
        if interval == Some(0) {
            return Err(SourceListError {
                origin: origin.to_owned(),
                message: "interval_secs must be greater than 0".to_owned(),
            });
        }
        if !sources
            .iter()
            .any(|s| s.target.canonical == target.canonical)
        {
            sources.push(Source {
                target,
                kind,
                interval: interval.map_or(default_interval, Duration::from_secs),
            });
        }
        Ok(())
    };
    for (origin, spec) in specs {
        match spec {
            SourceSpec::Url(url) => add(origin, url, Kind::Auto, None)?,
            SourceSpec::Table {
                url,
                kind,
                interval_secs,
            } => add(origin, url, *kind, *interval_secs)?,
        }
    }
    if let Some((path, text)) = file {
        for (number, line) in text.lines().enumerate() {
            let line = line.trim();
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            add(&format!("{path}:{}", number + 1), line, Kind::Auto, None)?;
        }
    }
    Ok(sources)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sources_from_config_file_and_arguments() {
        let specs = vec![
            (
                "discover.sources[0]".to_owned(),
                SourceSpec::Url("https://news.example/rss".to_owned()),
            ),
            (
                "discover.sources[1]".to_owned(),
                SourceSpec::Table {
                    url: "https://news.example/sitemap.xml".to_owned(),
                    kind: Kind::Sitemap,
                    interval_secs: Some(60),
                },
            ),
        ];
        let file = "# feeds\n\nhttps://other.example/feed\nhttps://NEWS.example/rss#x\n";
        let sources = collect(&specs, Some(("list.txt", file)), Duration::from_secs(300)).unwrap();
        assert_eq!(sources.len(), 3, "{sources:?}");
        assert_eq!(sources[1].kind, Kind::Sitemap);
        assert_eq!(sources[1].interval, Duration::from_secs(60));
        assert_eq!(sources[2].interval, Duration::from_secs(300));

        let e = collect(
            &[],
            Some(("list.txt", "https://ok.example/\nnot a url\n")),
            Duration::from_secs(1),
        )
        .unwrap_err();
        assert_eq!(e.origin, "list.txt:2");
        let bad = vec![(
            "arguments".to_owned(),
            SourceSpec::Url("file:///etc/passwd".to_owned()),
        )];
        assert!(collect(&bad, None, Duration::from_secs(1)).is_err());
    }
}
