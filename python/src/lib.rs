//! The Python binding of aitag: `aitag._aitag`, wrapped by the `aitag`
//! package (python/aitag/). Everything a result holds comes from the `aitag`
//! library: a classification is serialised by the library's own types, the
//! same bytes `aitag classify -o json` prints, and records are read and built
//! by the library's readers. This crate only converts between Rust and Python,
//! runs texts on several threads with the GIL released, and adds character
//! offsets beside the byte offsets.

mod offsets;
mod parallel;
mod to_python;

use aitag::classification::Classification;
use aitag::input::{self, Format, InputOptions, SourcePos};
use aitag::input::{FieldSpec, Value};
use aitag::model;
use aitag::{ClassifyOptions, Engine, Error, Taxonomy};
use pyo3::exceptions::PyTypeError;
use pyo3::prelude::*;
use pyo3::types::{PyBool, PyDict, PyFloat, PyList, PyString, PyTuple};
use std::borrow::Cow;
use std::num::NonZeroUsize;
use std::path::PathBuf;

/// The Python exception for a library error: a subclass of
/// `aitag.AitagError` (python/aitag/_errors.py) whose message is the one the
/// CLI prints after `aitag: `.
/// One taxonomy problem as `aitag.Problem` takes it: file, line, column, message.
type Problem = (String, Option<usize>, Option<usize>, String);

fn py_error(py: Python<'_>, e: &Error) -> PyErr {
    let (class, problems): (&str, Vec<Problem>) = match e {
        Error::Taxonomy(errors) => (
            "TaxonomyError",
            errors
                .iter()
                .map(|t| {
                    (
                        t.location.file.clone(),
                        t.location.line,
                        t.location.column,
                        t.message.clone(),
                    )
                })
                .collect(),
        ),
        Error::Model { .. } => ("ModelError", Vec::new()),
        Error::Io { .. } => ("FileError", Vec::new()),
        Error::Input(_) => ("InputError", Vec::new()),
        Error::Gold(_) => ("AitagError", Vec::new()),
    };
    let message = e.to_string();
    let made = py
        .import("aitag._errors")
        .and_then(|m| m.getattr(class))
        .and_then(|c| {
            if class == "TaxonomyError" {
                c.call1((message.as_str(), problems))
            } else {
                c.call1((message.as_str(),))
            }
        });
    match made {
        Ok(exc) => PyErr::from_value(exc),
        Err(err) => err,
    }
}

fn input_error(py: Python<'_>, message: String) -> PyErr {
    py_error(py, &Error::Input(message))
}

/// The CLI's rule for `--min-confidence`, with its message.
fn check_confidence(py: Python<'_>, x: f64) -> PyResult<f64> {
    if (0.0..=1.0).contains(&x) {
        Ok(x)
    } else {
        Err(input_error(
            py,
            format!("min_confidence: {x} is not between 0 and 1"),
        ))
    }
}

fn jobs_or_default(py: Python<'_>, jobs: Option<usize>) -> PyResult<NonZeroUsize> {
    match jobs {
        None => Ok(aitag::batch::default_jobs()),
        Some(n) => NonZeroUsize::new(n)
            .ok_or_else(|| input_error(py, "jobs: must be at least 1".to_string())),
    }
}

/// A compiled taxonomy (and learned model), ready to tag texts.
///
/// taxonomy: a YAML file or a directory of them (the CLI's --taxonomy);
///     None: the built-in taxonomy.
/// model: a model file written by `aitag fit` (the CLI's --model); None: the
///     built-in model where it fits the taxonomy.
/// min_confidence: emit tags whose confidence is at least this, between 0
///     and 1 (overrides the taxonomy's thresholds; the CLI's --min-confidence).
/// use_model: False for rules only (the CLI's --no-model).
///
/// A Tagger is immutable and safe to share between threads; it pickles as its
/// arguments, so that Dask or Spark workers rebuild it (the files it names
/// must be readable there too). Unlike the CLI, it reads no environment
/// variables (AITAG_TAXONOMY, AITAG_MODEL).
///
/// Raises aitag.TaxonomyError for a broken taxonomy (the message names
/// file:line:col), aitag.ModelError for a model that cannot be used,
/// aitag.FileError for a file that cannot be read, aitag.InputError for a bad
/// argument.
#[pyclass(module = "aitag", frozen)]
struct Tagger {
    engine: Engine,
    taxonomy: Option<PathBuf>,
    model: Option<PathBuf>,
    min_confidence: Option<f64>,
    use_model: bool,
}

