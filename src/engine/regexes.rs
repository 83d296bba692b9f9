//! The rules' regexes: found in a text without compiling them all up front.
//!
//! A `RegexSet` over every rule regex was over 40% of the instructions of an
//! `aitag classify` process: the Unicode classes (`\w`, `\d`, `[^.]`) under
//! case-insensitive matching make big automata. Yet most texts can match only
//! a few of the regexes, and a regex can match only where one of the literal
//! strings that every match of it contains occurs (`\bunauthori[sz]ed …`
//! needs "unauthorised" or "unauthorized"). So each regex is reduced, once, to
//! a few clauses of required literals (each clause a set one of which every
//! match contains; a match satisfies all of them); one Aho-Corasick automaton
//! over all the literals tells which regexes a text may match, and only those
//! run, each compiled the first time a text needs it. The result is exactly
//! the set's: a regex with an unsatisfied clause cannot match.
//!
//! The automaton matches ASCII case-insensitively and the regexes run
//! case-insensitively with Unicode rules, under which two non-ASCII characters
//! equal ASCII letters: KELVIN SIGN (k) and LATIN SMALL LETTER LONG S (s). A
//! text holding either (the automaton looks for them too) runs every regex.

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, MatchKind};
use regex::Regex;
use regex_syntax::hir::{Class, Hir, HirKind};
use std::collections::BTreeMap;
use std::sync::OnceLock;

use super::hit::{AtomId, AtomTable};
use crate::error::{Location, TaxonomyError};

/// At most this many literals make one clause (strings one of which every
/// match contains), and at most `MAX_CLAUSES` clauses, all of which every
/// match satisfies, stand for one regex; more cost more than they filter.
const MAX_LITERALS: usize = 64;
const MAX_CLAUSES: usize = 4;

/// Characters that equal an ASCII letter under Unicode simple case folding.
const ASCII_LOOKALIKES: [&str; 2] = ["\u{212A}", "\u{017F}"];

/// A rule's regex, compiled the first time a text needs its positions.
struct LazyRegex {
    atom: AtomId,
    pattern: String,
    regex: OnceLock<Option<Regex>>,
}

impl LazyRegex {
    /// The patterns with their atoms, none compiled yet.
    fn uncompiled(regexes: Vec<(AtomId, String)>) -> Vec<LazyRegex> {
        regexes
            .into_iter()
            .map(|(atom, pattern)| LazyRegex {
                atom,
                pattern,
                regex: OnceLock::new(),
            })
            .collect()
    }

    fn get(&self) -> Option<&Regex> {
        self.regex.get_or_init(|| self.compile().ok()).as_ref()
    }

    /// Rule regexes match the folded text case-insensitively.
    fn compile(&self) -> Result<Regex, regex::Error> {
        regex::RegexBuilder::new(&self.pattern)
            .case_insensitive(true)
            .build()
    }
}

/// Every rule regex, with the literal prefilter that says which of them a
/// text may match.
pub struct RuleRegexes {
    regexes: Vec<LazyRegex>,
    /// Every distinct required literal, then the lookalikes.
    literals: Vec<Vec<u8>>,
    /// The automaton over `literals`, once built. Compiling builds it; an
    /// engine read from the start-up snapshot (`super::snapshot`) builds it
    /// for its second text, and looks for each literal in its first: for one
    /// short text (`aitag classify`) that is cheaper than the automaton's
    /// construction, a fifth of a cold start.
    prefilter: OnceLock<AhoCorasick>,
    /// Whether a text has been searched without the automaton.
    searched: std::sync::atomic::AtomicBool,
    /// For each literal of the prefilter, the clauses it satisfies: (regex,
    /// the clause's bit). Patterns from here on are the lookalikes.
    satisfies: Vec<Vec<(u32, u8)>>,
    /// For each regex, the bits of all its clauses; 0 for a regex without
    /// required literals (`\d+ views`), which runs on every text.
    needs: Vec<u8>,
}

