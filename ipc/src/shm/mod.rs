//! Shared memory for large payloads.
//!
//! A body at or above the connection's threshold is copied into a shared region instead
//! of the socket; the envelope carries a [`ShmDescriptor`] (flag `SHM`). Regions are
//! pooled by the sender and reused: the receiver copies the payload out (bounds-checked
//! against the region's real size) and answers `shm_release`, after which the sender may
//! write the region again. Reuse matters: a fresh region costs a page fault per 4 KiB on
//! both sides, which is slower than the socket.
//!
//! On Linux a region is a `memfd` (anonymous, never in `/dev/shm`): its descriptor goes to
//! the peer once, with SCM_RIGHTS, alongside the frame that first uses it, and the memory
//! is freed by the kernel when the last descriptor and mapping are gone. If either process
//! dies, its side is closed by the kernel and the survivor drops its side when the
//! connection closes: nothing can leak, and there is no name to unlink.
//! Other platforms fall back to sending the body inline (see the crate README).

#[cfg(unix)]
mod unix;
#[cfg(unix)]
use unix as platform;

#[cfg(not(unix))]
mod unsupported;
#[cfg(not(unix))]
use unsupported as platform;

pub use platform::ShmHandle;

use crate::error::DecodeError;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::sync::{Arc, Mutex};

/// Default body size from which shared memory is used.
pub const DEFAULT_SHM_THRESHOLD: usize = 1024 * 1024;
/// Default cap on one shared-memory payload.
pub const DEFAULT_MAX_SHM: usize = 1024 * 1024 * 1024;
/// Regions a sender keeps at most; beyond that, large bodies wait for a release or go
/// inline.
pub const MAX_REGIONS: usize = 8;
const MIN_REGION: usize = 64 * 1024;

/// Whether this platform supports shared-memory payloads.
pub const SUPPORTED: bool = platform::SUPPORTED;

/// What a shared-memory envelope's body holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ShmDescriptor {
    /// The region, numbered by the sender.
    pub region: u32,
    /// The region's size as created.
    pub region_len: u64,
    /// Bytes of payload from the region's start.
    pub len: u64,
    /// The region's handle travels with this frame (first use).
    pub new_region: bool,
}

struct SendRegion {
    map: platform::RegionMut,
    busy: bool,
}

/// The sender's pool of regions.
#[derive(Default)]
pub struct ShmPool {
    regions: HashMap<u32, SendRegion>,
    next: u32,
}

impl ShmPool {
    /// Copy `data` into a free region (creating one if needed). Returns the descriptor and,
    /// for a region the peer has not seen, the handle to send along.
    pub fn put(&mut self, data: &[u8]) -> Result<(ShmDescriptor, Option<ShmHandle>), String> {
        let free = self
            .regions
            .iter()
            .filter(|(_, r)| !r.busy && r.map.len() >= data.len())
            .min_by_key(|(_, r)| r.map.len())
            .map(|(id, _)| *id);
        let (id, handle) = match free {
            Some(id) => (id, None),
            None => {
                if self.regions.len() >= MAX_REGIONS {
                    // Drop the smallest idle region to make room, or give up.
                    let idle = self
                        .regions
                        .iter()
                        .filter(|(_, r)| !r.busy)
                        .min_by_key(|(_, r)| r.map.len())
                        .map(|(id, _)| *id);
                    match idle {
                        Some(i) => {
                            self.regions.remove(&i);
                        }
                        None => return Err("every shared-memory region is in use".into()),
                    }
                }
                let size = data.len().max(MIN_REGION).next_power_of_two();
                let map = platform::RegionMut::create(size).map_err(|e| e.to_string())?;
                let handle = map.handle().map_err(|e| e.to_string())?;
                let id = self.next;
                self.next = self.next.wrapping_add(1);
                self.regions.insert(id, SendRegion { map, busy: false });
                (id, Some(handle))
            }
        };
        let r = self.regions.get_mut(&id).expect("region chosen above");
        r.map.write(data);
        r.busy = true;
        Ok((
            ShmDescriptor {
                region: id,
                region_len: r.map.len() as u64,
                len: data.len() as u64,
                new_region: handle.is_some(),
            },
            handle,
        ))
    }

