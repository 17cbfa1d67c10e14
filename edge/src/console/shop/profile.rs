//! The profile form: its fields for the page (filled from the stored profile or what was
//! posted), and [`ProfileForm`], the posted form read by serde, which becomes the new `Shop`
//! with each refusal named next to its field.

use super::*;

/// The profile form's values, by field name.
pub(super) type Fields = Vec<(String, String)>;

pub(super) fn profile_fields(shop: &Shop) -> Fields {
    let hours = |pick: fn(&LocalizedText) -> &String| {
        let lines: Vec<&str> = shop.hours.iter().map(|h| pick(h).as_str()).collect();
        lines.join("\n")
    };
    let mut f: Fields = vec![
        ("name_zh".into(), shop.name.zh_tw.clone()),
        ("name_en".into(), shop.name.en.clone()),
        ("city_zh".into(), shop.city.zh_tw.clone()),
        ("city_en".into(), shop.city.en.clone()),
        ("address_zh".into(), shop.address.zh_tw.clone()),
        ("address_en".into(), shop.address.en.clone()),
        ("phone".into(), shop.phone.clone()),
        ("hours_zh".into(), hours(|h| &h.zh_tw)),
        ("hours_en".into(), hours(|h| &h.en)),
        ("bays".into(), shop.bays.to_string()),
        ("origins".into(), members::origins_text(shop, "\n")),
        (
            "requested".into(),
            shop.membership
                .requested_origins
                .iter()
                .map(|o| o.as_str())
                .collect::<Vec<_>>()
                .join("\n"),
        ),
        ("page_url".into(), shop.page_url.clone().unwrap_or_default()),
        (
            "alert_email".into(),
            shop.alert_email.clone().unwrap_or_default(),
        ),
        (
            "reminder_hour".into(),
            shop.reminder_hour
                .map(|h| h.to_string())
                .unwrap_or_default(),
        ),
        (
            "webhook_url".into(),
            shop.webhook_url.as_deref().unwrap_or_default().to_owned(),
        ),
    ];
    if shop.referrals.send {
        f.push(("referrals_send".into(), "on".into()));
    }
    if shop.referrals.receive {
        f.push(("referrals_receive".into(), "on".into()));
    }
    if let Some(b) = &shop.booking {
        f.push(("booking_on".into(), "on".into()));
        for d in &b.weekly {
            f.push((format!("open_{}", d.weekday), d.open.to_string()));
            f.push((format!("close_{}", d.weekday), d.close.to_string()));
            if let Some((a, z)) = d.breaks.first() {
                f.push((format!("break_from_{}", d.weekday), a.to_string()));
                f.push((format!("break_to_{}", d.weekday), z.to_string()));
            }
        }
        f.push(("closures".into(), b.closures.join("\n")));
        f.push(("lead_minutes".into(), b.lead_minutes.to_string()));
        f.push(("horizon_days".into(), b.horizon_days.to_string()));
        f.push((
            "cancel_cutoff_hours".into(),
            b.cancel_cutoff_hours.to_string(),
        ));
        f.push(("step_minutes".into(), b.step_minutes.to_string()));
    }
    for (i, svc) in shop.services.iter().enumerate() {
        f.push((format!("svc_{i}_id"), svc.id.to_string()));
        f.push((format!("svc_{i}_zh"), svc.name.zh_tw.clone()));
        f.push((format!("svc_{i}_en"), svc.name.en.clone()));
        f.push((format!("svc_{i}_minutes"), svc.duration_minutes.to_string()));
        f.push((format!("svc_{i}_bays"), svc.bays.to_string()));
        f.push((format!("svc_{i}_price_zh"), svc.price.zh_tw.clone()));
        f.push((format!("svc_{i}_price_en"), svc.price.en.clone()));
    }
    f
}

