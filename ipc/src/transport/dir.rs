//! A private directory for sockets: mode 0700, so only our user can even reach the socket
//! file (the launch secret then proves it is the right process of that user).

use std::io;
use std::path::{Path, PathBuf};

/// A freshly created private directory, removed with its contents on drop.
#[derive(Debug)]
pub struct SocketDir {
    path: PathBuf,
}

impl SocketDir {
    /// Create `nexus-ipc-<pid>-<random>` under `$XDG_RUNTIME_DIR` (or the temp dir).
    pub fn new() -> io::Result<SocketDir> {
        let base = std::env::var_os("XDG_RUNTIME_DIR")
            .map(PathBuf::from)
            .filter(|p| p.is_dir())
            .unwrap_or_else(std::env::temp_dir);
        SocketDir::new_in(&base)
    }

    /// Create the private directory under `base`.
    pub fn new_in(base: &Path) -> io::Result<SocketDir> {
        let secret = crate::LaunchSecret::generate()?;
        let tag: String = secret.as_bytes()[..6]
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect();
        let path = base.join(format!("nexus-ipc-{}-{tag}", std::process::id()));
        create_private(&path)?;
        Ok(SocketDir { path })
    }

    /// The directory.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// A socket path inside it.
    pub fn socket(&self, name: &str) -> PathBuf {
        self.path.join(name)
    }
}

impl Drop for SocketDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.path);
    }
}

#[cfg(unix)]
fn create_private(path: &Path) -> io::Result<()> {
    use std::os::unix::fs::DirBuilderExt;
    std::fs::DirBuilder::new().mode(0o700).create(path)?;
    // `create` fails if the path exists, so the directory is ours; check anyway (a umask
    // cannot widen the mode, but be explicit about what we rely on).
    check_private(path)
}

/// Refuse a directory that others could reach into: it must be a real directory (not a
/// symlink to one), owned by this user, with no permissions for group or others. A socket
/// is only listened on inside such a directory, so no other user can connect to it, plant
/// one in its place or swap the directory.
#[cfg(unix)]
pub fn check_private(dir: &Path) -> io::Result<()> {
    use std::os::unix::fs::MetadataExt;
    let refuse = |why: String| {
        Err(io::Error::new(
            io::ErrorKind::PermissionDenied,
            format!("the socket directory {} {why}", dir.display()),
        ))
    };
    let meta = std::fs::symlink_metadata(dir)?;
    if !meta.is_dir() {
        return refuse("is not a directory (a symlink or a file)".into());
    }
    let me = super::unix_io::effective_uid();
    if meta.uid() != me {
        return refuse(format!(
            "belongs to user {}, not to this user ({me})",
            meta.uid()
        ));
    }
    let mode = meta.mode() & 0o777;
    if mode & 0o077 != 0 {
        return refuse(format!(
            "has mode {mode:o}: other users could reach the socket (it must be 700)"
        ));
    }
    Ok(())
}

#[cfg(not(unix))]
fn create_private(path: &Path) -> io::Result<()> {
    std::fs::create_dir(path)
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;
    use std::os::unix::fs::PermissionsExt;

    #[test]
    fn private_and_removed_on_drop() {
        let d = SocketDir::new().unwrap();
        let p = d.path().to_path_buf();
        assert_eq!(
            std::fs::metadata(&p).unwrap().permissions().mode() & 0o777,
            0o700
        );
        std::fs::write(d.socket("x"), b"").unwrap();
        drop(d);
        assert!(!p.exists());
    }
}
