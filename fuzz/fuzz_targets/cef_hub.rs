//! libFuzzer entry point for [`nexus_fuzz::cef_hub::cef_hub`].
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| nexus_fuzz::cef_hub::cef_hub(data));
