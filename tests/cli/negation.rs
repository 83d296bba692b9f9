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
    let reason = hedged.reasons_of(&hedged.tags[0]).next().unwrap();
    assert_eq!(reason.hedged_by.as_ref().unwrap().text, "allegedly");
    assert!(reason.effective_weight < reason.weight);
    assert_eq!(hedged.tags[0].tag, plain.tags[0].tag);
    let tag = &plain.tags[0].tag;
    assert!(hedged.confidence(tag) < plain.confidence(tag));
}

/// A second tag whose rules mean a missing safeguard: their negation words
/// are the meaning (`negation: ignore`), as in the built-in governance rules.
fn engine_with_oversight() -> Engine {
    let rules = r#"
tags:
  - id: security
    name: Security
    definition: attacks on AI systems
  - id: governance
    name: Governance
    definition: how AI is developed and deployed
rules:
  - id: security.theft
    tag: security
    weight: 0.9
    because: weights were stolen or leaked
    when: { phrase: [steal, leak] }
  - id: governance.deployed-without
    tag: governance
    weight: 0.9
    because: deployed without what it needed
    negation: ignore
    when:
      near:
        a: { phrase: [deploy, release] }
        b: { phrase: [=without] }
        within: 6
  - id: governance.no-permission
    tag: governance
    weight: 0.9
    because: acted without permission
    negation: ignore
    when: { phrase: without permission }
"#;
    let context = std::fs::read_to_string("taxonomy/context.yaml").unwrap();
    let sources = vec![
        Source {
            name: "rules.yaml".into(),
            text: rules.into(),
        },
        Source {
            name: "taxonomy/context.yaml".into(),
            text: context.into(),
        },
    ];
    Engine::new(Taxonomy::from_sources(sources, "test").unwrap()).unwrap()
}

#[test]
fn news_idioms_with_a_negation_word_negate_nothing() {
    let e = engine_with_oversight();
    for text in [
        "The company had no idea that hackers stole the model weights.",
        "Without warning, hackers stole the model weights.",
        "It was not a drill: hackers stole the model weights.",
        "This was not a drill, hackers stole the model weights.",
    ] {
        assert!(e.classify(text).has("security"), "{text}");
    }
    // The same words still negate where they mean it.
    assert!(
        !e.classify("There was no sign that hackers stole the model weights.")
            .has("security")
    );
    assert!(!e.classify("It was not stolen.").has("security"));
}

#[test]
fn a_colon_ends_a_negation() {
    let e = engine();
    assert!(tagged(
        &e,
        "Nothing was lost, not a file: then the model was hacked."
    ));
    assert!(!tagged(&e, "The model was not hacked: it was an outage."));
}

#[test]
fn denied_reports_and_claims_negate_what_they_deny() {
    let e = engine_with_oversight();
    for text in [
        "The company denied reports that its chatbot had leaked customer data.",
        "The firm denies claims that its assistant leaked medical records.",
        "The lab denied allegations that staff stole the model weights.",
    ] {
        assert!(!e.classify(text).has("security"), "{text}");
    }
    assert!(
        e.classify("Reports said its chatbot had leaked customer data.")
            .has("security")
    );
}

#[test]
fn an_uneventful_deployment_is_no_missing_safeguard() {
    let e = engine_with_oversight();
    for text in [
        "The hospital deployed the triage model without any problems.",
        "The city deployed the new routing system without incident.",
        "The update was released without a hitch.",
    ] {
        assert!(!e.classify(text).has("governance"), "{text}");
    }
    assert!(
        e.classify("The hospital deployed the triage model without testing it.")
            .has("governance")
    );
}

#[test]
fn what_an_instruction_forbids_is_not_evidence() {
    let e = engine_with_oversight();
    assert!(
        !e.classify("The coding agent was told not to make changes without permission.")
            .has("governance")
    );
    assert!(
        !e.classify(
            "The assistant was instructed never to act without permission, and it complied."
        )
        .has("governance")
    );
    // The instruction ends at a terminator; what the agent then did counts.
    assert!(
        e.classify("The agent was told not to wait, but it acted without permission.")
            .has("governance")
    );
    assert!(
        e.classify("The agent deleted the files without permission.")
            .has("governance")
    );
}

/// The same cases on the built-in taxonomy, as a new user would type them.
#[test]
fn the_built_in_taxonomy_reads_these_news_idioms() {
    let e = Engine::embedded().unwrap();
    for text in [
        "The company had no idea that hackers stole the model weights.",
        "Without warning, hackers stole the model weights.",
        "It was not a drill: hackers stole the model weights.",
    ] {
        assert!(e.classify(text).has("security"), "{text}");
    }
    assert!(
        !e.classify("The company denied reports that its chatbot had leaked customer data.")
            .has("security")
    );
    assert!(
        !e.classify("The hospital deployed the triage model without any problems.")
            .has("governance")
    );
    assert!(
        !e.classify("The coding agent was told not to make changes without permission.")
            .has("governance")
    );
}
