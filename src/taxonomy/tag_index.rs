//! The tags of a taxonomy as one index, built once when it is loaded: each
//! tag's position, parent and children, and the message for a tag it does not
//! have. The engine, scoring, eval and the batch summary read it instead of
//! each rebuilding the hierarchy from the tag definitions.

use super::schema::TagDef;
use std::collections::BTreeMap;

#[derive(Debug, Clone, Default, serde::Serialize, serde::Deserialize)]
pub struct TagIndex {
    ids: Vec<String>,
    position: BTreeMap<String, usize>,
    parents: Vec<Option<usize>>,
    children: Vec<Vec<usize>>,
}

impl TagIndex {
    /// From tags in their taxonomy order; a parent that is not among them
    /// (which validation reports) counts as none.
    pub fn new(tags: &[TagDef]) -> TagIndex {
        let ids: Vec<String> = tags.iter().map(|t| t.id.clone()).collect();
        let position: BTreeMap<String, usize> = ids
            .iter()
            .enumerate()
            .map(|(i, id)| (id.clone(), i))
            .collect();
        let parents: Vec<Option<usize>> = tags
            .iter()
            .map(|t| t.parent.as_deref().and_then(|p| position.get(p).copied()))
            .collect();
        let mut children = vec![Vec::new(); tags.len()];
        for (child, parent) in parents.iter().enumerate() {
            if let Some(p) = parent {
                children[*p].push(child);
            }
        }
        TagIndex {
            ids,
            position,
            parents,
            children,
        }
    }

    pub fn len(&self) -> usize {
        self.ids.len()
    }

    pub fn is_empty(&self) -> bool {
        self.ids.is_empty()
    }

    /// The tag ids, in the taxonomy's order.
    pub fn ids(&self) -> impl Iterator<Item = &str> {
        self.ids.iter().map(String::as_str)
    }

    pub fn position(&self, id: &str) -> Option<usize> {
        self.position.get(id).copied()
    }

    pub fn parent(&self, tag: usize) -> Option<usize> {
        self.parents[tag]
    }

    /// Each tag's parent, by position.
    pub fn parents(&self) -> &[Option<usize>] {
        &self.parents
    }

    /// A tag's children, in the taxonomy's order.
    pub fn children(&self, tag: usize) -> &[usize] {
        &self.children[tag]
    }

    /// The message for a tag id the taxonomy does not have, listing those it has.
    pub fn unknown(&self, id: &str) -> String {
        unknown_tag(id, self.ids())
    }
}

/// "unknown tag `x` (the taxonomy's tags are: …)": the one wording of the
/// message, for lists of tags kept apart from a taxonomy too (eval's setup,
/// a gold file's known tags).
pub fn unknown_tag<'a>(id: &str, known: impl IntoIterator<Item = &'a str>) -> String {
    let known: Vec<&str> = known.into_iter().collect();
    format!(
        "unknown tag `{id}` (the taxonomy's tags are: {})",
        known.join(", ")
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tag(id: &str, parent: Option<&str>) -> TagDef {
        serde_yaml::from_str(&format!(
            "{{id: {id}, name: x, definition: x{}}}",
            parent.map(|p| format!(", parent: {p}")).unwrap_or_default()
        ))
        .unwrap()
    }

    #[test]
    fn parents_children_and_the_unknown_tag_message() {
        let tags = [
            tag("a", None),
            tag("b", Some("a")),
            tag("c", Some("a")),
            tag("d", None),
        ];
        let index = TagIndex::new(&tags);
        assert_eq!(index.position("c"), Some(2));
        assert_eq!(index.parent(1), Some(0));
        assert_eq!(index.parent(3), None);
        assert_eq!(index.children(0), &[1, 2]);
        assert_eq!(
            index.unknown("e"),
            "unknown tag `e` (the taxonomy's tags are: a, b, c, d)"
        );
    }
}
