//! The kinds of native evidence (DESIGN section 1).

use serde::Serialize;

/// What an evidence item is; it decides how the item is read, checked and shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Kind {
    /// A system's threats and their mitigations.
    ThreatModel,
    /// Findings of a security scanner.
    Scan,
    /// A software bill of materials (CycloneDX, SPDX): components and their
    /// vulnerabilities.
    Sbom,
    /// An approved, expiring risk exception.
    Exception,
    /// Fairness and explainability results.
    Fairness,
    /// A joint incident exercise.
    Tabletop,
    /// A learner's claims against rubric criteria.
    Portfolio,
    /// Competency criteria.
    Rubric,
    /// A reusable responsible-AI packet.
    Packet,
    /// A control catalog.
    Catalog,
}

impl Kind {
    /// Every kind, in the order navigation lists them.
    pub const ALL: [Kind; 10] = [
        Kind::ThreatModel,
        Kind::Scan,
        Kind::Sbom,
        Kind::Exception,
        Kind::Fairness,
        Kind::Tabletop,
        Kind::Packet,
        Kind::Catalog,
        Kind::Rubric,
        Kind::Portfolio,
    ];

    /// The name written in `kind:`.
    pub fn name(self) -> &'static str {
        match self {
            Kind::ThreatModel => "threat-model",
            Kind::Scan => "scan",
            Kind::Sbom => "sbom",
            Kind::Exception => "exception",
            Kind::Fairness => "fairness",
            Kind::Tabletop => "tabletop",
            Kind::Portfolio => "portfolio",
            Kind::Rubric => "rubric",
            Kind::Packet => "packet",
            Kind::Catalog => "catalog",
        }
    }

    /// A heading for a list of items of this kind.
    pub fn plural_label(self) -> &'static str {
        match self {
            Kind::ThreatModel => "Threat models",
            Kind::Scan => "Scans",
            Kind::Sbom => "SBOMs",
            Kind::Exception => "Exceptions",
            Kind::Fairness => "Fairness results",
            Kind::Tabletop => "Tabletop exercises",
            Kind::Portfolio => "Portfolios",
            Kind::Rubric => "Rubrics",
            Kind::Packet => "Packets",
            Kind::Catalog => "Control catalogs",
        }
    }

    /// A label for one item of this kind.
    pub fn label(self) -> &'static str {
        match self {
            Kind::ThreatModel => "Threat model",
            Kind::Scan => "Scan",
            Kind::Sbom => "SBOM",
            Kind::Exception => "Exception",
            Kind::Fairness => "Fairness result",
            Kind::Tabletop => "Tabletop exercise",
            Kind::Portfolio => "Portfolio",
            Kind::Rubric => "Rubric",
            Kind::Packet => "Packet",
            Kind::Catalog => "Control catalog",
        }
    }

    /// Parses the `kind:` value.
    pub fn from_name(name: &str) -> Option<Kind> {
        Kind::ALL.into_iter().find(|k| k.name() == name)
    }

    /// Every `kind:` name, for help texts and suggestions.
    pub fn names() -> impl Iterator<Item = &'static str> {
        Kind::ALL.into_iter().map(Kind::name)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip() {
        for k in Kind::ALL {
            assert_eq!(Kind::from_name(k.name()), Some(k));
        }
        assert_eq!(Kind::from_name("threatmodel"), None);
    }
}
