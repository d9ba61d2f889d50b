//! A journey's page as the step table (`domain::steps`) declares it: its
//! route, its title and back link, and its caption.

use super::layout::{BackLink, PageTitle};
use crate::domain::steps::Step;
use leptos::prelude::*;
use leptos_router::{PartialPathMatch, PathSegment, PossibleRouteMatch};

/// The route of a step: its whole path, matched segment by segment.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct StepPath(pub Step);

impl PossibleRouteMatch for StepPath {
    fn optional(&self) -> bool {
        false
    }

    fn test<'a>(&self, path: &'a str) -> Option<PartialPathMatch<'a>> {
        let own = self.0.path();
        let rest = path.strip_prefix(own)?;
        // "/recuperar/codigo" is not "/recuperar/codigos", but it is the
        // start of "/recuperar/codigo/enlace" (left for the router to refuse).
        (rest.is_empty() || rest.starts_with('/'))
            .then(|| PartialPathMatch::new(rest, vec![], &path[..own.len()]))
    }

    fn generate_path(&self, path: &mut Vec<PathSegment>) {
        for segment in self.0.path().split('/').filter(|s| !s.is_empty()) {
            path.push(PathSegment::Static(segment.into()));
        }
    }
}

/// The document title and the back link of a step's page (the table's, or
/// `back` where the flow decides, as on the code step).
#[component]
pub fn StepTitle(
    step: Step,
    #[prop(into, optional)] error: Signal<bool>,
    #[prop(optional, into)] back: Option<String>,
) -> impl IntoView {
    let back = back.or_else(|| step.back_path().map(str::to_owned));
    view! {
        <PageTitle text=step.title(crate::lang::lang()) error=error/>
        {back.map(|href| view! { <BackLink href=href/> })}
    }
}

/// "Recuperar clave · paso 2 de 6" above a step's heading.
#[component]
pub fn StepCaption(step: Step) -> impl IntoView {
    step.caption(crate::lang::lang())
        .map(|caption| view! { <span class="caption">{caption}</span> })
}
