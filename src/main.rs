//! The `aitag` binary: parses arguments, calls the library, renders errors
//! once and maps results to exit codes in one place ([`exit::status`]: 0
//! done, 1 nothing tagged or checks failed, 2 error), like grep and ripgrep.

mod batch_command;
mod cli;
mod exit;
mod man;

use aitag::eval::{EvalSetup, Evaluation, Gold, Layers};
use aitag::input;
use aitag::model::{self, Mode};
use aitag::output::{eval_report, human};
use aitag::{ClassifyOptions, Engine, Error, Taxonomy};
use cli::{ClassifyFormat, Cli, ColorChoice, Command, EvalArgs, EvalFormat, FitArgs};
use exit::{AppError, FAILURE, Outcome};
use std::io::{self, IsTerminal, Write};
use std::process::ExitCode;

fn main() -> ExitCode {
    let cli = cli::parse();
    if stdout_was_closed() {
        // Writing into the runtime's /dev/null would lose every record and exit 0.
        let _ = writeln!(
            io::stderr(),
            "aitag: stdout is closed: nothing can be written"
        );
        return ExitCode::from(FAILURE);
    }
    set_colour(cli.global.color);
    set_width();
    let result = run(cli);
    if let Err(e) = &result
        && !e.is_closed_pipe()
    {
        // Nothing more can be said when stderr fails too (a full disk).
        let _ = writeln!(io::stderr(), "aitag: {e}");
    }
    ExitCode::from(exit::status(&result))
}

/// Whether the process was started with stdout closed (`>&-`). The Rust
/// runtime then opens /dev/null read-write on it, where a shell's
/// `>/dev/null` opens it write-only, so that is what tells them apart.
#[cfg(unix)]
fn stdout_was_closed() -> bool {
    // SAFETY: fstat and fcntl only read the state of descriptor 1 into
    // memory we own.
    unsafe {
        let mut st: libc::stat = std::mem::zeroed();
        let mut null: libc::stat = std::mem::zeroed();
        if libc::fstat(1, &mut st) != 0 {
            return true;
        }
        let flags = libc::fcntl(1, libc::F_GETFL);
        flags >= 0
            && flags & libc::O_ACCMODE == libc::O_RDWR
            && (st.st_mode & libc::S_IFMT) == libc::S_IFCHR
            && libc::stat(c"/dev/null".as_ptr(), &mut null) == 0
            && st.st_rdev == null.st_rdev
    }
}

#[cfg(not(unix))]
fn stdout_was_closed() -> bool {
    false
}

fn set_colour(choice: ColorChoice) {
    let on = match choice {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => {
            std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty()) && io::stdout().is_terminal()
        }
    };
    colored::control::set_override(on);
}

/// Human output wraps to the terminal's width (capped); into a pipe or a
/// file it keeps the fixed width, so that output is the same everywhere.
fn set_width() {
    if let Some((terminal_size::Width(w), _)) = terminal_size::terminal_size_of(io::stdout()) {
        human::set_width(usize::from(w));
    }
}

fn load_taxonomy(cli: &cli::GlobalArgs) -> Result<Taxonomy, Error> {
    Taxonomy::with_added(cli.taxonomy.as_deref(), &cli.rules)
}

/// Which learned model the command line asks for.
fn model_choice(cli: &cli::GlobalArgs) -> model::Choice {
    match (&cli.model, cli.no_model) {
        (_, true) => model::Choice::Off,
        (Some(path), false) => model::Choice::Path(path.clone()),
        (None, false) => model::Choice::Default,
    }
}

/// The engine of the taxonomy the command line names, with the learned
/// model it asks for, if any. The built-in taxonomy's engine (and model)
/// come from the start-up snapshot instead of being compiled.
fn load_engine(cli: &cli::GlobalArgs) -> Result<Engine, Error> {
    if cli.taxonomy.is_none() && cli.rules.is_empty() {
        let engine = Engine::embedded()?;
        let model = model_choice(cli).load(engine.taxonomy())?;
        return Ok(engine.with_model(model));
    }
    let taxonomy = load_taxonomy(cli)?;
    let model = model_choice(cli).load(&taxonomy)?;
    Ok(Engine::new(taxonomy)?.with_model(model))
}

