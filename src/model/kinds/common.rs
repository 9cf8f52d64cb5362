//! Value types shared by several kinds.

use crate::model::decode::choice;

choice!(
    /// Likelihood and impact of a threat.
    Rating { Low = "low", Medium = "medium", High = "high", Critical = "critical" }
);

choice!(
    /// Severity of a finding, most severe first in `NAMES` order reversed.
    Severity { Critical = "critical", High = "high", Medium = "medium", Low = "low", Info = "info" }
);

impl Severity {
    /// Higher is worse: info 0 .. critical 4.
    pub fn rank(self) -> u8 {
        match self {
            Severity::Info => 0,
            Severity::Low => 1,
            Severity::Medium => 2,
            Severity::High => 3,
            Severity::Critical => 4,
        }
    }
}

impl Rating {
    /// Higher is worse: low 1 .. critical 4.
    pub fn rank(self) -> u8 {
        match self {
            Rating::Low => 1,
            Rating::Medium => 2,
            Rating::High => 3,
            Rating::Critical => 4,
        }
    }
}

choice!(
    /// The threat and incident categories of DESIGN 3.1: STRIDE, LINDDUN and ML-specific.
    Category {
        Spoofing = "spoofing",
        Tampering = "tampering",
        Repudiation = "repudiation",
        InformationDisclosure = "information-disclosure",
        DenialOfService = "denial-of-service",
        ElevationOfPrivilege = "elevation-of-privilege",
        DataPoisoning = "data-poisoning",
        Evasion = "evasion",
        ModelExtraction = "model-extraction",
        ModelInversion = "model-inversion",
        MembershipInference = "membership-inference",
        PromptInjection = "prompt-injection",
        SupplyChain = "supply-chain",
        Linking = "linking",
        Identifying = "identifying",
        NonRepudiation = "non-repudiation",
        Detecting = "detecting",
        DataDisclosure = "data-disclosure",
        Unawareness = "unawareness",
        NonCompliance = "non-compliance",
        Other = "other",
    }
);

impl Category {
    /// Whether this is one of the six STRIDE categories.
    pub fn is_stride(self) -> bool {
        matches!(
            self,
            Category::Spoofing
                | Category::Tampering
                | Category::Repudiation
                | Category::InformationDisclosure
                | Category::DenialOfService
                | Category::ElevationOfPrivilege
        )
    }
}
