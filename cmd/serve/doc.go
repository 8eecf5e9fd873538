// Command serve serves the browser app (web/) on localhost: the page, the
// Go wasm loader, the compiled swarmsim.wasm, assets/ and the drill files of
// drills/ (or of -drills DIR, whose playable drills it lists with their
// links), and nothing else of the directory (package web/server),
// gzip-compressed with the right Content-Types, ETags, nosniff and a
// Content-Security-Policy. Files are read
// through an os.Root, so no symbolic link leads out of the directory.
// Connections have read, write and idle timeouts. -addr :PORT means
// 127.0.0.1:PORT (as sim-native's --metrics-addr); a host beyond loopback
// (0.0.0.0:8080) is served with a warning. `make serve` builds the wasm and
// runs it. SIGINT (Ctrl-C) or SIGTERM stops it gracefully: requests in flight
// get up to ShutdownGrace to finish. -h prints the usage.
//
//	go run ./cmd/serve -dir web -addr 127.0.0.1:8080
package main
