//! Man pages: clap_mangen's sections from the command-line definitions, and
//! the sections a man page is expected to have that clap knows nothing of
//! (exit status, environment, input formats, examples).

use crate::cli;
use crate::exit::AppError;
use aitag::Error;
use std::io::{self, Write};
use std::path::Path;

const EXIT_STATUS: &str = r#".SH "EXIT STATUS"
.TP
\fB0\fR
classify: at least one tag; batch: finished without an error record (tagged or not);
test: every example passed; other commands: ran. A closed output pipe also ends with 0.
.TP
\fB1\fR
classify: ran, nothing tagged; test: an example failed.
.TP
\fB2\fR
an error: usage, taxonomy file, I/O, an error record in batch, no gold record found by eval.
"#;

const ENVIRONMENT: &str = r#".SH ENVIRONMENT
.TP
\fBAITAG_TAXONOMY\fR
a taxonomy file or directory to use instead of the built-in one, as \fB\-\-taxonomy\fR.
.TP
\fBNO_COLOR\fR
when set and not empty, no colour unless \fB\-\-color always\fR.
.PP
Human output wraps to the terminal's width (at most 100 columns), or to 100 columns when
stdout is not a terminal.
"#;

const INPUT_FORMATS: &str = r#".SH "INPUT FORMATS"
The format comes from \fB\-\-input\fR; without it from the extension (.jsonl, .ndjson: jsonl;
.json: json; .csv: csv; .tsv, .tab: tsv), else from the first lines.
.TP
\fBlines\fR
one incident per line; blank lines are skipped.
.TP
\fBparagraphs\fR
incidents separated by blank lines.
.TP
\fBjsonl\fR
one JSON object per line.
.TP
\fBjson\fR
one JSON array of objects (as written by pandas \fIto_json(orient="records")\fR or jq).
.TP
\fBcsv\fR, \fBtsv\fR
a header row, then one record per row.
.PP
In the formats with fields the text is the \fBtext\fR field, else \fBtitle\fR and
\fBdescription\fR, or the fields named by \fB\-\-text\-field\fR; the id is \fBid\fR or
\fB\-\-id\-field\fR. Only English text is understood.
"#;

const EXAMPLES: &str = r#".SH EXAMPLES
.nf
aitag classify "Hackers stole the model weights and leaked them online."
aitag classify \-f incident.txt \-o json
aitag batch reports.jsonl \-\-only security \-\-summary
aitag batch reports.csv \-o csv \-\-keep title > tagged.csv
aitag \-\-rules my\-rules.yaml test
aitag eval \-\-gold gold.jsonl incidents.jsonl \-o markdown
aitag man \-\-dir /usr/local/share/man/man1
.fi
"#;

/// The page of aitag, or of one subcommand (`aitag-batch(1)`).
pub fn write_page(out: &mut dyn Write, subcommand: Option<&str>) -> Result<(), AppError> {
    let command = cli::command();
    let page = match subcommand {
        None => command,
        Some(name) => command
            .find_subcommand(name)
            .ok_or_else(|| Error::Input(format!("no subcommand `{name}`")))?
            .clone()
            .name(format!("aitag-{name}")),
    };
    render(out, page)?;
    Ok(())
}

/// Writes aitag.1 and aitag-COMMAND.1 for every subcommand into `dir`.
pub fn write_all(dir: &Path) -> Result<(), AppError> {
    let io_err = |path: &Path| {
        let path = path.to_path_buf();
        move |source| Error::Io { path, source }
    };
    std::fs::create_dir_all(dir).map_err(io_err(dir))?;
    let command = cli::command();
    let mut pages = vec![("aitag".to_string(), command.clone())];
    for sub in command.get_subcommands() {
        let name = format!("aitag-{}", sub.get_name());
        pages.push((name.clone(), sub.clone().name(name)));
    }
    for (name, page) in pages {
        let path = dir.join(format!("{name}.1"));
        let mut roff = Vec::new();
        render(&mut roff, page)?;
        std::fs::write(&path, roff).map_err(io_err(&path))?;
    }
    Ok(())
}

fn render(out: &mut dyn Write, page: clap::Command) -> io::Result<()> {
    let man = clap_mangen::Man::new(page.clone());
    man.render_title(out)?;
    man.render_name_section(out)?;
    man.render_synopsis_section(out)?;
    man.render_description_section(out)?;
    if page.get_arguments().any(|a| !a.is_hide_set()) {
        man.render_options_section(out)?;
    }
    if page.has_subcommands() {
        man.render_subcommands_section(out)?;
    }
    for s in [EXIT_STATUS, ENVIRONMENT, INPUT_FORMATS, EXAMPLES] {
        out.write_all(s.as_bytes())?;
    }
    if page.get_version().is_some() {
        man.render_version_section(out)?;
    }
    Ok(())
}
