//! The `nexus` shell library: everything the binaries share.

pub mod profile;
