//! The version of the CEF runtime actually loaded (not the bindings').

use std::os::raw::c_int;

// Exported by libcef (131 and later) but not declared by the 132.3.2 bindings.
unsafe extern "C" {
    fn cef_version_info(entry: c_int) -> c_int;
}

/// Versions read from the loaded libcef.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RuntimeVersion {
    /// e.g. "131.3.5".
    pub cef: String,
    /// e.g. "131.0.6778.205".
    pub chromium: String,
}

/// Read the loaded runtime's version.
pub fn runtime_version() -> RuntimeVersion {
    // SAFETY: `cef_version_info` only reads static version numbers for entries 0..=7.
    let v = |entry| unsafe { cef_version_info(entry) };
    RuntimeVersion {
        cef: format!("{}.{}.{}", v(0), v(1), v(2)),
        chromium: format!("{}.{}.{}.{}", v(4), v(5), v(6), v(7)),
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn reports_the_linked_runtime() {
        let v = super::runtime_version();
        assert!(v.cef.starts_with("13"), "unexpected CEF version {v:?}");
        assert_eq!(v.chromium.split('.').count(), 4, "{v:?}");
    }
}