impl RuleRegexes {
    /// Parses every regex (reporting syntax errors by atom) and reduces it to
    /// its required literals. Nothing is compiled yet.
    pub fn new(regexes: Vec<(AtomId, String)>) -> Result<RuleRegexes, Vec<(AtomId, String)>> {
        let mut errors = Vec::new();
        let mut by_literal: BTreeMap<Vec<u8>, Vec<(u32, u8)>> = BTreeMap::new();
        let mut needs = Vec::with_capacity(regexes.len());
        for (i, (atom, pattern)) in regexes.iter().enumerate() {
            // Case-sensitive parsing keeps literals as literals; the
            // automaton ignores case instead. The regexes' own syntax errors
            // do not depend on it.
            match regex_syntax::ParserBuilder::new().build().parse(pattern) {
                Ok(hir) => {
                    let clauses = required_literals(&hir);
                    needs.push(((1u16 << clauses.len()) - 1) as u8);
                    for (c, clause) in clauses.into_iter().enumerate() {
                        for literal in clause {
                            by_literal
                                .entry(literal)
                                .or_default()
                                .push((i as u32, 1 << c));
                        }
                    }
                }
                Err(e) => errors.push((*atom, e.to_string())),
            }
        }
        if !errors.is_empty() {
            return Err(errors);
        }
        let (mut literals, satisfies): (Vec<Vec<u8>>, Vec<_>) = by_literal.into_iter().unzip();
        let prefilter = OnceLock::new();
        if !literals.is_empty() {
            literals.extend(ASCII_LOOKALIKES.iter().map(|s| s.as_bytes().to_vec()));
            let automaton = automaton(&literals).map_err(|e| vec![(AtomId::MAX, e.to_string())])?;
            let _ = prefilter.set(automaton);
        }
        Ok(RuleRegexes {
            literals,
            searched: Default::default(),
            regexes: LazyRegex::uncompiled(regexes),
            prefilter,
            satisfies,
            needs,
        })
    }

    pub fn is_empty(&self) -> bool {
        self.regexes.is_empty()
    }

    /// The patterns as written in the rules.
    pub fn patterns(&self) -> impl Iterator<Item = &str> {
        self.regexes.iter().map(|r| r.pattern.as_str())
    }

    /// The patterns with the atom each stands for.
    pub fn patterns_with_atoms(&self) -> impl Iterator<Item = (AtomId, &str)> {
        self.regexes.iter().map(|r| (r.atom, r.pattern.as_str()))
    }

    /// The regexes that may match `text`, in order, into `out` (cleared first).
    /// Every regex that matches is among them.
    pub fn candidates(&self, text: &str, out: &mut Vec<usize>) {
        use std::sync::atomic::Ordering::Relaxed;
        if self.prefilter.get().is_none()
            && text.len() <= SEARCH_WITHOUT_AUTOMATON
            && !self.searched.swap(true, Relaxed)
        {
            return self.candidates_by_search(text, out);
        }
        if self.literals.is_empty() {
            return self.candidates_from(std::iter::empty(), out);
        }
        let prefilter = self.prefilter.get_or_init(|| {
            automaton(&self.literals).expect("these literals made an automaton when compiled")
        });
        let found = prefilter.find_overlapping_iter(text);
        self.candidates_from(found.map(|m| m.pattern().as_usize()), out);
    }

    /// `candidates` without the automaton: each literal looked for in turn,
    /// ignoring ASCII case as the automaton does.
    fn candidates_by_search(&self, text: &str, out: &mut Vec<usize>) {
        let text = text.to_ascii_lowercase();
        let found = self.literals.iter().enumerate().filter(|(_, literal)| {
            memchr::memmem::find(text.as_bytes(), &literal.to_ascii_lowercase()).is_some()
        });
        self.candidates_from(found.map(|(i, _)| i), out);
    }

    /// The regexes whose clauses the literals `found` (by index, repeats
    /// allowed) all satisfy, into `out` (cleared first); every regex when
    /// there are no literals or a lookalike was found.
    fn candidates_from(&self, found: impl Iterator<Item = usize>, out: &mut Vec<usize>) {
        out.clear();
        let all = 0..self.regexes.len();
        if self.literals.is_empty() {
            out.extend(all);
            return;
        }
        let mut satisfied = vec![0u8; self.regexes.len()];
        for i in found {
            let Some(clauses) = self.satisfies.get(i) else {
                out.extend(all);
                return;
            };
            for &(regex, bit) in clauses {
                satisfied[regex as usize] |= bit;
            }
        }
        out.extend(all.filter(|&i| satisfied[i] & self.needs[i] == self.needs[i]));
    }

