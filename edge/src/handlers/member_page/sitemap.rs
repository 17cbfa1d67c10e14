//! What search engines read: `/sitemap.xml` and `/robots.txt`.

use super::*;
use crate::app::App;

/// `GET /sitemap.xml`: the directory and every active member's page, both languages.
pub async fn sitemap(req: &Request, app: &App) -> ApiResult<Response> {
    let home = http::own_origin(req).unwrap_or_default();
    let store = app.store()?;
    let mut shops: Vec<Shop> = store
        .all_shops_cached()
        .await?
        .into_iter()
        .filter(|s| s.membership.status == MembershipStatus::Active)
        .collect();
    shops.sort_by(|a, b| a.id.as_str().cmp(b.id.as_str()));
    let mut x = String::from(
        r#"<?xml version="1.0" encoding="UTF-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" xmlns:xhtml="http://www.w3.org/1999/xhtml">
"#,
    );
    let mut entry = |zh: String, en: String| {
        for loc in [&zh, &en] {
            x.push_str(&format!(
                "<url><loc>{}</loc><xhtml:link rel=\"alternate\" hreflang=\"zh-TW\" href=\"{}\"/><xhtml:link rel=\"alternate\" hreflang=\"en\" href=\"{}\"/></url>\n",
                escape(loc),
                escape(&zh),
                escape(&en)
            ));
        }
    };
    entry(
        format!("{home}/alliance"),
        format!("{home}/alliance?lang=en"),
    );
    for s in &shops {
        entry(
            page_url(&home, &s.id, Locale::ZhTw),
            page_url(&home, &s.id, Locale::En),
        );
    }
    x.push_str("</urlset>\n");
    let mut resp = http::text(x, "application/xml; charset=utf-8", 200);
    http::set(&mut resp, "cache-control", "public, max-age=300");
    Ok(resp)
}

/// `GET /robots.txt`: the public pages may be indexed; the consoles and the API may not.
pub fn robots(req: &Request) -> Response {
    let home = http::own_origin(req).unwrap_or_default();
    let body = format!(
        "User-agent: *\nAllow: /alliance\nAllow: /shops/\nAllow: /verify/\nDisallow: /console\nDisallow: /v1/\nDisallow: /alliance/warranty\n\nSitemap: {home}/sitemap.xml\n"
    );
    let mut resp = http::text(body, "text/plain; charset=utf-8", 200);
    http::set(&mut resp, "cache-control", "public, max-age=3600");
    resp
}
