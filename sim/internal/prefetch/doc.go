// Package prefetch asks the CPU to bring memory into its caches before the
// code needs it (x86 PREFETCHT0; a no-op on other platforms, wasm included).
// A prefetch retires at once, so unlike an ordinary "touch" load the work
// that follows never waits for it; it cannot fault and changes no value, so
// results are the same with or without it.
package prefetch
