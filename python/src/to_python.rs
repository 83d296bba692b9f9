//! Python objects from the library's own `Serialize` impls: the dicts a
//! classification becomes are what `serde_json` would write (same keys, same
//! order, same values), built directly rather than through a JSON string.
//! Each evidence span (the library's `Evidence` struct) also gets
//! `char_start` and `char_end`, its offsets in the Python string.

use crate::offsets::CharIndex;
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyList, PyString};
use serde::ser::{self, Serialize};
use std::fmt;

/// The library's struct for a span of the text (classification.rs).
const EVIDENCE: &str = "Evidence";

/// `value` as Python objects; spans get character offsets into `text`.
pub fn to_python<'py>(
    py: Python<'py>,
    value: &impl Serialize,
    text: &str,
) -> PyResult<Bound<'py, PyAny>> {
    let index = CharIndex::new(text);
    value.serialize(Ser { py, index: &index }).map_err(|e| e.0)
}

pub struct Error(PyErr);

impl fmt::Debug for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:?}", self.0)
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)
    }
}

impl std::error::Error for Error {}

impl ser::Error for Error {
    fn custom<T: fmt::Display>(msg: T) -> Self {
        Error(pyo3::exceptions::PyValueError::new_err(msg.to_string()))
    }
}

impl From<PyErr> for Error {
    fn from(e: PyErr) -> Self {
        Error(e)
    }
}

#[derive(Clone, Copy)]
struct Ser<'py, 'i> {
    py: Python<'py>,
    index: &'i CharIndex<'i>,
}

type R<'py> = Result<Bound<'py, PyAny>, Error>;

impl<'py, 'i> Ser<'py, 'i> {
    fn obj(self, v: impl IntoPyObject<'py>) -> R<'py> {
        v.into_bound_py_any(self.py).map_err(Error)
    }
}

use pyo3::IntoPyObjectExt;

impl<'py, 'i> ser::Serializer for Ser<'py, 'i> {
    type Ok = Bound<'py, PyAny>;
    type Error = Error;
    type SerializeSeq = Seq<'py, 'i>;
    type SerializeTuple = Seq<'py, 'i>;
    type SerializeTupleStruct = Seq<'py, 'i>;
    type SerializeTupleVariant = Variant<Seq<'py, 'i>>;
    type SerializeMap = Map<'py, 'i>;
    type SerializeStruct = Struct<'py, 'i>;
    type SerializeStructVariant = Variant<Struct<'py, 'i>>;

