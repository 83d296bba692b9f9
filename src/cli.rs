//! Command-line arguments (clap derive). Kept apart from main.rs so that the
//! definitions can also generate completions and the man page.

use aitag::input::{Format, InputOptions};
use aitag::output::batch::BatchFormat;
use clap::builder::PossibleValuesParser;
use clap::{ArgMatches, Args, CommandFactory, FromArgMatches, Parser, Subcommand, ValueEnum};
use clap_complete::Shell;
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
                  Only English text is understood: the rules are English phrases, and a text in another \
                  language gets no tag (aitag warns when almost no word of a text is English).\n\n\
                  Exit codes: 0 = tagged (or batch finished clean), 1 = nothing tagged, 2 = error.",
    disable_help_subcommand = true
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

    /// Add the rules (and lexicons, tags, overlaps) of this YAML file or directory to the
    /// taxonomy; repeat to add several
    #[arg(long = "rules", global = true, value_name = "PATH")]
    pub rules: Vec<PathBuf>,

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
    /// Print the man page in roff (e.g. `aitag man | man -l -`), or write every page with --dir
    Man(ManArgs),
    /// Print the help of aitag or of one of its subcommands
    Help(HelpArgs),
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

    /// An id labeled in several --gold files takes the first file's label [default: an error]
    #[arg(long)]
    pub first_label_wins: bool,

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

    /// Read the text from this file (`-` for stdin); repeat to join several with a blank line
    #[arg(long = "file", short = 'f', value_name = "PATH", value_hint = clap::ValueHint::FilePath)]
    pub files: Vec<String>,

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

    /// With --patterns: print TSV lines `pattern<TAB>sources`, the rules and lexicons each
    /// pattern comes from, joined with `,`
    #[arg(long, requires = "patterns")]
    pub with_source: bool,

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

    /// Worker threads; 0 means all cores [default: all cores]
    #[arg(short = 'j', long = "jobs", value_name = "N")]
    pub jobs: Option<usize>,

    /// Copy this input field or column into each output record (repeat for several)
    #[arg(long = "keep", value_name = "FIELD")]
    pub keep: Vec<String>,

    /// Print no progress bar and no per-record error messages on stderr (the error records
    /// stay in the output)
    #[arg(short = 'q', long)]
    pub quiet: bool,

    /// Print no progress bar
    #[arg(long)]
    pub no_progress: bool,

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
    #[arg(value_name = "COMMAND", conflicts_with = "dir")]
    pub command: Option<String>,

    /// Write aitag.1 and one aitag-COMMAND.1 per subcommand into this directory
    #[arg(long, value_name = "DIR", value_hint = clap::ValueHint::DirPath)]
    pub dir: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct HelpArgs {
    /// The subcommand whose help to print
    #[arg(value_name = "COMMAND")]
    pub command: Option<String>,
}

/// The global options a subcommand does not use, so that they are not listed
/// in its help and man page where they would do nothing: the ones that
/// describe the command line need no taxonomy, colour or model, and the ones
/// that read the taxonomy without classifying (or, as `fit`, build an engine
/// of their own) need no model.
const UNUSED_GLOBALS: [(&str, &[&str]); 7] = [
    ("completions", &ALL_GLOBALS),
    ("man", &ALL_GLOBALS),
    ("help", &ALL_GLOBALS),
    ("taxonomy", &MODEL_GLOBALS),
    ("test", &MODEL_GLOBALS),
    ("lint", &MODEL_GLOBALS),
    ("fit", &MODEL_GLOBALS),
];
const ALL_GLOBALS: [&str; 5] = ["taxonomy", "rules", "color", "model", "no_model"];
const MODEL_GLOBALS: [&str; 2] = ["model", "no_model"];

/// The command-line definition as parsed and documented: the derived one
/// with the global options hidden under the subcommands they do not affect.
pub fn command() -> clap::Command {
    let mut command = Cli::command();
    // clap gives a subcommand a global option only when it has no option of
    // that id yet, so a hidden one of its own keeps it out of help and man.
    // It is still accepted there, as before. mut_subcommand moves the
    // subcommand to the end, so every one is visited in its order to keep
    // the order of help and completions.
    let names: Vec<String> = command
        .get_subcommands()
        .map(|s| s.get_name().to_string())
        .collect();
    for name in names {
        let ids: &[&str] = UNUSED_GLOBALS
            .iter()
            .find(|(n, _)| *n == name)
            .map_or(&[], |(_, ids)| ids);
        let hidden: Vec<clap::Arg> = command
            .get_arguments()
            .filter(|a| ids.contains(&a.get_id().as_str()))
            .map(|a| a.clone().global(false).hide(true))
            .collect();
        command = command.mut_subcommand(name, |sub| sub.args(hidden));
    }
    command.build();
    command
}

pub fn parse() -> Cli {
    let matches: ArgMatches = command().get_matches();
    Cli::from_arg_matches(&matches).unwrap_or_else(|e| e.exit())
}

/// The command for shell completions: as [`command`], with the tag ids as the
/// values of `--only` and `--tags` and the subcommand names as those of
/// `man` and `help`, so that a shell offers them instead of file names.
pub fn completion_command(tag_ids: &[String]) -> clap::Command {
    let command = command();
    let subcommands: Vec<String> = command
        .get_subcommands()
        .map(|s| s.get_name().to_string())
        .collect();
    let tags = PossibleValuesParser::new(tag_ids.to_vec());
    let names = PossibleValuesParser::new(subcommands);
    command
        .mut_subcommand("batch", |s| {
            s.mut_arg("only", |a| a.value_parser(tags.clone()))
        })
        .mut_subcommand("eval", |s| {
            s.mut_arg("tags", |a| a.value_parser(tags.clone()))
        })
        .mut_subcommand("man", |s| {
            s.mut_arg("command", |a| a.value_parser(names.clone()))
        })
        .mut_subcommand("help", |s| {
            s.mut_arg("command", |a| a.value_parser(names.clone()))
        })
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
    /// A JSON array of objects (pandas, jq), pretty or compact
    Json,
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
            InputFormat::Json => Format::Json,
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
    /// Input format [default: from the extension (.jsonl, .ndjson, .json, .csv, .tsv), else from the first lines]
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
            keep: Vec::new(),
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
