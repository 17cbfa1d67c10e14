//! A serde deserializer over a parsed JSON value (a `JsValue` from `Response.json()` or an
//! options object), for the widget.
//!
//! It replaces `serde_wasm_bindgen::from_value` in the first view for size: that crate's errors
//! (like serde's default error methods) format the value that did not match, and formatting an
//! `f64` alone is about 14 KB of wasm (`core::fmt::float` and `flt2dec`). [`DeError`] records
//! only a static reason and, for a missing field, its name: a document the widget cannot read
//! is a bug or a version mismatch, reported as "could not load", never shown in detail.
//!
//! What it accepts is what `JSON.parse` produces: `null`, booleans, numbers, strings, arrays and
//! plain objects. Numbers that are whole and within ±2^53 reach serde as integers (so `u32`,
//! `i64` and friends range-check them), others as `f64`. Enums are externally tagged: a string
//! for a unit variant, an object with one key otherwise.

use js_sys::{Array, Object};
use serde::de::{self, DeserializeOwned, DeserializeSeed, IntoDeserializer, Visitor};
use std::fmt;
use wasm_bindgen::{JsCast, JsValue};

/// Why a value could not be read: a static reason, or the name of a missing field.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DeError(pub &'static str);

impl fmt::Display for DeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.0)
    }
}

impl std::error::Error for DeError {}

impl de::Error for DeError {
    fn custom<T: fmt::Display>(_msg: T) -> Self {
        DeError("invalid value")
    }
    fn invalid_type(_: de::Unexpected<'_>, _: &dyn de::Expected) -> Self {
        DeError("invalid type")
    }
    fn invalid_value(_: de::Unexpected<'_>, _: &dyn de::Expected) -> Self {
        DeError("invalid value")
    }
    fn invalid_length(_: usize, _: &dyn de::Expected) -> Self {
        DeError("invalid length")
    }
    fn unknown_variant(_: &str, _: &'static [&'static str]) -> Self {
        DeError("unknown variant")
    }
    fn unknown_field(_: &str, _: &'static [&'static str]) -> Self {
        DeError("unknown field")
    }
    fn missing_field(field: &'static str) -> Self {
        DeError(field)
    }
    fn duplicate_field(field: &'static str) -> Self {
        DeError(field)
    }
}

/// Reads a `T` from a parsed JSON value.
///
/// # Errors
/// A [`DeError`] when the value does not have `T`'s shape.
pub fn from_value<T: DeserializeOwned>(value: JsValue) -> Result<T, DeError> {
    T::deserialize(Value(value))
}

/// Largest integer a JS number holds exactly (2^53 - 1).
const MAX_SAFE: f64 = 9_007_199_254_740_991.0;

struct Value(JsValue);

impl Value {
    fn is_nullish(&self) -> bool {
        self.0.is_null() || self.0.is_undefined()
    }
}

impl<'de> de::Deserializer<'de> for Value {
    type Error = DeError;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        // The generic part is only this match: the JS calls are in `classify`, compiled once
        // rather than once per type read.
        match classify(self.0) {
            Json::Null => visitor.visit_unit(),
            Json::Bool(b) => visitor.visit_bool(b),
            Json::U64(n) => visitor.visit_u64(n),
            Json::I64(n) => visitor.visit_i64(n),
            Json::F64(n) => visitor.visit_f64(n),
            Json::Str(s) => visitor.visit_string(s),
            Json::Seq(a) => visitor.visit_seq(Seq::new(a)),
            Json::Map(o) => visitor.visit_map(Map::new(&o)),
            Json::Other => Err(DeError("invalid type")),
        }
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        if self.is_nullish() {
            visitor.visit_none()
        } else {
            visitor.visit_some(self)
        }
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        visitor: V,
    ) -> Result<V::Value, DeError> {
        visitor.visit_newtype_struct(self)
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, DeError> {
        if let Some(s) = self.0.as_string() {
            return visitor.visit_enum(IntoDeserializer::<DeError>::into_deserializer(s));
        }
        if self.0.is_object() && !Array::is_array(&self.0) {
            let entries = Object::entries(self.0.unchecked_ref());
            if entries.length() == 1 {
                let (tag, value) = entry(entries.get(0));
                return visitor.visit_enum(Enum(tag, value));
            }
        }
        Err(DeError("invalid type"))
    }

    fn deserialize_ignored_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        visitor.visit_unit()
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string bytes byte_buf
        unit unit_struct seq tuple tuple_struct map struct identifier
    }
}

