//go:build js

// Command swarmsim-web is the browser dashboard compiled to WebAssembly:
//
//	GOOS=js GOARCH=wasm go build -o web/swarmsim.wasm ./cmd/swarmsim-web
//
// web/index.html loads it; `make serve` builds and serves it.
package main

import (
	"fmt"
	"os"

	"swarmsim/web/app"
)

func main() {
	if err := app.RunBrowser(); err != nil {
		fmt.Fprintln(os.Stderr, "swarmsim:", err)
		os.Exit(1)
	}
}
