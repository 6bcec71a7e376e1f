//! libFuzzer entry point for [`nexus_fuzz::ipc::frame_decoder`].
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| nexus_fuzz::ipc::frame_decoder(data));
