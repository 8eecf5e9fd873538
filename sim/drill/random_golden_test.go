package drill

import (
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// randomSummary is what Random drew for a seed, in one line.
func randomSummary(t *testing.T, seed uint64) string {
	d, err := Random(seed)
	require.NoError(t, err)
	s := fmt.Sprintf("n=%d dur=%s answer=%d", d.Scenario.Clients.Count, d.Scenario.Duration, d.Answer)
	for _, e := range d.Scenario.Events {
		s += fmt.Sprintf(" %s@%s+%s rate=%g cap=%g lat=%s share=%g bw=%g join=%g",
			e.Kind, e.At, e.Duration, e.Rate, e.CapacityMbps, e.Latency, e.Share, e.BandwidthMbps, e.JoinRate)
	}
	return s
}

// TestRandomSameEverywhere pins what a few seeds draw, so that the wasm run
// (the browser's) and every platform draw the same drill from a link. The
// lines were printed by this test natively; a change of generator or of the
// draws' order changes them and breaks every link a trainer has sent.
func TestRandomSameEverywhere(t *testing.T) {
	want := map[uint64]string{
		1:       "n=60 dur=4m answer=1 bandwidth_drop@1m45s+1m10s rate=0 cap=0 lat=0s share=0.4 bw=1 join=0",
		7:       "n=60 dur=4m answer=3 capacity@1m10s+1m10s rate=0 cap=89 lat=0s share=0 bw=0 join=0",
		42:      "n=40 dur=4m answer=4 error_burst@1m20s+55s rate=0.5 cap=0 lat=0s share=0 bw=0 join=0",
		1 << 40: "n=60 dur=4m answer=3 capacity@1m50s+1m20s rate=0 cap=95 lat=0s share=0 bw=0 join=0",
	}
	for seed, line := range want {
		assert.Equal(t, line, randomSummary(t, seed), "seed %d", seed)
	}
}
