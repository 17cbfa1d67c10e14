//! The alliance's directory of members (`/alliance`): searchable by service and area, with
//! each member's rating, and the nearest first when the visitor shares a location.

use super::*;

/// `GET /alliance?service=oil&area=…&near=lat,lon&lang=en&embed=1`: the member directory, plain
/// HTML that needs no JavaScript; `embed=1` is the "find a member" view for the alliance's own
/// site (in an iframe). Sorted by distance from a place the visitor chose, if any.
pub async fn directory(req: &Request, app: &App) -> ApiResult<Response> {
    let q = query(req)?;
    let l = lang_of(&q, req);
    let embed = param(&q, "embed") == Some("1");
    let store = app.store()?;
    let alliance = store
        .alliance()
        .await?
        .ok_or_else(|| ApiError::client(ProblemKind::NotFound, "no alliance is imported yet"))?;
    let mut shops: Vec<Shop> = store
        .all_shops_cached()
        .await?
        .into_iter()
        .filter(active)
        .collect();
    shops.sort_by(|a, b| a.name.get(l).cmp(b.name.get(l)));
    let docs = store.all_widgets_cached().await?;
    let rating_of = |id: &ShopId| {
        docs.iter()
            .find(|d| &d.view.shop.id == id)
            .map(|d| d.view.rating.clone())
            .unwrap_or_default()
    };
    // Choices come from the members themselves.
    let mut services: Vec<(String, String)> = Vec::new();
    let mut areas: Vec<(String, f64, f64)> = Vec::new();
    for s in &shops {
        for svc in &s.services {
            if !services.iter().any(|(id, _)| svc.id == *id) {
                services.push((svc.id.to_string(), svc.name.get(l).to_owned()));
            }
        }
        let area = s.city.get(l).to_owned();
        if !areas.iter().any(|(a, _, _)| a == &area) {
            areas.push((area, s.latitude, s.longitude));
        }
    }
    areas.sort_by(|a, b| a.0.cmp(&b.0));
    let want_service = param(&q, "service").filter(|s| !s.is_empty());
    let want_area = param(&q, "area").filter(|s| !s.is_empty());
    let near: Option<(f64, f64)> = param(&q, "near")
        .and_then(|n| {
            let (a, b) = n.split_once(',')?;
            let (lat, lon) = (a.trim().parse::<f64>().ok()?, b.trim().parse::<f64>().ok()?);
            ((-90.0..=90.0).contains(&lat) && (-180.0..=180.0).contains(&lon)).then_some((lat, lon))
        })
        .or_else(|| {
            // A chosen area stands for its first member's position.
            let from = param(&q, "from")?;
            areas
                .iter()
                .find(|(a, _, _)| a == from)
                .map(|(_, lat, lon)| (*lat, *lon))
        });
    let mut list: Vec<(Option<f64>, &Shop)> = shops
        .iter()
        .filter(|s| want_service.is_none_or(|w| s.services.iter().any(|x| x.id == w)))
        .filter(|s| want_area.is_none_or(|w| s.city.get(l) == w))
        .map(|s| {
            (
                near.map(|(lat, lon)| distance_km(lat, lon, s.latitude, s.longitude)),
                s,
            )
        })
        .collect();
    if near.is_some() {
        list.sort_by(|a, b| a.0.unwrap_or(0.0).total_cmp(&b.0.unwrap_or(0.0)));
    }
    let option = |value: &str, label: &str, selected: bool| {
        format!(
            r#"<option value="{}"{}>{}</option>"#,
            escape(value),
            if selected { " selected" } else { "" },
            escape(label)
        )
    };
    let mut h = format!(
        "<h1>{}</h1>",
        escape(&format!(
            "{} · {}",
            alliance.name.get(l),
            t(l, "會員店家", "Member shops")
        ))
    );
    h.push_str(r#"<form method="get" action="/alliance" class="card" id="find">"#);
    if embed {
        h.push_str(r#"<input type="hidden" name="embed" value="1">"#);
    }
    h.push_str(&format!(
        r#"<input type="hidden" name="lang" value="{}">"#,
        l.tag()
    ));
    h.push_str(&format!(
        r#"<label for="service">{}</label><select id="service" name="service">{}"#,
        t(l, "服務", "Service"),
        option("", t(l, "全部服務", "Any service"), want_service.is_none())
    ));
    for (id, name) in &services {
        h.push_str(&option(id, name, want_service == Some(id.as_str())));
    }
    h.push_str(&format!(
        r#"</select><label for="area">{}</label><select id="area" name="area">{}"#,
        t(l, "地區", "Area"),
        option("", t(l, "全部地區", "Any area"), want_area.is_none())
    ));
    for (area, _, _) in &areas {
        h.push_str(&option(area, area, want_area == Some(area.as_str())));
    }
    h.push_str(&format!(
        r#"</select><label for="from">{}</label><select id="from" name="from">{}"#,
        t(l, "從哪裡出發（依距離排序）", "Sort by distance from"),
        option(
            "",
            t(l, "不排序", "Don't sort"),
            param(&q, "from").is_none()
        )
    ));
    for (area, _, _) in &areas {
        h.push_str(&option(
            area,
            area,
            param(&q, "from") == Some(area.as_str()),
        ));
    }
    h.push_str(&format!(
        r#"</select><input type="hidden" name="near" id="near" value=""><button type="submit" class="primary">{}</button> <button type="button" class="secondary" id="locate" hidden>{}</button><p class="hint" id="locate-status" role="status"></p></form>"#,
        t(l, "搜尋", "Search"),
        t(l, "用我的位置排序", "Sort by my location"),
    ));
    h.push_str(&format!(
        r#"<p class="muted">{} {}</p>"#,
        list.len(),
        t(l, "家會員", "members")
    ));
    for (km, s) in &list {
        let rating = rating_of(&s.id);
        let names: Vec<&str> = s.services.iter().map(|x| x.name.get(l)).collect();
        h.push_str(&format!(
            r#"<article class="member"><h2><a href="/shops/{id}?lang={lang}"{target}>{name}</a></h2><p class="muted">{city}{km}</p><p>{stars} {avg} · {count} {reviews}</p><p>{services}</p><p class="muted"><a href="/verify/{id}"{target}>{verify}</a></p></article>"#,
            lang = l.tag(),
            verify = t(l, "會員驗證", "Membership verification"),
            id = s.id,
            target = if embed { r#" target="_blank" rel="noopener""# } else { "" },
            name = escape(s.name.get(l)),
            city = escape(s.city.get(l)),
            km = km.map(|k| format!(" · {:.1} km", k)).unwrap_or_default(),
            stars = "★",
            avg = rating.average_display(),
            count = rating.count,
            reviews = t(l, "則評價", "reviews"),
            services = escape(&names.join("、")),
        ));
    }
    if list.is_empty() {
        h.push_str(&format!(
            r#"<p class="empty">{}</p>"#,
            t(l, "沒有符合的會員。", "No member matches.")
        ));
    }
    h.push_str(&warranty_form(l));
    Ok(html_page(
        l,
        &format!(
            "{} · {}",
            alliance.name.get(l),
            t(l, "會員店家", "Member shops")
        ),
        &h,
        embed,
        200,
    ))
}
