//! The article's own examples, written as incident descriptions in our words,
//! must get the article's tags from the default taxonomy.

use aitag::Engine;

fn engine() -> Engine {
    Engine::embedded().expect("the built-in taxonomy compiles")
}

/// Asserts that `text` gets every tag in `expected`.
fn assert_tags(engine: &Engine, text: &str, expected: &[&str]) {
    let c = engine.classify(text);
    let got: Vec<&str> = c.tag_ids().collect();
    for tag in expected {
        assert!(
            got.contains(tag),
            "expected `{tag}` for:\n  {text}\ngot {got:?}"
        );
    }
}

#[test]
fn alignment_examples() {
    let e = engine();
    for text in [
        "Users found that the image generator exaggerated racial and gender stereotypes: every CEO it drew was a white man.",
        "Asked for portraits of 18th-century European kings, the image model returned unrealistically diverse, historically inaccurate pictures.",
        "A dermatology classifier turned out to look for rulers in the photos, since malignant lesions in its training set were usually photographed next to one.",
        "The support chatbot told customers what they wanted to hear rather than the truth about their warranty.",
    ] {
        assert_tags(&e, text, &["alignment"]);
    }
}

#[test]
fn competence_examples() {
    let e = engine();
    for text in [
        "A hospital's medical AI system gave dangerous treatment recommendations for cancer patients.",
        "The property website's house-price estimating algorithm overvalued homes and the company took large financial losses on the houses it bought.",
    ] {
        assert_tags(&e, text, &["competence"]);
    }
}

#[test]
fn governance_examples() {
    let e = engine();
    for text in [
        "The lab recklessly trained and released a model able to design dangerous pathogens.",
        "The startup deployed its voice-cloning service without safeguards against serious misuse.",
    ] {
        assert_tags(&e, text, &["governance"]);
    }
}

#[test]
fn resilience_example() {
    assert_tags(
        &engine(),
        "Criminals used AI models to launch a wave of cyberattacks on hospitals, which had to keep operating during the incident and recover from the attacks.",
        &["resilience"],
    );
}

#[test]
fn security_examples() {
    let e = engine();
    for text in [
        "The weights of a large language model were leaked online by an employee.",
        "A chatbot with internet access was tricked into sending users' private information to an attacker.",
        "Researchers put adversarial patches on traffic signs so that the car's vision model misclassified a stop sign as a speed limit sign.",
    ] {
        assert_tags(&e, text, &["security"]);
    }
}

#[test]
fn outer_alignment_examples_imply_alignment() {
    let e = engine();
    for text in [
        "A language model trained on human ratings of its answers produced confident, plausible-sounding answers backed by made-up citations.",
        "The social media platform's feed, optimised to maximise engagement, promoted clickbait, misinformation and extremist content.",
    ] {
        assert_tags(&e, text, &["outer-alignment", "alignment"]);
        let c = e.classify(text);
        let alignment = c.tags.iter().find(|t| t.tag == "alignment").unwrap();
        assert_eq!(
            alignment.kind.as_deref(),
            Some("outer-alignment"),
            "kind for: {text}"
        );
        assert!(
            alignment
                .kind_note
                .as_deref()
                .unwrap_or("")
                .contains("score highly")
        );
    }
}

#[test]
fn inner_alignment_examples_imply_alignment() {
    let e = engine();
    for text in [
        "An agent was rewarded for solving mazes. In training every maze had its exit in the bottom-right corner, so the agent learned to always go to the bottom right and got stuck when deployed on mazes with exits elsewhere.",
        "A self-driving car trained never to go through red lights refused to move out of the way at a red light while a truck whose brakes had failed bore down on it, and the vehicles collided.",
    ] {
        assert_tags(&e, text, &["inner-alignment", "alignment"]);
        let c = e.classify(text);
        let alignment = c.tags.iter().find(|t| t.tag == "alignment").unwrap();
        assert_eq!(
            alignment.kind.as_deref(),
            Some("inner-alignment"),
            "kind for: {text}"
        );
    }
}

#[test]
fn prompt_injection_is_security_alignment_and_governance() {
    let e = engine();
    let text = "An attacker hid a prompt injection in a web page, and the browsing assistant followed it and emailed the user's files to the attacker.";
    assert_tags(&e, text, &["security", "alignment", "governance"]);
    let c = e.classify(text);
    assert!(
        c.overlaps.iter().any(|o| o.id == "prompt-injection"),
        "overlap note: {:?}",
        c.overlaps
    );
}

#[test]
fn text_about_no_ai_failure_gets_no_tag() {
    let e = engine();
    for text in [
        "The city council approved the new budget for road repairs on Tuesday.",
        "Our bakery opens at seven and sells bread, cakes and coffee.",
        "The model train exhibition attracted thousands of visitors.",
    ] {
        let c = e.classify(text);
        assert!(
            c.tags.is_empty(),
            "no tag expected for {text:?}, got {:?}",
            c.tag_ids().collect::<Vec<_>>()
        );
    }
}

#[test]
fn negated_evidence_does_not_tag() {
    let e = engine();
    // The issue's own sentence, and a pair whose un-negated half does tag.
    for text in [
        "There was no evidence the model was hacked.",
        "There was no evidence that the chatbot was hacked.",
        "Investigators ruled out that hackers had hijacked the chatbot.",
    ] {
        let c = e.classify(text);
        assert!(
            !c.has("security"),
            "{text}: {:?}",
            c.tag_ids().collect::<Vec<_>>()
        );
    }
    let plain = e.classify("There was evidence that the chatbot was hacked.");
    assert!(
        plain.has("security"),
        "the same evidence without negation must tag"
    );
}

#[test]
fn hedged_evidence_is_weaker_but_not_cancelled() {
    let e = engine();
    let plain = e.classify("Large model weights were leaked online.");
    let hedged = e.classify("Large model weights may have leaked online.");
    let conf = |c: &aitag::Classification| c.has("security").then(|| c.confidence("security"));
    let (p, h) = (conf(&plain).unwrap(), conf(&hedged).unwrap_or(0.0));
    assert!(
        h > 0.0 && h < p,
        "hedged {h} should be below plain {p} but above zero"
    );
}
