//! libFuzzer entry point for [`nexus_fuzz::profile::sync_log`].
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| nexus_fuzz::profile::sync_log(data));
