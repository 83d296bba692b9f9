//! Command-line arguments (clap derive). Kept apart from main.rs so that the
//! definitions can also generate completions and the man page.

use aitag::input::{Format, InputOptions};
use aitag::output::batch::BatchFormat;
use clap::{Args, Parser, Subcommand, ValueEnum};
use clap_complete::Shell;
use std::num::NonZeroUsize;
use std::path::PathBuf;

#[derive(Debug, Parser)]
#[command(
    name = "aitag",
    version,
    about = "Tag AI incident descriptions with the AI-safety subfields that address them",
    long_about = "Tags free-text descriptions of AI failure incidents with the AI-safety subfields that \
                  address them (alignment, outer-alignment, inner-alignment, moral-philosophy, competence, \
                  governance, resilience, security), after Adam Jones, \"What is AI alignment?\" (2024). \
                  Every tag comes with the rules that fired and the words of the text they fired on.\n\n\
                  Exit codes: 0 = tagged (or batch finished clean), 1 = nothing tagged, 2 = error."
)]
pub struct Cli {
    #[command(flatten)]
    pub global: GlobalArgs,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Args)]
pub struct GlobalArgs {
    /// Use this taxonomy (a YAML file or a directory of them) instead of the built-in one
    #[arg(long, global = true, value_name = "PATH", env = "AITAG_TAXONOMY")]
    pub taxonomy: Option<PathBuf>,

    /// Use this learned model (written by `aitag fit`) instead of the built-in one
    #[arg(
        long,
        global = true,
        value_name = "PATH",
        env = "AITAG_MODEL",
        conflicts_with = "no_model"
    )]
    pub model: Option<PathBuf>,

    /// Rules only: no learned model (exactly the rule-only output)
    #[arg(long, global = true)]
    pub no_model: bool,

    /// When to use colour: auto (only on a terminal, never with NO_COLOR set), always, never
    #[arg(long, global = true, value_enum, default_value_t = ColorChoice::Auto, value_name = "WHEN")]
    pub color: ColorChoice,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorChoice {
    Auto,
    Always,
    Never,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Tag one incident description (from the arguments, or stdin when none is given or it is `-`)
    Classify(ClassifyArgs),
    /// Print the tag tree with definitions, or the patterns the engine matches
    Taxonomy(TaxonomyArgs),
    /// Run every rule's examples, each tag's examples and the silence corpus, and the rule lint; list failures
    Test(TestArgs),
    /// Report what makes the rules harder to keep: redundant or repeated words, non-string YAML scalars, long inline lists, unused lexicons, rules with few silent examples
    Lint(LintArgs),
    /// Tag every record of files or stdin (text lines or paragraphs, JSONL, CSV, TSV), in order, on all cores
    #[command(
        long_about = "Tags every record of the files (or stdin, when none is given or a file is `-`) \
                            and writes one output record per input record, in input order. Input is \
                            streamed, so files of any size are read in bounded memory.\n\n\
                            A record that cannot be used (invalid JSON or UTF-8, missing or empty text, a \
                            CSV row with the wrong number of columns) becomes an error record in the \
                            output and a message on stderr, and the run goes on.\n\n\
                            Exit codes: 0 = finished clean (whether or not anything was tagged), 2 = an \
                            error record, an unreadable file, or a usage error. A closed output pipe \
                            (`| head`) ends the run quietly with 0."
    )]
    Batch(BatchArgs),
    /// Print a shell completion script (e.g. `aitag completions bash > /etc/bash_completion.d/aitag`)
    Completions(CompletionsArgs),
    /// Print the man page in roff (e.g. `aitag man | man -l -`)
    Man(ManArgs),
    /// Measure the rules against gold labels: per-tag precision, recall and F1, averages,
    /// confusions, the worst records and per-rule precision
    Eval(EvalArgs),
    /// Fit a learned model from gold labels, print its cross-validated figures and write it
    Fit(FitArgs),
}

#[derive(Debug, Args)]
pub struct FitArgs {
    /// Gold labels (as for eval); repeat for several files
    #[arg(long, value_name = "FILE", required = true)]
    pub gold: Vec<PathBuf>,

    /// Files holding the labeled records' texts (`-` for stdin)
    #[arg(value_name = "DATA", required = true)]
    pub data: Vec<String>,

    /// Write the model here [default: stdout, with the figures on stderr]
    #[arg(long = "out", short = 'o', value_name = "MODEL")]
    pub out: Option<PathBuf>,

