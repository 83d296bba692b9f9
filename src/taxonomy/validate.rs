//! Checks that a merged taxonomy is consistent: ids unique, every reference
//! known, numbers in range, every condition well formed. All problems are
//! reported together, each at its file and line.

use super::Taxonomy;
use super::lines;
use super::load::{Source, locate_in};
use super::schema::CondDef;
use super::suggest::did_you_mean;
use crate::error::{Error, Location, Result, TaxonomyError};
use std::collections::{HashMap, HashSet};

pub fn check(t: &Taxonomy, sources: &[Source]) -> Result<()> {
    let mut errors = Vec::new();
    let mut err =
        |location: Location, message: String| errors.push(TaxonomyError { location, message });
    // Locations are looked up only for errors: scanning every line of every
    // file for each tag and overlap showed up in the start-up profile, and
    // scanning them for each error made 20,000 bad ids take 32 s. The `key:`
    // and `id: x` lines of all files are indexed once, on the first error.
    let index: std::cell::OnceCell<HashMap<&str, Location>> = std::cell::OnceCell::new();
    let find = |needle: &str| -> Location {
        let index = index.get_or_init(|| {
            let mut map = HashMap::new();
            for s in sources {
                for (content, line, column) in lines::key_lines(&s.text) {
                    map.entry(content).or_insert_with(|| Location {
                        file: s.name.clone(),
                        line: Some(line),
                        column: Some(column),
                    });
                }
            }
            map
        });
        index.get(needle).cloned().unwrap_or_else(|| {
            sources
                .iter()
                .map(|s| locate_in(&s.name, &s.text, needle, 0))
                .find(|l| l.line.is_some())
                .unwrap_or_else(|| Location {
                    file: t.origin.clone(),
                    line: None,
                    column: None,
                })
        })
    };

    if t.tags.is_empty() {
        err(
            find(""),
            "the taxonomy defines no tags (a `tags:` list is needed)".into(),
        );
    }
    let mut tag_ids = HashSet::new();
    for tag in &t.tags {
        let loc = || find(&lines::id_line(&tag.id));
        if !is_kebab(&tag.id) {
            err(
                loc(),
                format!("tag id `{}` must be kebab-case (a-z, 0-9 and -)", tag.id),
            );
        }
        if !tag_ids.insert(tag.id.as_str()) {
            err(loc(), format!("duplicate tag id `{}`", tag.id));
        }
        if let Some(th) = tag.threshold {
            if !(th > 0.0 && th <= 1.0) {
                err(
                    loc(),
                    format!("threshold of tag `{}` must be in (0, 1], not {th}", tag.id),
                );
            }
        }
    }
    let parents: HashMap<&str, Option<&str>> = t
        .tags
        .iter()
        .map(|tag| (tag.id.as_str(), tag.parent.as_deref()))
        .collect();
    for tag in &t.tags {
        if let Some(parent) = &tag.parent {
            let loc = || find(&lines::id_line(&tag.id));
            if !tag_ids.contains(parent.as_str()) {
                err(
                    loc(),
                    format!("tag `{}` has unknown parent `{parent}`", tag.id),
                );
            } else {
                // Walk up; a chain longer than the number of tags is a cycle.
                let mut cur = Some(parent.as_str());
                let mut steps = 0;
                while let Some(p) = cur {
                    steps += 1;
                    if p == tag.id || steps > t.tags.len() {
                        err(loc(), format!("tag `{}` is its own ancestor", tag.id));
                        break;
                    }
                    cur = parents.get(p).copied().flatten();
                }
            }
        }
    }
    if !(t.settings.threshold > 0.0 && t.settings.threshold <= 1.0) {
        err(
            find("threshold:"),
            format!(
                "settings.threshold must be in (0, 1], not {}",
                t.settings.threshold
            ),
        );
    }
    if let Some(h) = t.context.hedge_factor {
        if !(0.0..=1.0).contains(&h) {
            err(
                find("hedge_factor:"),
                format!("context.hedge_factor must be in [0, 1], not {h}"),
            );
        }
    }
    for (name, lex) in &t.lexicons {
        if lex
            .phrases
            .iter()
            .any(|p| p.trim().trim_end_matches('*').trim().is_empty())
        {
            err(
                lex.location.clone(),
                format!("lexicon `{name}` has an empty phrase"),
            );
        } else if let Some(p) = lex.phrases.iter().find(|p| never_matches(p)) {
            err(
                lex.location.clone(),
                format!("lexicon `{name}` has phrase `{p}`, {NEVER_MATCHES}"),
            );
        }
    }

    let mut rule_ids: HashMap<&str, &Location> = HashMap::new();
    for rule in &t.rules {
        let loc = &rule.location;
        let def = &rule.def;
        if let Some(first) = rule_ids.insert(def.id.as_str(), loc) {
            err(
                loc.clone(),
                format!("duplicate rule id `{}` (first defined at {first})", def.id),
            );
        }
        if !tag_ids.contains(def.tag.as_str()) {
            let hint = did_you_mean(&def.tag, tag_ids.iter().copied());
            err(
                key_location(sources, loc, &format!("tag: {}", def.tag)),
                format!("rule `{}` supports unknown tag `{}`{hint}", def.id, def.tag),
            );
        }
        if !(def.weight > 0.0 && def.weight <= 1.0) {
            err(
                loc.clone(),
                format!(
                    "rule `{}`: weight must be in (0, 1], not {}",
                    def.id, def.weight
                ),
            );
        }
        if def.because.trim().is_empty() {
            err(
                loc.clone(),
                format!("rule `{}`: `because` must say what a match means", def.id),
            );
        }
        let mut problems = Vec::new();
        check_cond(&def.when, t, &mut problems);
        if !has_positive(&def.when) {
            problems.push((
                "the condition must contain a phrase, lexicon or regex outside `none`".to_string(),
                None,
            ));
        }
        for (p, needle) in problems {
            let at = match needle {
                Some(n) => key_location(sources, loc, &n),
                None => loc.clone(),
            };
            err(at, format!("rule `{}`: {p}", def.id));
        }
    }
    for o in &t.overlaps {
        let loc = || find(&lines::id_line(&o.id));
        for tag in &o.tags {
            if !tag_ids.contains(tag.as_str()) {
                err(
                    loc(),
                    format!("overlap `{}` names unknown tag `{tag}`", o.id),
                );
            }
        }
        for r in &o.rules {
            if !rule_ids.contains_key(r.as_str()) {
                err(
                    loc(),
                    format!("overlap `{}` names unknown rule `{r}`", o.id),
                );
            }
        }
    }
    if errors.is_empty() {
        Ok(())
    } else {
        Err(Error::Taxonomy(errors))
    }
}

