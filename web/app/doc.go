// Package app is the browser dashboard of swarmsim: it drives a sim/engine
// run in virtual time and draws it with Ebiten (header, client grid, charts
// with the scenario's event bands, errors, summary, inspector, fault and
// preset menus, help overlay), plays incident drills (sim/drill: the
// answer hidden until submitted, the answer panel, the reveal and score),
// and exposes window.swarmsim to JavaScript.
//
// Most of the package is plain Go that builds and tests natively: layout
// math, client-grid geometry, hit-testing and pixel rendering, chart
// geometry and event bands, thresholds to colours, URL parameters, the
// keyboard and mouse command map, and the controller that paces the engine.
// Only the files that import Ebiten (build tag js) draw.
package app
