//! Every message the edge sends, in zh-TW and English: one function per kind's words, one
//! layout for e-mail (plain text and HTML). Pure: tested natively by rendering
//! every kind in both languages (and the HTML through the Nu Html Checker).
//!
//! What a message carries is what its purpose needs: the shop's alert names the customer and
//! the car; the customer's messages never repeat their phone number or plate.

use crate::http::escape;
use shared::{Locale, MessageKind};

/// What a message is made from, already in the message's language.
pub struct Letter {
    /// What it is about.
    pub kind: MessageKind,
    /// Its language.
    pub locale: Locale,
    /// The shop's name.
    pub shop: String,
    /// The shop's phone.
    pub shop_phone: String,
    /// The shop's address, and a map link to it.
    pub address: String,
    /// A map link for the address.
    pub map: String,
    /// The service booked.
    pub service: String,
    /// The booking's start, as a message says it in the shop's zone.
    pub when: String,
    /// The booking's reference.
    pub reference: String,
    /// The manage link (change, cancel, "I'll be there" on the reminder).
    pub manage: String,
    /// The booking as a calendar file.
    pub calendar: String,
    /// "I'll be there" (reminders).
    pub attend: String,
    /// The review link (review requests).
    pub review: Option<String>,
    /// Why the shop cancelled, in its own words.
    pub reason: Option<String>,
    /// For the shop's alerts: the customer's name and the car (make, model, plate).
    pub customer: String,
    /// For the shop's alerts: the car.
    pub vehicle: String,
    /// For the shop's alerts: the console's page of the booking.
    pub console: String,
    /// Where "stop these e-mails" leads.
    pub unsubscribe: String,
}

/// A rendered message.
pub struct Rendered {
    /// The e-mail's subject.
    pub subject: String,
    /// The e-mail's plain-text part.
    pub text: String,
    /// The e-mail's HTML part (a whole document).
    pub html: String,
    /// The LINE message: the subject and the lines, no e-mail footer (a LINE link is undone
    /// by sending STOP, or on the booking's LINE page), at most 5,000 characters.
    pub line: String,
}

/// One line of a message: plain words, or words with a link.
enum Part {
    Say(String),
    Link(String, String),
}

fn t(l: Locale, zh: &str, en: &str) -> String {
    match l {
        Locale::En => en.to_owned(),
        _ => zh.to_owned(),
    }
}

