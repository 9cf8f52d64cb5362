//! The foreign report formats a site may hold. Why in the model: the format is part of the
//! vocabulary every stage shares (an imported item is tagged with it, the model's help for
//! a file that is neither native nor a known report lists them), while recognising and
//! parsing a report is the import stage's job (`import::detect`).

/// The foreign formats Evidentia imports.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum ReportFormat {
    /// SARIF 2.1.0.
    Sarif,
    /// Semgrep JSON.
    Semgrep,
    /// Trivy JSON.
    Trivy,
    /// Grype JSON.
    Grype,
    /// Bandit JSON.
    Bandit,
    /// CycloneDX JSON (1.4 to 1.7, VEX included).
    CycloneDx,
    /// SPDX 2.3 JSON.
    Spdx,
    /// OWASP Threat Dragon.
    ThreatDragon,
    /// Threagile YAML.
    Threagile,
    /// OSCAL JSON.
    Oscal,
    /// Model Card Toolkit JSON.
    ModelCard,
    /// AI Verify fairness output.
    AiVerify,
    /// Azure RAI scorecard config.
    RaiScorecard,
    /// Hugging Face model card (Markdown with `model-index` front matter). Recognised by
    /// the load stage, never by a detector: only Markdown files can be one.
    HuggingFace,
}

impl ReportFormat {
    /// Every format, for help texts.
    pub const ALL: &'static [ReportFormat] = &[
        ReportFormat::Sarif,
        ReportFormat::Semgrep,
        ReportFormat::Trivy,
        ReportFormat::Grype,
        ReportFormat::Bandit,
        ReportFormat::CycloneDx,
        ReportFormat::Spdx,
        ReportFormat::ThreatDragon,
        ReportFormat::Threagile,
        ReportFormat::Oscal,
        ReportFormat::ModelCard,
        ReportFormat::AiVerify,
        ReportFormat::RaiScorecard,
        ReportFormat::HuggingFace,
    ];

    /// A short name, used as a tag.
    pub fn name(self) -> &'static str {
        match self {
            ReportFormat::Sarif => "sarif",
            ReportFormat::Semgrep => "semgrep",
            ReportFormat::Trivy => "trivy",
            ReportFormat::Grype => "grype",
            ReportFormat::Bandit => "bandit",
            ReportFormat::CycloneDx => "cyclonedx",
            ReportFormat::Spdx => "spdx",
            ReportFormat::ThreatDragon => "threat-dragon",
            ReportFormat::Threagile => "threagile",
            ReportFormat::Oscal => "oscal",
            ReportFormat::ModelCard => "model-card",
            ReportFormat::AiVerify => "ai-verify",
            ReportFormat::RaiScorecard => "rai-scorecard",
            ReportFormat::HuggingFace => "hugging-face",
        }
    }

    /// A human name.
    pub fn label(self) -> &'static str {
        match self {
            ReportFormat::Sarif => "SARIF 2.1.0",
            ReportFormat::Semgrep => "Semgrep JSON",
            ReportFormat::Trivy => "Trivy JSON",
            ReportFormat::Grype => "Grype JSON",
            ReportFormat::Bandit => "Bandit JSON",
            ReportFormat::CycloneDx => "CycloneDX JSON",
            ReportFormat::Spdx => "SPDX 2.3 JSON",
            ReportFormat::ThreatDragon => "OWASP Threat Dragon",
            ReportFormat::Threagile => "Threagile",
            ReportFormat::Oscal => "OSCAL JSON",
            ReportFormat::ModelCard => "Model Card Toolkit JSON",
            ReportFormat::AiVerify => "AI Verify fairness output",
            ReportFormat::RaiScorecard => "Azure RAI scorecard config",
            ReportFormat::HuggingFace => "Hugging Face model card (Markdown)",
        }
    }

    /// Every format's label, for the help of files that are neither native nor foreign.
    pub fn all_labels() -> String {
        ReportFormat::ALL
            .iter()
            .map(|f| f.label())
            .collect::<Vec<_>>()
            .join(", ")
    }
}
