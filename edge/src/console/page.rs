//! The consoles' page layout: one column on a phone, every text escaped, two languages.

use super::Ctx;
use crate::http::{self, escape};
use crate::i18n::t;
use shared::{Locale, Problem};
use worker::Response;

/// A message at the top of a page.
pub enum Notice {
    /// Nothing to say.
    None,
    /// Something worked.
    Ok(String),
    /// Something was refused; says why.
    Error(String),
}

/// What a page says after a redirect `?ok=…`: one row per value, its zh-TW and English text.
pub type OkNotices = [(&'static str, &'static str, &'static str)];

impl Notice {
    /// The notice for a redirect's `ok` value, from `table`; nothing for an unknown value.
    pub fn ok(l: shared::Locale, ok: Option<&str>, table: &OkNotices) -> Notice {
        ok.and_then(|ok| table.iter().find(|(key, _, _)| *key == ok))
            .map_or(Notice::None, |&(_, zh, en)| {
                Notice::Ok(crate::i18n::t(l, zh, en).to_owned())
            })
    }
}

/// Which console a page belongs to, for its navigation.
pub enum Nav<'a> {
    /// Not signed in.
    None,
    /// A shop's console, with the current section.
    Shop(&'a str, &'a str),
    /// The admin console, with the current section.
    Admin(&'a str),
}

/// A console page being built.
pub struct Page<'a> {
    ctx: &'a Ctx,
    title: String,
    nav: Nav<'a>,
    csrf: Option<&'a str>,
    body: String,
}

impl<'a> Page<'a> {
    /// A page titled `title`.
    pub fn new(ctx: &'a Ctx, title: &str) -> Self {
        Page {
            ctx,
            title: title.to_owned(),
            nav: Nav::None,
            csrf: None,
            body: String::new(),
        }
    }

    /// Sets the navigation, and the CSRF token the sign-out form needs.
    pub fn nav(&mut self, nav: Nav<'a>, csrf: &'a str) {
        self.nav = nav;
        self.csrf = Some(csrf);
    }

    /// Adds a notice.
    pub fn notice(&mut self, notice: Notice) {
        match notice {
            Notice::None => {}
            Notice::Ok(text) => self.push(format!(
                r#"<p class="notice ok" role="status">{}</p>"#,
                escape(&text)
            )),
            Notice::Error(text) => self.push(format!(
                r#"<p class="notice error" role="alert">{}</p>"#,
                escape(&text)
            )),
        }
    }

    /// Appends markup (callers escape every text they put in it).
    pub fn push(&mut self, html: impl AsRef<str>) {
        self.body.push_str(html.as_ref());
        self.body.push('\n');
    }

    /// The finished page with security headers.
    pub fn respond(self, status: u16) -> Response {
        let l = self.ctx.lang;
        let nav = match &self.nav {
            Nav::None => String::new(),
            Nav::Shop(id, current) => {
                let links = [
                    ("bookings", t(l, "預約", "Bookings")),
                    ("reviews", t(l, "評價", "Reviews")),
                    ("profile", t(l, "店家資料", "Profile")),
                    ("messages", t(l, "訊息", "Messages")),
                    ("webhooks", t(l, "通知紀錄", "Webhooks")),
                    ("snippet", t(l, "嵌入碼", "Snippet")),
                ];
                nav_html(
                    links
                        .iter()
                        .map(|(s, t)| (format!("/console/shop/{id}/{s}"), *t, s == current)),
                    self.csrf,
                    l,
                )
            }
            Nav::Admin(current) => {
                let links = [
                    ("", t(l, "會員", "Members")),
                    ("moderation", t(l, "評價審核", "Moderation")),
                    ("audit", t(l, "稽核紀錄", "Audit log")),
                ];
                nav_html(
                    links.iter().map(|(s, t)| {
                        let href = if s.is_empty() {
                            "/console/admin".to_owned()
                        } else {
                            format!("/console/admin/{s}")
                        };
                        (href, *t, s == current)
                    }),
                    self.csrf,
                    l,
                )
            }
        };
        let (other, other_label) = match l {
            Locale::En => ("zh-TW", "中文"),
            _ => ("en", "English"),
        };
        let html = format!(
            r##"<!doctype html>
<html lang="{lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title} · {product}</title>
<link rel="stylesheet" href="/console/console.css">
<link rel="manifest" href="/console/manifest.webmanifest">
<link rel="icon" href="/console/icon.svg" type="image/svg+xml">
<meta name="theme-color" content="#0f766e">
<script src="/console/console.js" defer></script>
</head>
<body>
<a class="skip" href="#main">{skip}</a>
<header>
<p class="product">{product}</p>
<a class="lang" href="/console/lang/{other}?next={back}" lang="{other}">{other_label}</a>
{nav}
</header>
<main id="main" tabindex="-1">
<h1>{title}</h1>
{body}
</main>
</body>
</html>"##,
            lang = l.tag(),
            title = escape(&self.title),
            product = t(l, "聯盟主控台", "Alliance console"),
            skip = t(l, "跳到主要內容", "Skip to content"),
            back = escape(&self.ctx.path),
            body = self.body,
        );
        let mut resp = http::text(html, "text/html; charset=utf-8", status);
        for (name, value) in [
            ("cache-control", "no-store"),
            (
                "content-security-policy",
                "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; frame-src 'self'; manifest-src 'self'; worker-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
            ),
            ("x-content-type-options", "nosniff"),
            ("referrer-policy", "same-origin"),
        ] {
            http::set(&mut resp, name, value);
        }
        resp
    }
}

fn nav_html(
    links: impl Iterator<Item = (String, &'static str, bool)>,
    csrf: Option<&str>,
    l: Locale,
) -> String {
    let mut out = String::from(r#"<nav aria-label="console"><ul>"#);
    for (href, text, current) in links {
        out.push_str(&format!(
            r#"<li><a href="{href}"{}>{text}</a></li>"#,
            if current {
                r#" aria-current="page""#
            } else {
                ""
            }
        ));
    }
    out.push_str("</ul>");
    if let Some(csrf) = csrf {
        out.push_str(&format!(
            r#"<form method="post" action="/console/logout" class="logout"><input type="hidden" name="csrf" value="{}"><button type="submit" class="link">{}</button></form>"#,
            escape(csrf),
            t(l, "登出", "Sign out")
        ));
    }
    out.push_str("</nav>");
    out
}

/// A 404 for a console address that is no page.
pub fn not_found(l: Locale) -> crate::error::ApiError {
    crate::error::ApiError::client(
        shared::ProblemKind::NotFound,
        t(l, "找不到這個頁面。", "There is no such page."),
    )
}

/// The hidden CSRF field every console form carries.
pub fn csrf_field(csrf: &str) -> String {
    format!(
        r#"<input type="hidden" name="csrf" value="{}">"#,
        escape(csrf)
    )
}

/// A page for a refused or failed request; a 401 shows the sign-in form and ends the cookie.
pub fn problem_page(ctx: &Ctx, p: &Problem) -> Response {
    if p.status == 401 {
        let mut resp = super::login_page(ctx, Notice::Error(p.detail.clone()), None, 401);
        http::set(&mut resp, "set-cookie", &super::clear_cookie(ctx));
        return resp;
    }
    let l = ctx.lang;
    let mut page = Page::new(ctx, t(l, "無法完成", "That did not work"));
    page.notice(Notice::Error(p.detail.clone()));
    page.push(format!(
        r#"<p><a href="/console">{}</a></p>"#,
        t(l, "回到主控台", "Back to the console")
    ));
    page.respond(p.status)
}

/// Formats local RFC 3339 (`2026-11-28T09:30:00+08:00`) as `11/28 (六) 09:30`.
pub fn local_time(rfc: &str, l: Locale) -> String {
    let date = rfc.get(..10).unwrap_or(rfc);
    let time = rfc.get(11..16).unwrap_or("");
    let weekday = shared::parse_rfc3339(&format!("{date}T00:00:00Z"))
        .map(|ms| ((ms / 86_400_000 + 3) % 7) as usize)
        .unwrap_or(7);
    let names_zh = ["一", "二", "三", "四", "五", "六", "日", ""];
    let names_en = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun", ""];
    let md = date.get(5..).unwrap_or(date).replace('-', "/");
    match l {
        Locale::En => format!("{} {md} {time}", names_en[weekday]),
        _ => format!("{md}（{}）{time}", names_zh[weekday]),
    }
}
