//! The command line, the binary's edge: `main.rs` parses the arguments and
//! calls [`run`], which hands each command to one function. Errors here
//! are `anyhow`'s, printed by `main` with their causes.

mod args;
mod discover;
mod eval;
mod logging;
mod tools;
mod worker;

use std::process::ExitCode;

use anyhow::Result;

use crate::eval::geo::LabelSet;

pub use args::{Cli, Command, ConfigCommand, EvalCommand, TrainCommand};
pub use logging::init as init_logging;

/// Runs the command `cli` names.
pub fn run(cli: Cli) -> Result<ExitCode> {
    match cli.command {
        Command::Extract {
            url,
            max_bytes,
            taxonomy,
            paths,
        } => tools::extract(url, max_bytes, taxonomy.as_deref(), &paths),
        Command::Process { config, urls } => tools::process(config.as_deref(), urls),
        Command::Run { config, embedded } => worker::run_worker(config.as_deref(), embedded),
        Command::Discover {
            config,
            once,
            stdout,
            seen,
            sources,
        } => discover::run(config.as_deref(), once, stdout, seen.as_deref(), sources),
        Command::Config {
            what: ConfigCommand::Check { config },
        } => tools::config_check(config.as_deref()),
        Command::Classify { taxonomy, paths } => tools::classify(taxonomy.as_deref(), &paths),
        Command::Eval {
            what:
                EvalCommand::Extraction {
                    dataset,
                    output,
                    per_page,
                    rounds,
                },
        } => eval::extraction(&dataset, output.as_deref(), per_page, rounds),
        Command::Eval {
            what:
                EvalCommand::Classification {
                    labels,
                    per_doc,
                    output,
                    weights,
                    taxonomy,
                    threshold,
                    cross_validate,
                    read_words,
                },
        } => eval::classification(
            LabelSet {
                path: &labels,
                read_words,
            },
            per_doc,
            output.as_deref(),
            weights.as_deref(),
            taxonomy.as_deref(),
            threshold,
            cross_validate,
        ),
        Command::Train {
            what:
                TrainCommand::Classification {
                    labels,
                    output,
                    taxonomy,
                    threshold,
                    folds,
                    read_words,
                },
        } => eval::train(
            LabelSet {
                path: &labels,
                read_words,
            },
            &output,
            taxonomy.as_deref(),
            threshold,
            folds,
        ),
        Command::Eval {
            what:
                EvalCommand::Dates {
                    dataset,
                    per_page,
                    output,
                },
        } => eval::dates(&dataset, per_page, output.as_deref()),
        Command::Eval {
            what: EvalCommand::Consent { dataset, truth },
        } => eval::consent(&dataset, truth),
    }
}
