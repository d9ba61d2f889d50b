//! Loads the WASM only where a page has an island.
//!
//! Leptos's `HydrationScripts` preloads the script and the WASM on every page.
//! Most pages here have no interactive widget at all, so this small inline
//! module script looks for `<leptos-island>` elements once the document is
//! parsed and fetches the script and the WASM only when it finds one; then it
//! hydrates each island and marks the body `data-hydrated="true"` (also at once
//! on a page without islands), which the end-to-end tests wait for. When the
//! wizard (`crate::wizard`) shows a new step in place, it does the same for
//! the islands of the new `main`.

use leptos::prelude::*;

/// The stylesheet, script and WASM a release build names by their content's
/// hash (cargo-leptos `hash-files`), or their plain names in development.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AssetPaths {
    pub js: String,
    pub wasm: String,
    /// Every path that carries a hash (kept a year by browsers).
    pub hashed: Vec<String>,
}

impl AssetPaths {
    /// Read from the hash file cargo-leptos writes next to the binary.
    pub fn of(options: &LeptosOptions) -> Self {
        let pkg = format!("/{}/{}", options.site_pkg_dir, options.output_name);
        let hashes = options
            .hash_files
            .then(|| {
                let file = std::env::current_exe()
                    .ok()?
                    .parent()?
                    .join(options.hash_file.as_ref());
                std::fs::read_to_string(file).ok()
            })
            .flatten();
        let Some(hashes) = hashes else {
            // Without hashing, wasm-bindgen's own name for the module.
            let wasm = if option_env!("LEPTOS_OUTPUT_NAME").is_none() {
                format!("{pkg}_bg.wasm")
            } else {
                format!("{pkg}.wasm")
            };
            return AssetPaths {
                js: format!("{pkg}.js"),
                wasm,
                hashed: Vec::new(),
            };
        };
        let hashed: Vec<(String, String)> = hashes
            .lines()
            .filter_map(|line| line.split_once(':'))
            .map(|(ext, hash)| {
                let ext = ext.trim().to_owned();
                let path = format!("{pkg}.{}.{ext}", hash.trim());
                (ext, path)
            })
            .collect();
        let named = |ext: &str| {
            hashed
                .iter()
                .find(|(e, _)| e == ext)
                .map(|(_, p)| p.clone())
                .unwrap_or_else(|| format!("{pkg}.{ext}"))
        };
        AssetPaths {
            js: named("js"),
            wasm: named("wasm"),
            hashed: hashed.into_iter().map(|(_, p)| p).collect(),
        }
    }
}

const LOADER: &str = r#"((js, wasm) => {
  let mod = null;
  const load = () => mod ??= import(js).then(async (m) => {
    await m.default({ module_or_path: wasm });
    m.hydrate();
    return m;
  });
  const hydrateIn = async (root) => {
    const islands = root.querySelectorAll("leptos-island");
    if (islands.length > 0) {
      const m = await load();
      for (const el of islands) {
        const island = m[el.dataset.component];
        if (island) await island(el);
      }
    }
    document.body.dataset.hydrated = "true";
  };
  // The wizard put a new step's main in place (src/wizard.rs).
  document.addEventListener("clave:contenido", (e) => hydrateIn(e.target));
  hydrateIn(document);
})"#;

/// The loader, in the page's `<head>`; module scripts run once the document is
/// parsed, so every island is there to be found.
#[component]
pub fn IslandScripts(options: LeptosOptions) -> impl IntoView {
    // Only islands hydrate: the server writes no hydration markers elsewhere.
    if let Some(sc) = Owner::current_shared_context() {
        sc.set_is_hydrating(false);
    }
    let paths = AssetPaths::of(&options);
    let nonce = leptos::nonce::use_nonce();
    let call = format!("{LOADER}({:?}, {:?});", paths.js, paths.wasm);
    view! { <script type="module" nonce=nonce>{call}</script> }
}
