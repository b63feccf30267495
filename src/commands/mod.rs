//! The subcommands' work, callable from the binary and from tests.

pub mod classify;
pub mod extract;
pub mod process;

use std::io::Read;
use std::path::Path;

/// Reads at most `limit` bytes of `path`; a longer input (a big file, or a
/// pipe such as `/dev/stdin` whose size is unknown) is refused as
/// `too_large` after reading one byte past the limit, never read whole.
pub fn read_bounded(path: &Path, limit: u64) -> Result<Vec<u8>, (&'static str, String)> {
    let io = |e: std::io::Error| ("io", format!("cannot read {}: {e}", path.display()));
    let file = std::fs::File::open(path).map_err(io)?;
    // Sized once from the file's length (a hint: the file may change).
    let size = file
        .metadata()
        .map_or(0, |m| m.len())
        .min(limit.saturating_add(1));
    let mut bytes = Vec::with_capacity(usize::try_from(size).unwrap_or(0) + 1);
    file.take(limit.saturating_add(1))
        .read_to_end(&mut bytes)
        .map_err(io)?;
    if bytes.len() as u64 > limit {
        let class = crate::extract::ExtractError::TooLarge { size: 0, limit }.class();
        return Err((
            class,
            format!(
                "{}: input is over the limit of {limit} bytes (reading stopped there)",
                path.display()
            ),
        ));
    }
    Ok(bytes)
}