fn run(cli: Cli) -> Result<Outcome, AppError> {
    let stdout = io::stdout();
    let mut out = io::BufWriter::new(stdout.lock());
    // These describe the command line itself and need no taxonomy.
    match &cli.command {
        Command::Completions(args) => {
            write_completions(&mut out, args.shell)?;
            out.flush()?;
            return Ok(Outcome::Done);
        }
        Command::Man(args) => {
            match &args.dir {
                Some(dir) => man::write_all(dir)?,
                None => man::write_page(&mut out, args.command.as_deref())?,
            }
            out.flush()?;
            return Ok(Outcome::Done);
        }
        Command::Help(args) => {
            let mut command = cli::command();
            let page = match &args.command {
                None => &mut command,
                Some(name) => command
                    .find_subcommand_mut(name)
                    .ok_or_else(|| Error::Input(format!("no subcommand `{name}`")))?,
            };
            write!(out, "{}", page.render_long_help())?;
            out.flush()?;
            return Ok(Outcome::Done);
        }
        _ => {}
    }
    let outcome = match cli.command {
        Command::Batch(args) => batch_command::run(args, load_engine(&cli.global)?, &mut out)?,
        Command::Completions(_) | Command::Man(_) | Command::Help(_) => {
            unreachable!("handled above")
        }
        Command::Classify(args) => run_classify(args, load_engine(&cli.global)?, &mut out)?,
        Command::Taxonomy(args) => {
            let taxonomy = load_taxonomy(&cli.global)?;
            if args.patterns {
                let engine = Engine::new(taxonomy)?;
                if args.with_source {
                    // TSV: a pattern holds no tab, so `tail -n +2 | cut -f1`
                    // gives the plain list back.
                    writeln!(out, "pattern\tsources")?;
                    for (p, sources) in engine.patterns_with_sources() {
                        writeln!(out, "{p}\t{}", sources.join(","))?;
                    }
                } else {
                    for p in engine.patterns() {
                        writeln!(out, "{p}")?;
                    }
                }
                leave_to_exit(engine);
            } else {
                match args.output {
                    ClassifyFormat::Human => human::write_taxonomy(&mut out, &taxonomy)?,
                    ClassifyFormat::Json => {
                        write_json(&mut out, &aitag::taxonomy::summary(&taxonomy), true)?
                    }
                }
            }
            Outcome::Done
        }
        Command::Test(args) => {
            let taxonomy = load_taxonomy(&cli.global)?;
            let lint = (!args.no_lint).then(|| aitag::lint::lint(&taxonomy));
            let engine = Engine::new(taxonomy)?;
            let report = aitag::examples_check::run(&engine);
            match args.output {
                ClassifyFormat::Human => {
                    human::write_example_report(&mut out, &report)?;
                    if let Some(lint) = &lint {
                        human::write_lint_report(&mut out, lint)?;
                    }
                }
                ClassifyFormat::Json => {
                    let both = serde_json::json!({ "examples": report, "lint": lint });
                    write_json(&mut out, &both, false)?;
                }
            }
            leave_to_exit(engine);
            let clean = lint.as_ref().is_none_or(|l| l.findings.is_empty());
            if report.failed == 0 && clean {
                Outcome::Done
            } else {
                Outcome::ChecksFailed
            }
        }
        Command::Lint(args) => {
            let taxonomy = load_taxonomy(&cli.global)?;
            let lint = aitag::lint::lint(&taxonomy);
            match args.output {
                ClassifyFormat::Human => human::write_lint_report(&mut out, &lint)?,
                ClassifyFormat::Json => write_json(&mut out, &lint, true)?,
            }
            if lint.findings.is_empty() {
                Outcome::Done
            } else {
                Outcome::ChecksFailed
            }
        }
        Command::Eval(args) => run_eval(args, load_engine(&cli.global)?, &mut out)?,
        Command::Fit(args) => run_fit(args, load_taxonomy(&cli.global)?, &mut out)?,
    };
    out.flush()?;
    Ok(outcome)
}