const NEVER_MATCHES: &str =
    "which folds to no letter or digit: phrases match words, so it can never match";

/// A phrase without a letter or digit once folded (`'`, `—`, `…`) matches
/// no word: a rule written with it could never fire.
fn never_matches(phrase: &str) -> bool {
    !crate::text::fold_phrase(phrase)
        .chars()
        .any(char::is_alphanumeric)
}

fn is_kebab(id: &str) -> bool {
    !id.is_empty()
        && id
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        && !id.starts_with('-')
        && !id.ends_with('-')
}

fn keys(c: &CondDef) -> Vec<&'static str> {
    let mut k = Vec::new();
    if c.phrase.is_some() {
        k.push("phrase");
    }
    if c.lexicon.is_some() {
        k.push("lexicon");
    }
    if c.regex.is_some() {
        k.push("regex");
    }
    if c.all.is_some() {
        k.push("all");
    }
    if c.any.is_some() {
        k.push("any");
    }
    if c.none.is_some() {
        k.push("none");
    }
    if c.near.is_some() {
        k.push("near");
    }
    k
}

/// The place of the bad key of a rule: the first line at or after the
/// rule's own line that holds `needle` (a lexicon name, a regex), at the key
/// on that line when it has one, else at the needle. The rule's line when
/// the needle is not found.
fn key_location(sources: &[Source], rule: &Location, needle: &str) -> Location {
    let Some(source) = sources.iter().find(|s| s.name == rule.file) else {
        return rule.clone();
    };
    let from = rule.line.unwrap_or(1);
    for (i, line) in source.text.lines().enumerate().skip(from - 1) {
        if let Some(at) = line.find(needle) {
            let before = &line[..at];
            let col = before.rfind(':').map_or(at + 1, |colon| {
                let key = before[..colon].rfind(|c: char| !(c.is_alphanumeric() || c == '_'));
                key.map_or(1, |i| i + 2)
            });
            return Location {
                file: rule.file.clone(),
                line: Some(i + 1),
                column: Some(col),
            };
        }
    }
    rule.clone()
}

