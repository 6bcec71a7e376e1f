//! libFuzzer entry point for [`nexus_fuzz::profile::bookmarks_html`].
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| nexus_fuzz::profile::bookmarks_html(data));
