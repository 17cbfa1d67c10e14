//! The deserializer against what `JSON.parse` produces, in node (`wasm-bindgen-test-runner`):
//! `cargo xtask test` runs it; alone:
//! `CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER=wasm-bindgen-test-runner cargo test -p widget-de --target wasm32-unknown-unknown`
#![cfg(target_arch = "wasm32")]

use serde::Deserialize;
use wasm_bindgen_test::wasm_bindgen_test;
use widget_de::{from_value, DeError};

fn parse(json: &str) -> wasm_bindgen::JsValue {
    js_sys::JSON::parse(json).expect("test JSON parses")
}

fn read<T: serde::de::DeserializeOwned>(json: &str) -> Result<T, DeError> {
    from_value(parse(json))
}

#[derive(Debug, PartialEq, Deserialize)]
#[serde(rename_all = "kebab-case")]
enum Kind {
    OilChange,
    Tyres,
}

#[derive(Debug, PartialEq, Deserialize)]
enum Shape {
    Point,
    Circle(f64),
    Rect { w: u32, h: u32 },
    Pair(u8, u8),
}

#[derive(Debug, PartialEq, Deserialize)]
struct Inner {
    name: String,
}

#[derive(Debug, PartialEq, Deserialize)]
struct Doc {
    count: u32,
    sum: u64,
    delta: i64,
    km: f64,
    open: bool,
    note: Option<String>,
    #[serde(default)]
    missing: Option<u8>,
    #[serde(default)]
    tags: Vec<String>,
    histogram: [u32; 5],
    span: (String, String),
    inner: Inner,
    kind: Kind,
    shapes: Vec<Shape>,
}

const DOC: &str = r#"{
  "count": 42, "sum": 9007199254740991, "delta": -7, "km": 3.25, "open": true,
  "note": null, "tags": ["a", "b"], "histogram": [1, 0, 2, 3, 40],
  "span": ["08:30", "17:00"], "inner": {"name": "大安汽車 <b>"}, "kind": "oil-change",
  "shapes": ["Point", {"Circle": 2}, {"Rect": {"w": 3, "h": 4}}, {"Pair": [1, 2]}],
  "unknown": {"deep": [1, {"x": null}]}
}"#;

#[wasm_bindgen_test]
fn a_document_reads_into_every_kind_of_field() {
    let doc: Doc = read(DOC).unwrap();
    assert_eq!(
        doc,
        Doc {
            count: 42,
            sum: 9_007_199_254_740_991,
            delta: -7,
            km: 3.25,
            open: true,
            note: None,
            missing: None,
            tags: vec!["a".into(), "b".into()],
            histogram: [1, 0, 2, 3, 40],
            span: ("08:30".into(), "17:00".into()),
            inner: Inner {
                name: "大安汽車 <b>".into()
            },
            kind: Kind::OilChange,
            shapes: vec![
                Shape::Point,
                Shape::Circle(2.0),
                Shape::Rect { w: 3, h: 4 },
                Shape::Pair(1, 2)
            ],
        }
    );
}

#[wasm_bindgen_test]
fn it_agrees_with_serde_json_on_the_shared_types() {
    let json =
        r#"{"weekday": 3, "open": "08:30", "close": "18:00", "breaks": [["12:00", "13:00"]]}"#;
    let ours: shared::DayHours = read(json).unwrap();
    let theirs: shared::DayHours = serde_json::from_str(json).unwrap();
    assert_eq!(ours, theirs);
    let json = r#"{"count": 3, "sum": 13, "histogram": [0, 0, 0, 2, 1]}"#;
    let ours: shared::RatingSummary = read(json).unwrap();
    assert_eq!(
        ours,
        serde_json::from_str::<shared::RatingSummary>(json).unwrap()
    );
    // A custom Deserialize that validates (a time of day) rejects here as it does there.
    let bad = r#"{"weekday": 3, "open": "25:99", "close": "18:00"}"#;
    assert!(read::<shared::DayHours>(bad).is_err());
    assert!(serde_json::from_str::<shared::DayHours>(bad).is_err());
}

#[wasm_bindgen_test]
fn numbers_are_range_checked_and_fractions_are_not_integers() {
    assert_eq!(read::<u32>("4294967295"), Ok(u32::MAX));
    assert!(read::<u32>("4294967296").is_err());
    assert!(read::<u32>("-1").is_err());
    assert!(read::<u32>("1.5").is_err());
    assert_eq!(read::<i64>("-9007199254740991"), Ok(-9_007_199_254_740_991));
    assert_eq!(read::<f64>("7"), Ok(7.0));
    assert_eq!(read::<f64>("1e300"), Ok(1e300));
    assert!(read::<u8>("\"3\"").is_err());
    assert!(read::<String>("3").is_err());
    assert!(read::<bool>("null").is_err());
}

#[wasm_bindgen_test]
fn a_missing_field_is_named_and_wrong_shapes_are_errors() {
    let err = read::<Inner>("{}").unwrap_err();
    assert_eq!(err, DeError("name"));
    assert_eq!(err.to_string(), "name");
    assert!(read::<Inner>("[]").is_err());
    assert!(read::<Inner>(r#"{"name": 5}"#).is_err());
    assert!(read::<Kind>(r#""brakes""#).is_err());
    assert!(read::<Kind>(r#"{"OilChange": null, "Tyres": null}"#).is_err());
    assert!(read::<Shape>(r#"{"Circle": "big"}"#).is_err());
    assert!(read::<[u32; 5]>("[1, 2, 3]").is_err());
    assert!(read::<Vec<u32>>(r#"{"0": 1}"#).is_err());
}

#[wasm_bindgen_test]
fn null_is_none_and_a_value_is_some() {
    assert_eq!(read::<Option<u32>>("null"), Ok(None));
    assert_eq!(read::<Option<u32>>("5"), Ok(Some(5)));
    assert_eq!(
        from_value::<Option<u32>>(wasm_bindgen::JsValue::UNDEFINED),
        Ok(None)
    );
    assert_eq!(read::<Kind>(r#""tyres""#), Ok(Kind::Tyres));
}
