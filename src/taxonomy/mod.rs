//! The taxonomy: tags, overlaps, negation context, lexicons and rules, loaded
//! from YAML and checked before anything is compiled.

mod embedded;
pub mod lazy;
mod lines;
mod load;
pub(crate) mod schema;
mod suggest;
mod tag_index;
mod validate;
mod yaml_guard;

use crate::error::{Location, Result};
pub use load::{Source, locate_in};
use schema::{ContextDef, OverlapDef, RuleDef, SettingsDef, TagDef};
use std::collections::BTreeMap;
use std::path::Path;
pub use tag_index::{TagIndex, unknown_tag};

/// A rule with the place it was defined.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct Rule {
    pub def: RuleDef,
    pub location: Location,
}

/// A named list of phrases shared by rules.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct Lexicon {
    /// Its own phrases, then those of the lexicons it includes (each once).
    /// Lazy: a start from the snapshot never reads them (see `lazy`).
    pub phrases: lazy::Lazy<Vec<String>>,
    /// How many of `phrases` are its own.
    pub own: usize,
    /// The lexicons it includes by name, with where each is included.
    pub includes: lazy::Lazy<Vec<(String, Location)>>,
    pub location: Location,
}

impl Lexicon {
    /// The phrases written in this lexicon itself.
    pub fn own_phrases(&self) -> &[String] {
        &self.phrases[..self.own]
    }
}

/// A sentence of a silence corpus: no rule may fire on it.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct SilenceSentence {
    pub text: String,
    /// The index in `Taxonomy::sources` of the file that holds it.
    pub source: usize,
}

/// A loaded and checked taxonomy.
#[derive(Debug, Clone, Default, serde::Serialize, serde::Deserialize)]
pub struct Taxonomy {
    pub settings: SettingsDef,
    pub tags: Vec<TagDef>,
    pub overlaps: Vec<OverlapDef>,
    /// Lazy: the compiled engine holds what classifying needs of it.
    pub context: lazy::Lazy<ContextDef>,
    pub lexicons: BTreeMap<String, Lexicon>,
    pub rules: Vec<Rule>,
    /// Sentences no rule may fire on, from the files' `silence:` lists.
    pub silence: lazy::Lazy<Vec<SilenceSentence>>,
    /// The files the taxonomy was read from, for checks that locate what
    /// they report by its text (the lint, the silence corpus).
    #[serde(skip)]
    pub sources: Vec<Source>,
    /// Where each source came from, for messages.
    pub origin: String,
    /// The embedded default taxonomy, whose regexes the test suite compiles;
    /// an engine compiles them only when a text needs them.
    pub builtin: bool,
    /// The tags' positions, parents and children, built once the tags are
    /// loaded, ordered and checked.
    index: TagIndex,
}

impl Taxonomy {
    /// The default taxonomy compiled into the binary.
    pub fn embedded() -> Result<Taxonomy> {
        crate::engine::snapshot::taxonomy().map_or_else(Taxonomy::embedded_compiled, Ok)
    }

    /// This taxonomy with the embedded files as its sources.
    pub(crate) fn embedded_sources(mut self) -> Taxonomy {
        self.sources = embedded::sources();
        self
    }

    /// The default taxonomy loaded from its files, without the snapshot.
    pub(crate) fn embedded_compiled() -> Result<Taxonomy> {
        let sources = embedded::sources();
        let mut parsed = embedded::parsed();
        let mut taxonomy = load::merge_parsed(&sources, |s| parsed.remove(&s.name))?;
        taxonomy.origin = "built-in taxonomy".to_string();
        taxonomy.builtin = true;
        validate::check(&taxonomy, &sources)?;
        taxonomy.sources = sources;
        taxonomy.index = TagIndex::new(&taxonomy.tags);
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
        order_tags(&mut taxonomy.tags);
        validate::check(&taxonomy, &sources)?;
        taxonomy.sources = sources;
        taxonomy.index = TagIndex::new(&taxonomy.tags);
        Ok(taxonomy)
    }

    /// A base taxonomy (`base`, else the built-in one) with the files or
    /// directories of `added` on top: their rules, lexicons, tags, overlaps
    /// and context are added to the base's, as if they were more files of
    /// it. Like Semgrep's repeated `--config`, adding one rule needs no copy
    /// of the whole taxonomy.
    pub fn with_added(base: Option<&Path>, added: &[impl AsRef<Path>]) -> Result<Taxonomy> {
        if added.is_empty() {
            return match base {
                Some(path) => Taxonomy::from_path(path),
                None => Taxonomy::embedded(),
            };
        }
        let (mut sources, mut parsed, mut origin) = match base {
            Some(path) => (
                load::read_path(path)?,
                Default::default(),
                path.display().to_string(),
            ),
            None => (
                embedded::sources(),
                embedded::parsed(),
                "built-in taxonomy".to_string(),
            ),
        };
        for path in added {
            sources.extend(load::read_path(path.as_ref())?);
            origin.push_str(&format!(" + {}", path.as_ref().display()));
        }
        let mut taxonomy = load::merge_parsed(&sources, |s| parsed.remove(&s.name))?;
        taxonomy.origin = origin;
        order_tags(&mut taxonomy.tags);
        validate::check(&taxonomy, &sources)?;
        taxonomy.sources = sources;
        taxonomy.index = TagIndex::new(&taxonomy.tags);
        Ok(taxonomy)
    }

    /// The tag ids in the taxonomy's tag order.
    pub fn tag_ids(&self) -> Vec<&str> {
        self.index.ids().collect()
    }

    /// The tags' positions, parents and children.
    pub fn tag_index(&self) -> &TagIndex {
        &self.index
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

/// Puts every tag right after its parent (and its parent's earlier
/// children), top-level tags in the order they are defined, so that the
/// order of tags (and of CSV columns) follows the tag tree and not the
/// names of the files that define them. A tag whose parent is unknown keeps
/// its place for the checks to report.
fn order_tags(tags: &mut Vec<TagDef>) {
    let ids: Vec<&str> = tags.iter().map(|t| t.id.as_str()).collect();
    let known = |p: &str| ids.contains(&p);
    let mut order: Vec<usize> = Vec::with_capacity(tags.len());
    fn visit(i: usize, tags: &[TagDef], order: &mut Vec<usize>) {
        if order.contains(&i) {
            return;
        }
        order.push(i);
        for (c, tag) in tags.iter().enumerate() {
            if tag.parent.as_deref() == Some(tags[i].id.as_str()) {
                visit(c, tags, order);
            }
        }
    }
    for (i, tag) in tags.iter().enumerate() {
        if tag.parent.as_deref().is_none_or(|p| !known(p)) {
            visit(i, tags, &mut order);
        }
    }
    // Tags in a parent cycle are reached from no root; the checks report them.
    for i in 0..tags.len() {
        if !order.contains(&i) {
            order.push(i);
        }
    }
    let mut slots: Vec<Option<TagDef>> = std::mem::take(tags).into_iter().map(Some).collect();
    tags.extend(order.into_iter().filter_map(|i| slots[i].take()));
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