/// What to tell the shop about a refused profile field, in the page's language (the stored
/// profile's checks word their problems in English for the API).
/// What the profile form says about a refusal of `key`: the form's own message for the fields
/// whose rules need explaining, else the refusal's reason (`p`, from the API's validation).
pub(super) fn profile_message(l: Locale, key: &str, p: Option<&shared::Problem>) -> String {
    let reason = p.and_then(|p| {
        p.errors
            .iter()
            .find_map(|e| crate::i18n::reason_text(l, e.reason))
    });
    let text = match key {
        "page_url" => t(
            l,
            "放小工具的網頁網址必須在貴店的網站（允許的來源）之內。",
            "The page with the widget must be an address on one of your sites (allowed origins).",
        ),
        "webhook_url" => t(
            l,
            "Webhook 網址必須是公開的 https 網址。",
            "The webhook URL must be a public https address.",
        ),
        "origins" => t(
            l,
            "網站需為 https 網址（本機測試可用 http），最多 20 個。",
            "Sites must be https origins (http only for local testing), at most 20.",
        ),
        "hours" => t(
            l,
            "營業時間或預約規則不一致，請檢查。",
            "The opening hours or booking rules do not fit together; please check them.",
        ),
        "services" => t(
            l,
            "每項服務需有時間，占用工位需在 1 到本店工位數之間。",
            "Each service needs a duration and 1 to the shop's number of bays.",
        ),
        "" => {
            return p
                .map(|p| crate::i18n::problem_text(l, p))
                .unwrap_or_default()
        }
        _ => {
            return reason.unwrap_or_else(|| {
                t(
                    l,
                    "這一欄需要填寫，且不能太長。",
                    "This field is required and must not be too long.",
                )
                .to_owned()
            })
        }
    };
    text.to_owned()
}

/// Which form field a stored-profile problem is about.
pub(super) fn profile_field_for(problem_field: &str) -> &'static str {
    match problem_field {
        "name.zh-TW" => "name_zh",
        "name.en" => "name_en",
        "city.zh-TW" => "city_zh",
        "city.en" => "city_en",
        "address.zh-TW" => "address_zh",
        "address.en" => "address_en",
        "phone" => "phone",
        "booking" => "hours",
        "time_zone" => "hours",
        "services" => "services",
        "page_url" => "page_url",
        "webhook_url" => "webhook_url",
        "alert_email" => "alert_email",
        "reminder_hour" => "reminder_hour",
        f if f.starts_with("membership") => "origins",
        _ => "",
    }
}

pub(super) type FieldErr = (String, String);

/// The text's non-empty lines, trimmed.
fn lines(text: &str) -> Vec<&str> {
    text.lines()
        .map(str::trim)
        .filter(|x| !x.is_empty())
        .collect()
}

pub(super) fn bad(field: &str, msg: impl Into<String>) -> FieldErr {
    (field.to_owned(), msg.into())
}

/// The profile form as posted, read by serde: each fixed field by its name; the week's hours
/// (`open_1` … `break_to_7`) and the services (`svc_0_id` …), whose names are numbered, in
/// `numbered`. [`ProfileForm::apply`] makes it a `Shop`.
#[derive(Debug, Default, serde::Deserialize)]
#[serde(default)]
pub(super) struct ProfileForm {
    name_zh: String,
    name_en: String,
    city_zh: String,
    city_en: String,
    address_zh: String,
    address_en: String,
    phone: String,
    hours_zh: String,
    hours_en: String,
    bays: String,
    page_url: String,
    webhook_url: String,
    alert_email: String,
    reminder_hour: String,
    referrals_send: String,
    referrals_receive: String,
    booking_on: String,
    closures: String,
    lead_minutes: String,
    horizon_days: String,
    cancel_cutoff_hours: String,
    step_minutes: String,
    #[serde(flatten)]
    numbered: std::collections::BTreeMap<String, String>,
}

impl ProfileForm {
    /// Reads the posted form (every value is text, so reading cannot fail).
    pub(super) fn read(pairs: &Fields) -> Self {
        let map = serde::de::value::MapDeserializer::<_, serde::de::value::Error>::new(
            pairs.iter().map(|(k, v)| (k.as_str(), v.as_str())),
        );
        <Self as serde::Deserialize>::deserialize(map).unwrap_or_default()
    }

    /// A numbered field (`open_3`, `svc_0_id`), `""` when absent.
    fn numbered(&self, name: &str) -> &str {
        self.numbered.get(name).map_or("", String::as_str)
    }