impl Tagger {
    fn options(&self, explain: bool) -> ClassifyOptions {
        ClassifyOptions {
            min_confidence: self.min_confidence,
            explain,
            ..ClassifyOptions::default()
        }
    }

    /// Classifies every text on `jobs` threads, with the GIL released, and
    /// hands back what `keep` makes of each result, in input order.
    fn run_many<T: Send>(
        &self,
        py: Python<'_>,
        texts: &[String],
        jobs: NonZeroUsize,
        explain: bool,
        keep: impl Fn(&str, Classification) -> T + Sync,
    ) -> Vec<T> {
        let options = self.options(explain);
        py.detach(|| {
            parallel::map(texts.len(), jobs, |i| {
                let text = texts[i].as_str();
                keep(text, self.engine.classify_with(text, &options))
            })
        })
    }
}

#[pymethods]
impl Tagger {
    #[new]
    #[pyo3(signature = (taxonomy=None, model=None, min_confidence=None, use_model=true))]
    fn new(
        py: Python<'_>,
        taxonomy: Option<PathBuf>,
        model: Option<PathBuf>,
        min_confidence: Option<f64>,
        use_model: bool,
    ) -> PyResult<Tagger> {
        if model.is_some() && !use_model {
            return Err(input_error(
                py,
                "model: cannot be given with use_model=False".to_string(),
            ));
        }
        let min_confidence = min_confidence
            .map(|x| check_confidence(py, x))
            .transpose()?;
        let choice = match (&model, use_model) {
            (_, false) => model::Choice::Off,
            (Some(path), true) => model::Choice::Path(path.clone()),
            (None, true) => model::Choice::Default,
        };
        let built = py.detach(|| -> Result<Engine, Error> {
            // The built-in taxonomy's engine comes compiled (the start-up
            // snapshot), as in the CLI.
            let Some(path) = &taxonomy else {
                let engine = Engine::embedded()?;
                let model = choice.load(engine.taxonomy())?;
                return Ok(engine.with_model(model));
            };
            let taxonomy = Taxonomy::from_path(path)?;
            let model = choice.load(&taxonomy)?;
            Ok(Engine::new(taxonomy)?.with_model(model))
        });
        let engine = built.map_err(|e| py_error(py, &e))?;
        Ok(Tagger {
            engine,
            taxonomy,
            model,
            min_confidence,
            use_model,
        })
    }

