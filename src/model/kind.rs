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
    /// A course module, read from a roadmap in Markdown (DESIGN 3.9), never from `kind:`.
    Module,
}

impl Kind {
    /// Every native kind: the ones an evidence file names in `kind:` and that have a JSON
    /// Schema. Modules are left out because they are written as Markdown roadmaps.
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

    /// Every kind that has item pages and a list page, in the order navigation lists them:
    /// modules first (a course site starts from its modules), then the native kinds.
    pub const PAGES: [Kind; 11] = [
        Kind::Module,
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
            Kind::Module => "module",
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
            Kind::Module => "Modules",
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
            Kind::Module => "Module",
        }
    }

    /// Parses the `kind:` value (a native kind; `module` is not one).
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
        assert_eq!(Kind::from_name("module"), None);
        assert_eq!(&Kind::PAGES[1..], &Kind::ALL[..]);
    }
}
