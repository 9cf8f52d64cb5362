//! The SARIF 2.1.0 log, as far as findings need it. Every field is optional (and may be
//! null), as real tools leave out or null even what the schema requires.

use super::locations::Place;
use serde::Deserialize;
use serde::de::{Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
use std::borrow::Cow;
use std::collections::BTreeMap;
use std::fmt;

/// Text that borrows from the log unless it had escapes to undo.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub(super) struct Str<'a>(pub(super) Cow<'a, str>);

impl<'de: 'a, 'a> Deserialize<'de> for Str<'a> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Str<'de>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a string")
            }
            fn visit_borrowed_str<E>(self, s: &'de str) -> Result<Self::Value, E> {
                Ok(Str(Cow::Borrowed(s)))
            }
            fn visit_str<E>(self, s: &str) -> Result<Self::Value, E> {
                Ok(Str(Cow::Owned(s.to_owned())))
            }
            fn visit_string<E>(self, s: String) -> Result<Self::Value, E> {
                Ok(Str(Cow::Owned(s)))
            }
        }
        d.deserialize_str(V)
    }
}

impl Str<'_> {
    pub(super) fn as_str(&self) -> &str {
        &self.0
    }
}

/// A property-bag value, read loosely: a tool may put anything in a bag, so a value of an
/// unexpected type is kept as `Other` rather than failing the log.
#[derive(Debug)]
pub(super) enum Loose<'a> {
    Str(Str<'a>),
    Num(f64),
    List(Vec<Loose<'a>>),
    Other,
}

impl<'de: 'a, 'a> Deserialize<'de> for Loose<'a> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Loose<'de>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("any JSON value")
            }
            fn visit_borrowed_str<E>(self, s: &'de str) -> Result<Self::Value, E> {
                Ok(Loose::Str(Str(Cow::Borrowed(s))))
            }
            fn visit_str<E>(self, s: &str) -> Result<Self::Value, E> {
                Ok(Loose::Str(Str(Cow::Owned(s.to_owned()))))
            }
            fn visit_string<E>(self, s: String) -> Result<Self::Value, E> {
                Ok(Loose::Str(Str(Cow::Owned(s))))
            }
            #[allow(clippy::cast_precision_loss)]
            fn visit_i64<E>(self, n: i64) -> Result<Self::Value, E> {
                Ok(Loose::Num(n as f64))
            }
            #[allow(clippy::cast_precision_loss)]
            fn visit_u64<E>(self, n: u64) -> Result<Self::Value, E> {
                Ok(Loose::Num(n as f64))
            }
            fn visit_f64<E>(self, n: f64) -> Result<Self::Value, E> {
                Ok(Loose::Num(n))
            }
            fn visit_bool<E>(self, _: bool) -> Result<Self::Value, E> {
                Ok(Loose::Other)
            }
            fn visit_unit<E>(self) -> Result<Self::Value, E> {
                Ok(Loose::Other)
            }
            fn visit_none<E>(self) -> Result<Self::Value, E> {
                Ok(Loose::Other)
            }
            fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
                Loose::deserialize(d)
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
                let mut items = Vec::new();
                while let Some(x) = seq.next_element()? {
                    items.push(x);
                }
                Ok(Loose::List(items))
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
                while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
                Ok(Loose::Other)
            }
        }
        d.deserialize_any(V)
    }
}

impl Loose<'_> {
    pub(super) fn text(&self) -> Option<&str> {
        match self {
            Loose::Str(s) => Some(s.as_str()),
            _ => None,
        }
    }

    /// A score given as a number or as numeric text.
    pub(super) fn score(&self) -> Option<f64> {
        match self {
            Loose::Num(n) => Some(*n),
            Loose::Str(s) => s.as_str().trim().parse().ok(),
            _ => None,
        }
        .filter(|n: &f64| n.is_finite())
    }

    pub(super) fn first_text(&self) -> Option<&str> {
        match self {
            Loose::List(items) => items.iter().find_map(Loose::text),
            other => other.text(),
        }
    }
}

