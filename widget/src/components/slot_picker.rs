use crate::api::{Calendar, FetchError};
use crate::i18n;
use leptos::prelude::*;
use shared::{DayState, Locale, Slot};

/// Day buttons (open, full or closed, all shown) and the chosen day's times (taken ones shown,
/// not choosable), in the shop's time zone. Used to book and to reschedule.
#[component]
pub fn SlotPicker(
    calendar: RwSignal<Option<Result<Calendar, FetchError>>>,
    day: RwSignal<Option<String>>,
    on_pick: impl Fn(String) + Copy + Send + Sync + 'static,
    on_retry: impl Fn() + Copy + Send + Sync + 'static,
    locale: Locale,
) -> impl IntoView {
    let c = i18n::t(locale);
    view! {
            {move || match calendar.get() {
                None => view! { <p role="status" class="aw-muted">{c.loading_times}</p> }.into_any(),
                Some(Err(_)) => view! {
                    <div role="alert"><p>{c.times_error}</p>
                    <button type="button" class="aw-button" on:click=move |_| on_retry()>{c.retry}</button></div>
                }.into_any(),
                Some(Ok(cal)) => {
                    let days = cal.days.iter().map(|d| {
                        let date = d.date.clone();
                        let pressed = { let date = date.clone(); move || if day.get().as_deref() == Some(date.as_str()) { "true" } else { "false" } };
                        let note = match d.state { DayState::Full => Some(c.day_full), DayState::Closed => Some(c.day_closed), _ => None };
                        let state = match d.state { DayState::Open => "open", DayState::Full => "full", _ => "closed" };
                        view! {
                            <button type="button" class="aw-day" data-state=state aria-pressed=pressed disabled=d.state == DayState::Closed
                                on:click=move |_| day.set(Some(date.clone()))>
                                <span>{i18n::day_label(locale, &d.date, d.weekday)}</span>
                                {note.map(|n| view! { <span class="aw-day-note">{n}</span> })}
                            </button>
                        }
                    }).collect_view();
                    let all = cal.days.clone();
                    let times = move || {
                        let Some(selected) = day.get() else { return view! { <p class="aw-muted">{c.pick_day}</p> }.into_any() };
                        let slots: Vec<Slot> = all.iter().find(|d| d.date == selected).map(|d| d.slots.clone()).unwrap_or_default();
                        if !slots.iter().any(|s| s.free) {
                            return view! { <p class="aw-muted">{c.no_times}</p> }.into_any();
                        }
                        slots.into_iter().map(|s| {
                            let start = s.start.clone();
                            let label = if s.free { s.time.clone() } else { format!("{} {}", s.time, c.slot_taken) };
                            view! {
                                <button type="button" class="aw-time" disabled=!s.free
                                    on:click=move |_| on_pick(start.clone())>{label}</button>
                            }
                        }).collect_view().into_any()
                    };
                    view! {
                        <div class="aw-days" role="group" aria-label=c.choose_time>{days}</div>
                        <div class="aw-times">{times}</div>
                    }.into_any()
                }
            }}
    }
}
