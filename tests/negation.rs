//! NegEx/ConText behaviour of the default context triggers, on a one-rule
//! taxonomy so that only negation decides the outcome.

use aitag::taxonomy::Source;
use aitag::{ClassifyOptions, Engine, Taxonomy};

fn engine() -> Engine {
    let rule = r#"
tags:
  - id: security
    name: Security
    definition: attacks on AI systems
rules:
  - id: security.hacked
    tag: security
    weight: 0.9
    because: the system was hacked
    when: { phrase: hack }
"#;
    let context = std::fs::read_to_string("taxonomy/context.yaml").unwrap();
    let sources = vec![
        Source {
            name: "rule.yaml".into(),
            text: rule.into(),
        },
        Source {
            name: "taxonomy/context.yaml".into(),
            text: context.into(),
        },
    ];
    Engine::new(Taxonomy::from_sources(sources, "test").unwrap()).unwrap()
}

fn tagged(e: &Engine, text: &str) -> bool {
    e.classify(text).has("security")
}

#[test]
fn pre_triggers_negate_to_the_end_of_the_sentence() {
    let e = engine();
    assert!(!tagged(
        &e,
        "Investigators found no evidence that the chatbot had been hacked."
    ));
    assert!(!tagged(&e, "The model was not hacked."));
    assert!(!tagged(
        &e,
        "The company denied that attackers hacked the assistant."
    ));
    assert!(tagged(&e, "The model was hacked."));
}

#[test]
fn negation_stops_at_the_sentence_end_and_at_terminators() {
    let e = engine();
    assert!(tagged(
        &e,
        "The lab said nothing was wrong. Then the model was hacked."
    ));
    assert!(tagged(&e, "There was no outage, but the model was hacked."));
    assert!(tagged(
        &e,
        "Nobody noticed at first; the review found no flaw however attackers hacked it."
    ));
}

#[test]
fn post_triggers_look_back_a_few_words() {
    let e = engine();
    assert!(!tagged(&e, "A hack of the assistant was ruled out."));
    assert!(tagged(
        &e,
        "A hack of the assistant by a group of students from the university it served was ruled out."
    ));
}

#[test]
fn pseudo_triggers_do_not_negate() {
    let e = engine();
    assert!(tagged(
        &e,
        "Not only was the model hacked, its weights were sold."
    ));
    assert!(tagged(&e, "There is no doubt the model was hacked."));
}

#[test]
fn explain_names_the_trigger() {
    let e = engine();
    let c = e.classify_with(
        "No evidence suggests the model was hacked.",
        &ClassifyOptions {
            explain: true,
            ..Default::default()
        },
    );
    assert!(c.tags.is_empty());
    let blocked = &c.negated[0];
    assert_eq!(blocked.rule, "security.hacked");
    assert_eq!(blocked.negated[0].evidence.text, "hacked");
    assert_eq!(blocked.negated[0].trigger.text, "No evidence");
}

#[test]
fn hedges_lower_the_weight_without_cancelling() {
    let e = engine();
    let plain = e.classify("The model was hacked.");
    let hedged = e.classify("The model was allegedly hacked.");
    let reason = &hedged.tags[0].reasons[0];
    assert_eq!(reason.hedged_by.as_ref().unwrap().text, "allegedly");
    assert!(reason.effective_weight < reason.weight);
    assert!(hedged.tags[0].confidence < plain.tags[0].confidence);
}
