//! The taxonomy: tags, overlaps, negation context, lexicons and rules, loaded
//! from YAML and checked before anything is compiled.

mod embedded;
mod lines;
mod load;
pub mod schema;
mod validate;
mod yaml_guard;

use crate::error::{Location, Result};
pub use load::Source;
use schema::{ContextDef, OverlapDef, RuleDef, SettingsDef, TagDef};
use std::collections::BTreeMap;
use std::path::Path;

/// A rule with the place it was defined.
#[derive(Debug, Clone)]
pub struct Rule {
    pub def: RuleDef,
    pub location: Location,
}

/// A named list of phrases shared by rules.
#[derive(Debug, Clone)]
pub struct Lexicon {
    pub phrases: Vec<String>,
    pub location: Location,
}

/// A loaded and checked taxonomy.
#[derive(Debug, Clone)]
pub struct Taxonomy {
    pub settings: SettingsDef,
    pub tags: Vec<TagDef>,
    pub overlaps: Vec<OverlapDef>,
    pub context: ContextDef,
    pub lexicons: BTreeMap<String, Lexicon>,
    pub rules: Vec<Rule>,
    /// Where each source came from, for messages.
    pub origin: String,
    /// The embedded default taxonomy, whose regexes the test suite compiles;
    /// an engine compiles them only when a text needs them.
    pub builtin: bool,
}

impl Taxonomy {
    /// The default taxonomy compiled into the binary.
    pub fn embedded() -> Result<Taxonomy> {
        let sources = embedded::sources();
        let mut parsed = embedded::parsed();
        let mut taxonomy = load::merge_parsed(&sources, |s| parsed.remove(&s.name))?;
        taxonomy.origin = "built-in taxonomy".to_string();
        taxonomy.builtin = true;
        validate::check(&taxonomy, &sources)?;
        Ok(taxonomy)
    }

    /// A taxonomy file, or a directory whose `*.yaml`/`*.yml` files together
    /// form a taxonomy.
    pub fn from_path(path: &Path) -> Result<Taxonomy> {
        let sources = load::read_path(path)?;
        Taxonomy::from_sources(sources, &path.display().to_string())
    }

    pub fn from_sources(sources: Vec<Source>, origin: &str) -> Result<Taxonomy> {
        let mut taxonomy = load::merge(&sources)?;
        taxonomy.origin = origin.to_string();
        validate::check(&taxonomy, &sources)?;
        Ok(taxonomy)
    }

    pub fn tag(&self, id: &str) -> Option<&TagDef> {
        self.tags.iter().find(|t| t.id == id)
    }

    pub fn children<'a>(&'a self, id: &'a str) -> impl Iterator<Item = &'a TagDef> + 'a {
        self.tags
            .iter()
            .filter(move |t| t.parent.as_deref() == Some(id))
    }

    /// The names of the embedded files, for checks that none was forgotten.
    pub fn embedded_file_names() -> Vec<&'static str> {
        embedded::FILES.iter().map(|(name, _)| *name).collect()
    }
}

/// The machine-readable view of a taxonomy that `aitag taxonomy --output json` prints.
#[derive(Debug, serde::Serialize)]
pub struct Summary<'a> {
    pub tags: &'a [TagDef],
    pub overlaps: &'a [OverlapDef],
    pub rules: Vec<RuleSummary<'a>>,
}

#[derive(Debug, serde::Serialize)]
pub struct RuleSummary<'a> {
    pub id: &'a str,
    pub tag: &'a str,
    pub weight: f64,
    pub because: &'a str,
    pub location: String,
}

pub fn summary(t: &Taxonomy) -> Summary<'_> {
    Summary {
        tags: &t.tags,
        overlaps: &t.overlaps,
        rules: t
            .rules
            .iter()
            .map(|r| RuleSummary {
                id: &r.def.id,
                tag: &r.def.tag,
                weight: r.def.weight,
                because: r.def.because.trim(),
                location: r.location.to_string(),
            })
            .collect(),
    }
}
