//go:build !unix

package sweep

const noFollow = 0
