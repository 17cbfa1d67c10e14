//! The demo host site: a plain web server standing in for a shop's own website, on its own
//! origin, that embeds the widget from the edge exactly as the README tells shops to.
//!
//! `/` lists the demo shops; `/shop/{id}` is a shop's page; any other `/{name}.html` is served
//! from `demo/site/` (with `?shop=ID` filling `{{SHOP}}`); `/csp.html` carries a strict CSP. `{{EDGE}}`, `{{SHOP}}` and `{{SHOP_NAME}}` in pages are filled in.

use crate::{root, shared_demo, Result};
use std::io::{BufRead, BufReader, Write};
use std::net::{TcpListener, TcpStream};

/// A running host site; it stops with the process.
pub struct Host {
    /// Base URL, e.g. `http://127.0.0.1:8080`.
    #[allow(dead_code)]
    pub url: String,
}

/// Starts serving on `127.0.0.1:{port}`, embedding the widget from `edge`.
pub fn serve(port: u16, edge: &str) -> Result<Host> {
    let listener = TcpListener::bind(("127.0.0.1", port))
        .map_err(|e| format!("cannot listen on :{port}: {e}"))?;
    let edge = edge.to_owned();
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            let edge = edge.clone();
            std::thread::spawn(move || {
                let _ = answer(stream, &edge);
            });
        }
    });
    Ok(Host {
        url: format!("http://127.0.0.1:{port}"),
    })
}

fn answer(mut stream: TcpStream, edge: &str) -> std::io::Result<()> {
    let mut reader = BufReader::new(stream.try_clone()?);
    let mut line = String::new();
    reader.read_line(&mut line)?;
    // Drain the headers.
    let mut header = String::new();
    while reader.read_line(&mut header)? > 2 {
        header.clear();
    }
    let path = line.split_whitespace().nth(1).unwrap_or("/");
    let (path, query) = path.split_once('?').unwrap_or((path, ""));
    let shop = query
        .split('&')
        .find_map(|kv| kv.strip_prefix("shop="))
        .unwrap_or("da-an-auto");
    let (status, body) = match page(path, edge, shop) {
        Some(body) => ("200 OK", body),
        None => (
            "404 Not Found",
            "<!doctype html><title>Not found</title><p>Not found</p>".to_owned(),
        ),
    };
    // The strict-CSP page gets exactly the policy the README tells shops with a strict CSP to use.
    let csp = if path == "/csp.html" {
        format!("Content-Security-Policy: script-src 'self' {edge} 'wasm-unsafe-eval'; style-src 'self'\r\n")
    } else {
        String::new()
    };
    write!(
        stream,
        "HTTP/1.1 {status}\r\nContent-Type: text/html; charset=utf-8\r\nContent-Length: {}\r\nCache-Control: no-store\r\n{csp}Connection: close\r\n\r\n{body}",
        body.len()
    )
}

fn page(path: &str, edge: &str, shop: &str) -> Option<String> {
    let site = root().join("demo").join("site");
    let demo = shared_demo().ok()?;
    if path == "/" {
        let items: String = demo
            .shops
            .iter()
            .map(|s| {
                format!(
                    "<li><a href=\"/shop/{0}\">{1}</a> ({2})</li>",
                    s.id, s.name.zh_tw, s.name.en
                )
            })
            .collect();
        let html = std::fs::read_to_string(site.join("index.html")).ok()?;
        return Some(html.replace("{{SHOPS}}", &items).replace("{{EDGE}}", edge));
    }
    if let Some(id) = path.strip_prefix("/shop/") {
        let shop = demo.shops.iter().find(|s| s.id.as_str() == id);
        let name = shop
            .map(|s| s.name.zh_tw.clone())
            .unwrap_or_else(|| id.to_owned());
        let html = std::fs::read_to_string(site.join("shop.html")).ok()?;
        let id = id.replace(['<', '>', '"', '&'], "");
        return Some(
            html.replace("{{EDGE}}", edge)
                .replace("{{SHOP}}", &id)
                .replace("{{SHOP_NAME}}", &name),
        );
    }
    let name = path.strip_prefix('/')?;
    if !name.ends_with(".html") || name.contains('/') || name.contains("..") {
        return None;
    }
    let html = std::fs::read_to_string(site.join(name)).ok()?;
    let shop = shop.replace(|c: char| !(c.is_ascii_alphanumeric() || c == '-'), "");
    Some(html.replace("{{EDGE}}", edge).replace("{{SHOP}}", &shop))
}
