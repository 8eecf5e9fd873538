package e2e

import (
	"testing"
)

func TestDebugStartup(t *testing.T) {
	for _, q := range []string{"?clients=50", "?clients=10000&ramp_rate=500&duration=30m"} {
		ctx := tab(t, site0(t).URL(q))
		t.Log(q, eval[string](t, ctx, `JSON.stringify({loaded: swarmsimLoader.loadedMs, t: swarmsim.timings()})`))
	}
}