/// What a JSON value is, read once.
enum Json {
    Null,
    Bool(bool),
    U64(u64),
    I64(i64),
    F64(f64),
    Str(String),
    Seq(Array),
    Map(Object),
    Other,
}

#[inline(never)]
fn classify(v: JsValue) -> Json {
    if v.is_null() || v.is_undefined() {
        return Json::Null;
    }
    if let Some(b) = v.as_bool() {
        return Json::Bool(b);
    }
    if let Some(n) = v.as_f64() {
        if n.fract() == 0.0 && n.abs() <= MAX_SAFE {
            return if n >= 0.0 {
                Json::U64(n as u64)
            } else {
                Json::I64(n as i64)
            };
        }
        return Json::F64(n);
    }
    if let Some(s) = v.as_string() {
        return Json::Str(s);
    }
    if Array::is_array(&v) {
        return Json::Seq(v.unchecked_into());
    }
    if v.is_object() && !v.is_function() {
        return Json::Map(v.unchecked_into());
    }
    Json::Other
}

struct Seq {
    items: Array,
    next: u32,
}

impl Seq {
    fn new(items: Array) -> Self {
        Seq { items, next: 0 }
    }
}

impl Seq {
    #[inline(never)]
    fn next_item(&mut self) -> Option<JsValue> {
        if self.next >= self.items.length() {
            return None;
        }
        self.next += 1;
        Some(self.items.get(self.next - 1))
    }

    fn remaining(&self) -> usize {
        (self.items.length() - self.next) as usize
    }
}

impl<'de> de::SeqAccess<'de> for Seq {
    type Error = DeError;

    fn next_element_seed<T: DeserializeSeed<'de>>(
        &mut self,
        seed: T,
    ) -> Result<Option<T::Value>, DeError> {
        match self.next_item() {
            Some(item) => seed.deserialize(Value(item)).map(Some),
            None => Ok(None),
        }
    }

    fn size_hint(&self) -> Option<usize> {
        Some(self.remaining())
    }
}

/// One `[key, value]` pair of `Object.entries`.
fn entry(pair: JsValue) -> (String, JsValue) {
    let pair: Array = pair.unchecked_into();
    (pair.get(0).as_string().unwrap_or_default(), pair.get(1))
}

/// An object's entries, stepped through as a sequence of pairs.
struct Map {
    entries: Seq,
    value: Option<JsValue>,
}

impl Map {
    fn new(object: &Object) -> Self {
        Map {
            entries: Seq::new(Object::entries(object)),
            value: None,
        }
    }

    /// The next key, keeping its value for `next_value_seed`.
    #[inline(never)]
    fn next_key(&mut self) -> Option<String> {
        let (key, value) = entry(self.entries.next_item()?);
        self.value = Some(value);
        Some(key)
    }
}

impl<'de> de::MapAccess<'de> for Map {
    type Error = DeError;

    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, DeError> {
        match self.next_key() {
            Some(key) => seed
                .deserialize(IntoDeserializer::<DeError>::into_deserializer(key))
                .map(Some),
            None => Ok(None),
        }
    }

    fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value, DeError> {
        let value = self.value.take().ok_or(DeError("invalid value"))?;
        seed.deserialize(Value(value))
    }

    fn size_hint(&self) -> Option<usize> {
        Some(self.entries.remaining())
    }
}

struct Enum(String, JsValue);

impl<'de> de::EnumAccess<'de> for Enum {
    type Error = DeError;
    type Variant = Value;

    fn variant_seed<V: DeserializeSeed<'de>>(self, seed: V) -> Result<(V::Value, Value), DeError> {
        let tag = seed.deserialize(IntoDeserializer::<DeError>::into_deserializer(self.0))?;
        Ok((tag, Value(self.1)))
    }
}

impl<'de> de::VariantAccess<'de> for Value {
    type Error = DeError;

    fn unit_variant(self) -> Result<(), DeError> {
        if self.is_nullish() {
            Ok(())
        } else {
            Err(DeError("invalid type"))
        }
    }

    fn newtype_variant_seed<T: DeserializeSeed<'de>>(self, seed: T) -> Result<T::Value, DeError> {
        seed.deserialize(self)
    }

    fn tuple_variant<V: Visitor<'de>>(self, _len: usize, visitor: V) -> Result<V::Value, DeError> {
        de::Deserializer::deserialize_any(self, visitor)
    }

    fn struct_variant<V: Visitor<'de>>(
        self,
        _fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, DeError> {
        de::Deserializer::deserialize_any(self, visitor)
    }
}
