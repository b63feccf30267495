//! The subcommands' work, callable from the binary and from tests.

pub mod classify;
pub mod extract;
pub mod process;