/// Writes one JSON document and a newline. serde_json's errors are turned
/// back into the I/O error they wrap, so that a closed pipe stays a closed
/// pipe (quiet, exit 0) instead of an error of another kind.
fn write_json(out: &mut dyn Write, value: &impl serde::Serialize, pretty: bool) -> io::Result<()> {
    if pretty {
        serde_json::to_writer_pretty(&mut *out, value)?;
    } else {
        serde_json::to_writer(&mut *out, value)?;
    }
    writeln!(out)
}

/// clap_complete panics on a failed write, so the script is made in memory
/// and written like any other output.
fn write_completions(out: &mut dyn Write, shell: clap_complete::Shell) -> io::Result<()> {
    let mut command = cli::completion_command(&tag_ids());
    let mut script = Vec::new();
    clap_complete::generate(shell, &mut command, "aitag", &mut script);
    out.write_all(&script)
}

/// The built-in taxonomy's tag ids, for completions and help.
fn tag_ids() -> Vec<String> {
    Taxonomy::embedded()
        .map(|t| t.tags.iter().map(|t| t.id.clone()).collect())
        .unwrap_or_default()
}

/// Reads the text to classify: the `-f` files joined by a blank line, else
/// the arguments joined by spaces, else stdin.
fn classify_text(args: &cli::ClassifyArgs) -> Result<String, AppError> {
    let read_stdin = || -> Result<String, AppError> {
        if io::stdin().is_terminal() {
            eprintln!("aitag: reading the incident from stdin; Ctrl-D ends it");
        }
        Ok(input::read_text(io::stdin().lock())?)
    };
    if !args.files.is_empty() {
        if !args.text.is_empty() {
            return Err(
                Error::Input("give the text as arguments or with -f, not both".into()).into(),
            );
        }
        let mut parts = Vec::new();
        for f in &args.files {
            parts.push(if f == "-" {
                read_stdin()?
            } else {
                std::fs::read_to_string(f).map_err(|source| Error::Io {
                    path: f.into(),
                    source,
                })?
            });
        }
        return Ok(parts.join("\n\n"));
    }
    if args.text.is_empty() || args.text == ["-"] {
        return read_stdin();
    }
    if let [only] = args.text.as_slice() {
        if std::path::Path::new(only).is_file() {
            eprintln!(
                "aitag: `{only}` was read as the incident text itself; to classify what the file holds, \
                 use `aitag classify -f {only}`"
            );
        }
    }
    Ok(args.text.join(" "))
}

fn run_classify(
    args: cli::ClassifyArgs,
    engine: Engine,
    out: &mut dyn Write,
) -> Result<Outcome, AppError> {
    let text = classify_text(&args)?;
    if text.trim().is_empty() {
        return Err(Error::Input("empty text: there is nothing to classify".into()).into());
    }
    if aitag::text::looks_non_english(&text) {
        eprintln!(
            "aitag: warning: this text does not look like English; the rules only understand English"
        );
    }
    let options = ClassifyOptions {
        min_confidence: args.min_confidence,
        explain: args.explain,
        ..ClassifyOptions::default()
    };
    let c = engine.classify_with(&text, &options);
    match args.output {
        ClassifyFormat::Human => human::write_classification(out, &text, &c, args.explain)?,
        ClassifyFormat::Json => write_json(out, &c, false)?,
    }
    leave_to_exit(engine);
    Ok(if c.tags.is_empty() {
        Outcome::NothingTagged
    } else {
        Outcome::Done
    })
}

