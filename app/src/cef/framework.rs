//! Loading the CEF library before the first CEF call.
//!
//! On Linux and Windows libcef is linked when the program is built, so there is nothing to
//! do. On macOS the `Chromium Embedded Framework.framework` is loaded at run time from the
//! app bundle, by every process: `Nexus.app/Contents/MacOS/Nexus` finds it in
//! `Contents/Frameworks/`, and each helper app (`Contents/Frameworks/Nexus Helper
//! (Renderer).app/Contents/MacOS/...`) four folders up. The bundle is laid out by
//! `cargo xtask package` (packaging/README.md).
//!
//! Not exercised on this project's Linux CI: the macOS build is checked on macOS only.

/// Keeps the CEF framework loaded for as long as it lives: hold it until the process is
/// done with CEF.
pub struct LoadedFramework {
    #[cfg(target_os = "macos")]
    _loader: cef::library_loader::LibraryLoader,
}

/// Load CEF for this process: the browser process (`helper == false`) or a helper app's
/// subprocess. The error says what is missing in words a user can act on.
pub fn load(helper: bool) -> Result<LoadedFramework, String> {
    #[cfg(target_os = "macos")]
    {
        let exe =
            std::env::current_exe().map_err(|e| format!("cannot find the running program: {e}"))?;
        let frameworks = if helper {
            // Frameworks/<Helper>.app/Contents/MacOS/<Helper>
            exe.ancestors().nth(4)
        } else {
            // Nexus.app/Contents/MacOS/Nexus
            exe.ancestors()
                .nth(2)
                .map(|contents| contents.join("Frameworks"))
        };
        let library = frameworks.map(|dir| {
            dir.join("Chromium Embedded Framework.framework")
                .join("Chromium Embedded Framework")
        });
        match library {
            Some(path) if path.exists() => {}
            other => {
                return Err(format!(
                    "the Chromium Embedded Framework is missing from the Nexus app ({}); reinstall Nexus",
                    other.map(|p| p.display().to_string()).unwrap_or_default()
                ));
            }
        }
        let loader = cef::library_loader::LibraryLoader::new(&exe, helper);
        if !loader.load() {
            return Err(
                "the Chromium Embedded Framework could not be loaded; reinstall Nexus".into(),
            );
        }
        Ok(LoadedFramework { _loader: loader })
    }
    #[cfg(not(target_os = "macos"))]
    {
        let _ = helper;
        Ok(LoadedFramework {})
    }
}