#[derive(Deserialize)]
pub(super) struct Tool<'a> {
    #[serde(borrow)]
    pub(super) driver: Option<Component<'a>>,
    #[serde(borrow)]
    pub(super) extensions: Option<Vec<Component<'a>>>,
    /// Not in 2.1.0 (a driver's field), but some tools write the name here.
    #[serde(borrow)]
    pub(super) name: Option<Str<'a>>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct Component<'a> {
    #[serde(borrow)]
    pub(super) name: Option<Str<'a>>,
    #[serde(borrow)]
    pub(super) guid: Option<Str<'a>>,
    #[serde(borrow)]
    pub(super) rules: Option<Vec<Rule<'a>>>,
    #[serde(borrow)]
    pub(super) global_message_strings: Option<BTreeMap<Str<'a>, MessageString<'a>>>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct Rule<'a> {
    #[serde(borrow)]
    pub(super) id: Option<Str<'a>>,
    #[serde(borrow)]
    pub(super) name: Option<Str<'a>>,
    #[serde(borrow)]
    pub(super) short_description: Option<MessageString<'a>>,
    #[serde(borrow)]
    pub(super) full_description: Option<MessageString<'a>>,
    #[serde(borrow)]
    pub(super) message_strings: Option<BTreeMap<Str<'a>, MessageString<'a>>>,
    #[serde(borrow)]
    pub(super) help_uri: Option<Str<'a>>,
    #[serde(borrow)]
    pub(super) help: Option<Help<'a>>,
    #[serde(borrow)]
    pub(super) default_configuration: Option<Configuration<'a>>,
    #[serde(borrow)]
    pub(super) properties: Option<Properties<'a>>,
}

#[derive(Deserialize)]
pub(super) struct MessageString<'a> {
    #[serde(borrow)]
    pub(super) text: Option<Str<'a>>,
}

/// A rule's `help`: plain text and, from most tools, Markdown.
#[derive(Deserialize)]
pub(super) struct Help<'a> {
    #[serde(borrow)]
    pub(super) text: Option<Str<'a>>,
    #[serde(borrow)]
    pub(super) markdown: Option<Str<'a>>,
}

#[derive(Deserialize)]
pub(super) struct Configuration<'a> {
    #[serde(borrow)]
    pub(super) level: Option<Str<'a>>,
}

/// A property bag: only the security severity and the tags are read; every other
/// property is skipped.
#[derive(Deserialize)]
pub(super) struct Properties<'a> {
    #[serde(borrow, rename = "security-severity")]
    pub(super) security_severity: Option<Loose<'a>>,
    #[serde(borrow)]
    pub(super) tags: Option<Vec<Loose<'a>>>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct RunProperties<'a> {
    #[serde(borrow)]
    pub(super) image_name: Option<Loose<'a>>,
    #[serde(borrow)]
    pub(super) repo_tags: Option<Loose<'a>>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct Invocation<'a> {
    #[serde(borrow)]
    pub(super) start_time_utc: Option<Str<'a>>,
    #[serde(borrow)]
    pub(super) end_time_utc: Option<Str<'a>>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct Provenance<'a> {
    #[serde(borrow)]
    pub(super) repository_uri: Option<Str<'a>>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct SarifResult<'a> {
    #[serde(borrow)]
    pub(super) rule_id: Option<Str<'a>>,
    pub(super) rule_index: Option<i64>,
    #[serde(borrow)]
    pub(super) rule: Option<RuleRef<'a>>,
    #[serde(borrow)]
    pub(super) kind: Option<Str<'a>>,
    #[serde(borrow)]
    pub(super) level: Option<Str<'a>>,
    #[serde(borrow)]
    pub(super) message: Option<Message<'a>>,
    #[serde(borrow)]
    pub(super) locations: Option<Place<'a>>,
    #[serde(borrow)]
    pub(super) suppressions: Option<Vec<Suppression<'a>>>,
    #[serde(borrow)]
    pub(super) baseline_state: Option<Str<'a>>,
    #[serde(borrow)]
    pub(super) properties: Option<Properties<'a>>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct RuleRef<'a> {
    #[serde(borrow)]
    pub(super) id: Option<Str<'a>>,
    pub(super) index: Option<i64>,
    #[serde(borrow)]
    pub(super) tool_component: Option<ComponentRef<'a>>,
}

#[derive(Deserialize)]
pub(super) struct ComponentRef<'a> {
    pub(super) index: Option<i64>,
    #[serde(borrow)]
    pub(super) guid: Option<Str<'a>>,
    #[serde(borrow)]
    pub(super) name: Option<Str<'a>>,
}

#[derive(Deserialize)]
pub(super) struct Message<'a> {
    #[serde(borrow)]
    pub(super) text: Option<Str<'a>>,
    #[serde(borrow)]
    pub(super) id: Option<Str<'a>>,
    #[serde(borrow)]
    pub(super) arguments: Option<Vec<Str<'a>>>,
}

#[derive(Deserialize)]
pub(super) struct Suppression<'a> {
    #[serde(borrow)]
    pub(super) status: Option<Str<'a>>,
    #[serde(borrow)]
    pub(super) justification: Option<Str<'a>>,
}