    /// The peer is done with `region`.
    pub fn release(&mut self, region: u32) {
        if let Some(r) = self.regions.get_mut(&region) {
            r.busy = false;
        }
    }

    /// Regions held.
    pub fn regions(&self) -> usize {
        self.regions.len()
    }
}

/// The receiver's view of the peer's regions.
#[derive(Default)]
pub struct ShmInbox {
    regions: HashMap<u32, Arc<platform::RegionRef>>,
}

impl ShmInbox {
    /// Copy out the payload `desc` names. `handle` must be given for a new region.
    pub fn take(
        &mut self,
        desc: &ShmDescriptor,
        handle: Option<ShmHandle>,
        max: usize,
    ) -> Result<Vec<u8>, DecodeError> {
        let r = self.region(desc, handle, max)?;
        r.read(desc.len as usize)
            .ok_or_else(|| DecodeError::SharedMemory("payload extends past the region".into()))
    }

    /// Borrow the payload in place instead of copying it. The region is released (the
    /// region id pushed onto `releases`) when the returned view is dropped.
    pub fn view(
        &mut self,
        desc: &ShmDescriptor,
        handle: Option<ShmHandle>,
        max: usize,
        releases: &Arc<Mutex<Vec<u32>>>,
    ) -> Result<SharedBytes, DecodeError> {
        let r = self.region(desc, handle, max)?;
        let len = desc.len as usize;
        if r.slice(len).is_none() {
            return Err(DecodeError::SharedMemory(
                "payload extends past the region".into(),
            ));
        }
        Ok(SharedBytes {
            region: r,
            id: desc.region,
            len,
            releases: releases.clone(),
        })
    }

    fn region(
        &mut self,
        desc: &ShmDescriptor,
        handle: Option<ShmHandle>,
        max: usize,
    ) -> Result<Arc<platform::RegionRef>, DecodeError> {
        let bad = |m: &str| DecodeError::SharedMemory(m.to_string());
        if desc.len > max as u64 {
            return Err(DecodeError::TooLarge {
                len: desc.len,
                cap: max,
            });
        }
        if desc.new_region {
            let h = handle
                .ok_or_else(|| bad("descriptor announces a region but no handle came with it"))?;
            if desc.region_len > max.max(MIN_REGION).next_power_of_two() as u64 {
                return Err(bad("region larger than the cap"));
            }
            let map = platform::RegionRef::open(h, desc.region_len as usize)
                .map_err(|e| bad(&e.to_string()))?;
            self.regions.insert(desc.region, Arc::new(map));
        }
        self.regions
            .get(&desc.region)
            .cloned()
            .ok_or_else(|| bad("unknown region"))
    }

    /// Regions mapped.
    pub fn regions(&self) -> usize {
        self.regions.len()
    }
}

/// A payload read in place from the peer's shared-memory region (zero-copy receive).
/// Dropping it tells the connection to release the region to the sender.
pub struct SharedBytes {
    region: Arc<platform::RegionRef>,
    id: u32,
    len: usize,
    releases: Arc<Mutex<Vec<u32>>>,
}

impl SharedBytes {
    /// The payload. Bounds were checked against the region when the view was made.
    pub fn as_slice(&self) -> &[u8] {
        self.region.slice(self.len).unwrap_or(&[])
    }

    /// Payload length.
    pub fn len(&self) -> usize {
        self.len
    }

    /// Whether the payload is empty.
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// Copy the payload out.
    pub fn to_vec(&self) -> Vec<u8> {
        self.as_slice().to_vec()
    }
}

impl std::fmt::Debug for SharedBytes {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SharedBytes")
            .field("region", &self.id)
            .field("len", &self.len)
            .finish()
    }
}

