"""Is a path on a network file system (a shared folder over the LAN)?

SQLite's WAL mode needs shared memory between the processes using the file, which network file
systems (SMB/CIFS, NFS) do not provide: there the store uses a rollback journal. Detected: UNC
paths (\\\\server\\share), mapped network drives (Windows), and NFS/SMB/CIFS/… mounts (from the
system's mount table, via psutil). ``GWSTATS_NETWORK=1`` / ``0`` overrides the detection.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

NETWORK_FS = {
    "nfs", "nfs4", "cifs", "smb", "smb2", "smb3", "smbfs", "afs", "ncpfs", "9p", "davfs", "webdav",
    "fuse.sshfs", "sshfs", "fuse.smbnetfs", "fuse.davfs2", "glusterfs", "fuse.glusterfs", "ceph", "lustre",
    "afpfs", "fuse.gvfsd-fuse",
}
ENV_VAR = "GWSTATS_NETWORK"


def is_network_path(path: str | Path, partitions=None) -> bool:
    forced = os.environ.get(ENV_VAR)
    if forced in ("0", "1"):
        return forced == "1"
    text = str(path)
    if text.startswith(("\\\\", "//")):
        return True  # UNC: \\server\share\...
    p = Path(path).expanduser()
    try:
        p = p.resolve()
    except OSError:
        p = p.absolute()
    if sys.platform == "win32" and partitions is None:
        return _windows_remote_drive(p)
    fstype = fs_type(p, partitions)
    return fstype is not None and (fstype.lower() in NETWORK_FS or fstype.lower().startswith(("nfs", "smb", "cifs")))


def fs_type(path: Path, partitions=None) -> str | None:
    """The file system type of the mount holding ``path`` (longest matching mount point)."""
    if partitions is None:
        try:
            import psutil

            partitions = [(p.mountpoint, p.fstype) for p in psutil.disk_partitions(all=True)]
        except Exception:
            return None
    best, best_len = None, -1
    text = str(path)
    for mountpoint, fstype in partitions:
        mp = str(mountpoint).rstrip("/\\") or "/"
        inside = text == mp or text.startswith(mp if mp.endswith(("/", "\\")) else mp + os.sep) or mp == "/"
        if inside and len(mp) > best_len:
            best, best_len = fstype, len(mp)
    return best


def _windows_remote_drive(path: Path) -> bool:
    """A mapped network drive (Z:\\ → \\\\server\\share)."""
    try:
        import ctypes

        drive = path.drive
        if not drive:
            return False
        if drive.startswith("\\\\"):
            return True
        DRIVE_REMOTE = 4
        return ctypes.windll.kernel32.GetDriveTypeW(drive + "\\") == DRIVE_REMOTE
    except Exception:
        return False