    /// Also train on this field (e.g. `title`) of each labeled record alone, as a headline
    #[arg(long, value_name = "FIELD")]
    pub also_field: Option<String>,

    /// Folds of the cross-validation
    #[arg(long, default_value_t = 5, value_name = "K")]
    pub folds: usize,

    /// Keep only features found in at least this many labeled records
    #[arg(long, default_value_t = 3, value_name = "N")]
    pub min_df: usize,

    /// L2 regularisation strength (features are tf-idf vectors of unit length)
    #[arg(long, default_value_t = 0.03, value_name = "X")]
    pub l2: f64,

    /// Precision each tag's threshold must keep in cross-validation
    #[arg(long, default_value_t = 0.75, value_name = "X", value_parser = parse_confidence)]
    pub min_precision: f64,

    // Last: its help heading ("Input") would otherwise also cover the options after it.
    #[command(flatten)]
    pub input: InputArgs,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ClassifyFormat {
    Human,
    Json,
}

#[derive(Debug, Args)]
pub struct ClassifyArgs {
    /// The incident text; several arguments are joined with spaces. `-` or nothing reads stdin
    #[arg(value_name = "TEXT")]
    pub text: Vec<String>,

    /// Output format
    #[arg(long, short = 'o', value_enum, default_value_t = ClassifyFormat::Human)]
    pub output: ClassifyFormat,

    /// Also show evidence that was negated, and the words that negated it
    #[arg(long)]
    pub explain: bool,

    /// Emit tags whose confidence is at least this (overrides the taxonomy's thresholds)
    #[arg(long, value_name = "X", value_parser = parse_confidence)]
    pub min_confidence: Option<f64>,
}

#[derive(Debug, Args)]
pub struct TaxonomyArgs {
    /// Print every phrase form and regex the engine matches, one ripgrep-compatible regex per line
    #[arg(long)]
    pub patterns: bool,

    /// Output format for the tag tree
    #[arg(long, short = 'o', value_enum, default_value_t = ClassifyFormat::Human)]
    pub output: ClassifyFormat,
}

#[derive(Debug, Args)]
pub struct TestArgs {
    /// Output format
    #[arg(long, short = 'o', value_enum, default_value_t = ClassifyFormat::Human)]
    pub output: ClassifyFormat,

    /// Check the examples and the silence corpus only, not the rule lint
    #[arg(long)]
    pub no_lint: bool,
}

#[derive(Debug, Args)]
pub struct LintArgs {
    /// Output format (json: every finding with file, line, check, subject and message)
    #[arg(long, short = 'o', value_enum, default_value_t = ClassifyFormat::Human)]
    pub output: ClassifyFormat,
}

/// Output formats of `aitag batch`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum BatchOutput {
    /// One JSON object per line (default when stdout is not a terminal)
    Jsonl,
    /// One JSON array of the same objects
    Json,
    /// Comma-separated values with a header
    Csv,
    /// Tab-separated values with a header
    Tsv,
    /// One line per record with coloured tags (default on a terminal)
    Human,
}

impl From<BatchOutput> for BatchFormat {
    fn from(f: BatchOutput) -> BatchFormat {
        match f {
            BatchOutput::Jsonl => BatchFormat::Jsonl,
            BatchOutput::Json => BatchFormat::Json,
            BatchOutput::Csv => BatchFormat::Csv,
            BatchOutput::Tsv => BatchFormat::Tsv,
            BatchOutput::Human => BatchFormat::Human,
        }
    }
}

#[derive(Debug, Args)]
pub struct BatchArgs {
    /// Files to tag; `-` or none reads stdin
    #[arg(value_name = "FILE")]
    pub files: Vec<String>,

    /// Output format [default: human on a terminal, else jsonl]
    #[arg(long, short = 'o', value_enum, value_name = "FORMAT")]
    pub output: Option<BatchOutput>,

    /// Put reasons and evidence into the output (and negated evidence into JSON)
    #[arg(long)]
    pub explain: bool,

    /// Write only records that carry this tag (repeat for any of several); error records are always written
    #[arg(long, value_name = "TAG")]
    pub only: Vec<String>,

    /// Emit tags whose confidence is at least this (overrides the taxonomy's thresholds)
    #[arg(long, value_name = "X", value_parser = parse_confidence)]
    pub min_confidence: Option<f64>,

