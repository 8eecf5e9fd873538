//go:build !(linux || darwin || dragonfly || freebsd || netbsd || openbsd || illumos)

package sweep

import (
	"fmt"
	"os"
	"runtime"
)

func lockFile(*os.File) error {
	return fmt.Errorf("%w (not on %s)", errNoLocks, runtime.GOOS)
}

func unlockFile(*os.File) error { return nil }
