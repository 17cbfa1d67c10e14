use super::slot_picker::SlotPicker;
use crate::api::{self, BookError, Calendar, FetchError};
use crate::i18n;
use leptos::prelude::*;
use leptos::task::spawn_local;
use shared::{BookingStatus, BookingView, Locale};

#[derive(Debug, Clone, PartialEq)]
enum State {
    Loading,
    Ready(Box<BookingView>),
    Failed(BookError),
}

/// The customer's own booking, opened from its manage link (`?manage=TOKEN`): its details, and
/// cancelling it (after a confirmation) until the shop's cut-off.
#[component]
pub fn Manage(token: String, api: String, locale: Locale) -> impl IntoView {
    let c = i18n::t(locale);
    let state = RwSignal::new(State::Loading);
    let confirming = RwSignal::new(false);
    let busy = RwSignal::new(false);
    let failure = RwSignal::new(None::<BookError>);
    let picking = RwSignal::new(false);
    let erasing = RwSignal::new(false);
    let erased = RwSignal::new(false);
    let moved = RwSignal::new(false);
    let calendar = RwSignal::new(None::<Result<Calendar, FetchError>>);
    let day = RwSignal::new(None::<String>);
    let source = StoredValue::new((api, token));
    {
        let (api, token) = source.get_value();
        spawn_local(async move {
            state.set(match api::booking(&api, &token).await {
                Ok(b) => State::Ready(Box::new(b)),
                Err(e) => State::Failed(e),
            });
        });
    }
    let cancel = move |_| {
        let (api, token) = source.get_value();
        busy.set(true);
        spawn_local(async move {
            match api::cancel(&api, &token).await {
                Ok(b) => state.set(State::Ready(Box::new(b))),
                Err(e) => failure.set(Some(e)),
            }
            confirming.set(false);
            busy.set(false);
        });
    };
    let load_times = move || {
        let State::Ready(b) = state.get_untracked() else {
            return;
        };
        let (api, _) = source.get_value();
        calendar.set(None);
        day.set(None);
        spawn_local(async move {
            let result = api::availability(&api, b.shop.as_str(), &b.service).await;
            if let Ok(cal) = &result {
                day.set(
                    cal.days
                        .iter()
                        .find(|d| d.state == shared::DayState::Open)
                        .map(|d| d.date.clone()),
                );
            }
            calendar.set(Some(result));
        });
    };
    let pick = move |start: String| {
        let (api, token) = source.get_value();
        busy.set(true);
        spawn_local(async move {
            match api::reschedule(&api, &token, &start).await {
                Ok(b) => {
                    state.set(State::Ready(Box::new(b)));
                    picking.set(false);
                    moved.set(true);
                }
                Err(e) => {
                    failure.set(Some(e));
                    load_times();
                }
            }
            busy.set(false);
        });
    };
    let erase = move |_| {
        let (api, token) = source.get_value();
        busy.set(true);
        spawn_local(async move {
            match api::erase(&api, &token).await {
                Ok(b) => {
                    state.set(State::Ready(Box::new(b)));
                    erased.set(true);
                }
                Err(e) => failure.set(Some(e)),
            }
            erasing.set(false);
            busy.set(false);
        });
    };
    let export = api::export_link(&source.get_value().0, &source.get_value().1);
    // The booking's LINE page: link LINE, or unlink it.
    let line = api::booking_link(&source.get_value().0, &source.get_value().1, "line");
    let message = move |e: BookError| match e {
        BookError::Conflict => c.err_conflict,
        BookError::SlotTaken => c.err_slot_taken,
        BookError::BadLink => c.err_bad_link,
        BookError::ForeignOrigin => c.err_foreign,
        BookError::Network => c.network_error,
        _ => c.err_generic,
    };
    view! {
        <section class="aw-manage" aria-labelledby="aw-manage-title">
            <h3 id="aw-manage-title" class="aw-h3">{c.your_booking}</h3>
            {move || match state.get() {
                State::Loading => view! { <p role="status" class="aw-muted">{c.loading}</p> }.into_any(),
                State::Failed(e) => view! { <p role="alert" class="aw-field-error">{message(e)}</p> }.into_any(),
                State::Ready(b) => {
                    let cancelled = b.status == BookingStatus::Cancelled;
                    let open = b.status == BookingStatus::Confirmed;
                    let status = match b.status {
                        BookingStatus::Cancelled => c.status_cancelled,
                        BookingStatus::Completed => c.status_completed,
                        _ => c.status_confirmed,
                    };
                    view! {
                        <p>{c.reference}" "<strong class="aw-code">{b.reference.clone()}</strong>" · "<span data-status=b.status.as_str()>{status}</span></p>
                        <p>{b.service_name.get(locale).to_owned()}" · "{i18n::date_time(locale, b.start_ms, &b.time_zone)}</p>
                        <p class="aw-muted">{b.vehicle.clone()}</p>
                        {b.alliance_visit.map(|n| view! { <p class="aw-visits">{i18n::alliance_visit(locale, n)}</p> })}
                        {cancelled.then(|| view! { <p role="status" class="aw-thanks">{c.cancelled_done}</p> })}
                        {move || erased.get().then(|| view! { <p role="status" class="aw-thanks">{c.erased_done}</p> })}
                        <p hidden=!(open && b.line)><a class="aw-link" href=line.clone() target="_blank" rel="noopener">{c.manage_line}</a></p>
                        {open.then(|| view! {
                            <p class="aw-muted">{c.change_until}" "{i18n::date_time(locale, b.changeable_until_ms, &b.time_zone)}</p>
                            <p class="aw-field-error" role="alert">{move || failure.get().map(message)}</p>
                            {move || moved.get().then(|| view! { <p role="status" class="aw-thanks">{c.moved_done}</p> })}
                            {move || if picking.get() {
                                view! {
                                    <SlotPicker calendar day on_pick=pick on_retry=load_times locale />
                                    <button type="button" class="aw-button aw-secondary" on:click=move |_| picking.set(false)>{c.back}</button>
                                }.into_any()
                            } else if confirming.get() {
                                view! {
                                    <p role="alertdialog" aria-label=c.cancel_confirm><strong>{c.cancel_confirm}</strong></p>
                                    <div class="aw-nav">
                                        <button type="button" class="aw-button aw-secondary" on:click=move |_| confirming.set(false)>{c.cancel_no}</button>
                                        <button type="button" class="aw-button aw-danger" disabled=move || busy.get() on:click=cancel>{c.cancel_yes}</button>
                                    </div>
                                }.into_any()
                            } else {
                                view! {
                                    <div class="aw-nav">
                                        <button type="button" class="aw-button aw-secondary" on:click=move |_| { moved.set(false); picking.set(true); load_times(); }>{c.change_time}</button>
                                        <button type="button" class="aw-button aw-secondary" on:click=move |_| confirming.set(true)>{c.cancel_booking}</button>
                                    </div>
                                }.into_any()
                            }}
                        })}
                        <div class="aw-privacy">
                            <a class="aw-link" href=export.clone() download=format!("booking-{}-data.json", b.reference)>{c.export_data}</a>
                            {move || if erasing.get() {
                                view! {
                                    <p role="alertdialog" aria-label=c.erase_confirm><strong>{c.erase_confirm}</strong></p>
                                    <div class="aw-nav">
                                        <button type="button" class="aw-button aw-secondary" on:click=move |_| erasing.set(false)>{c.cancel_no}</button>
                                        <button type="button" class="aw-button aw-danger" disabled=move || busy.get() on:click=erase>{c.erase_data}</button>
                                    </div>
                                }.into_any()
                            } else {
                                view! { <button type="button" class="aw-button aw-secondary" on:click=move |_| erasing.set(true)>{c.erase_data}</button> }.into_any()
                            }}
                        </div>
                    }
                    .into_any()
                }
            }}
        </section>
    }
}
