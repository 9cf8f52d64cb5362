//! Import: turns foreign reports (SARIF, Trivy, CycloneDX, ...) into native items.
//!
//! No foreign format is recognised yet: every evidence file is read as a native item, so
//! a foreign report is reported as a file without `kind`, never dropped. Importers plug in
//! here, between load and model, detecting their format by content.

use crate::load::Loaded;

/// Passes the loaded sources through the importers (none yet).
pub fn import(loaded: Loaded) -> Loaded {
    loaded
}