    /// Tags one text; returns a dict: the JSON object `aitag classify -o json`
    /// prints for it (`explain=True`: `aitag classify --explain -o json`),
    /// parsed, and every evidence span also carries `char_start` and
    /// `char_end`: its offsets in the Python string (`text[char_start:char_end]`),
    /// beside `start` and `end`, its byte offsets in the UTF-8 text.
    #[pyo3(signature = (text, explain=false))]
    fn classify<'py>(
        &self,
        py: Python<'py>,
        text: String,
        explain: bool,
    ) -> PyResult<Bound<'py, PyAny>> {
        let options = self.options(explain);
        let c = py.detach(|| self.engine.classify_with(&text, &options));
        to_python::to_python(py, &c, &text)
    }

    /// Tags one text; returns the exact bytes (as str, without the final newline) that
    /// `aitag classify -o json` prints for the text.
    #[pyo3(signature = (text, explain=false))]
    fn classify_json(&self, py: Python<'_>, text: String, explain: bool) -> String {
        let options = self.options(explain);
        py.detach(|| to_json(&self.engine.classify_with(&text, &options)))
    }

    /// Tags every text of an iterable of str on `jobs` threads (None: all
    /// cores) with the GIL released; returns a list of the dicts `classify`
    /// returns, in the order of the texts, whatever `jobs` is.
    #[pyo3(signature = (texts, jobs=None, explain=false))]
    fn classify_many<'py>(
        &self,
        py: Python<'py>,
        texts: &Bound<'py, PyAny>,
        jobs: Option<usize>,
        explain: bool,
    ) -> PyResult<Bound<'py, PyList>> {
        let texts = collect_texts(texts)?;
        let jobs = jobs_or_default(py, jobs)?;
        let done = self.run_many(py, &texts, jobs, explain, |_, c| c);
        let mut values = Vec::with_capacity(done.len());
        for (c, text) in done.iter().zip(&texts) {
            values.push(to_python::to_python(py, c, text)?);
        }
        PyList::new(py, values)
    }

    /// Rows of `aitag.tag_frame` (use that): for each row of field values,
    /// the record the library's field rules make of it (as the CSV and JSONL
    /// readers do), classified; a tuple (id, error, tags, scores, rules,
    /// reasons) per row.
    #[pyo3(signature = (columns, rows, text_fields, id_field, jobs=None, explain=false))]
    #[allow(clippy::too_many_arguments)] // Python's keyword arguments, one each
    fn _tag_rows<'py>(
        &self,
        py: Python<'py>,
        columns: Vec<String>,
        rows: &Bound<'py, PyList>,
        text_fields: Vec<String>,
        id_field: String,
        jobs: Option<usize>,
        explain: bool,
    ) -> PyResult<Vec<Bound<'py, PyTuple>>> {
        let spec = FieldSpec::new(&InputOptions {
            format: None,
            text_fields,
            id_field: Some(id_field),
            ..InputOptions::default()
        });
        let mut records = Vec::with_capacity(rows.len());
        for (i, row) in rows.iter().enumerate() {
            let row = row.cast_into::<PyList>()?;
            let mut values = Vec::with_capacity(columns.len());
            for cell in row.iter() {
                values.push(field_value(&cell)?);
            }
            let source = SourcePos {
                file: FRAME_NAME.to_string(),
                line: i as u64 + 1,
            };
            records.push(spec.record(source, |name| {
                columns
                    .iter()
                    .position(|c| c == name)
                    .and_then(|k| values.get(k).cloned())
                    .unwrap_or(Value::Missing)
            }));
        }
        let texts: Vec<String> = records
            .iter()
            .filter_map(|r| r.as_ref().ok().map(|r| r.text.clone()))
            .collect();
        let jobs = jobs_or_default(py, jobs)?;
        let tag_ids: Vec<&str> = self
            .engine
            .taxonomy()
            .tags
            .iter()
            .map(|t| t.id.as_str())
            .collect();
        let rows_out = self.run_many(py, &texts, jobs, explain, |_, c| FrameRow {
            tags: c.tag_ids().map(str::to_string).collect(),
            scores: tag_ids.iter().map(|tag| c.confidence(tag)).collect(),
            rules: {
                let mut rules: Vec<String> = Vec::new();
                for t in &c.tags {
                    for r in c.rule_ids_of(t) {
                        if !rules.iter().any(|x| x == r) {
                            rules.push(r.to_string());
                        }
                    }
                }
                rules
            },
            classification: explain.then_some(c),
        });
        let mut done = rows_out.into_iter().zip(&texts);
        let mut out = Vec::with_capacity(records.len());
        for record in &records {
            let tuple = match record {
                Ok(r) => {
                    let (row, text) = done.next().expect("one result per good record");
                    let reasons = match &row.classification {
                        Some(c) => to_python::to_python(py, &c.own_reasons(), text)?,
                        None => py.None().into_bound(py),
                    };
                    (
                        r.id.as_str(),
                        py.None(),
                        row.tags,
                        row.scores,
                        row.rules,
                        reasons,
                    )
                        .into_pyobject(py)?
                }
                Err(e) => (
                    e.id.as_str(),
                    e.message.as_str(),
                    Vec::<String>::new(),
                    Vec::<f64>::new(),
                    Vec::<String>::new(),
                    py.None(),
                )
                    .into_pyobject(py)?,
            };
            out.push(tuple);
        }
        Ok(out)
    }

    /// The taxonomy's tag ids, parents before their children, as the CLI
    /// lists them (`aitag taxonomy`) and as the CSV output orders its columns.
    #[getter]
    fn tags(&self) -> Vec<String> {
        self.engine
            .taxonomy()
            .tags
            .iter()
            .map(|t| t.id.clone())
            .collect()
    }

    /// Where the taxonomy came from: its path, or the built-in one's name.
    #[getter]
    fn taxonomy_origin(&self) -> String {
        self.engine.taxonomy().origin.clone()
    }

    /// Whether a learned model is attached (the built-in one or `model`).
    #[getter]
    fn has_model(&self) -> bool {
        self.engine.model().is_some()
    }

    #[getter]
    fn taxonomy(&self) -> Option<PathBuf> {
        self.taxonomy.clone()
    }

    #[getter]
    fn model(&self) -> Option<PathBuf> {
        self.model.clone()
    }

    #[getter]
    fn min_confidence(&self) -> Option<f64> {
        self.min_confidence
    }

    #[getter]
    fn use_model(&self) -> bool {
        self.use_model
    }

    fn __repr__(&self) -> String {
        let path = |p: &Option<PathBuf>| match p {
            Some(p) => format!("{:?}", p.display().to_string()),
            None => "None".to_string(),
        };
        let confidence = match self.min_confidence {
            Some(x) => x.to_string(),
            None => "None".to_string(),
        };
        format!(
            "Tagger(taxonomy={}, model={}, min_confidence={confidence}, use_model={})",
            path(&self.taxonomy),
            path(&self.model),
            if self.use_model { "True" } else { "False" }
        )
    }

    /// Pickles as the arguments (paths made absolute); `aitag._tagger`
    /// rebuilds it once per process.
    fn __reduce__<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyTuple>> {
        let rebuild = py.import("aitag")?.getattr("_tagger")?;
        // Absolute, so that a worker in another directory finds the files.
        let absolute = |p: &Option<PathBuf>| {
            p.as_ref()
                .map(|p| std::path::absolute(p).unwrap_or_else(|_| p.clone()))
        };
        let args = (
            absolute(&self.taxonomy),
            absolute(&self.model),
            self.min_confidence,
            self.use_model,
        );
        (rebuild, args).into_pyobject(py)
    }
}

