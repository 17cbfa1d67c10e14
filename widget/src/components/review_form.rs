use crate::api::{self, SubmitError};
use crate::i18n;
use leptos::prelude::*;
use leptos::task::spawn_local;
use shared::{FieldError, Locale, ReviewForm, ReviewToken, ServiceLabel};

/// Where the form is in its life.
#[derive(Debug, Clone, PartialEq)]
enum Sending {
    Idle,
    Busy,
    Failed(SubmitError),
}

/// The review form a verified-visit link (`?review=TOKEN`) opens: 1 to 5 stars, the text, the
/// service and a name. It validates with the same rules as the edge, shows each problem next
/// to its field, and says plainly when the link itself cannot be used.
#[component]
pub fn ReviewFormView(
    token: String,
    services: Vec<ServiceLabel>,
    api: String,
    shop: String,
    locale: Locale,
    on_published: impl Fn() + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let c = i18n::t(locale);
    let preset = ReviewToken::peek(&token)
        .and_then(|t| t.service)
        .filter(|s| services.iter().any(|x| &x.id == s));
    let (stars, set_stars) = signal(0i64);
    let (text, set_text) = signal(String::new());
    let locked = preset.is_some();
    let (service, set_service) = signal(preset.unwrap_or_default());
    let (author, set_author) = signal(String::new());
    let (honeypot, set_honeypot) = signal(String::new());
    let (errors, set_errors) = signal(Vec::<FieldError>::new());
    let (sending, set_sending) = signal(Sending::Idle);
    let ids: Vec<String> = services.iter().map(|s| s.id.clone()).collect();
    let context = StoredValue::new((token, api, shop, ids));

    let error_for = move |field: &'static str| {
        move || {
            errors.with(|list| {
                list.iter()
                    .find(|e| e.field == field)
                    .map(|e| i18n::field_message(locale, e))
            })
        }
    };
    let invalid = move |field: &'static str| {
        move || {
            if errors.with(|l| l.iter().any(|e| e.field == field)) {
                "true"
            } else {
                "false"
            }
        }
    };

    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if sending.get_untracked() == Sending::Busy {
            return;
        }
        let (token, api, shop, ids) = context.get_value();
        let body = text.get_untracked();
        let form = ReviewForm {
            token,
            stars: stars.get_untracked(),
            language: Locale::detect(&body),
            text: body,
            service: service.get_untracked(),
            author: author.get_untracked(),
            website: honeypot.get_untracked(),
        };
        let offered: Vec<&str> = ids.iter().map(String::as_str).collect();
        if let Err(list) = form.validate(&offered) {
            set_errors.set(list);
            return;
        }
        set_errors.set(Vec::new());
        set_sending.set(Sending::Busy);
        spawn_local(async move {
            match api::post_review(&api, &shop, &form).await {
                Ok(_) => {
                    set_sending.set(Sending::Idle);
                    on_published();
                }
                Err(SubmitError::Fields(list)) => {
                    set_errors.set(list);
                    set_sending.set(Sending::Idle);
                }
                Err(e) => set_sending.set(Sending::Failed(e)),
            }
        });
    };

    let failure = move || match sending.get() {
        Sending::Failed(e) => Some(match e {
            SubmitError::TokenUsed => c.err_token_used,
            SubmitError::TokenExpired => c.err_token_expired,
            SubmitError::TokenInvalid => c.err_token_invalid,
            SubmitError::ForeignOrigin => c.err_foreign,
            SubmitError::RateLimited => c.err_rate,
            _ => c.err_generic,
        }),
        _ => None,
    };
    let star_class = move |n: u8| {
        move || {
            if stars.get() >= i64::from(n) {
                "aw-star-choice aw-on"
            } else {
                "aw-star-choice"
            }
        }
    };
    let star_inputs = (1..=5u8)
        .map(|n| {
            view! {
                <label class=star_class(n)>
                    <input
                        type="radio"
                        name="aw-stars"
                        value=n.to_string()
                        prop:checked=move || stars.get() == i64::from(n)
                        on:change=move |_| set_stars.set(i64::from(n))
                    />
                    <span aria-hidden="true">"★"</span>
                    <span class="aw-sr">{i18n::star_choice(locale, n)}</span>
                </label>
            }
        })
        .collect_view();
    let options = services
        .iter()
        .map(|s| {
            let id = s.id.clone();
            let selected = {
                let id = id.clone();
                move || service.get() == id
            };
            view! { <option value=id selected=selected>{s.name.get(locale).to_owned()}</option> }
        })
        .collect_view();

    view! {
        <form class="aw-form" novalidate on:submit=submit aria-labelledby="aw-form-title">
            <h3 id="aw-form-title" class="aw-h3">{c.write_title}</h3>
            <fieldset class="aw-field" aria-invalid=invalid("stars") aria-describedby="aw-err-stars">
                <legend>{c.stars_label}</legend>
                <div class="aw-star-row">
                    {star_inputs}
                </div>
                <p id="aw-err-stars" class="aw-field-error">{error_for("stars")}</p>
            </fieldset>
            <div class="aw-field">
                <label for="aw-text">{c.text_label}</label>
                <textarea id="aw-text" rows="5" maxlength="2000"
                    aria-invalid=invalid("text") aria-describedby="aw-err-text"
                    prop:value=move || text.get()
                    on:input=move |ev| set_text.set(event_target_value(&ev))></textarea>
                <p id="aw-err-text" class="aw-field-error">{error_for("text")}</p>
            </div>
            <div class="aw-field">
                <label for="aw-service">{c.service_label}</label>
                // The visit's service comes from its link when the link names it: shown, not chosen.
                <select id="aw-service" aria-invalid=invalid("service") aria-describedby="aw-err-service"
                    disabled=locked
                    on:change=move |ev| set_service.set(event_target_value(&ev))>
                    <option value="">"—"</option>
                    {options}
                </select>
                <p id="aw-err-service" class="aw-field-error">{error_for("service")}</p>
            </div>
            <div class="aw-field">
                <label for="aw-author">{c.author_label}</label>
                <input id="aw-author" type="text" maxlength="40" autocomplete="name"
                    aria-invalid=invalid("author") aria-describedby="aw-err-author"
                    prop:value=move || author.get()
                    on:input=move |ev| set_author.set(event_target_value(&ev)) />
                <p id="aw-err-author" class="aw-field-error">{error_for("author")}</p>
            </div>
            <div class="aw-honeypot" aria-hidden="true">
                <label>"Website"<input type="text" tabindex="-1" autocomplete="off"
                    on:input=move |ev| set_honeypot.set(event_target_value(&ev)) /></label>
            </div>
            <p class="aw-field-error" role="alert">{failure}</p>
            <button type="submit" class="aw-button" disabled=move || sending.get() == Sending::Busy>
                {move || if sending.get() == Sending::Busy { c.submitting } else { c.submit }}
            </button>
        </form>
    }
}
