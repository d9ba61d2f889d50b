//! The browser entry point: brings the page's islands (`#[island]` components
//! of `app`) to life. The rest of every page stays as the server sent it.

// Links the islands' exported hydration functions into this WASM.
use app as _;

#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    // Panic messages in the console help while developing; a release build
    // leaves their formatting out of the WASM every phone downloads.
    #[cfg(debug_assertions)]
    console_error_panic_hook::set_once();
    leptos::mount::hydrate_islands();
}