    /// The atom of regex `i` and its non-empty matches in `text`.
    pub fn find<'t>(
        &self,
        i: usize,
        text: &'t str,
    ) -> (AtomId, impl Iterator<Item = regex::Match<'t>>) {
        let r = &self.regexes[i];
        // A pattern that parsed compiles: the only other failure is the size
        // limit, which none of these small patterns comes near.
        let matches = r.get().into_iter().flat_map(move |re| re.find_iter(text));
        (r.atom, matches.filter(|m| m.end() > m.start()))
    }

    /// Compiles every regex not compiled yet, so that a size-limit failure is
    /// reported with the rules that use it instead of silently matching
    /// nothing; the failures.
    pub fn compile_all(&self) -> Vec<(AtomId, String)> {
        self.regexes
            .iter()
            .filter(|r| r.regex.get().is_none())
            .filter_map(|r| match r.compile() {
                Ok(re) => {
                    let _ = r.regex.set(Some(re));
                    None
                }
                Err(e) => Some((r.atom, e.to_string())),
            })
            .collect()
    }
}

/// The longest text searched without the automaton: past it, building the
/// automaton costs less than one search per literal.
const SEARCH_WITHOUT_AUTOMATON: usize = 64 * 1024;

/// The prefilter over the literals (ASCII case ignored, every occurrence).
fn automaton(literals: &[Vec<u8>]) -> Result<AhoCorasick, aho_corasick::BuildError> {
    AhoCorasickBuilder::new()
        .ascii_case_insensitive(true)
        .match_kind(MatchKind::Standard)
        .build(literals)
}

/// Written as the patterns with their atoms, the literals and the clause
/// tables; read back with nothing compiled.
#[derive(serde::Serialize, serde::Deserialize)]
struct Stored {
    regexes: Vec<(AtomId, String)>,
    literals: Vec<Vec<u8>>,
    satisfies: Vec<Vec<(u32, u8)>>,
    needs: Vec<u8>,
}

impl serde::Serialize for RuleRegexes {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        Stored {
            regexes: self
                .regexes
                .iter()
                .map(|r| (r.atom, r.pattern.clone()))
                .collect(),
            literals: self.literals.clone(),
            satisfies: self.satisfies.clone(),
            needs: self.needs.clone(),
        }
        .serialize(s)
    }
}

impl<'de> serde::Deserialize<'de> for RuleRegexes {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let stored = Stored::deserialize(d)?;
        if stored.needs.len() != stored.regexes.len()
            || stored.satisfies.len() > stored.literals.len()
            || stored
                .satisfies
                .iter()
                .flatten()
                .any(|&(r, _)| r as usize >= stored.regexes.len())
        {
            return Err(serde::de::Error::custom("the regex tables disagree"));
        }
        Ok(RuleRegexes {
            regexes: LazyRegex::uncompiled(stored.regexes),
            literals: stored.literals,
            prefilter: OnceLock::new(),
            searched: Default::default(),
            satisfies: stored.satisfies,
            needs: stored.needs,
        })
    }
}

/// Strings at least one of which occurs in every match.
type Clause = Vec<Vec<u8>>;

/// What is known about the strings a regex (or part of one) matches.
struct Literals {
    /// Every string it can match, when they are few: lower-cased.
    exact: Option<Vec<Vec<u8>>>,
    /// Clauses that every match satisfies, each usable (see `usable`).
    required: Vec<Clause>,
}

impl Literals {
    fn exact(set: Vec<Vec<u8>>) -> Literals {
        let required = if usable(&set) {
            vec![simplify(set.clone())]
        } else {
            Vec::new()
        };
        Literals {
            exact: Some(set),
            required,
        }
    }

    fn requiring(required: Vec<Clause>) -> Literals {
        Literals {
            exact: None,
            required,
        }
    }
}