/// The file name of a DataFrame's rows in default ids (`<DataFrame>:ROW`).
const FRAME_NAME: &str = "<DataFrame>";

struct FrameRow {
    tags: Vec<String>,
    scores: Vec<f64>,
    rules: Vec<String>,
    /// Kept for its reasons when they were asked for.
    classification: Option<Classification>,
}

/// A cell as the JSONL reader sees a field: strings as they are, numbers and
/// booleans written as text, None (and NaN, pandas' missing value) as null, a
/// list or dict as the JSON that names such a record; anything else as str().
fn field_value(cell: &Bound<'_, PyAny>) -> PyResult<Value<'static>> {
    let text = |s: String| Ok(Value::Text(Cow::Owned(s)));
    if cell.is_none() {
        return Ok(Value::Null);
    }
    if let Ok(s) = cell.cast::<PyString>() {
        return text(s.to_str()?.to_string());
    }
    if let Ok(b) = cell.cast::<PyBool>() {
        return text(b.is_true().to_string());
    }
    if let Ok(f) = cell.cast::<PyFloat>() {
        let x = f.value();
        if x.is_nan() {
            return Ok(Value::Null);
        }
        // As the JSONL reader writes a JSON number.
        return text(
            serde_json::Number::from_f64(x).map_or_else(|| x.to_string(), |n| n.to_string()),
        );
    }
    let kind = if cell.is_instance_of::<PyDict>() {
        "object"
    } else if cell.is_instance_of::<PyList>() || cell.is_instance_of::<PyTuple>() {
        "array"
    } else {
        return text(cell.str()?.to_str()?.to_string());
    };
    let py = cell.py();
    let compact = PyDict::new(py);
    compact.set_item("separators", (",", ":"))?;
    compact.set_item("ensure_ascii", false)?;
    let json = py
        .import("json")?
        .getattr("dumps")?
        .call((cell,), Some(&compact))?;
    Ok(Value::Other(kind, json.str()?.to_str()?.to_string()))
}

fn collect_texts(texts: &Bound<'_, PyAny>) -> PyResult<Vec<String>> {
    if texts.is_instance_of::<PyString>() {
        return Err(PyTypeError::new_err(
            "texts: expected an iterable of str, got one str",
        ));
    }
    let mut out = Vec::new();
    for item in texts.try_iter()? {
        let item = item?;
        match item.cast::<PyString>() {
            Ok(s) => out.push(s.to_str()?.to_string()),
            Err(_) => {
                return Err(PyTypeError::new_err(format!(
                    "texts: item {} is a {}, not a str",
                    out.len(),
                    item.get_type().name()?
                )));
            }
        }
    }
    Ok(out)
}

/// The library's JSON for a value: what the CLI writes.
fn to_json(value: &impl serde::Serialize) -> String {
    serde_json::to_string(value).expect("classifications serialise")
}

/// The records of a file as `aitag batch` reads them (`-` is stdin): a list, a dict
/// {"id", "text", "source": {"file", "line"}} per record, or, for a record
/// that cannot be used, {"id", "error", "source"} in its place, as in the
/// batch output. text_fields, id_field and format are the CLI's --text-field
/// (a list), --id-field and --input (lines, paragraphs, jsonl, csv, tsv).
#[pyfunction]
#[pyo3(signature = (path, text_fields=None, id_field=None, format=None))]
fn read_records<'py>(
    py: Python<'py>,
    path: PathBuf,
    text_fields: Option<Vec<String>>,
    id_field: Option<String>,
    format: Option<String>,
) -> PyResult<Vec<Bound<'py, PyDict>>> {
    let format = format
        .map(|f| f.parse::<Format>())
        .transpose()
        .map_err(|m| input_error(py, m))?;
    let options = InputOptions {
        format,
        text_fields: text_fields.unwrap_or_default(),
        id_field,
        ..InputOptions::default()
    };
    let path = path.to_string_lossy().into_owned();
    let items: Vec<_> = py
        .detach(|| input::open(&path, &options).map(|records| records.collect::<Vec<_>>()))
        .map_err(|e| py_error(py, &e))?;
    let mut out = Vec::with_capacity(items.len());
    for item in items {
        let d = PyDict::new(py);
        let source = PyDict::new(py);
        match item {
            Ok(r) => {
                d.set_item("id", r.id)?;
                d.set_item("text", r.text)?;
                source.set_item("file", r.source.file)?;
                source.set_item("line", r.source.line)?;
            }
            Err(e) => {
                d.set_item("id", e.id)?;
                d.set_item("error", e.message)?;
                source.set_item("file", e.source.file)?;
                source.set_item("line", e.source.line)?;
            }
        }
        d.set_item("source", source)?;
        out.push(d);
    }
    Ok(out)
}

/// The aitag engine (Rust), for the `aitag` package.
#[pymodule]
fn _aitag(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<Tagger>()?;
    m.add_function(wrap_pyfunction!(read_records, m)?)?;
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    Ok(())
}
