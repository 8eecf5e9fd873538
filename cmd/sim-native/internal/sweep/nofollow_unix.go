//go:build unix

package sweep

import "syscall"

const noFollow = syscall.O_NOFOLLOW
