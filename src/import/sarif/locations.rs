//! Where a result is: its first physical location (file and line), else its first
//! logical location (a fully qualified name).

use super::types::{SarifResult, Str};
use serde::Deserialize;
use serde::de::{Deserializer, SeqAccess, Visitor};
use std::fmt;

/// What a finding keeps of `locations`: the first physical location's file and line and
/// the first logical location's name; the rest of the array is read and dropped.
#[derive(Default)]
pub(super) struct Place<'a> {
    pub(super) uri: Option<Str<'a>>,
    pub(super) line: Option<u64>,
    pub(super) logical: Option<Str<'a>>,
}

impl<'de: 'a, 'a> Deserialize<'de> for Place<'a> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Place<'de>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("an array of locations")
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
                let mut place = Place::default();
                while let Some(l) = seq.next_element::<Location<'de>>()? {
                    if place.uri.is_none()
                        && let Some(p) = l.physical_location
                        && let Some(uri) = p.artifact_location.and_then(|a| a.uri)
                    {
                        place.uri = Some(uri);
                        place.line = p.region.and_then(|r| r.start_line);
                    }
                    if place.logical.is_none() {
                        place.logical = l
                            .logical_locations
                            .into_iter()
                            .flatten()
                            .find_map(|x| x.fully_qualified_name.or(x.name));
                    }
                }
                Ok(place)
            }
        }
        d.deserialize_seq(V)
    }
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Location<'a> {
    #[serde(borrow)]
    physical_location: Option<PhysicalLocation<'a>>,
    #[serde(borrow)]
    logical_locations: Option<Vec<LogicalLocation<'a>>>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct PhysicalLocation<'a> {
    #[serde(borrow)]
    artifact_location: Option<ArtifactLocation<'a>>,
    region: Option<Region>,
}

#[derive(Deserialize)]
struct ArtifactLocation<'a> {
    #[serde(borrow)]
    uri: Option<Str<'a>>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Region {
    start_line: Option<u64>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct LogicalLocation<'a> {
    #[serde(borrow)]
    fully_qualified_name: Option<Str<'a>>,
    #[serde(borrow)]
    name: Option<Str<'a>>,
}

/// The file (or logical location) and the line.
pub(super) fn location<'x>(res: &'x SarifResult<'_>) -> (Option<&'x str>, Option<u64>) {
    let Some(place) = res.locations.as_ref() else {
        return (None, None);
    };
    match (&place.uri, &place.logical) {
        (Some(uri), _) => (Some(uri.as_str()), place.line),
        (None, logical) => (logical.as_ref().map(Str::as_str), None),
    }
}
