// Package server serves the browser app's static files (web/): the page,
// wasm_exec.js and the compiled swarmsim.wasm, gzip-compressed with correct
// Content-Types (application/wasm for the module). It is used by cmd/serve
// (`make serve`) and by the end-to-end test in web/e2e.
package server
