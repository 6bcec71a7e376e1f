//! sendmsg/recvmsg with SCM_RIGHTS: bytes plus shared-memory descriptors on one socket.
#![allow(unsafe_code)]

use std::io;
use std::os::fd::{AsRawFd, FromRawFd, OwnedFd, RawFd};

/// This process's effective user id (who owns what it creates).
pub fn effective_uid() -> u32 {
    // SAFETY: geteuid has no preconditions, touches no memory of ours and cannot fail.
    unsafe { libc::geteuid() }
}

/// Most descriptors sent with one write.
pub const MAX_FDS: usize = 32;

const fn cmsg_space() -> usize {
    // CMSG_SPACE for MAX_FDS ints, computed conservatively: header + data, aligned to 8.
    let data = MAX_FDS * std::mem::size_of::<libc::c_int>();
    let hdr = std::mem::size_of::<libc::cmsghdr>();
    (hdr + data + 7) & !7
}

/// Write `bytes` (some of them), attaching `fds` to the first byte. Returns bytes written.
pub fn send(fd: RawFd, bytes: &[u8], fds: &[OwnedFd]) -> io::Result<usize> {
    assert!(fds.len() <= MAX_FDS);
    let mut iov = libc::iovec {
        iov_base: bytes.as_ptr() as *mut libc::c_void,
        iov_len: bytes.len(),
    };
    let mut cmsg_buf = [0u64; cmsg_space().div_ceil(8)];
    // SAFETY: msghdr is a plain C struct; all-zero is a valid (empty) value.
    let mut msg: libc::msghdr = unsafe { std::mem::zeroed() };
    msg.msg_iov = &mut iov;
    msg.msg_iovlen = 1;
    if !fds.is_empty() {
        let data_len = fds.len() * std::mem::size_of::<libc::c_int>();
        // SAFETY: CMSG_SPACE/CMSG_LEN are pure arithmetic on a length.
        let (space, len) = unsafe {
            (
                libc::CMSG_SPACE(data_len as u32) as usize,
                libc::CMSG_LEN(data_len as u32) as usize,
            )
        };
        assert!(space <= std::mem::size_of_val(&cmsg_buf));
        msg.msg_control = cmsg_buf.as_mut_ptr().cast();
        msg.msg_controllen = space as _;
        // SAFETY: msg_control points at a buffer of `space` bytes, large enough for one
        // header with `data_len` bytes of data (asserted above), so CMSG_FIRSTHDR is
        // non-null and CMSG_DATA points inside the buffer with room for every descriptor.
        unsafe {
            let c = libc::CMSG_FIRSTHDR(&msg);
            (*c).cmsg_level = libc::SOL_SOCKET;
            (*c).cmsg_type = libc::SCM_RIGHTS;
            (*c).cmsg_len = len as _;
            let data = libc::CMSG_DATA(c).cast::<libc::c_int>();
            for (i, f) in fds.iter().enumerate() {
                data.add(i).write_unaligned(f.as_raw_fd());
            }
        }
    }
    // SAFETY: `msg` describes valid buffers that outlive the call; the kernel duplicates
    // the descriptors into the peer, ours stay owned by the caller.
    let n = unsafe { libc::sendmsg(fd, &msg, libc::MSG_NOSIGNAL) };
    if n < 0 {
        Err(io::Error::last_os_error())
    } else {
        Ok(n as usize)
    }
}

/// Read into `buf`; descriptors that came along are appended to `fds`. Returns bytes read
/// (0 = end of stream).
pub fn recv(fd: RawFd, buf: &mut [u8], fds: &mut Vec<OwnedFd>) -> io::Result<usize> {
    let mut iov = libc::iovec {
        iov_base: buf.as_mut_ptr().cast(),
        iov_len: buf.len(),
    };
    let mut cmsg_buf = [0u64; cmsg_space().div_ceil(8)];
    // SAFETY: all-zero msghdr is a valid empty value.
    let mut msg: libc::msghdr = unsafe { std::mem::zeroed() };
    msg.msg_iov = &mut iov;
    msg.msg_iovlen = 1;
    msg.msg_control = cmsg_buf.as_mut_ptr().cast();
    msg.msg_controllen = std::mem::size_of_val(&cmsg_buf) as _;
    #[cfg(target_os = "linux")]
    let flags = libc::MSG_CMSG_CLOEXEC;
    #[cfg(not(target_os = "linux"))]
    let flags = 0;
    // SAFETY: `msg` points at `buf` and `cmsg_buf`, both valid for writes of their lengths.
    let n = unsafe { libc::recvmsg(fd, &mut msg, flags) };
    if n < 0 {
        return Err(io::Error::last_os_error());
    }
    // SAFETY: after a successful recvmsg, the CMSG_* macros walk the control buffer the
    // kernel filled (msg_controllen bytes of it); each SCM_RIGHTS payload holds
    // (cmsg_len - CMSG_LEN(0)) / sizeof(int) new descriptors that we now own.
    unsafe {
        let mut c = libc::CMSG_FIRSTHDR(&msg);
        while !c.is_null() {
            if (*c).cmsg_level == libc::SOL_SOCKET && (*c).cmsg_type == libc::SCM_RIGHTS {
                let count = ((*c).cmsg_len as usize - libc::CMSG_LEN(0) as usize)
                    / std::mem::size_of::<libc::c_int>();
                let data = libc::CMSG_DATA(c).cast::<libc::c_int>();
                for i in 0..count {
                    fds.push(OwnedFd::from_raw_fd(data.add(i).read_unaligned()));
                }
            }
            c = libc::CMSG_NXTHDR(&msg, c);
        }
    }
    if msg.msg_flags & libc::MSG_CTRUNC != 0 {
        return Err(io::Error::new(
            io::ErrorKind::InvalidData,
            "peer sent more descriptors than we accept",
        ));
    }
    Ok(n as usize)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::{Read, Seek, Write};
    use std::os::unix::net::UnixStream;

    #[test]
    fn bytes_and_descriptors_cross_a_socketpair() {
        let (a, b) = UnixStream::pair().unwrap();
        let mut f = std::fs::File::from(crate::transport::unix_io::tests::tmpfile());
        f.write_all(b"shared").unwrap();
        let fd: OwnedFd = f.into();
        assert_eq!(
            send(a.as_raw_fd(), b"hello", std::slice::from_ref(&fd)).unwrap(),
            5
        );
        let mut buf = [0u8; 16];
        let mut got = Vec::new();
        assert_eq!(recv(b.as_raw_fd(), &mut buf, &mut got).unwrap(), 5);
        assert_eq!(&buf[..5], b"hello");
        assert_eq!(got.len(), 1);
        let mut f = std::fs::File::from(got.pop().unwrap());
        f.rewind().unwrap();
        let mut s = String::new();
        f.read_to_string(&mut s).unwrap();
        assert_eq!(s, "shared");
        // Plain bytes without descriptors.
        send(a.as_raw_fd(), b"x", &[]).unwrap();
        assert_eq!(recv(b.as_raw_fd(), &mut buf, &mut got).unwrap(), 1);
        assert!(got.is_empty());
        drop(a);
        assert_eq!(recv(b.as_raw_fd(), &mut buf, &mut got).unwrap(), 0);
    }

    pub(super) fn tmpfile() -> OwnedFd {
        let p = std::env::temp_dir().join(format!("nexus-ipc-fdtest-{}", std::process::id()));
        let f = std::fs::OpenOptions::new()
            .read(true)
            .write(true)
            .create(true)
            .truncate(true)
            .open(&p)
            .unwrap();
        std::fs::remove_file(&p).unwrap();
        f.into()
    }
}