    /// The shop `current` with this form applied; the first problem names its field. The
    /// result is then saved through the same path as the JSON API's (`members::update_member`,
    /// which runs [`Shop::validate`]), so the two cannot accept different profiles; the rules
    /// here only say the refusal next to the right form field, in the console's language.
    pub(super) fn apply(&self, current: &Shop, l: Locale) -> Result<Shop, FieldErr> {
        let mut shop = current.clone();
        let text = |zh: &str, en: &str| LocalizedText {
            zh_tw: zh.trim().to_owned(),
            en: en.trim().to_owned(),
        };
        shop.name = text(&self.name_zh, &self.name_en);
        shop.city = text(&self.city_zh, &self.city_en);
        shop.address = text(&self.address_zh, &self.address_en);
        shop.phone = self.phone.trim().to_owned();
        let (zh, en) = (lines(&self.hours_zh), lines(&self.hours_en));
        if zh.len() != en.len() {
            return Err(bad(
                "hours_zh",
                t(
                    l,
                    "營業時間的中文與英文需要一樣多行。",
                    "The opening hours need as many English lines as Chinese ones.",
                ),
            ));
        }
        shop.hours = zh
            .iter()
            .zip(&en)
            .map(|(z, e)| LocalizedText {
                zh_tw: (*z).into(),
                en: (*e).into(),
            })
            .collect();
        shop.bays = self
            .bays
            .trim()
            .parse()
            .ok()
            .filter(|n| (1..=shared::MAX_BAYS).contains(n))
            .ok_or_else(|| {
                bad(
                    "bays",
                    t(l, "工位數需為 1 到 50。", "Bays must be 1 to 50."),
                )
            })?;
        // The shop's sites are the alliance's to grant (requested below the form), never saved here.
        let opt = |v: &str| Some(v.trim().to_owned()).filter(|v| !v.is_empty());
        shop.page_url = opt(&self.page_url);
        shop.webhook_url = match opt(&self.webhook_url) {
            None => None,
            Some(url) => Some(
                shared::WebhookUrl::parse(&url)
                    .map_err(|_| bad("webhook_url", profile_message(l, "webhook_url", None)))?,
            ),
        };
        shop.alert_email = match opt(&self.alert_email) {
            Some(a) if !shared::email_ok(&a) => {
                return Err(bad(
                    "alert_email",
                    t(
                        l,
                        "電子郵件格式不正確。",
                        "That e-mail address doesn't look right.",
                    ),
                ))
            }
            a => a,
        };
        shop.reminder_hour = match opt(&self.reminder_hour) {
            None => None,
            Some(h) => Some(
                h.parse()
                    .ok()
                    .filter(|h| shared::REMINDER_HOURS.contains(h))
                    .ok_or_else(|| {
                        bad(
                            "reminder_hour",
                            t(
                                l,
                                "提醒時間需為 8 到 20 點（晚上 9 點到早上 8 點不寄送）。",
                                "The reminder hour is 8 to 20 (nothing is sent 21:00–08:00).",
                            ),
                        )
                    })?,
            ),
        };
        shop.referrals = shared::Referrals {
            send: self.referrals_send.as_str() == "on",
            receive: self.referrals_receive.as_str() == "on",
        };
        shop.booking = if self.booking_on.as_str() == "on" {
            let time = |name: &str| -> Result<Option<TimeOfDay>, FieldErr> {
                match opt(self.numbered(name)) {
                    None => Ok(None),
                    Some(v) => TimeOfDay::parse(&v).map(Some).map_err(|_| {
                        bad(
                            name,
                            format!(
                                "{v}: {}",
                                t(l, "請用 24 小時制 HH:MM。", "use 24-hour HH:MM.")
                            ),
                        )
                    }),
                }
            };
            let mut weekly = Vec::new();
            for day in 1..=7u8 {
                let (open, close) = (
                    time(&format!("open_{day}"))?,
                    time(&format!("close_{day}"))?,
                );
                match (open, close) {
                (None, None) => {}
                (Some(open), Some(close)) if open < close => {
                    let breaks = match (time(&format!("break_from_{day}"))?, time(&format!("break_to_{day}"))?) {
                        (Some(a), Some(z)) if open <= a && a < z && z <= close => vec![(a, z)],
                        (None, None) => vec![],
                        _ => return Err(bad(&format!("break_from_{day}"), t(l, "休息時間需在營業時間內，且開始早於結束。", "A break must lie within the opening hours and start before it ends."))),
                    };
                    weekly.push(DayHours { weekday: day, open, close, breaks });
                }
                _ => return Err(bad(&format!("open_{day}"), t(l, "請填開門與打烊時間，且開門早於打烊；公休日兩格都留空。", "Give both opening and closing times, opening first; leave both empty on closed days."))),
            }
            }
            let number = |name: &str, max: u32| -> Result<u32, FieldErr> {
                let value = match name {
                    "lead_minutes" => &self.lead_minutes,
                    "horizon_days" => &self.horizon_days,
                    "cancel_cutoff_hours" => &self.cancel_cutoff_hours,
                    _ => &self.step_minutes,
                };
                value
                    .trim()
                    .parse::<u32>()
                    .ok()
                    .filter(|n| *n <= max)
                    .ok_or_else(|| {
                        bad(
                            name,
                            format!("{} 0–{max}", t(l, "請填整數", "Enter a whole number")),
                        )
                    })
            };
            let mut closures = Vec::new();
            for line in lines(&self.closures) {
                let ok = line.len() == 10
                    && shared::parse_rfc3339(&format!("{line}T00:00:00Z")).is_some();
                if !ok {
                    return Err(bad(
                        "closures",
                        format!(
                            "{line}: {}",
                            t(
                                l,
                                "日期請用 YYYY-MM-DD，每行一天。",
                                "use YYYY-MM-DD, one date per line."
                            )
                        ),
                    ));
                }
                closures.push(line.to_owned());
            }
            let rules = BookingRules {
                weekly,
                closures,
                lead_minutes: number("lead_minutes", 60 * 24 * 14)?,
                horizon_days: number("horizon_days", 366)? as u16,
                cancel_cutoff_hours: number("cancel_cutoff_hours", 24 * 14)? as u16,
                step_minutes: number("step_minutes", 240)? as u16,
            };
            rules.validate().map_err(|e| bad("hours", e))?;
            Some(rules)
        } else {
            None
        };
        let mut services = Vec::new();
        for i in 0..=current.services.len() {
            let id = self.numbered(&format!("svc_{i}_id")).trim();
            if id.is_empty() || self.numbered(&format!("svc_{i}_remove")) == "on" {
                continue;
            }
            let Ok(id) = shared::ServiceId::parse(id) else {
                return Err(bad(
                    &format!("svc_{i}_id"),
                    t(
                        l,
                        "服務代碼需為英數字、- 或 _（最多 32 字）。",
                        "A service code is letters, digits, - or _ (at most 32).",
                    ),
                ));
            };
            if services.iter().any(|s: &Service| s.id == id) {
                return Err(bad(
                    &format!("svc_{i}_id"),
                    t(l, "服務代碼重複。", "Two services have the same code."),
                ));
            }
            let minutes = self
                .numbered(&format!("svc_{i}_minutes"))
                .trim()
                .parse()
                .ok()
                .filter(|m| shared::SERVICE_MINUTES.contains(m))
                .ok_or_else(|| {
                    bad(
                        &format!("svc_{i}_minutes"),
                        t(
                            l,
                            "時間需為 5 到 1440 分鐘。",
                            "Duration must be 5 to 1440 minutes.",
                        ),
                    )
                })?;
            let bays = self
                .numbered(&format!("svc_{i}_bays"))
                .trim()
                .parse()
                .ok()
                .filter(|b| *b >= 1 && *b <= shop.bays)
                .ok_or_else(|| {
                    bad(
                        &format!("svc_{i}_bays"),
                        t(
                            l,
                            "工位數需為 1 到本店工位數。",
                            "Bays must be 1 to the shop's bays.",
                        ),
                    )
                })?;
            let name = text(
                self.numbered(&format!("svc_{i}_zh")),
                self.numbered(&format!("svc_{i}_en")),
            );
            if name.zh_tw.is_empty() || name.en.is_empty() {
                return Err(bad(
                    &format!("svc_{i}_zh"),
                    t(
                        l,
                        "服務名稱需有中文與英文。",
                        "A service needs a Chinese and an English name.",
                    ),
                ));
            }
            services.push(Service {
                id,
                name,
                duration_minutes: minutes,
                price: text(
                    self.numbered(&format!("svc_{i}_price_zh")),
                    self.numbered(&format!("svc_{i}_price_en")),
                ),
                bays,
            });
        }
        if services.is_empty() {
            return Err(bad(
                "services",
                t(l, "至少需要一項服務。", "List at least one service."),
            ));
        }
        shop.services = services;
        Ok(shop)
    }
}
