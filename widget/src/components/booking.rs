use super::slot_picker::SlotPicker;
use crate::api::{self, BookError, Calendar, FetchError};
use crate::i18n;
use leptos::html;
use leptos::prelude::*;
use leptos::task::spawn_local;
use shared::{
    BookingForm, BookingView, DayState, FieldError, Handover, Locale, Reason, ServiceLabel,
};
use std::collections::BTreeMap;
use wasm_bindgen::JsCast;

/// Where the customer is in the booking flow.
#[derive(Debug, Clone, PartialEq)]
enum Step {
    Service,
    Time,
    Details,
    Done(Box<BookingView>),
}

/// Other members offered on a full day.
#[derive(Debug, Clone, PartialEq)]
enum Offers {
    Hidden,
    Loading,
    Ready(Vec<shared::Referral>),
}

/// A text field of the booking form: which field, its label, and how to read and write it.
#[derive(Clone, Copy)]
struct Field {
    id: &'static str,
    label: &'static str,
    kind: &'static str,
    autocomplete: &'static str,
    get: fn(&BookingForm) -> String,
    set: fn(&mut BookingForm, String),
}

fn random_key() -> String {
    (0..4)
        .map(|_| format!("{:08x}", (js_sys::Math::random() * 4_294_967_296.0) as u32))
        .collect()
}

/// Tells the host page, with a namespaced event on the widget's host element, that a booking
/// was confirmed. Only the reference, shop, service and start go out: no personal data.
fn announce(node: &web_sys::Element, b: &BookingView) {
    let Some(host) = node
        .get_root_node()
        .dyn_into::<web_sys::ShadowRoot>()
        .ok()
        .map(|r| r.host())
    else {
        return;
    };
    let detail = js_sys::Object::new();
    for (k, v) in [
        ("reference", b.reference.as_str()),
        ("shop", b.shop.as_str()),
        ("service", b.service.as_str()),
        ("start", b.start.as_str()),
    ] {
        let _ = js_sys::Reflect::set(&detail, &k.into(), &v.into());
    }
    let init = web_sys::CustomEventInit::new();
    init.set_detail(&detail);
    init.set_bubbles(true);
    init.set_composed(true);
    if let Ok(event) =
        web_sys::CustomEvent::new_with_event_init_dict("alliance:booking-confirmed", &init)
    {
        let _ = host.dispatch_event(&event);
    }
}