/// Classifies the data records that have gold labels and writes the report.
/// Bad records are reported here, once, and counted in the report; the
/// evaluation runs on (exit 0) unless the gold file, an option or a data file
/// as a whole is unusable (exit 2).
fn run_eval(args: EvalArgs, engine: Engine, out: &mut dyn Write) -> Result<Outcome, AppError> {
    let tag_ids: Vec<&str> = engine.taxonomy().tag_ids();
    let gold = Gold::from_path(&args.gold, &tag_ids)?;
    let mut setup = EvalSetup::from_taxonomy(engine.taxonomy()).with_worst(args.worst);
    if !args.tags.is_empty() {
        let tags: Vec<String> = args.tags.iter().map(|t| t.trim().to_string()).collect();
        setup = setup.with_headline(&tags)?;
    }
    let input_options = args.input.options();
    let options = ClassifyOptions {
        min_confidence: args.min_confidence,
        explain: false,
        ..ClassifyOptions::default()
    };
    // With a model, the same records are scored three ways; they are read
    // once (gold sets are small), and errors are reported once.
    let layers: &[Mode] = if engine.model().is_some() {
        &[Mode::RulesOnly, Mode::ModelOnly, Mode::Combined]
    } else {
        &[Mode::Combined]
    };
    let mut evaluations: Vec<Evaluation> = layers
        .iter()
        .map(|&model| Evaluation::new(&engine, &gold, ClassifyOptions { model, ..options }))
        .collect();
    aitag::eval::add_files(&mut evaluations, &args.data, &input_options, |notice| {
        let _ = writeln!(io::stderr(), "aitag: {notice}");
    })?;
    let mut reports: Vec<_> = evaluations.into_iter().map(|e| e.finish(&setup)).collect();
    let mut report = reports.pop().expect("one layer at least");
    if let [rules, model] = &reports[..] {
        report.layers = Some(Layers::new(rules, model, &report));
    }
    if report.coverage.evaluated == 0 && report.coverage.gold_records > 0 {
        // Nothing was measured, so no figure of the report means anything:
        // usually the ids do not match (another --id-field is needed).
        return Err(Error::Input(format!(
            "0 of {} gold records evaluated: no record of the data has a gold id \
             ({} records read; choose the id with --id-field)",
            report.coverage.gold_records, report.coverage.data_records
        ))
        .into());
    }
    let missing = &report.coverage.missing;
    if !missing.is_empty() {
        let _ = writeln!(
            io::stderr(),
            "aitag: {} gold id(s) not found in the data: {}",
            missing.len(),
            missing.join(", ")
        );
    }
    match args.output {
        EvalFormat::Human => eval_report::write_human(out, &report)?,
        EvalFormat::Markdown => eval_report::write_markdown(out, &report)?,
        EvalFormat::Json => write_json(out, &report, true)?,
    }
    Ok(Outcome::Done)
}

/// Fits a model from gold labels: the cross-validated figures go to stdout
/// when the model goes to a file, else to stderr and the model to stdout.
fn run_fit(args: FitArgs, taxonomy: Taxonomy, out: &mut dyn Write) -> Result<Outcome, AppError> {
    let engine = Engine::new(taxonomy)?;
    let tag_ids: Vec<&str> = engine.taxonomy().tag_ids();
    let golds = args
        .gold
        .iter()
        .map(|g| Gold::from_path(g, &tag_ids))
        .collect::<Result<Vec<_>, _>>()?;
    let options = model::FitOptions {
        folds: args.folds,
        min_df: args.min_df,
        l2: args.l2,
        min_precision: args.min_precision,
        first_label_wins: args.first_label_wins,
        ..model::FitOptions::default()
    };
    let mut fitter = model::Fitter::new(&engine, &golds, options)?;
    let full = args.input.options();
    let mut passes = vec![(model::Variant::Full, full.clone())];
    if let Some(field) = &args.also_field {
        let mut only = full.clone();
        only.text_fields = vec![field.clone()];
        passes.push((model::Variant::Title, only));
    }
    for (variant, input_options) in &passes {
        fitter.add_files(&args.data, input_options, *variant, |notice| {
            let _ = writeln!(io::stderr(), "aitag: {notice}");
        })?;
    }
    let missing = fitter.missing();
    if !missing.is_empty() {
        eprintln!(
            "aitag: {} gold id(s) not found in the data: {}",
            missing.len(),
            missing.join(", ")
        );
    }
    let (file, report) = fitter.finish()?;
    let json = file.to_json();
    match &args.out {
        Some(path) => {
            std::fs::write(path, json).map_err(|source| Error::Io {
                path: path.clone(),
                source,
            })?;
            aitag::output::fit_report::write_fit_report(out, &report)?;
        }
        None => {
            aitag::output::fit_report::write_fit_report(&mut io::stderr(), &report)?;
            out.write_all(json.as_bytes())?;
        }
    }
    Ok(Outcome::Done)
}

/// Freeing a compiled engine means thousands of small deallocations, a
/// visible share of a short `aitag classify`; the process is about to exit,
/// so the operating system reclaims the memory instead.
fn leave_to_exit(engine: Engine) {
    std::mem::forget(engine);
}