impl Drop for SharedBytes {
    fn drop(&mut self) {
        self.releases
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .push(self.id);
    }
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;

    #[test]
    fn payload_round_trips_and_regions_are_reused() {
        let mut pool = ShmPool::default();
        let mut inbox = ShmInbox::default();
        let data: Vec<u8> = (0..300_000u32).map(|i| i as u8).collect();
        let (d1, h1) = pool.put(&data).unwrap();
        assert!(d1.new_region && h1.is_some());
        assert_eq!(inbox.take(&d1, h1, 1 << 30).unwrap(), data);
        // Busy until released: a second put needs a new region.
        let (d2, h2) = pool.put(&data[..10]).unwrap();
        assert_ne!(d2.region, d1.region);
        assert!(h2.is_some());
        pool.release(d1.region);
        let (d3, h3) = pool.put(&data[..1000]).unwrap();
        assert_eq!(d3.region, d1.region);
        assert!(h3.is_none(), "a reused region's handle is not sent again");
        assert_eq!(inbox.take(&d3, None, 1 << 30).unwrap(), data[..1000]);
        assert_eq!(pool.regions(), 2);
    }

    #[cfg(target_os = "linux")]
    #[test]
    fn unsealed_regions_are_refused() {
        let f = std::fs::File::from(rustix_free_memfd());
        f.set_len(4096).unwrap();
        assert!(platform::RegionRef::open(f.into(), 4096).is_err());
    }

    #[cfg(target_os = "linux")]
    fn rustix_free_memfd() -> ShmHandle {
        // A plain temporary file stands in for a peer's unsealed region.
        let path = std::env::temp_dir().join(format!("nexus-ipc-unsealed-{}", std::process::id()));
        let f = std::fs::OpenOptions::new()
            .read(true)
            .write(true)
            .create(true)
            .truncate(true)
            .open(&path)
            .unwrap();
        std::fs::remove_file(&path).unwrap();
        f.into()
    }

    #[test]
    fn views_read_in_place_and_release_on_drop() {
        let mut pool = ShmPool::default();
        let mut inbox = ShmInbox::default();
        let releases = Arc::new(Mutex::new(Vec::new()));
        let (d, h) = pool.put(b"in place").unwrap();
        let v = inbox.view(&d, h, 1 << 20, &releases).unwrap();
        assert_eq!(v.as_slice(), b"in place");
        assert!(releases.lock().unwrap().is_empty());
        drop(v);
        assert_eq!(*releases.lock().unwrap(), vec![d.region]);
        let mut bad = d;
        bad.len = d.region_len + 1;
        assert!(inbox.view(&bad, None, 1 << 30, &releases).is_err());
    }

    #[test]
    fn out_of_bounds_and_missing_handles_are_rejected() {
        let mut pool = ShmPool::default();
        let mut inbox = ShmInbox::default();
        let (mut d, h) = pool.put(&[1; 100]).unwrap();
        d.len = d.region_len + 1;
        let e = inbox.take(&d, h, 1 << 30).unwrap_err();
        assert!(matches!(e, DecodeError::SharedMemory(_)), "{e}");
        let bogus = ShmDescriptor {
            region: 99,
            region_len: 10,
            len: 5,
            new_region: false,
        };
        assert!(inbox.take(&bogus, None, 1 << 30).is_err());
        let (d, _) = pool.put(&[1; 100]).unwrap();
        assert!(
            inbox.take(&d, None, 1 << 30).is_err(),
            "new region without a handle"
        );
        // A region that claims to be bigger than the file behind it is refused.
        let (mut d, h) = pool.put(&[2; 100]).unwrap();
        d.region_len *= 4;
        assert!(inbox.take(&d, h, 1 << 30).is_err());
        // Over the payload cap.
        let (d, h) = pool.put(&[3; 5000]).unwrap();
        assert!(matches!(
            inbox.take(&d, h, 100),
            Err(DecodeError::TooLarge { .. })
        ));
    }
}
