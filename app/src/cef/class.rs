//! Implementing CEF interfaces in Rust.
//!
//! cef 132.3.2 generates, for every CEF interface `X`, a trait `ImplX` (the callbacks, with
//! default bodies) and a trait `WrapX` (how the reference-counted C object finds its Rust
//! value). A Rust type that implements an interface also needs `Clone` (sharing the C
//! object's reference) and `Rc`. `cef_class!` writes that boilerplate once: the struct holds
//! a pointer to its C object and a payload `d` with the state the callbacks need.

/// Declare a Rust implementation of a CEF interface.
///
/// `cef_class!(Name, raw C struct, WrapTrait, ImplTrait, Payload, { callbacks })`
macro_rules! cef_class {
    ($name:ident, $raw:ty, $wrap:ident, $imp:ident, $data:ty, { $($body:tt)* }) => {
        pub(crate) struct $name {
            object: *mut cef::rc::RcImpl<$raw, $name>,
            d: $data,
        }

        impl $name {
            /// Wrap a payload; pass the result to the interface's `new`.
            pub(crate) fn make(d: $data) -> Self {
                Self { object: std::ptr::null_mut(), d }
            }

            /// The payload.
            #[allow(dead_code)]
            pub(crate) fn data(&self) -> &$data {
                &self.d
            }
        }

        impl cef::$wrap for $name {
            fn wrap_rc(&mut self, object: *mut cef::rc::RcImpl<$raw, Self>) {
                self.object = object;
            }
        }

        #[allow(unsafe_code)]
        impl Clone for $name {
            fn clone(&self) -> Self {
                // SAFETY: `object` was set by `wrap_rc` when CEF created the C object and stays
                // valid while any clone exists (each clone holds one reference).
                unsafe { <Self as cef::rc::Rc>::add_ref(self) };
                Self { object: self.object, d: self.d.clone() }
            }
        }

        #[allow(unsafe_code)]
        impl cef::rc::Rc for $name {
            fn as_base(&self) -> &cef_dll_sys::cef_base_ref_counted_t {
                // SAFETY: every CEF C struct starts with `cef_base_ref_counted_t`, and `RcImpl`
                // is `repr(C)` with the C struct first.
                unsafe { &*(self.object as *const cef_dll_sys::cef_base_ref_counted_t) }
            }
        }

        impl cef::$imp for $name {
            fn get_raw(&self) -> *mut $raw {
                self.object.cast()
            }
            $($body)*
        }
    };
}

pub(crate) use cef_class;