    /// At the end, print to stderr how many records carry each tag and which tags occur together
    #[arg(long)]
    pub summary: bool,

    /// Worker threads [default: all cores]
    #[arg(short = 'j', long = "jobs", value_name = "N")]
    pub jobs: Option<NonZeroUsize>,

    // Last: its help heading ("Input") would otherwise also cover the options after it.
    #[command(flatten)]
    pub input: InputArgs,
}

#[derive(Debug, Args)]
pub struct CompletionsArgs {
    /// The shell to write completions for
    #[arg(value_enum)]
    pub shell: Shell,
}

#[derive(Debug, Args)]
pub struct ManArgs {
    /// A subcommand whose page to print instead of the main one (e.g. `batch`)
    #[arg(value_name = "COMMAND")]
    pub command: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum EvalFormat {
    /// A report for reading at a terminal
    Human,
    /// The whole report as one JSON document (schema in docs/eval.md)
    Json,
    /// The per-tag table and averages as a Markdown table, for README files
    Markdown,
}

#[derive(Debug, Args)]
pub struct EvalArgs {
    /// Gold labels: one JSON object per line, {"id": <int or string>, "tags": [...]}
    #[arg(long, value_name = "FILE")]
    pub gold: PathBuf,

    /// Files holding the records to classify (`-` for stdin); only records whose id is in
    /// the gold file are classified
    #[arg(value_name = "DATA", required = true)]
    pub data: Vec<String>,

    /// Output format
    #[arg(long, short = 'o', value_enum, default_value_t = EvalFormat::Human)]
    pub output: EvalFormat,

    /// Tags of the headline macro average, comma-separated [default: every taxonomy tag]
    #[arg(long, value_name = "LIST", value_delimiter = ',')]
    pub tags: Vec<String>,

    /// Emit tags whose confidence is at least this (overrides the taxonomy's thresholds)
    #[arg(long, value_name = "X", value_parser = parse_confidence)]
    pub min_confidence: Option<f64>,

    /// How many of the worst records to list
    #[arg(long, value_name = "N", default_value_t = aitag::eval::DEFAULT_WORST)]
    pub worst: usize,

    // Last: its help heading ("Input") would otherwise also cover the options after it.
    #[command(flatten)]
    pub input: InputArgs,
}

/// Input format names as the command line spells them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum InputFormat {
    /// One incident per line (blank lines skipped)
    Lines,
    /// Incidents separated by blank lines
    Paragraphs,
    /// One JSON object per line
    Jsonl,
    /// Comma-separated values with a header row
    Csv,
    /// Tab-separated values with a header row
    Tsv,
}

impl From<InputFormat> for Format {
    fn from(f: InputFormat) -> Format {
        match f {
            InputFormat::Lines => Format::Lines,
            InputFormat::Paragraphs => Format::Paragraphs,
            InputFormat::Jsonl => Format::Jsonl,
            InputFormat::Csv => Format::Csv,
            InputFormat::Tsv => Format::Tsv,
        }
    }
}

/// How to read record files; shared by every command that reads them
/// (`#[command(flatten)]`), so that they all take the same options.
#[derive(Debug, Clone, Default, Args)]
#[command(next_help_heading = "Input")]
pub struct InputArgs {
    /// Input format [default: from the extension (.jsonl, .ndjson, .csv, .tsv), else from the first lines]
    #[arg(long = "input", short = 'i', value_enum, value_name = "FORMAT")]
    pub input: Option<InputFormat>,

    /// Field (JSONL) or column (CSV/TSV) holding the text; repeat to join several with ". "
    /// [default: `text`, else `title` and `description`]
    #[arg(long = "text-field", value_name = "NAME")]
    pub text_fields: Vec<String>,

    /// Field or column holding the record id [default: `id`; a record without one is named FILE:LINE]
    #[arg(long, value_name = "NAME")]
    pub id_field: Option<String>,
}

impl InputArgs {
    pub fn options(&self) -> InputOptions {
        InputOptions {
            format: self.input.map(Format::from),
            text_fields: self.text_fields.clone(),
            id_field: self.id_field.clone(),
        }
    }
}

pub fn parse_confidence(s: &str) -> Result<f64, String> {
    let x: f64 = s.parse().map_err(|_| format!("`{s}` is not a number"))?;
    if (0.0..=1.0).contains(&x) {
        Ok(x)
    } else {
        Err(format!("{x} is not between 0 and 1"))
    }
}
