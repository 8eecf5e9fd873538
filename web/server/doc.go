// Package server serves the browser app's static files (web/): the page,
// wasm_exec.js, the compiled swarmsim.wasm and the files under assets/, and
// nothing else of the tree (AppFiles). Compressible files are sent gzipped with
// correct Content-Types (application/wasm for the module); every file has a
// weak ETag (a hash of its content) answered with 304; every answer carries
// X-Content-Type-Options: nosniff and a Content-Security-Policy (a page's
// allows its own inline scripts by hash, and wasm compilation); error answers
// never echo the request's path. It is used by cmd/serve (`make serve`) and by
// the end-to-end test in web/e2e.
package server
