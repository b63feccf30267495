//! The classifier's data files: read here, at the edge, and handed to the
//! pure core as text (`newsworker_core::classify::Classifier::with_sources`).

use std::path::Path;

use crate::classify::{Classifier, ClassifierError, Source};

/// Why a classifier could not be built from files.
#[derive(Debug, thiserror::Error)]
pub enum DataFileError {
    #[error("cannot read {path}: {source}")]
    Read {
        path: String,
        source: std::io::Error,
    },
    #[error(transparent)]
    Invalid(#[from] ClassifierError),
}

/// The built-in classifier with the taxonomy file `taxonomy` and the
/// weights file `weights` instead, when given.
pub fn classifier(
    taxonomy: Option<&Path>,
    weights: Option<&Path>,
) -> Result<Classifier, DataFileError> {
    let taxonomy = taxonomy.map(read).transpose()?;
    let weights = weights.map(read).transpose()?;
    Ok(Classifier::with_sources(
        taxonomy.as_ref().map(source),
        weights.as_ref().map(source),
    )?)
}

fn source(file: &(String, String)) -> Source<'_> {
    Source {
        text: &file.1,
        origin: &file.0,
    }
}

/// A file's path (as errors name it) and text.
fn read(path: &Path) -> Result<(String, String), DataFileError> {
    let name = path.display().to_string();
    match std::fs::read_to_string(path) {
        Ok(text) => Ok((name, text)),
        Err(source) => Err(DataFileError::Read { path: name, source }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_missing_file_is_named_and_a_broken_one_points_at_its_line() {
        let Err(err) = classifier(Some(Path::new("/nonexistent/taxonomy.toml")), None) else {
            panic!("a missing file must be an error");
        };
        assert!(
            err.to_string().contains("/nonexistent/taxonomy.toml"),
            "{err}"
        );
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("weights.toml");
        std::fs::write(&path, "format = 1\nnonsense = [\n").unwrap();
        let Err(err) = classifier(None, Some(&path)) else {
            panic!("a broken file must be an error");
        };
        let err = err.to_string();
        assert!(err.contains("weights.toml:"), "{err}");
    }
}
