//! Logging to stderr: text or JSON, the level from `RUST_LOG`.

use tracing_subscriber::EnvFilter;

use super::{Cli, Command};
use crate::config::{Config, LogFormat};

/// The long-running worker and discovery log what they do (in
/// `log.format`); the tools only warnings.
pub fn init(cli: &Cli) {
    let (default_filter, format) = match &cli.command {
        Command::Run { config, .. }
        | Command::Discover {
            config,
            once: false,
            ..
        } => (
            "info,newsworker=info,html5ever=error,rdkafka=warn,librdkafka=warn",
            Config::load(config.as_deref())
                .map(|c| c.log.format)
                .unwrap_or_default(),
        ),
        _ => ("warn,html5ever=error", LogFormat::Text),
    };
    let filter =
        EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new(default_filter));
    // Colours only for a person at a terminal, not for a log collector.
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()))
        .with_writer(std::io::stderr);
    match format {
        LogFormat::Json => builder.json().init(),
        LogFormat::Text => builder.init(),
    }
}
