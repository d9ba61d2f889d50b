//! "No soy un robot": a native checkbox backed by a proof of work (ALTCHA v1
//! wire format, see `domain::captcha`).
//!
//! An island: with JavaScript, ticking the box fetches a challenge and solves it
//! in WASM in small chunks, yielding to the browser between them so the page stays
//! responsive; progress goes to a `role=status` region. The solution travels in
//! the hidden `captcha` field. Without JavaScript the box is still a real
//! checkbox; the server then applies stricter per-IP and per-cédula limits.

use leptos::prelude::*;

// Only the browser moves past `Working`.
#[cfg_attr(not(feature = "hydrate"), allow(dead_code))]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Progress {
    Idle,
    Working,
    Done,
    Failed,
}

/// `error`: the server's message about the box, from the last submission.
/// `solved`: a solution the server refused the form without spending (the
/// cédula was wrong): the box comes back ticked and verified with it, so the
/// person does not wait for a new proof of work. A spent solution never comes
/// back (every page load is a new island).
#[island]
pub fn CaptchaCheckbox(error: Option<String>, solved: Option<String>) -> impl IntoView {
    let l = crate::lang::lang();
    let kept = solved.filter(|p| !p.is_empty() && error.is_none());
    let ticked = kept.is_some();
    let checked = RwSignal::new(ticked);
    let progress = RwSignal::new(if ticked {
        Progress::Done
    } else {
        Progress::Idle
    });
    let payload = RwSignal::new(kept.unwrap_or_default());
    // Bumped on every new solve, so an outdated solve or timer does nothing.
    let generation = StoredValue::new(0u64);

    let start = move || {
        generation.update_value(|g| *g += 1);
        payload.set(String::new());
        if checked.get_untracked() {
            progress.set(Progress::Working);
            #[cfg(feature = "hydrate")]
            leptos::task::spawn_local(solve_into(
                generation.get_value(),
                generation,
                payload,
                progress,
            ));
        } else {
            progress.set(Progress::Idle);
        }
    };
    let has_error = error.is_some();

    let status = move || match progress.get() {
        Progress::Idle => "",
        Progress::Working => l.pick(
            "Verificando que no es un robot…",
            "Checking that you are not a robot…",
        ),
        Progress::Done => l.pick(
            "Verificado. Puede continuar.",
            "Verified. You can continue.",
        ),
        Progress::Failed => l.pick(
            "No se pudo verificar. Desmarque y vuelva a marcar la casilla.",
            "We could not verify it. Uncheck the box and check it again.",
        ),
    };
    view! {
        <div class="field captcha" class:field-error=has_error>
            {error
                .map(|m| {
                    view! {
                        <p class="error-message" id="robot-error">
                            <span class="visually-hidden">"Error: "</span>
                            {m}
                        </p>
                    }
                })}
            <div class="checkbox">
                <input
                    class="checkbox-input"
                    type="checkbox"
                    id="robot"
                    name="robot"
                    value="si"
                    checked=ticked
                    aria-invalid=has_error.then_some("true")
                    aria-describedby=if has_error {
                        "robot-status robot-error"
                    } else {
                        "robot-status"
                    }
                    on:change=move |ev| {
                        checked.set(event_target_checked(&ev));
                        start();
                    }
                />
                <label class="checkbox-label" for="robot">
                    {l.pick("No soy un robot", "I'm not a robot")}
                </label>
            </div>
            <p class="captcha-status" id="robot-status" aria-live="polite" aria-atomic="true">{status}</p>
            <input type="hidden" name="captcha" prop:value=move || payload.get()/>
        </div>
    }
}

/// Fetches a challenge, solves it in chunks and stores the payload; schedules a
/// silent replacement shortly before the challenge expires.
#[cfg(feature = "hydrate")]
async fn solve_into(
    my_generation: u64,
    generation: StoredValue<u64>,
    payload: RwSignal<String>,
    progress: RwSignal<Progress>,
) {
    use crate::domain::captcha::{Solution, Solver, ALGORITHM};
    use gloo_timers::future::TimeoutFuture;

    /// Candidates checked between two yields to the browser (~10–30 ms of work).
    const CHUNK: u64 = 20_000;
    let current = move || generation.try_get_value() == Some(my_generation);

    let challenge =
        <crate::shared_steps::captcha::CaptchaChallenge as leptos::server_fn::ServerFn>::PATH;
    let Ok(challenge) =
        crate::browser::json::<crate::domain::captcha::Challenge>(challenge, None).await
    else {
        if current() {
            progress.set(Progress::Failed);
        }
        return;
    };
    let Some(solver) = Solver::new(&challenge) else {
        progress.set(Progress::Failed);
        return;
    };
    let started = js_sys::Date::now();
    let mut start = 0u64;
    let found = loop {
        if !current() {
            return;
        }
        let end = start.saturating_add(CHUNK);
        if let Some(n) = solver.search(start, end) {
            break Some(n);
        }
        if end > solver.maxnumber() {
            break None;
        }
        start = end;
        TimeoutFuture::new(0).await;
    };
    if !current() {
        return;
    }
    let Some(number) = found else {
        progress.set(Progress::Failed);
        return;
    };
    let solution = Solution {
        algorithm: ALGORITHM.to_owned(),
        challenge: challenge.challenge.clone(),
        number,
        salt: challenge.salt.clone(),
        signature: challenge.signature.clone(),
        took: (js_sys::Date::now() - started) as u64,
    };
    payload.set(solution.to_payload());
    progress.set(Progress::Done);

    // Replace the solution a little before it expires, without telling anyone.
    if let Some(expires) = crate::domain::captcha::expires_of(&challenge.salt) {
        let left_ms = (expires as f64 * 1000.0 - js_sys::Date::now() - 15_000.0).max(1_000.0);
        TimeoutFuture::new(left_ms.min(u32::MAX as f64) as u32).await;
        if current() {
            generation.update_value(|g| *g += 1);
            Box::pin(solve_into(
                generation.get_value(),
                generation,
                payload,
                progress,
            ))
            .await;
        }
    }
}
