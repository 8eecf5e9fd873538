// Command serve serves the browser app (web/) on localhost: the page, the
// Go wasm loader and the compiled swarmsim.wasm, gzip-compressed with the
// right Content-Types and answering If-Modified-Since (package web/server).
// `make serve` builds the wasm and runs it. SIGINT (Ctrl-C) or SIGTERM stops
// it gracefully: requests in flight get up to ShutdownGrace to finish.
//
//	go run ./cmd/serve -dir web -addr 127.0.0.1:8080
package main
