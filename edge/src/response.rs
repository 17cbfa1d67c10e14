//! Building responses: the edge's one way to make a response with a body and its headers.
//! A leaf, so that errors (`error.rs`) and request handling (`http.rs`) can both use it.

use worker::{Headers, Response};

/// A response with `body`, `content_type` and `status`.
pub fn text(body: String, content_type: &str, status: u16) -> Response {
    let headers = Headers::new();
    let _ = headers.set("content-type", content_type);
    let _ = headers.set("x-content-type-options", "nosniff");
    match Response::ok(body) {
        Ok(r) => r.with_headers(headers).with_status(status),
        Err(_) => Response::empty().expect("empty response").with_status(500),
    }
}

/// A JSON response.
pub fn json(body: String, status: u16) -> Response {
    text(body, "application/json; charset=utf-8", status)
}

/// Sets a header, ignoring the (impossible for valid names) error.
pub fn set(resp: &mut Response, name: &str, value: &str) {
    let _ = resp.headers_mut().set(name, value);
}
