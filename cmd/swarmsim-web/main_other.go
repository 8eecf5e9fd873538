//go:build !js

package main

import (
	"fmt"
	"os"
)

// main says where the program runs: natively there is no browser to draw in.
// It exists so that `go build ./...` builds every package on every platform.
func main() {
	fmt.Fprintln(os.Stderr, "swarmsim-web is the browser app: build it with GOOS=js GOARCH=wasm (make wasm), serve it with make serve")
	os.Exit(2)
}
