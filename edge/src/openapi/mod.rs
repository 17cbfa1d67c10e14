//! The OpenAPI 3.1 document, generated from the code: the schemas from the Rust types the API
//! reads and writes (utoipa's `ToSchema`, derived in `shared` and here behind the `openapi`
//! feature), the operations from one table of the routes ([`paths`]). A native test writes
//! nothing and fails when `edge/openapi.json` is not what this generates; with
//! `UPDATE_OPENAPI=1` it rewrites the file. The worker serves the committed file
//! (`routes.rs`), so none of this is in the worker (DESIGN.md, "The API contract").

mod paths;

use serde_json::{json, Map, Value};
use std::collections::BTreeMap;
use utoipa::openapi::schema::Schema;
use utoipa::openapi::RefOr;
use utoipa::ToSchema;

/// Adds a type's schema and every schema it refers to.
type Collect = fn(&mut Vec<(String, RefOr<Schema>)>);

fn collect<T: ToSchema>(out: &mut Vec<(String, RefOr<Schema>)>) {
    out.push((T::name().into_owned(), T::schema()));
    T::schemas(out);
}

/// `{"$ref": …}` to `T`'s component schema.
fn reference<T: ToSchema>() -> Value {
    json!({ "$ref": format!("#/components/schemas/{}", T::name()) })
}

/// One operation: a method on a path, as the document writes it.
pub(crate) struct Op {
    method: &'static str,
    path: &'static str,
    doc: Map<String, Value>,
    schemas: Vec<Collect>,
}

/// An operation `method path`, summed up by `summary`; any status it does not list is an RFC
/// 9457 problem.
fn op(method: &'static str, path: &'static str, summary: &str) -> Op {
    let mut doc = Map::new();
    doc.insert("summary".into(), summary.into());
    doc.insert("responses".into(), Value::Object(Map::new()));
    Op {
        method,
        path,
        doc,
        schemas: Vec::new(),
    }
    .problems()
}

/// An operation of the admin API (`ADMIN_TOKEN`).
fn admin(method: &'static str, path: &'static str, summary: &str) -> Op {
    op(method, path, summary).auth("adminBearer")
}

/// An operation of the shop API (a shop access key).
fn shop_api(method: &'static str, path: &'static str, summary: &str) -> Op {
    op(method, path, summary).auth("shopKey")
}

impl Op {
    /// A parameter `name` in `place` (`path`, `query`, `header`).
    fn parameter(
        mut self,
        place: &str,
        name: &str,
        required: bool,
        description: &str,
        schema: Value,
    ) -> Self {
        let p = json!({
            "name": name, "in": place, "required": required,
            "schema": schema, "description": description,
        });
        let list = self.doc.entry("parameters").or_insert_with(|| json!([]));
        list.as_array_mut().expect("a list").push(p);
        self
    }

    /// A path parameter (a plain string).
    fn path(self, name: &str, description: &str) -> Self {
        self.path_of(name, description, json!({ "type": "string" }))
    }

    /// The `{id}` of a member shop.
    fn shop(self) -> Self {
        self.path("id", "Shop id, e.g. da-an-auto")
    }

    /// A path parameter with its own schema.
    fn path_of(self, name: &str, description: &str, schema: Value) -> Self {
        self.parameter("path", name, true, description, schema)
    }

    /// A query parameter.
    fn query(self, name: &str, required: bool, description: &str, schema: Value) -> Self {
        self.parameter("query", name, required, description, schema)
    }

    /// `?lang=`: the page's language (zh-TW unless `en`).
    fn lang(self) -> Self {
        let schema = json!({ "type": "string", "enum": ["zh-TW", "en"] });
        self.query("lang", false, "", schema)
    }

    /// A request header.
    fn header(self, name: &str, description: &str, schema: Value) -> Self {
        self.parameter("header", name, false, description, schema)
    }

    /// The `Origin` header writes are checked against.
    fn origin(self) -> Self {
        self.header(
            "Origin",
            "Writes are accepted only from the shop's registered origins",
            json!({ "type": "string" }),
        )
    }

    /// A JSON request body of type `T`.
    fn body<T: ToSchema>(mut self) -> Self {
        self.schemas.push(collect::<T>);
        self.body_schema(reference::<T>())
    }

    /// A JSON request body with an inline schema.
    fn body_schema(mut self, schema: Value) -> Self {
        self.doc.insert(
            "requestBody".into(),
            json!({ "required": true, "content": { "application/json": { "schema": schema } } }),
        );
        self
    }

    /// A response: `status`, what it means, and its content (media type → schema).
    fn reply(mut self, status: &str, description: &str, content: &[(&str, Value)]) -> Self {
        let mut r = json!({ "description": description });
        if !content.is_empty() {
            let media: Map<String, Value> = content
                .iter()
                .map(|(t, s)| ((*t).to_owned(), json!({ "schema": s })))
                .collect();
            r["content"] = Value::Object(media);
        }
        self.doc["responses"][status] = r;
        self
    }