/// A problem of a condition, and the text that locates it (if not the rule).
type Problem = (String, Option<String>);

fn check_cond(c: &CondDef, t: &Taxonomy, problems: &mut Vec<Problem>) {
    let k = keys(c);
    if k.len() != 1 {
        problems.push((
            format!(
                "a condition needs exactly one of phrase, lexicon, regex, all, any, none, near (found {})",
                if k.is_empty() { "none".to_string() } else { k.join(", ") }
            ),
            None,
        ));
    }
    if let Some(p) = &c.phrase {
        if p.items()
            .iter()
            .any(|s| s.trim().trim_end_matches('*').trim().is_empty())
        {
            problems.push(("empty phrase".into(), None));
        } else if let Some(p) = p.items().iter().find(|p| never_matches(p)) {
            problems.push((format!("phrase `{p}` {NEVER_MATCHES}"), Some(p.clone())));
        }
    }
    // The built-in regexes are checked by the test suite; parsing them
    // again here would slow every start-up.
    if let Some(pattern) = c.regex.as_ref().filter(|_| !t.builtin) {
        if let Err(e) = regex_syntax::ParserBuilder::new().build().parse(pattern) {
            let why = e.to_string();
            let why = why
                .lines()
                .last()
                .unwrap_or("")
                .trim_start_matches("error: ");
            problems.push((
                format!("invalid regex /{pattern}/: {why}"),
                Some(pattern.clone()),
            ));
        }
    }
    if let Some(l) = &c.lexicon {
        for name in l.items() {
            if !t.lexicons.contains_key(name) {
                let hint = did_you_mean(name, t.lexicons.keys().map(String::as_str));
                problems.push((
                    format!("unknown lexicon `{name}`{hint}"),
                    Some(name.clone()),
                ));
            }
        }
    }
    for list in [&c.all, &c.any, &c.none].into_iter().flatten() {
        if list.is_empty() {
            problems.push((
                "`all`, `any` and `none` need at least one condition".into(),
                None,
            ));
        }
        for child in list {
            check_cond(child, t, problems);
        }
    }
    if let Some(n) = &c.near {
        check_cond(&n.a, t, problems);
        check_cond(&n.b, t, problems);
        if !has_positive(&n.a) || !has_positive(&n.b) {
            problems.push((
                "both sides of `near` need a phrase, lexicon or regex".into(),
                None,
            ));
        }
    }
}

/// Whether the condition can match something; a rule made only of `none`
/// would fire on every text.
pub fn has_positive(c: &CondDef) -> bool {
    c.phrase.is_some()
        || c.lexicon.is_some()
        || c.regex.is_some()
        || c.near.is_some()
        || c.any.as_ref().is_some_and(|v| v.iter().any(has_positive))
        || c.all.as_ref().is_some_and(|v| v.iter().any(has_positive))
}