    fn serialize_bool(self, v: bool) -> R<'py> {
        self.obj(v)
    }
    fn serialize_i8(self, v: i8) -> R<'py> {
        self.obj(v)
    }
    fn serialize_i16(self, v: i16) -> R<'py> {
        self.obj(v)
    }
    fn serialize_i32(self, v: i32) -> R<'py> {
        self.obj(v)
    }
    fn serialize_i64(self, v: i64) -> R<'py> {
        self.obj(v)
    }
    fn serialize_u8(self, v: u8) -> R<'py> {
        self.obj(v)
    }
    fn serialize_u16(self, v: u16) -> R<'py> {
        self.obj(v)
    }
    fn serialize_u32(self, v: u32) -> R<'py> {
        self.obj(v)
    }
    fn serialize_u64(self, v: u64) -> R<'py> {
        self.obj(v)
    }
    fn serialize_f32(self, v: f32) -> R<'py> {
        self.serialize_f64(f64::from(v))
    }
    fn serialize_f64(self, v: f64) -> R<'py> {
        // serde_json writes a non-finite number as null.
        if v.is_finite() {
            self.obj(v)
        } else {
            Ok(self.py.None().into_bound(self.py))
        }
    }
    fn serialize_char(self, v: char) -> R<'py> {
        self.obj(v.to_string())
    }
    fn serialize_str(self, v: &str) -> R<'py> {
        self.obj(v)
    }
    fn serialize_bytes(self, v: &[u8]) -> R<'py> {
        self.obj(v.to_vec())
    }
    fn serialize_none(self) -> R<'py> {
        Ok(self.py.None().into_bound(self.py))
    }
    fn serialize_some<T: ?Sized + Serialize>(self, value: &T) -> R<'py> {
        value.serialize(self)
    }
    fn serialize_unit(self) -> R<'py> {
        self.serialize_none()
    }
    fn serialize_unit_struct(self, _: &'static str) -> R<'py> {
        self.serialize_none()
    }
    fn serialize_unit_variant(self, _: &'static str, _: u32, variant: &'static str) -> R<'py> {
        self.obj(variant)
    }
    fn serialize_newtype_struct<T: ?Sized + Serialize>(self, _: &'static str, value: &T) -> R<'py> {
        value.serialize(self)
    }
    fn serialize_newtype_variant<T: ?Sized + Serialize>(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
        value: &T,
    ) -> R<'py> {
        let d = PyDict::new(self.py);
        d.set_item(variant, value.serialize(self)?)?;
        Ok(d.into_any())
    }
    fn serialize_seq(self, len: Option<usize>) -> Result<Seq<'py, 'i>, Error> {
        Ok(Seq {
            ser: self,
            items: Vec::with_capacity(len.unwrap_or(0)),
        })
    }
    fn serialize_tuple(self, len: usize) -> Result<Seq<'py, 'i>, Error> {
        self.serialize_seq(Some(len))
    }
    fn serialize_tuple_struct(self, _: &'static str, len: usize) -> Result<Seq<'py, 'i>, Error> {
        self.serialize_seq(Some(len))
    }
    fn serialize_tuple_variant(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
        len: usize,
    ) -> Result<Self::SerializeTupleVariant, Error> {
        Ok(Variant {
            variant,
            inner: self.serialize_seq(Some(len))?,
        })
    }
    fn serialize_map(self, _: Option<usize>) -> Result<Map<'py, 'i>, Error> {
        Ok(Map {
            ser: self,
            dict: PyDict::new(self.py),
            key: None,
        })
    }
    fn serialize_struct(self, name: &'static str, _: usize) -> Result<Struct<'py, 'i>, Error> {
        Ok(Struct {
            ser: self,
            dict: PyDict::new(self.py),
            span: (name == EVIDENCE).then_some((None, None)),
        })
    }
    fn serialize_struct_variant(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
        len: usize,
    ) -> Result<Self::SerializeStructVariant, Error> {
        Ok(Variant {
            variant,
            inner: self.serialize_struct(variant, len)?,
        })
    }
}

pub struct Seq<'py, 'i> {
    ser: Ser<'py, 'i>,
    items: Vec<Bound<'py, PyAny>>,
}

impl<'py> Seq<'py, '_> {
    fn push<T: ?Sized + Serialize>(&mut self, value: &T) -> Result<(), Error> {
        self.items.push(value.serialize(self.ser)?);
        Ok(())
    }
    fn finish(self) -> R<'py> {
        Ok(PyList::new(self.ser.py, self.items)?.into_any())
    }
}

impl<'py> ser::SerializeSeq for Seq<'py, '_> {
    type Ok = Bound<'py, PyAny>;
    type Error = Error;
    fn serialize_element<T: ?Sized + Serialize>(&mut self, value: &T) -> Result<(), Error> {
        self.push(value)
    }
    fn end(self) -> R<'py> {
        self.finish()
    }
}

impl<'py> ser::SerializeTuple for Seq<'py, '_> {
    type Ok = Bound<'py, PyAny>;
    type Error = Error;
    fn serialize_element<T: ?Sized + Serialize>(&mut self, value: &T) -> Result<(), Error> {
        self.push(value)
    }
    fn end(self) -> R<'py> {
        self.finish()
    }
}

