//! Severity scales: the words tools write, CVSS scores, SARIF levels and the threat
//! ratings of threat-model tools, each onto Evidentia's own scale.

use crate::model::kinds::common::{Rating, Severity};

/// A tool's severity word (any case): critical, high, medium/moderate, low,
/// info/informational/negligible/note/none. Unknown words give `None`.
pub fn severity_word(word: &str) -> Option<Severity> {
    match word.trim().to_ascii_lowercase().as_str() {
        "critical" | "crit" => Some(Severity::Critical),
        "high" | "error" => Some(Severity::High),
        "medium" | "moderate" | "warning" | "med" => Some(Severity::Medium),
        "low" => Some(Severity::Low),
        "info" | "informational" | "negligible" | "note" | "none" => Some(Severity::Info),
        _ => None,
    }
}

/// A CVSS-style score (0-10) as a severity, by the CVSS v3 bands (the scale SARIF's
/// `security-severity` uses): 9.0+ critical, 7.0+ high, 4.0+ medium, 0.1+ low, else info.
pub fn severity_score(score: f64) -> Severity {
    if score >= 9.0 {
        Severity::Critical
    } else if score >= 7.0 {
        Severity::High
    } else if score >= 4.0 {
        Severity::Medium
    } else if score > 0.0 {
        Severity::Low
    } else {
        Severity::Info
    }
}

/// A SARIF `level` (3.27.10): error is high, warning medium, note low, none info; any
/// other word is read as a severity word, else medium. Unlike [`severity_word`], `note`
/// is low here: SARIF ranks it above `none`, which is the level of a result that found
/// nothing.
pub(crate) fn sarif_level(level: &str) -> Severity {
    match level {
        "error" => Severity::High,
        "note" => Severity::Low,
        "none" => Severity::Info,
        other => severity_word(other).unwrap_or(Severity::Medium),
    }
}

/// A Semgrep severity on either of its scales: the rule scale (ERROR, WARNING, INFO)
/// and the newer one (CRITICAL, HIGH, MEDIUM, LOW), plus EXPERIMENT and INVENTORY,
/// which report rather than warn and so are info.
pub(crate) fn semgrep_word(word: &str) -> Option<Severity> {
    match word.trim().to_ascii_uppercase().as_str() {
        "EXPERIMENT" | "INVENTORY" => Some(Severity::Info),
        _ => severity_word(word),
    }
}

/// The highest of some severities (`None` when there are none).
pub(crate) fn highest(severities: impl IntoIterator<Item = Severity>) -> Option<Severity> {
    severities.into_iter().max_by_key(|s| s.rank())
}

/// A threat's rating word: critical, high, medium or low in any case; anything else
/// (empty, `TBA`) says nothing.
pub(crate) fn rating_word(word: &str) -> Option<Rating> {
    match word.trim().to_ascii_lowercase().as_str() {
        "critical" => Some(Rating::Critical),
        "high" => Some(Rating::High),
        "medium" => Some(Rating::Medium),
        "low" => Some(Rating::Low),
        _ => None,
    }
}

/// Threagile's severity (low, medium, elevated, high, critical) on the four-step rating
/// scale: `elevated` sits between medium and high and is rounded up.
pub(crate) fn threagile_rating(word: &str) -> Option<Rating> {
    match word.trim().to_ascii_lowercase().as_str() {
        "elevated" => Some(Rating::High),
        other => rating_word(other),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn severities() {
        assert_eq!(severity_word("HIGH"), Some(Severity::High));
        assert_eq!(severity_word("Moderate"), Some(Severity::Medium));
        assert_eq!(severity_word("Negligible"), Some(Severity::Info));
        assert_eq!(severity_word("Unknown"), None);
        assert_eq!(severity_score(9.8), Severity::Critical);
        assert_eq!(severity_score(7.0), Severity::High);
        assert_eq!(severity_score(5.3), Severity::Medium);
        assert_eq!(severity_score(0.0), Severity::Info);
    }

    #[test]
    fn sarif_levels_rank_note_above_none() {
        assert_eq!(sarif_level("error"), Severity::High);
        assert_eq!(sarif_level("warning"), Severity::Medium);
        assert_eq!(sarif_level("note"), Severity::Low);
        assert_eq!(sarif_level("none"), Severity::Info);
        assert_eq!(sarif_level("odd"), Severity::Medium);
        assert_eq!(severity_word("note"), Some(Severity::Info));
    }

    #[test]
    fn ratings() {
        assert_eq!(rating_word(" High "), Some(Rating::High));
        assert_eq!(rating_word("elevated"), None);
        assert_eq!(threagile_rating("Elevated"), Some(Rating::High));
        assert_eq!(threagile_rating("critical"), Some(Rating::Critical));
        assert_eq!(threagile_rating("TBA"), None);
    }
}
