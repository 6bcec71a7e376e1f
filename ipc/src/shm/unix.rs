//! memfd regions (Linux; other Unixes use an unlinked temporary file) mapped with mmap.
#![allow(unsafe_code)]

use memmap2::{Mmap, MmapMut, MmapOptions};
use std::fs::File;
use std::io;
use std::os::fd::OwnedFd;

/// Whether shared memory works here.
pub const SUPPORTED: bool = true;

/// A region's file descriptor, as sent to or received from the peer.
pub type ShmHandle = OwnedFd;

#[cfg(target_os = "linux")]
fn anonymous_file() -> io::Result<File> {
    // SAFETY: the name is a valid NUL-terminated C string and the flags are valid;
    // memfd_create returns a new descriptor we own, or -1.
    let fd = unsafe {
        libc::memfd_create(
            c"nexus-ipc".as_ptr(),
            libc::MFD_CLOEXEC | libc::MFD_ALLOW_SEALING,
        )
    };
    if fd < 0 {
        return Err(io::Error::last_os_error());
    }
    // SAFETY: `fd` was just returned by memfd_create and is owned by nobody else.
    Ok(unsafe { <File as std::os::fd::FromRawFd>::from_raw_fd(fd) })
}

#[cfg(not(target_os = "linux"))]
fn anonymous_file() -> io::Result<File> {
    // An unlinked file: the name disappears at once, so nothing can leak on a crash.
    let dir = std::env::temp_dir();
    for i in 0..16u32 {
        let path = dir.join(format!(
            "nexus-ipc-shm-{}-{i}-{:x}",
            std::process::id(),
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map_or(0, |d| d.as_nanos())
        ));
        if let Ok(f) = std::fs::OpenOptions::new()
            .read(true)
            .write(true)
            .create_new(true)
            .open(&path)
        {
            std::fs::remove_file(&path)?;
            return Ok(f);
        }
    }
    Err(io::Error::other(
        "could not create an anonymous shared-memory file",
    ))
}

/// Forbid shrinking or growing the region from now on, so the receiver's mapping can
/// never lose its pages (a shrink would turn reads into SIGBUS).
#[cfg(target_os = "linux")]
fn seal_size(file: &File) -> io::Result<()> {
    use std::os::fd::AsRawFd;
    let seals = libc::F_SEAL_SHRINK | libc::F_SEAL_GROW | libc::F_SEAL_SEAL;
    // SAFETY: fcntl on a descriptor we own, with a valid command and integer argument.
    if unsafe { libc::fcntl(file.as_raw_fd(), libc::F_ADD_SEALS, seals) } < 0 {
        return Err(io::Error::last_os_error());
    }
    Ok(())
}

/// Refuse a region whose size is not sealed.
#[cfg(target_os = "linux")]
fn check_sealed(file: &File) -> io::Result<()> {
    use std::os::fd::AsRawFd;
    // SAFETY: fcntl on a descriptor we own, with a valid command.
    let seals = unsafe { libc::fcntl(file.as_raw_fd(), libc::F_GET_SEALS) };
    if seals < 0 || seals & libc::F_SEAL_SHRINK == 0 {
        return Err(io::Error::new(
            io::ErrorKind::InvalidData,
            "region is not sealed against shrinking",
        ));
    }
    Ok(())
}

#[cfg(not(target_os = "linux"))]
fn seal_size(_: &File) -> io::Result<()> {
    Ok(())
}

#[cfg(not(target_os = "linux"))]
fn check_sealed(_: &File) -> io::Result<()> {
    Ok(())
}

/// The sender's writable mapping of a region.
pub(super) struct RegionMut {
    file: File,
    map: MmapMut,
}

impl RegionMut {
    pub(super) fn create(len: usize) -> io::Result<RegionMut> {
        let file = anonymous_file()?;
        file.set_len(len as u64)?;
        seal_size(&file)?;
        // SAFETY: the file is private to this process until we hand its descriptor to the
        // peer, and the peer only maps it read-only; the file's length is `len` and is
        // never shrunk, so the mapping stays valid for its lifetime.
        let map = unsafe { MmapOptions::new().len(len).map_mut(&file)? };
        Ok(RegionMut { file, map })
    }

    pub(super) fn len(&self) -> usize {
        self.map.len()
    }

    pub(super) fn write(&mut self, data: &[u8]) {
        self.map[..data.len()].copy_from_slice(data);
    }

    pub(super) fn handle(&self) -> io::Result<ShmHandle> {
        Ok(self.file.try_clone()?.into())
    }
}

/// The receiver's read-only mapping of a peer's region.
pub(super) struct RegionRef {
    map: Mmap,
}

impl RegionRef {
    /// Map `len` bytes of the region behind `h`, refusing a region smaller than claimed.
    pub(super) fn open(h: ShmHandle, len: usize) -> io::Result<RegionRef> {
        let file = File::from(h);
        check_sealed(&file)?;
        let real = file.metadata()?.len();
        if (real as usize) < len || len == 0 {
            return Err(io::Error::new(
                io::ErrorKind::InvalidData,
                format!("region is {real} bytes, descriptor claims {len}"),
            ));
        }
        // SAFETY: we map read-only and never more than the file's current size (checked
        // above). The peer keeps a writable mapping and by protocol does not write the
        // region until we release it; if a hostile peer writes anyway, reads see arbitrary
        // bytes, no worse than a socket carrying arbitrary bytes. It cannot shrink the
        // region under us (sealed on Linux, checked above), and memory outside the mapping
        // is never touched.
        let map = unsafe { MmapOptions::new().len(len).map(&file)? };
        Ok(RegionRef { map })
    }

    /// Copy the first `len` bytes out, if the region is that long.
    pub(super) fn read(&self, len: usize) -> Option<Vec<u8>> {
        self.slice(len).map(<[u8]>::to_vec)
    }

    /// The first `len` bytes in place, if the region is that long.
    pub(super) fn slice(&self, len: usize) -> Option<&[u8]> {
        self.map.get(..len)
    }
}
