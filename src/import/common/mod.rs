//! What every importer shares, so that the same input reads the same whatever format
//! carried it: severity words and scores ([`severity`]), ids made unique in a report
//! ([`ids`]), places written as `file:line` or `package@version` ([`location`]), and the
//! small text rules (trimmed optional text, borrowed strings, a description's headline,
//! a date-time's date) in [`text`].
//!
//! A mapping that differs between formats on purpose (SARIF's `note` is low, a plain
//! `note` word is info) lives here too, named for the scale it reads, so that the
//! difference is seen in one place rather than rediscovered in each importer.

pub(crate) mod fairness;
pub(crate) mod ids;
pub(crate) mod location;
pub(crate) mod severity;
pub(crate) mod text;