    /// A redirect to the `Location` it names.
    fn redirect(mut self, status: &str, description: &str) -> Self {
        self.doc["responses"][status] = json!({
            "description": description,
            "headers": { "Location": { "schema": { "type": "string" } } },
        });
        self
    }

    /// A JSON response of type `T`.
    fn json<T: ToSchema>(mut self, status: &str, description: &str) -> Self {
        self.schemas.push(collect::<T>);
        self.reply(
            status,
            description,
            &[("application/json", reference::<T>())],
        )
    }

    /// A JSON response: a list of `T`.
    fn json_list<T: ToSchema>(mut self, status: &str, description: &str) -> Self {
        self.schemas.push(collect::<T>);
        let list = json!({ "type": "array", "items": reference::<T>() });
        self.reply(status, description, &[("application/json", list)])
    }

    /// A text response of `media` type.
    fn text(self, status: &str, description: &str, media: &str) -> Self {
        self.reply(status, description, &[(media, json!({ "type": "string" }))])
    }

    /// An HTML page.
    fn html(self, status: &str, description: &str) -> Self {
        self.text(status, description, "text/html")
    }

    /// The pages behind the links messages carry: what the link does or did, or why it cannot.
    fn link_pages(self) -> Self {
        self.html("200", "A page saying what the link does or did")
            .html("400", "A page: the link is not valid")
            .html("403", "A page: the link is not valid")
            .html("404", "A page: the link is not valid")
            .html("409", "A page: the booking is over or cancelled")
            .html("410", "A page: the link has expired")
    }

    /// Every other status: an RFC 9457 problem.
    fn problems(mut self) -> Self {
        self.schemas.push(collect::<shared::Problem>);
        self.reply(
            "default",
            "An RFC 9457 problem naming the field at fault",
            &[("application/problem+json", reference::<shared::Problem>())],
        )
    }

    /// A static file: nothing but what it lists.
    fn without_problems(mut self) -> Self {
        if let Some(r) = self.doc["responses"].as_object_mut() {
            r.remove("default");
        }
        self
    }

    /// Every other status: a problem, or for a person a page saying what went wrong.
    fn problems_or_page(mut self, page: &str) -> Self {
        self.schemas.push(collect::<shared::Problem>);
        self.reply(
            "default",
            "An RFC 9457 problem naming the field at fault",
            &[
                ("application/problem+json", reference::<shared::Problem>()),
                (
                    "text/html",
                    json!({ "type": "string", "description": page }),
                ),
            ],
        )
    }

    /// Needs `scheme` (`adminBearer` or `shopKey`).
    fn auth(mut self, scheme: &str) -> Self {
        self.doc.insert("security".into(), json!([{ scheme: [] }]));
        self
    }
}

/// The whole document.
pub fn document() -> Value {
    let mut paths: BTreeMap<&str, Map<String, Value>> = BTreeMap::new();
    let mut found = Vec::new();
    for op in paths::all() {
        for c in &op.schemas {
            c(&mut found);
        }
        let entry = paths.entry(op.path).or_default();
        assert!(
            entry
                .insert(op.method.into(), Value::Object(op.doc))
                .is_none(),
            "{} {} is in the table twice",
            op.method,
            op.path
        );
    }
    let schemas: BTreeMap<String, RefOr<Schema>> = found.into_iter().collect();
    json!({
        "openapi": "3.1.0",
        "info": {
            "title": "Alliance widget edge API",
            "version": "1.0.0",
            "description": "The edge API of the alliance widget. Errors are RFC 9457 problem documents naming the field at fault. Generated from the code (edge/src/openapi).",
        },
        "servers": [{ "url": "/" }],
        "paths": paths,
        "components": {
            "schemas": schemas,
            "securitySchemes": {
                "adminBearer": { "type": "http", "scheme": "bearer", "description": "The ADMIN_TOKEN secret" },
                "shopKey": { "type": "http", "scheme": "bearer", "description": "A shop access key (sk_…)" },
            },
        },
    })
}

#[cfg(test)]
mod tests {
    /// The committed document is the generated one (`UPDATE_OPENAPI=1` rewrites it).
    #[test]
    fn the_served_document_is_the_generated_one() {
        let generated = serde_json::to_string_pretty(&super::document()).unwrap() + "\n";
        let file = concat!(env!("CARGO_MANIFEST_DIR"), "/openapi.json");
        if std::env::var_os("UPDATE_OPENAPI").is_some() {
            std::fs::write(file, &generated).unwrap();
        }
        let committed = std::fs::read_to_string(file).unwrap();
        assert!(
            committed == generated,
            "edge/openapi.json is not what the code generates: run \
             `UPDATE_OPENAPI=1 cargo test -p edge --features openapi --lib` and commit it"
        );
    }
}
