//! libFuzzer entry point for [`nexus_fuzz::ipc::handshake`].
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| nexus_fuzz::ipc::handshake(data));
