//! The `newsworker` command line: parses the arguments and calls the
//! library (`newsworker::cli`).

use std::process::ExitCode;

use clap::Parser;
use newsworker::cli::{Cli, init_logging, run};

fn main() -> ExitCode {
    let cli = Cli::parse();
    init_logging(&cli);
    match run(cli) {
        Ok(code) => code,
        Err(err) => {
            eprintln!("error: {err:#}");
            ExitCode::from(2)
        }
    }
}
