//! `aitag test`: every rule's examples must behave as the rule file says, and
//! every tag's article examples must get that tag.

use crate::engine::Engine;
use serde::Serialize;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Expectation {
    /// The rule must fire on the text.
    Fires,
    /// The rule must not fire on the text.
    Silent,
    /// The tag must be emitted for the text (a tag's own examples).
    Tagged,
    /// The rule has no example of this kind, which every rule needs.
    Missing,
    /// A sentence of the silence corpus: no rule may fire on it.
    Silence,
}

#[derive(Debug, Clone, Serialize)]
pub struct ExampleResult {
    /// A rule id, or `tag:<id>` for a tag's examples.
    pub subject: String,
    pub location: String,
    pub expectation: Expectation,
    pub text: String,
    pub passed: bool,
    /// Rules that fired on the text, to show why a check failed.
    pub fired: Vec<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct ExampleReport {
    pub results: Vec<ExampleResult>,
    pub passed: usize,
    pub failed: usize,
}

/// `file:line` of a silence sentence: the first line that holds its text up
/// to the first character YAML may have escaped or folded.
fn silence_location(file: &str, text: &str, sentence: &str) -> String {
    let end = sentence
        .find(['\'', '"', '\\', '\n'])
        .unwrap_or(sentence.len())
        .min(
            sentence
                .char_indices()
                .nth(60)
                .map_or(sentence.len(), |(i, _)| i),
        );
    crate::taxonomy::locate_in(file, text, &sentence[..end], 0).to_string()
}

pub fn run(engine: &Engine) -> ExampleReport {
    let taxonomy = engine.taxonomy();
    let mut results = Vec::new();
    for rule in &taxonomy.rules {
        let def = &rule.def;
        let location = rule.location.to_string();
        for (list, expectation) in [
            (&def.examples.fires, Expectation::Fires),
            (&def.examples.silent, Expectation::Silent),
        ] {
            if list.is_empty() {
                results.push(ExampleResult {
                    subject: def.id.clone(),
                    location: location.clone(),
                    expectation: Expectation::Missing,
                    text: format!(
                        "no `{}` example",
                        if expectation == Expectation::Fires {
                            "fires"
                        } else {
                            "silent"
                        }
                    ),
                    passed: false,
                    fired: Vec::new(),
                });
            }
            for text in list {
                let fired: Vec<String> = engine
                    .fired_rules(text)
                    .into_iter()
                    .map(str::to_string)
                    .collect();
                let fires = fired.iter().any(|f| f == &def.id);
                results.push(ExampleResult {
                    subject: def.id.clone(),
                    location: location.clone(),
                    expectation,
                    text: text.clone(),
                    passed: fires == (expectation == Expectation::Fires),
                    fired,
                });
            }
        }
    }
    for tag in &taxonomy.tags {
        for text in &tag.examples {
            let c = engine.classify(text);
            results.push(ExampleResult {
                subject: format!("tag:{}", tag.id),
                location: taxonomy.origin.clone(),
                expectation: Expectation::Tagged,
                text: text.clone(),
                passed: c.has(&tag.id),
                fired: c.rule_ids().into_iter().map(str::to_string).collect(),
            });
        }
    }
    for sentence in taxonomy.silence.iter() {
        let fired: Vec<String> = engine
            .fired_rules(&sentence.text)
            .into_iter()
            .map(str::to_string)
            .collect();
        let source = &taxonomy.sources[sentence.source];
        results.push(ExampleResult {
            subject: fired.first().cloned().unwrap_or_else(|| "silence".into()),
            location: silence_location(&source.name, &source.text, &sentence.text),
            expectation: Expectation::Silence,
            text: sentence.text.clone(),
            passed: fired.is_empty(),
            fired,
        });
    }
    let passed = results.iter().filter(|r| r.passed).count();
    let failed = results.len() - passed;
    ExampleReport {
        results,
        passed,
        failed,
    }
}