/// The subject and the lines of each kind.
fn words(m: &Letter) -> (String, Vec<Part>) {
    use MessageKind::*;
    use Part::*;
    let l = m.locale;
    let details = || {
        vec![
            Say(format!("{}: {}", t(l, "服務", "Service"), m.service)),
            Say(format!("{}: {}", t(l, "時間", "Time"), m.when)),
            Say(format!(
                "{}: {}",
                t(l, "預約編號", "Reference"),
                m.reference
            )),
            Link(
                format!("{}: {}", t(l, "地址", "Address"), m.address),
                m.map.clone(),
            ),
        ]
    };
    let manage = || {
        Link(
            t(
                l,
                "查看、改期或取消預約",
                "See, move or cancel your booking",
            ),
            m.manage.clone(),
        )
    };
    // A booking at a (new) time: what happened, its details, the calendar file, the manage link.
    let dated = |opening: String, subject: String| {
        let mut lines = vec![Say(opening)];
        lines.extend(details());
        lines.push(Link(
            t(l, "加入行事曆", "Add to your calendar"),
            m.calendar.clone(),
        ));
        lines.push(manage());
        (subject, lines)
    };
    match m.kind {
        Confirmation => dated(
            match l {
                Locale::En => format!("Your booking at {} is confirmed.", m.shop),
                _ => format!("您在{}的預約已確認。", m.shop),
            },
            match l {
                Locale::En => format!("Booking confirmed: {} · {}", m.shop, m.when),
                _ => format!("預約確認：{}・{}", m.shop, m.when),
            },
        ),
        Reminder => {
            let mut lines = vec![Say(match l {
                Locale::En => format!("A reminder: {} expects you tomorrow.", m.shop),
                _ => format!("提醒您：{}明天恭候您的光臨。", m.shop),
            })];
            lines.extend(details());
            lines.push(Link(t(l, "我會準時到", "I'll be there"), m.attend.clone()));
            lines.push(Link(t(l, "改期或取消", "Move or cancel"), m.manage.clone()));
            (
                match l {
                    Locale::En => format!("Tomorrow at {}: {}", m.shop, m.when),
                    _ => format!("明天的預約：{}・{}", m.shop, m.when),
                },
                lines,
            )
        }
        Rescheduled => dated(
            match l {
                Locale::En => format!("Your booking at {} has a new time.", m.shop),
                _ => format!("您在{}的預約時間已變更。", m.shop),
            },
            match l {
                Locale::En => format!("New time: {} · {}", m.shop, m.when),
                _ => format!("預約改期：{}・{}", m.shop, m.when),
            },
        ),
        Cancelled => {
            let mut lines = vec![Say(match l {
                Locale::En => format!("Your booking at {} on {} is cancelled.", m.shop, m.when),
                _ => format!("您在{}於{}的預約已取消。", m.shop, m.when),
            })];
            if let Some(reason) = &m.reason {
                lines.push(Say(format!(
                    "{}: {reason}",
                    t(l, "店家說明", "The shop says")
                )));
            }
            lines.push(Say(format!(
                "{}: {}",
                t(l, "預約編號", "Reference"),
                m.reference
            )));
            lines.push(Say(format!(
                "{} {}",
                t(l, "如需重新預約，請致電", "To book again, call"),
                m.shop_phone
            )));
            (
                match l {
                    Locale::En => format!("Booking cancelled: {} · {}", m.shop, m.when),
                    _ => format!("預約已取消：{}・{}", m.shop, m.when),
                },
                lines,
            )
        }
        Ready => (
            match l {
                Locale::En => format!("Your car is ready at {}", m.shop),
                _ => format!("您的愛車已可取車：{}", m.shop),
            },
            vec![
                Say(match l {
                    Locale::En => format!("Your car is ready to be picked up at {}.", m.shop),
                    _ => format!("{}通知您：您的愛車已完成，可以取車了。", m.shop),
                }),
                Say(format!(
                    "{}: {}",
                    t(l, "預約編號", "Reference"),
                    m.reference
                )),
                Link(
                    format!("{}: {}", t(l, "地址", "Address"), m.address),
                    m.map.clone(),
                ),
                Say(format!("{}: {}", t(l, "電話", "Phone"), m.shop_phone)),
            ],
        ),
        ReviewRequest => {
            // One request, the same words for every customer: no review gating.
            let mut lines = vec![Say(match l {
                Locale::En => format!(
                    "Thank you for visiting {}. How was it? Every review, good or bad, helps other drivers and the shop.",
                    m.shop
                ),
                _ => format!(
                    "感謝您光臨{}。這次的服務如何？無論好壞，您的評論都能幫助其他車主與店家。",
                    m.shop
                ),
            })];
            lines.push(Say(format!(
                "{}: {}",
                t(l, "預約編號", "Reference"),
                m.reference
            )));
            if let Some(link) = &m.review {
                lines.push(Link(t(l, "撰寫評論", "Write a review"), link.clone()));
            }
            lines.push(Say(t(
                l,
                "此連結僅供這次來店使用，我們只會寄送這一次。",
                "The link is for this visit only; we send it once.",
            )));
            (
                match l {
                    Locale::En => format!("How was your visit to {}?", m.shop),
                    _ => format!("{}的服務如何？", m.shop),
                },
                lines,
            )
        }
        ShopNew | ShopRescheduled | ShopCancelled | Agenda => {
            let (zh, en) = match m.kind {
                ShopNew => ("新預約", "New booking"),
                ShopRescheduled => ("預約改期", "Booking moved"),
                Agenda => ("今日預約", "Today's bookings"),
                _ => ("預約取消", "Booking cancelled"),
            };
            (
                format!(
                    "{}: {} · {} · {}",
                    t(l, zh, en),
                    m.when,
                    m.service,
                    m.customer
                ),
                vec![
                    Say(format!("{}: {}", t(l, zh, en), m.shop)),
                    Say(format!(
                        "{}: {}",
                        t(l, "預約編號", "Reference"),
                        m.reference
                    )),
                    Say(format!("{}: {}", t(l, "時間", "Time"), m.when)),
                    Say(format!("{}: {}", t(l, "服務", "Service"), m.service)),
                    Say(format!("{}: {}", t(l, "顧客", "Customer"), m.customer)),
                    Say(format!("{}: {}", t(l, "車輛", "Vehicle"), m.vehicle)),
                    Link(t(l, "在後台查看", "Open in the console"), m.console.clone()),
                ],
            )
        }
    }
}