impl<'py> ser::SerializeTupleStruct for Seq<'py, '_> {
    type Ok = Bound<'py, PyAny>;
    type Error = Error;
    fn serialize_field<T: ?Sized + Serialize>(&mut self, value: &T) -> Result<(), Error> {
        self.push(value)
    }
    fn end(self) -> R<'py> {
        self.finish()
    }
}

pub struct Map<'py, 'i> {
    ser: Ser<'py, 'i>,
    dict: Bound<'py, PyDict>,
    key: Option<Bound<'py, PyAny>>,
}

impl<'py> ser::SerializeMap for Map<'py, '_> {
    type Ok = Bound<'py, PyAny>;
    type Error = Error;
    fn serialize_key<T: ?Sized + Serialize>(&mut self, key: &T) -> Result<(), Error> {
        // JSON object keys are strings.
        let k = key.serialize(self.ser)?;
        self.key = Some(if k.is_instance_of::<PyString>() {
            k
        } else {
            k.str()?.into_any()
        });
        Ok(())
    }
    fn serialize_value<T: ?Sized + Serialize>(&mut self, value: &T) -> Result<(), Error> {
        let key = self
            .key
            .take()
            .ok_or_else(|| <Error as ser::Error>::custom("a map value without a key"))?;
        self.dict.set_item(key, value.serialize(self.ser)?)?;
        Ok(())
    }
    fn end(self) -> R<'py> {
        Ok(self.dict.into_any())
    }
}

pub struct Struct<'py, 'i> {
    ser: Ser<'py, 'i>,
    dict: Bound<'py, PyDict>,
    /// For an evidence span: its byte offsets, as they are serialised.
    span: Option<(Option<usize>, Option<usize>)>,
}

impl<'py> ser::SerializeStruct for Struct<'py, '_> {
    type Ok = Bound<'py, PyAny>;
    type Error = Error;
    fn serialize_field<T: ?Sized + Serialize>(
        &mut self,
        key: &'static str,
        value: &T,
    ) -> Result<(), Error> {
        let v = value.serialize(self.ser)?;
        if let Some((start, end)) = &mut self.span {
            match key {
                "start" => *start = Some(v.extract::<usize>()?),
                "end" => *end = Some(v.extract::<usize>()?),
                _ => {}
            }
        }
        self.dict.set_item(PyString::intern(self.ser.py, key), v)?;
        Ok(())
    }
    fn end(self) -> R<'py> {
        if let Some((Some(start), Some(end))) = self.span {
            let index = self.ser.index;
            self.dict.set_item("char_start", index.of(start))?;
            self.dict.set_item("char_end", index.of(end))?;
        }
        Ok(self.dict.into_any())
    }
}

pub struct Variant<S> {
    variant: &'static str,
    inner: S,
}

impl<'py, 'i> ser::SerializeTupleVariant for Variant<Seq<'py, 'i>> {
    type Ok = Bound<'py, PyAny>;
    type Error = Error;
    fn serialize_field<T: ?Sized + Serialize>(&mut self, value: &T) -> Result<(), Error> {
        self.inner.push(value)
    }
    fn end(self) -> R<'py> {
        let py = self.inner.ser.py;
        let d = PyDict::new(py);
        d.set_item(self.variant, self.inner.finish()?)?;
        Ok(d.into_any())
    }
}

impl<'py, 'i> ser::SerializeStructVariant for Variant<Struct<'py, 'i>> {
    type Ok = Bound<'py, PyAny>;
    type Error = Error;
    fn serialize_field<T: ?Sized + Serialize>(
        &mut self,
        key: &'static str,
        value: &T,
    ) -> Result<(), Error> {
        ser::SerializeStruct::serialize_field(&mut self.inner, key, value)
    }
    fn end(self) -> R<'py> {
        let py = self.inner.ser.py;
        let d = PyDict::new(py);
        d.set_item(self.variant, ser::SerializeStruct::end(self.inner)?)?;
        Ok(d.into_any())
    }
}