/// The booking flow: service, day and time (in the shop's zone, full days shown as full),
/// vehicle and contact details (validated with the edge's own rules, errors next to fields),
/// then the confirmation with its reference, an .ics file and the manage link.
#[component]
pub fn Booking(
    services: Vec<ServiceLabel>,
    time_zone: String,
    api: String,
    shop: String,
    prefill: BTreeMap<String, String>,
    locale: Locale,
    /// Called by the "close" button: the first view shows the "book" button again.
    on_close: Callback<()>,
) -> impl IntoView {
    let c = i18n::t(locale);
    let p = |k: &str| prefill.get(k).cloned().unwrap_or_default();
    let preset_service = p("service");
    let service_known = services.iter().any(|s| s.id == preset_service);
    let form = RwSignal::new(BookingForm {
        service: if service_known {
            preset_service.clone()
        } else {
            services.first().map(|s| s.id.clone()).unwrap_or_default()
        },
        make: p("make"),
        model: p("model"),
        year: p("year"),
        plate: p("plate"),
        name: p("name"),
        phone: p("phone"),
        email: p("email"),
        locale,
        ..Default::default()
    });
    let step = RwSignal::new(Step::Service);
    let calendar = RwSignal::new(None::<Result<Calendar, FetchError>>);
    let day = RwSignal::new(None::<String>);
    let errors = RwSignal::new(Vec::<FieldError>::new());
    let failure = RwSignal::new(None::<BookError>);
    let sending = RwSignal::new(false);
    // A referral: the member (id, name) the customer chose on a day this shop is full.
    let target = RwSignal::new(None::<(String, String)>);
    let offers = RwSignal::new(Offers::Hidden);
    let idem = StoredValue::new(random_key());
    let context = StoredValue::new((
        api,
        shop,
        services.iter().map(|s| s.id.clone()).collect::<Vec<_>>(),
    ));
    let labels = StoredValue::new(services);
    let heading = NodeRef::<html::H3>::new();
    let root = NodeRef::<html::Div>::new();
    let zone_differs = {
        let visitor =
            js_sys::Intl::DateTimeFormat::new(&js_sys::Array::new(), &js_sys::Object::new())
                .resolved_options();
        let tz = js_sys::Reflect::get(&visitor, &"timeZone".into())
            .ok()
            .and_then(|v| v.as_string())
            .unwrap_or_default();
        tz != time_zone
    };
    let zone = StoredValue::new(time_zone);

    // Each step change moves focus to the step's heading, for keyboard and screen-reader users.
    Effect::new(move |_| {
        step.track();
        request_animation_frame(move || {
            if let Some(h) = heading.try_get_untracked().flatten() {
                let _ = h.focus();
            }
        });
    });

    let load_times = move || {
        calendar.set(None);
        day.set(None);
        let (api, shop, _) = context.get_value();
        let service = form.with_untracked(|f| f.service.clone());
        spawn_local(async move {
            let result = api::availability(&api, &shop, &service).await;
            if let Ok(cal) = &result {
                day.set(
                    cal.days
                        .iter()
                        .find(|d| d.state == DayState::Open)
                        .map(|d| d.date.clone()),
                );
            }
            calendar.set(Some(result));
        });
    };
    let go = move |s: Step| {
        failure.set(None);
        if s == Step::Time {
            target.set(None);
            load_times();
        }
        step.set(s);
    };
    // A full day: ask which nearby members can take the customer that day instead.
    Effect::new(move |_| {
        let chosen = day.get();
        let full = chosen.as_ref().is_some_and(|d| {
            calendar.with(|c| {
                matches!(c, Some(Ok(cal)) if cal.days.iter().any(|x| &x.date == d && x.state == DayState::Full))
            })
        });
        let Some(date) = chosen.filter(|_| full) else {
            offers.set(Offers::Hidden);
            return;
        };
        offers.set(Offers::Loading);
        let (api, shop, _) = context.get_value();
        let service = form.with_untracked(|f| f.service.clone());
        spawn_local(async move {
            let list = api::referrals(&api, &shop, &service, Some(&date))
                .await
                .unwrap_or_default();
            if day.try_get_untracked().flatten().as_deref() == Some(date.as_str()) {
                let _ = offers.try_set(Offers::Ready(list));
            }
        });
    });
    // A service this shop does not offer (asked for by the host page's prefill): which members do.
    let missing = (!preset_service.is_empty() && !service_known).then(|| preset_service.clone());
    let elsewhere = RwSignal::new(Offers::Hidden);
    if let Some(service) = missing.clone() {
        Effect::new(move |_| {
            if step.get() != Step::Service || elsewhere.get_untracked() != Offers::Hidden {
                return;
            }
            elsewhere.set(Offers::Loading);
            let (api, shop, _) = context.get_value();
            let service = service.clone();
            spawn_local(async move {
                let list = api::referrals(&api, &shop, &service, None)
                    .await
                    .unwrap_or_default();
                let _ = elsewhere.try_set(Offers::Ready(list));
            });
        });
    }
    let render_offers = move |state: Offers, title: &'static str, service: Option<String>| {
        match state {
            Offers::Hidden => ().into_any(),
            Offers::Loading => {
                view! { <p role="status" class="aw-muted">{c.offer_loading}</p> }.into_any()
            }
            Offers::Ready(list) if list.is_empty() => {
                view! { <p class="aw-muted">{c.offer_none}</p> }.into_any()
            }
            Offers::Ready(list) => {
                let with_day = service.is_some();
                let items = list.into_iter().map(|r| {
                let name = r.name.get(locale).to_owned();
                let id = r.shop.to_string();
                let day = with_day.then(|| {
                    let label = r.slots.first().map(|s| i18n::date_time(locale, s.start_ms, &r.time_zone)).unwrap_or_default();
                    view! { <p class="aw-offer-day">{r.service_name.get(locale).to_owned()}" · "{label}</p> }
                });
                let times = r.slots.into_iter().take(8).map(|slot| {
                    let (id, name, start, service) = (id.clone(), name.clone(), slot.start.clone(), service.clone());
                    view! {
                        <button type="button" class="aw-time" on:click=move |_| {
                            target.set(Some((id.clone(), name.clone())));
                            form.update(|f| {
                                f.start = start.clone();
                                if let Some(s) = &service {
                                    f.service = s.clone();
                                }
                            });
                            step.set(Step::Details);
                        }>{slot.time}</button>
                    }
                }).collect_view();
                view! {
                    <li class="aw-offer" data-shop=id.clone()>
                        <strong>{name.clone()}</strong>" "<span class="aw-muted">{r.city.get(locale).to_owned()}</span>
                        <p class="aw-muted">{i18n::offer_line(locale, r.distance_km, &r.rating, r.reviews)}</p>
                        {day}
                        <div class="aw-times">{times}</div>
                    </li>
                }
            }).collect_view();
                view! {
                    <section class="aw-offers" aria-label=title>
                        <p>{title}</p>
                        <ul class="aw-offer-list">{items}</ul>
                    </section>
                }
                .into_any()
            }
        }
    };
    let offer_view = move || render_offers(offers.get(), c.offer_title, None);
    let missing_for_view = StoredValue::new(missing);
    let elsewhere_view =
        move || render_offers(elsewhere.get(), c.not_offered, missing_for_view.get_value());
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if sending.get_untracked() {
            return;
        }
        let (api, shop, ids) = context.get_value();
        let mut offered: Vec<&str> = ids.iter().map(String::as_str).collect();
        // A referral's service is checked by the member it goes to.
        let chosen = form.with_untracked(|f| f.service.clone());
        if target.with_untracked(Option::is_some) {
            offered.push(&chosen);
        }
        let year = js_sys::Date::new_0().get_full_year() as u16;
        let f = form.get_untracked();
        if let Err(list) = f.validate(&offered, year) {
            errors.set(list);
            return;
        }
        errors.set(Vec::new());
        failure.set(None);
        sending.set(true);
        let key = idem.get_value();
        let node = root.get_untracked();
        spawn_local(async move {
            let to = target.get_untracked().map(|(id, _)| id);
            match api::book(&api, &shop, to.as_deref(), &f, &key).await {
                Ok(b) => {
                    if let Some(node) = node {
                        announce(&node, &b);
                    }
                    idem.set_value(random_key());
                    step.set(Step::Done(Box::new(b)));
                }
                Err(BookError::Fields(list)) => errors.set(list),
                Err(BookError::SlotTaken) => {
                    failure.set(Some(BookError::SlotTaken));
                    idem.set_value(random_key());
                    load_times();
                    step.set(Step::Time);
                }
                Err(e) => failure.set(Some(e)),
            }
            sending.set(false);
        });
    };

    let failure_text = move || {
        failure.get().map(|e| match e {
            BookError::SlotTaken => c.err_slot_taken,
            BookError::ForeignOrigin => c.err_foreign,
            BookError::RateLimited => c.err_rate,
            BookError::Network => c.network_error,
            _ => c.err_generic,
        })
    };
    let error_for = move |field: &'static str| {
        move || {
            errors.with(|l| {
                l.iter()
                    .find(|e| e.field == field)
                    .map(|e| booking_message(locale, e))
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
    let text_field = move |f: Field| {
        let err_id = format!("aw-err-{}", f.id);
        view! {
            <div class="aw-field">
                <label for=format!("aw-b-{}", f.id)>{f.label}</label>
                <input id=format!("aw-b-{}", f.id) type=f.kind autocomplete=f.autocomplete
                    aria-invalid=invalid(f.id) aria-describedby=err_id.clone()
                    prop:value=move || form.with(|x| (f.get)(x))
                    on:input=move |ev| form.update(|x| (f.set)(x, event_target_value(&ev))) />
                <p id=err_id class="aw-field-error">{error_for(f.id)}</p>
            </div>
        }
    };

    let body = move || {
        match step.get() {
        Step::Service => {
            let options = labels
                .get_value()
                .into_iter()
                .map(|s| {
                    let id = s.id.clone();
                    let checked = { let id = id.clone(); move || form.with(|f| f.service == id) };
                    let price = s.price.as_ref().map(|p| p.get(locale).to_owned()).unwrap_or_default();
                    view! {
                        <label class="aw-choice">
                            <input type="radio" name="aw-service" value=id.clone() prop:checked=checked
                                on:change=move |_| form.update(|f| f.service = id.clone()) />
                            <span><strong>{s.name.get(locale).to_owned()}</strong>
                            <span class="aw-muted">{format!(" · {} {} · {price}", s.duration_minutes, c.minutes)}</span></span>
                        </label>
                    }
                })
                .collect_view();
            view! {
                <h3 class="aw-h3" tabindex="-1" node_ref=heading>{c.choose_service}</h3>
                {elsewhere_view}
                <fieldset class="aw-field"><legend class="aw-sr">{c.choose_service}</legend>{options}</fieldset>
                <div class="aw-nav">
                    <button type="button" class="aw-button aw-secondary" on:click=move |_| on_close.run(())>{c.close}</button>
                    <button type="button" class="aw-button" on:click=move |_| go(Step::Time)>{c.next}</button>
                </div>
            }
            .into_any()
        }
        Step::Time => view! {
            <h3 class="aw-h3" tabindex="-1" node_ref=heading>{c.choose_time}</h3>
            {zone_differs.then(|| view! { <p class="aw-muted aw-zone">{i18n::zone_note(locale, &zone.get_value())}</p> })}
            <p class="aw-field-error" role="alert">{failure_text}</p>
            <SlotPicker calendar day on_pick=move |start: String| { form.update(|f| f.start = start); go(Step::Details); } on_retry=load_times locale />
            {offer_view}
            <div class="aw-nav">
                <button type="button" class="aw-button aw-secondary" on:click=move |_| go(Step::Service)>{c.back}</button>
            </div>
        }
        .into_any(),
        Step::Details => {
            let chosen = form.with_untracked(|f| f.start.clone());
            let when = shared::parse_instant(&chosen).map(|ms| i18n::date_time(locale, ms, &zone.get_value())).unwrap_or(chosen);
            let fields = [
                Field { id: "make", label: c.make, kind: "text", autocomplete: "off", get: |f| f.make.clone(), set: |f, v| f.make = v },
                Field { id: "model", label: c.model, kind: "text", autocomplete: "off", get: |f| f.model.clone(), set: |f, v| f.model = v },
                Field { id: "year", label: c.year, kind: "text", autocomplete: "off", get: |f| f.year.clone(), set: |f, v| f.year = v },
                Field { id: "plate", label: c.plate, kind: "text", autocomplete: "off", get: |f| f.plate.clone(), set: |f, v| f.plate = v },
                Field { id: "mileage", label: c.mileage, kind: "text", autocomplete: "off", get: |f| f.mileage.clone(), set: |f, v| f.mileage = v },
            ].map(text_field).into_iter().collect_view();
            let contact = [
                Field { id: "name", label: c.name, kind: "text", autocomplete: "name", get: |f| f.name.clone(), set: |f, v| f.name = v },
                Field { id: "phone", label: c.phone, kind: "tel", autocomplete: "tel", get: |f| f.phone.clone(), set: |f, v| f.phone = v },
                Field { id: "email", label: c.email, kind: "email", autocomplete: "email", get: |f| f.email.clone(), set: |f, v| f.email = v },
            ].map(text_field).into_iter().collect_view();
            view! {
                <h3 class="aw-h3" tabindex="-1" node_ref=heading>{c.your_details}</h3>
                <p class="aw-chosen">{when}</p>
                {move || target.get().map(|(_, name)| view! { <p class="aw-chosen aw-referral">{c.booking_at}" "<strong>{name}</strong></p> })}
                <form class="aw-form-plain" novalidate on:submit=submit>
                    {fields}
                    <fieldset class="aw-field">
                        <legend>{c.handover}</legend>
                        <label class="aw-choice"><input type="radio" name="aw-handover" prop:checked=move || form.with(|f| f.handover == Handover::Wait)
                            on:change=move |_| form.update(|f| f.handover = Handover::Wait) /><span>{c.wait}</span></label>
                        <label class="aw-choice"><input type="radio" name="aw-handover" prop:checked=move || form.with(|f| f.handover == Handover::DropOff)
                            on:change=move |_| form.update(|f| f.handover = Handover::DropOff) /><span>{c.drop_off}</span></label>
                    </fieldset>
                    {contact}
                    <div class="aw-field">
                        <label for="aw-b-notes">{c.notes}</label>
                        <textarea id="aw-b-notes" rows="3" maxlength="500" aria-invalid=invalid("notes") aria-describedby="aw-err-notes"
                            prop:value=move || form.with(|f| f.notes.clone())
                            on:input=move |ev| form.update(|f| f.notes = event_target_value(&ev))></textarea>
                        <p id="aw-err-notes" class="aw-field-error">{error_for("notes")}</p>
                    </div>
                    <div class="aw-field">
                        <label class="aw-choice">
                            <input id="aw-b-consent" type="checkbox" aria-invalid=invalid("consent") aria-describedby="aw-err-consent"
                                prop:checked=move || form.with(|f| f.consent)
                                on:change=move |ev| form.update(|f| f.consent = event_target_checked(&ev)) />
                            <span>{c.consent}</span>
                        </label>
                        <p id="aw-err-consent" class="aw-field-error">{error_for("consent")}</p>
                    </div>
                    <div class="aw-field">
                        <label class="aw-choice">
                            <input id="aw-b-count" type="checkbox" prop:checked=move || form.with(|f| f.count_visits)
                                on:change=move |ev| form.update(|f| f.count_visits = event_target_checked(&ev)) />
                            <span>{c.count_visits}</span>
                        </label>
                    </div>
                    <div class="aw-honeypot" aria-hidden="true">
                        <label>"Website"<input type="text" tabindex="-1" autocomplete="off"
                            on:input=move |ev| form.update(|f| f.website = event_target_value(&ev)) /></label>
                    </div>
                    <p class="aw-field-error" role="alert">{failure_text}</p>
                    <div class="aw-nav">
                        <button type="button" class="aw-button aw-secondary" on:click=move |_| go(Step::Time)>{c.back}</button>
                        <button type="submit" class="aw-button" disabled=move || sending.get()>
                            {move || if sending.get() { c.booking } else { c.confirm_booking }}
                        </button>
                    </div>
                </form>
            }
            .into_any()
        }
        Step::Done(b) => {
            let (api, _, _) = context.get_value();
            let ics = api::calendar_link(&api, &b.manage_token);
            let manage = manage_url(&b.manage_token);
            let service = b.service_name.get(locale).to_owned();
            view! {
                <div class="aw-confirmed" role="status">
                    <h3 class="aw-h3" tabindex="-1" node_ref=heading>{c.confirmed}</h3>
                    <p>{c.reference}" "<strong class="aw-code" data-reference=b.reference.clone()>{b.reference.clone()}</strong></p>
                    {b.referred_by.is_some().then(|| view! { <p class="aw-referral">{c.booking_at}" "<strong>{b.shop_name.get(locale).to_owned()}</strong></p> })}
                    <p>{service}" · "{i18n::date_time(locale, b.start_ms, &b.time_zone)}</p>
                    <p class="aw-muted">{b.vehicle.clone()}</p>
                    <p><a class="aw-link" href=ics download=format!("booking-{}.ics", b.reference)>{c.add_calendar}</a></p>
                    <p hidden=!b.line><a class="aw-link" href=api::booking_link(&api, &b.manage_token, "line") target="_blank" rel="noopener">{c.get_line}</a></p>
                    <p><a class="aw-link" href=manage.clone() on:click=move |ev| {
                        // A plain click: load the page with the link (a new tab opens on its own).
                        if ev.button() == 0 && !(ev.ctrl_key() || ev.meta_key() || ev.shift_key() || ev.alt_key()) {
                            ev.prevent_default();
                            open_manage(&manage);
                        }
                    }>{c.manage}</a></p>
                    <p class="aw-muted">{c.manage_hint}</p>
                </div>
            }
            .into_any()
        }
    }
    };

    view! { <div class="aw-booking" node_ref=root>{body}</div> }
}

/// The current page with `#manage=TOKEN`: the manage link, on the shop's own site (the token in
/// the fragment, which the page's server and analytics never see).
pub fn manage_url(token: &str) -> String {
    let Some(location) = web_sys::window().map(|w| w.location()) else {
        return String::new();
    };
    let base = location.href().unwrap_or_default();
    let base = base.split(['?', '#']).next().unwrap_or_default().to_owned();
    format!("{base}#manage={}", js_sys::encode_uri_component(token))
}

/// Follows a manage link from the page it points into: a change of the fragment alone would not
/// reload the page, so the widget would not open the manage view; this loads it.
pub fn open_manage(url: &str) {
    if let Some(location) = web_sys::window().map(|w| w.location()) {
        let _ = location.set_href(url);
        let _ = location.reload();
    }
}

fn booking_message(locale: Locale, e: &FieldError) -> &'static str {
    let c = i18n::t(locale);
    match (e.field.as_str(), e.reason) {
        (_, Reason::Required) => c.err_required,
        ("year", _) => c.err_year,
        ("plate", _) => c.err_plate,
        ("mileage", _) => c.err_mileage,
        ("phone", _) => c.err_phone,
        ("email", _) => c.err_email,
        ("consent", _) => c.err_consent,
        ("start", _) => c.err_slot_taken,
        (_, Reason::TooLong { .. }) => c.err_too_long,
        _ => c.err_field,
    }
}
