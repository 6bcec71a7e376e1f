//! Link-time setup for the shell and the renderer helper.
//!
//! Both binaries load `libcef.so` from the directory they sit in (`$ORIGIN`): that is how
//! `cargo xtask` lays out `target/<profile>/` and how the packages install Nexus. Test
//! binaries live one level deeper (`target/<profile>/deps/`) and also get the runtime
//! directory `CEF_PATH` pointed at when they were built (dev profile only), so `cargo test`
//! finds libcef too.

fn main() {
    println!("cargo::rerun-if-env-changed=CEF_PATH");
    let target_os = std::env::var("CARGO_CFG_TARGET_OS").unwrap_or_default();
    if target_os == "linux" {
        println!("cargo::rustc-link-arg=-Wl,-rpath,$ORIGIN");
        if let Ok(cef_path) = std::env::var("CEF_PATH") {
            // Resolve the relative path that .cargo/config.toml provides.
            let dir = std::fs::canonicalize(&cef_path).unwrap_or_else(|_| cef_path.into());
            // Release builds (what packaging ships) carry only $ORIGIN.
            if std::env::var("PROFILE").as_deref() != Ok("release") {
                println!("cargo::rustc-link-arg=-Wl,-rpath,{}", dir.display());
            }
        }
    }
}
