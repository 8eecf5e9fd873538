// Command swarmsim-web is the browser dashboard (package web/app) as a
// js/wasm program; it only builds for GOOS=js GOARCH=wasm.
package main
