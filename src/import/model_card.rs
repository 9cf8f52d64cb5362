//! Model Card Toolkit JSON: not imported yet (its detector accepts nothing).

use super::Report;
use super::detect::Probe;
use crate::diag::Diagnostic;

/// Whether a file is Model Card Toolkit JSON.
pub(super) fn detects(_probe: &Probe<'_>) -> bool {
    false
}

pub(super) fn import(_text: &str, rel: &str) -> Result<Report, Vec<Diagnostic>> {
    Err(vec![
        Diagnostic::error("E0210", rel, "Model Card Toolkit JSON is not imported yet")
            .with_help("convert the report to a native file"),
    ])
}