/// A clause that can stand for a regex: no literal empty (an empty one occurs
/// in every text) and all ASCII (the automaton folds ASCII case only).
fn usable(set: &[Vec<u8>]) -> bool {
    !set.is_empty()
        && set.len() <= MAX_LITERALS
        && set.iter().all(|s| !s.is_empty() && s.is_ascii())
}

/// Clauses of literals, ignoring ASCII case, that every match of `hir`
/// satisfies: the best few, best first.
pub(crate) fn required_literals(hir: &Hir) -> Vec<Clause> {
    analyze(hir).required
}

/// A clause sorted, without repeats and without literals that contain
/// another literal of the clause (which add nothing to the filter).
fn simplify(mut set: Clause) -> Clause {
    set.sort_unstable();
    set.dedup();
    let keep: Vec<bool> = set
        .iter()
        .map(|s| {
            !set.iter()
                .any(|t| t.len() < s.len() && s.windows(t.len()).any(|w| w == t.as_slice()))
        })
        .collect();
    let mut keep = keep.into_iter();
    set.retain(|_| keep.next().unwrap_or(true));
    set
}

/// How good a clause is as a filter: its shortest literal, longer being
/// rarer, then fewer literals.
fn quality(set: &[Vec<u8>]) -> (usize, std::cmp::Reverse<usize>) {
    let shortest = set.iter().map(Vec::len).min().unwrap_or(0);
    (shortest, std::cmp::Reverse(set.len()))
}

/// The best `MAX_CLAUSES` clauses, simplified, best first.
fn best_clauses(clauses: Vec<Clause>) -> Vec<Clause> {
    let mut clauses: Vec<Clause> = clauses.into_iter().map(simplify).collect();
    clauses.sort_by(|a, b| quality(b).cmp(&quality(a)).then_with(|| a.cmp(b)));
    clauses.dedup();
    clauses.truncate(MAX_CLAUSES);
    clauses
}

/// Every concatenation of one string of `a` with one of `b`, if few.
fn cross(a: &[Vec<u8>], b: &[Vec<u8>]) -> Option<Vec<Vec<u8>>> {
    if a.len() * b.len() > MAX_LITERALS {
        return None;
    }
    let mut out = Vec::with_capacity(a.len() * b.len());
    for x in a {
        for y in b {
            let mut s = x.clone();
            s.extend_from_slice(y);
            out.push(s);
        }
    }
    out.sort_unstable();
    out.dedup();
    Some(out)
}

fn analyze(hir: &Hir) -> Literals {
    match hir.kind() {
        HirKind::Empty | HirKind::Look(_) => Literals::exact(vec![Vec::new()]),
        HirKind::Literal(lit) => Literals::exact(vec![lit.0.to_ascii_lowercase()]),
        HirKind::Class(class) => match class_chars(class) {
            Some(set) => Literals::exact(set),
            None => Literals::requiring(Vec::new()),
        },
        HirKind::Capture(cap) => analyze(&cap.sub),
        HirKind::Repetition(rep) => {
            let sub = analyze(&rep.sub);
            match (rep.min, rep.max) {
                (1, Some(1)) => sub,
                (0, Some(1)) => Literals {
                    exact: sub.exact.map(|mut set| {
                        set.push(Vec::new());
                        set
                    }),
                    required: Vec::new(),
                },
                (0, _) => Literals::requiring(Vec::new()),
                // At least one copy: whatever one copy requires.
                _ => Literals::requiring(sub.required),
            }
        }
        HirKind::Alternation(branches) => {
            let parts: Vec<Literals> = branches.iter().map(analyze).collect();
            let exact = parts
                .iter()
                .map(|p| p.exact.as_ref())
                .collect::<Option<Vec<_>>>()
                .map(|sets| sets.into_iter().flatten().cloned().collect::<Vec<_>>())
                .filter(|set| set.len() <= MAX_LITERALS);
            if let Some(set) = exact {
                return Literals::exact(set);
            }
            // Each branch's best clause, together: every match satisfies one.
            let union = parts
                .into_iter()
                .map(|p| p.required.into_iter().next())
                .collect::<Option<Vec<_>>>()
                .map(|sets| sets.into_iter().flatten().collect::<Vec<_>>())
                .filter(|set| usable(set));
            Literals::requiring(union.into_iter().map(simplify).collect())
        }
        HirKind::Concat(items) => {
            // Every part's clauses hold. Runs of parts with known strings
            // also multiply out into longer literals ("year" "[- ]" "old" ->
            // "year old", "year-old").
            let mut clauses: Vec<Clause> = Vec::new();
            let mut run: Option<Vec<Vec<u8>>> = Some(vec![Vec::new()]);
            let mut all_exact = true;
            for item in items {
                let part = analyze(item);
                match &part.exact {
                    Some(set) => {
                        let joined = run.as_deref().and_then(|r| cross(r, set));
                        run = match joined {
                            Some(joined) => Some(joined),
                            None => {
                                all_exact = false;
                                clauses.extend(run.take().filter(|r| usable(r)));
                                Some(set.clone())
                            }
                        };
                    }
                    None => {
                        all_exact = false;
                        clauses.extend(run.take().filter(|r| usable(r)));
                        run = Some(vec![Vec::new()]);
                        // A part with known strings is in the run instead.
                        clauses.extend(part.required);
                    }
                }
            }
            if all_exact {
                if let Some(set) = run {
                    return Literals::exact(set);
                }
            }
            clauses.extend(run.filter(|r| usable(r)));
            Literals::requiring(best_clauses(clauses))
        }
    }
}

