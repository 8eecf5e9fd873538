//go:build !js

// Package e2e holds the browser app's end-to-end test: it builds the wasm,
// serves web/ on 127.0.0.1:0 and drives headless Chromium with chromedp
// (frames, snapshot, faults, inspector, URL parameters, screenshots,
// downloads, load errors, and the performance goals of docs/PERFORMANCE.md).
// It needs Chromium ($SWARMSIM_CHROMIUM, by default /usr/bin/chromium) and
// fails without it.
package e2e