/// Renders `m` for e-mail.
pub fn render(m: &Letter) -> Rendered {
    let (subject, lines) = words(m);
    layout(m.locale, &m.shop, subject, lines, &m.unsubscribe)
}

/// The shop's agenda for `date` (as a message says a date): one line per booking.
pub fn render_agenda(
    l: Locale,
    shop: &str,
    date: &str,
    bookings: &[String],
    console: &str,
    unsubscribe: &str,
) -> Rendered {
    let subject = match l {
        Locale::En => format!("Today at {shop}: {} bookings · {date}", bookings.len()),
        _ => format!("今日預約：{shop} {} 筆・{date}", bookings.len()),
    };
    let mut lines: Vec<Part> = bookings.iter().map(|b| Part::Say(b.clone())).collect();
    lines.push(Part::Link(
        t(l, "在後台查看今天的預約", "Today's bookings in the console"),
        console.to_owned(),
    ));
    layout(l, shop, subject, lines, unsubscribe)
}

/// The words in the messages' one layout: plain text, HTML and LINE.
fn layout(l: Locale, shop: &str, subject: String, lines: Vec<Part>, unsubscribe: &str) -> Rendered {
    let footer = match l {
        Locale::En => format!("Sent by the alliance for {shop}."),
        _ => format!("本信由聯盟代{shop}寄出。"),
    };
    let stop = t(l, "不再收到這類電子郵件", "Stop these e-mails");
    let mut text = String::new();
    let mut body = String::new();
    for part in &lines {
        match part {
            Part::Say(s) => {
                text.push_str(s);
                text.push('\n');
                body.push_str(&format!("<p>{}</p>\n", escape(s)));
            }
            Part::Link(label, url) => {
                text.push_str(&format!("{label}:\n{url}\n"));
                body.push_str(&format!(
                    "<p><a href=\"{}\">{}</a></p>\n",
                    escape(url),
                    escape(label)
                ));
            }
        }
    }
    let line_stop = t(
        l,
        "回覆「停止」即不再收到 LINE 訊息。",
        "Reply STOP to get no more LINE messages.",
    );
    let line = format!("{subject}\n\n{text}\n{line_stop}");
    text.push_str(&format!("\n--\n{footer}\n{stop}: {unsubscribe}\n"));
    let lang = match l {
        Locale::En => "en",
        _ => "zh-Hant-TW",
    };
    let html = format!(
        "<!DOCTYPE html>\n<html lang=\"{lang}\">\n<head>\n<meta charset=\"utf-8\">\n\
<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>{title}</title>\n</head>\n\
<body style=\"margin:0;padding:16px;font-family:system-ui,sans-serif;font-size:16px;line-height:1.5;color:#1f2933;background:#ffffff\">\n\
<h1 style=\"font-size:20px;margin:0 0 12px\">{shop}</h1>\n{body}\
<hr style=\"border:0;border-top:1px solid #d0d7de;margin:16px 0\">\n\
<p style=\"font-size:13px;color:#57606a\">{footer} <a href=\"{unsub}\">{stop}</a></p>\n</body>\n</html>\n",
        title = escape(&subject),
        shop = escape(shop),
        footer = escape(&footer),
        unsub = escape(unsubscribe),
        stop = escape(&stop),
    );
    Rendered {
        subject,
        text,
        html,
        line: line.chars().take(super::line::MAX_TEXT).collect(),
    }
}

#[cfg(test)]
pub mod tests {
    use super::*;

    /// A letter of `kind` in `locale`, with hostile text where people type it.
    pub fn sample(kind: MessageKind, locale: Locale) -> Letter {
        Letter {
            kind,
            locale,
            shop: "Ming's <Garage> & \"Sons\"".into(),
            shop_phone: "02-2345-6789".into(),
            address: "台北市大安區復興南路一段 100 號".into(),
            map: "https://www.google.com/maps/search/?api=1&query=25.04,121.54".into(),
            service: "機油保養 Oil change".into(),
            when: "2026年12月3日（週四）09:00".into(),
            reference: "RSV-7K2Q9X".into(),
            manage: "https://shop.example/book#manage=abc.def".into(),
            calendar: "https://edge.example/v1/bookings/abc.def/calendar.ics".into(),
            attend: "https://edge.example/v1/notify/abc.def/attend".into(),
            review: Some("https://shop.example/#review=xyz".into()),
            reason: Some("</p><script>alert(1)</script> 技師請假".into()),
            customer: "王小明 <b>".into(),
            vehicle: "Toyota Corolla Altis (ABC-1234)".into(),
            console: "https://edge.example/console/shop/bookings/RSV-7K2Q9X".into(),
            unsubscribe: "https://edge.example/v1/notify/abc.def/unsubscribe".into(),
        }
    }