/// The characters of a small ASCII class, lower-cased, as one-byte literals.
fn class_chars(class: &Class) -> Option<Vec<Vec<u8>>> {
    let mut out: Vec<Vec<u8>> = Vec::new();
    match class {
        Class::Unicode(c) => {
            for r in c.ranges() {
                let (start, end) = (r.start() as u32, r.end() as u32);
                if end >= 0x80 || end - start >= 8 {
                    return None;
                }
                out.extend((start..=end).map(|b| vec![(b as u8).to_ascii_lowercase()]));
            }
        }
        Class::Bytes(c) => {
            for r in c.ranges() {
                if r.end() >= 0x80 || r.end() - r.start() >= 8 {
                    return None;
                }
                out.extend((r.start()..=r.end()).map(|b| vec![b.to_ascii_lowercase()]));
            }
        }
    }
    out.sort_unstable();
    out.dedup();
    (out.len() <= 8).then_some(out)
}

/// Turns regex compile failures into taxonomy errors at the rules that use them.
pub fn regex_errors(
    failures: Vec<(AtomId, String)>,
    atoms: &AtomTable,
    users: &dyn Fn(AtomId) -> Vec<Location>,
) -> Vec<TaxonomyError> {
    failures
        .into_iter()
        .flat_map(|(atom, msg)| {
            let label = if (atom as usize) < atoms.len() {
                atoms.label(atom).to_string()
            } else {
                String::new()
            };
            users(atom).into_iter().map(move |location| TaxonomyError {
                location,
                message: format!(
                    "invalid regex {label}: {}",
                    msg.lines().last().unwrap_or(&msg).trim()
                ),
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The search that an engine read from the snapshot does for its first
    /// text finds the candidates the automaton finds, on every incident and
    /// on text with ASCII case and the lookalike characters.
    #[test]
    fn searching_for_each_literal_finds_what_the_automaton_finds() {
        let engine = crate::engine::Engine::embedded().unwrap();
        let regexes = &engine.matcher.regexes;
        let data = include_str!("../../tests/data/aiid/incidents.jsonl");
        let mut texts: Vec<String> = data.lines().map(String::from).collect();
        texts.push("UNAUTHORISED Access, \u{212A}elvin and \u{017F}ign".to_string());
        let (mut by_automaton, mut by_search) = (Vec::new(), Vec::new());
        for text in &texts {
            let norm = crate::text::NormText::new(text);
            regexes.candidates(&norm.text, &mut by_automaton);
            regexes.candidates_by_search(&norm.text, &mut by_search);
            assert_eq!(by_automaton, by_search, "{text}");
            regexes.candidates(text, &mut by_automaton);
            regexes.candidates_by_search(text, &mut by_search);
            assert_eq!(by_automaton, by_search, "{text}");
        }
    }

    fn lits(pattern: &str) -> Vec<Vec<&'static str>> {
        let hir = regex_syntax::ParserBuilder::new()
            .build()
            .parse(pattern)
            .unwrap();
        required_literals(&hir)
            .into_iter()
            .map(|clause| {
                clause
                    .into_iter()
                    .map(|s| &*String::from_utf8(s).unwrap().leak())
                    .collect()
            })
            .collect()
    }

    #[test]
    fn every_required_part_is_a_clause_best_first() {
        assert_eq!(
            lits(r"\bunauthori[sz]ed (\$?[0-9][0-9.,]* )?(purchase|payment)s?\b"),
            vec![
                vec!["unauthorised ", "unauthorized "],
                vec!["payment", "purchase"]
            ]
        );
        // "woman" holds "man", so "man" alone does.
        assert_eq!(
            lits(r"\b\d+[- ]year[- ]old (?:[\w.]+ ){0,2}(?:woman|man)\b"),
            vec![
                vec![" year old ", " year-old ", "-year old ", "-year-old "],
                vec!["man"]
            ]
        );
        assert_eq!(lits(r"Out Of Control"), vec![vec!["out of control"]]);
        assert_eq!(lits(r"(?:ab|cd\d+)x"), vec![vec!["ab", "cd"], vec!["x"]]);
    }

    #[test]
    fn no_literals_when_a_match_can_avoid_them() {
        assert_eq!(lits(r"\d+ ?%"), vec![vec!["%"]]);
        assert!(lits(r"\d+").is_empty());
        assert!(lits(r"(?:views)?\d").is_empty());
        assert!(lits(r"a|\d").is_empty());
        assert!(lits(r"a*").is_empty());
        // Non-ASCII literals cannot be matched ignoring ASCII case alone.
        assert!(lits(r"caf\u{e9}").is_empty());
    }

    /// The automaton folds ASCII case only, which is exact for the regexes'
    /// Unicode case folding except for the characters it also looks for.
    #[test]
    fn only_the_lookalikes_fold_to_ascii_letters() {
        let hir = regex_syntax::ParserBuilder::new()
            .case_insensitive(true)
            .build()
            .parse("[a-z]")
            .unwrap();
        let HirKind::Class(Class::Unicode(class)) = hir.kind() else {
            panic!("a class: {hir:?}");
        };
        let folding: Vec<char> = class
            .ranges()
            .iter()
            .flat_map(|r| r.start()..=r.end())
            .filter(|c| !c.is_ascii())
            .collect();
        let mut folding = folding;
        folding.sort_unstable();
        let mut lookalikes: Vec<char> = ASCII_LOOKALIKES.iter().flat_map(|s| s.chars()).collect();
        lookalikes.sort_unstable();
        assert_eq!(folding, lookalikes);
    }

    #[test]
    fn candidates_include_every_regex_that_matches() {
        let patterns = [
            r"\bunauthori[sz]ed (purchase|payment)s?\b",
            r"\d{3,}",
            r"out of (the )?[a-z' ]{1,20}control",
        ];
        let r = RuleRegexes::new(
            patterns
                .iter()
                .enumerate()
                .map(|(i, p)| (i as AtomId, p.to_string()))
                .collect(),
        )
        .unwrap();
        let mut out = Vec::new();
        // The second has no literals, so it is always a candidate.
        r.candidates("it made unauthorized purchases", &mut out);
        assert_eq!(out, vec![0, 1]);
        r.candidates("the drone spun OUT OF control", &mut out);
        assert_eq!(out, vec![1, 2]);
        // Every clause must hold: "control" is missing.
        r.candidates("out of reach", &mut out);
        assert_eq!(out, vec![1]);
        // KELVIN SIGN folds to k, so the automaton cannot rule anything out.
        r.candidates("a \u{212A}", &mut out);
        assert_eq!(out, vec![0, 1, 2]);
        let (_, found) = r.find(2, "spun Out of  CONTROL");
        assert_eq!(found.count(), 1);
    }
}
