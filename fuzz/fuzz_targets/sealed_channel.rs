//! libFuzzer entry point for [`nexus_fuzz::ipc::sealed_channel`].
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| nexus_fuzz::ipc::sealed_channel(data));
