//! `nexus-renderer`: the helper CEF starts for its subprocesses (renderer, GPU, utility,
//! zygote). It links the CEF glue and the renderer-side `window.nexus` API, never the
//! egui shell.

fn main() -> std::process::ExitCode {
    nexus::renderer::main()
}
