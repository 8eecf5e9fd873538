//go:build linux || darwin || dragonfly || freebsd || netbsd || openbsd || illumos

package sweep

import (
	"errors"
	"fmt"
	"os"
	"syscall"
)

// lockFile takes an exclusive advisory lock on f (flock(2)), waiting while another open
// file (another process) holds it. A file system without locks gives errNoLocks.
func lockFile(f *os.File) error { return flock(f, syscall.LOCK_EX) }

// unlockFile releases the lock of lockFile.
func unlockFile(f *os.File) error { return flock(f, syscall.LOCK_UN) }

func flock(f *os.File, how int) error {
	rc, err := f.SyscallConn()
	if err != nil {
		return err
	}
	var ferr error
	if err := rc.Control(func(fd uintptr) {
		for {
			ferr = syscall.Flock(int(fd), how)
			if ferr != syscall.EINTR {
				return
			}
		}
	}); err != nil {
		return err
	}
	// ENOSYS, EOPNOTSUPP: the file system has no flock; ENOLCK: an NFS mount without a
	// lock manager.
	if errors.Is(ferr, errors.ErrUnsupported) || errors.Is(ferr, syscall.ENOLCK) {
		return fmt.Errorf("%w (%v)", errNoLocks, ferr)
	}
	return ferr
}