    #[test]
    fn every_kind_renders_in_both_languages_with_its_facts() {
        for kind in MessageKind::ALL {
            for locale in [Locale::ZhTw, Locale::En] {
                let r = render(&sample(kind, locale));
                let all = format!("{}\n{}", r.subject, r.text);
                assert!(
                    r.subject.contains("Ming's <Garage>") || kind.for_shop(),
                    "{kind:?}: {}",
                    r.subject
                );
                assert!(
                    all.contains("RSV-7K2Q9X"),
                    "{kind:?} {locale:?} names the booking"
                );
                // The customer's messages never carry the phone or the plate.
                if !kind.for_shop() {
                    assert!(
                        !all.contains("ABC-1234") && !all.contains("王小明"),
                        "{kind:?}"
                    );
                } else {
                    assert!(
                        all.contains("ABC-1234") && all.contains("王小明"),
                        "{kind:?}"
                    );
                }
                // Text is escaped in HTML, never markup.
                assert!(!r.html.contains("<script>") && !r.html.contains("<Garage>"));
                assert!(!r.html.contains("<b>"));
                assert!(r.html.contains(&format!(
                    "<html lang=\"{}\">",
                    if locale == Locale::En {
                        "en"
                    } else {
                        "zh-Hant-TW"
                    }
                )));
                assert!(r
                    .text
                    .contains("https://edge.example/v1/notify/abc.def/unsubscribe"));
                assert!(r.line.starts_with(&r.subject) && !r.line.contains("/unsubscribe"));
                assert!(r.line.contains("RSV-7K2Q9X") && r.line.chars().count() <= 5000);
                let english = all.contains("Reference: ");
                assert_eq!(
                    all.contains("預約編號: "),
                    locale != Locale::En,
                    "{kind:?} {locale:?}"
                );
                assert_eq!(
                    english,
                    locale == Locale::En,
                    "{kind:?} {locale:?} is in its language: {all}"
                );
            }
        }
    }

    #[test]
    fn the_review_request_says_the_same_to_everyone() {
        let r = render(&sample(MessageKind::ReviewRequest, Locale::En));
        assert!(r.text.contains("good or bad"));
        for steer in ["5 stars", "five stars", "happy", "satisfied"] {
            assert!(!r.text.to_lowercase().contains(steer), "no gating: {steer}");
        }
        assert!(r.text.contains("https://shop.example/#review=xyz"));
    }

    /// Writes every kind's HTML in both languages and has the Nu Html Checker (vnu-jar from
    /// npm, on Java 17, both installed by `cargo xtask setup`) check them: no errors.
    #[test]
    fn every_html_message_passes_the_nu_html_checker() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .parent()
            .unwrap();
        let vnu = root.join("node_modules/vnu-jar/build/dist/vnu.jar");
        assert!(
            vnu.exists(),
            "{} is missing: run `cargo xtask setup`",
            vnu.display()
        );
        let dir = root.join("target").join("message-html");
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        let mut files = Vec::new();
        for kind in MessageKind::ALL {
            for locale in [Locale::ZhTw, Locale::En] {
                let path = dir.join(format!("{}-{}.html", kind.as_str(), locale.tag()));
                std::fs::write(&path, render(&sample(kind, locale)).html).unwrap();
                files.push(path);
            }
        }
        for locale in [Locale::ZhTw, Locale::En] {
            let path = dir.join(format!("agenda-list-{}.html", locale.tag()));
            let lines = ["09:00 機油保養 · 王小明 <b> · Toyota (ABC-1234)".to_owned()];
            std::fs::write(
                &path,
                render_agenda(
                    locale,
                    "Ming's <Garage>",
                    "2026年12月3日（週四）",
                    &lines,
                    "https://edge.example/console",
                    "https://edge.example/u",
                )
                .html,
            )
            .unwrap();
            files.push(path);
        }
        let out = std::process::Command::new("java")
            .arg("-jar")
            .arg(&vnu)
            .args(["--errors-only", "--format", "text"])
            .args(&files)
            .output()
            .expect("java runs (installed by `cargo xtask setup`)");
        assert!(
            out.status.success(),
            "the Nu Html Checker found errors:\n{}",
            String::from_utf8_lossy(&out.stderr)
        );
        assert_eq!(files.len(), 22);
    }
}
