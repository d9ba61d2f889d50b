//! The birth-date fieldset (GOV.UK's date input): day and month, and the year
//! when asked, as separate numeric fields under one legend, with one hint and
//! one error message read with the group.

use crate::components::form::FormState;
use crate::lang::lang;
use leptos::prelude::*;

#[component]
pub fn DateInput(
    form: FormState,
    legend: &'static str,
    hint: &'static str,
    /// Put the legend inside the page's `h1` (one question per page).
    #[prop(optional)]
    heading: bool,
    /// Ask the year too (solicitar clave).
    #[prop(optional)]
    with_year: bool,
) -> impl IntoView {
    let l = lang();
    let day_error = form.field_error("day");
    let month_error = form.field_error("month");
    let year_error = form.field_error("year");
    let any_error = move || {
        day_error.with(Option::is_some)
            || month_error.with(Option::is_some)
            || year_error.with(Option::is_some)
    };
    let described_by = move || {
        let mut ids = vec!["bday-hint"];
        if any_error() {
            ids.push("bday-error");
        }
        ids.join(" ")
    };
    let legend_view = if heading {
        view! { <h1 class="fieldset-heading" tabindex="-1">{legend}</h1> }.into_any()
    } else {
        view! { <span class="fieldset-subheading">{legend}</span> }.into_any()
    };
    view! {
        <div class="field" class:field-error=any_error>
            <fieldset class="fieldset" role="group" aria-describedby=described_by>
                <legend class="fieldset-legend">{legend_view}</legend>
                <p class="hint" id="bday-hint">{hint}</p>
                {move || {
                    let messages: Vec<String> = [day_error.get(), month_error.get(), year_error.get()]
                        .into_iter()
                        .flatten()
                        .collect();
                    (!messages.is_empty())
                        .then(|| {
                            view! {
                                <p class="error-message" id="bday-error">
                                    <span class="visually-hidden">"Error: "</span>
                                    {messages.join(" ")}
                                </p>
                            }
                        })
                }}
                <div class="date-input">
                    <DatePart id="day" label=l.pick("Día", "Day") autocomplete="bday-day" width=2 error=day_error value=form.value("day")/>
                    <DatePart id="month" label=l.pick("Mes", "Month") autocomplete="bday-month" width=2 error=month_error value=form.value("month")/>
                    {with_year
                        .then(|| {
                            view! {
                                <DatePart id="year" label=l.pick("Año", "Year") autocomplete="bday-year" width=4 error=year_error value=form.value("year")/>
                            }
                        })}
                </div>
            </fieldset>
        </div>
    }
}

#[component]
fn DatePart(
    id: &'static str,
    label: &'static str,
    autocomplete: &'static str,
    width: u8,
    error: Signal<Option<String>>,
    value: Signal<Option<String>>,
) -> impl IntoView {
    view! {
        <div class="date-input-item">
            <label class="label" for=id>{label}</label>
            <input
                class=format!("input input-width-{width}")
                class:input-error=move || error.with(Option::is_some)
                id=id
                name=id
                type="text"
                inputmode="numeric"
                autocomplete=autocomplete
                maxlength=width.to_string()
                aria-invalid=move || error.with(Option::is_some).then_some("true")
                value=move || value.get().unwrap_or_default()
            />
        </div>
    }
}
