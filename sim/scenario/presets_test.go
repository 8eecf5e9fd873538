package scenario

import (
	"fmt"
	"io/fs"
	"math"
	"path"
	"strings"
	"testing"
	"time"

	"github.com/goccy/go-yaml"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestPresetsParseValidateAndHaveCaptions(t *testing.T) {
	infos := Presets()
	require.Len(t, infos, len(presetOrder))
	assert.Equal(t, DefaultPreset, infos[0].Name, "the default preset comes first")
	for _, info := range infos {
		t.Run(info.Name, func(t *testing.T) {
			s, err := Preset(info.Name)
			require.NoError(t, err)
			require.NoError(t, s.Validate())
			assert.Equal(t, info.Name, s.Name, "the name in the file matches the file name")
			assert.Equal(t, info.Description, s.Description)
			assert.NotEmpty(t, s.Description)
			assert.NotContains(t, s.Description, "\n")

			// Modest sizes so that every preset runs fast.
			assert.LessOrEqual(t, s.Duration, Duration(30*time.Minute))
			peak := s.Clients.Count
			for _, e := range s.Events {
				if e.Kind == KindAddClients {
					peak += e.Clients
				}
			}
			assert.LessOrEqual(t, peak, 5000)

			// Every event carries a hand-written caption in the YAML source.
			src, err := PresetYAML(info.Name)
			require.NoError(t, err)
			var raw struct {
				Events []map[string]any `yaml:"events"`
			}
			require.NoError(t, yaml.Unmarshal(src, &raw))
			require.Len(t, raw.Events, len(s.Events))
			for i, e := range raw.Events {
				caption, _ := e["caption"].(string)
				assert.NotEmpty(t, caption, "events[%d] of %s has no caption", i, info.Name)
				assert.LessOrEqual(t, len(caption), maxCaption)
			}
			for i := 1; i < len(s.Events); i++ {
				assert.LessOrEqual(t, s.Events[i-1].At, s.Events[i].At, "events sorted")
			}
		})
	}
}

func TestPresetFilesMatchTheOrderList(t *testing.T) {
	var files []string
	require.NoError(t, fs.WalkDir(presetFiles, "presets", func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			files = append(files, strings.TrimSuffix(path.Base(p), ".yaml"))
		}
		return err
	}))
	assert.ElementsMatch(t, presetOrder, files)
	for _, want := range []string{"steady", "ramp-up", "origin-outage", "capacity-knee", "error-storm",
		"stale-playlist", "mobile-congestion", "reconnect-storm", "churn"} {
		assert.Contains(t, presetOrder, want)
	}
}

func TestPresetUnknownNameListsValidNames(t *testing.T) {
	_, err := Preset("nope")
	require.Error(t, err)
	assert.Equal(t, `unknown preset "nope"; presets: `+strings.Join(presetOrder, ", "), err.Error())
	_, err = PresetYAML("nope")
	require.Error(t, err)
}

func TestPresetReturnsIndependentCopies(t *testing.T) {
	a, err := Preset("steady")
	require.NoError(t, err)
	require.NoError(t, a.Set("clients", "7"))
	b, err := Preset("steady")
	require.NoError(t, err)
	assert.Equal(t, 200, b.Clients.Count)
}

// mbps is one viewer's demand: (video + audio) kbps / 1000.
func mbps(s *Scenario, videoKbps int) float64 {
	return float64(videoKbps+s.Stream.AudioKbps) / 1000
}

func TestPresetArithmetic(t *testing.T) {
	t.Run("steady has over 20x headroom", func(t *testing.T) {
		s, err := Preset("steady")
		require.NoError(t, err)
		demand := float64(s.Clients.Count) * mbps(s, s.Stream.BitratesKbps[0])
		assert.InDelta(t, 425.6, demand, 1e-9, "200 x 2.128 Mbps")
		assert.Greater(t, s.Origin.CapacityMbps, 20*demand)
		assert.Equal(t, 10.0, float64(s.Clients.Count)/s.Clients.RampRate, "ramp of 200 / 20 per s = 10 s")
	})
	t.Run("capacity-knee crosses capacity at 1000 viewers, 200 s in", func(t *testing.T) {
		s, err := Preset("capacity-knee")
		require.NoError(t, err)
		perClient := mbps(s, s.Stream.BitratesKbps[0])
		knee := s.Origin.CapacityMbps / perClient
		assert.InDelta(t, 1000, knee, 1e-9)
		assert.InDelta(t, 200, knee/s.Clients.RampRate, 1e-9, "seconds into the ramp")
		assert.InDelta(t, 4256, float64(s.Clients.Count)*perClient, 1e-9, "full demand: twice the capacity")
		require.Len(t, s.Events, 1)
		assert.Greater(t, s.Events[0].CapacityMbps, float64(s.Clients.Count)*perClient, "the scale-out covers the full demand")
	})
	t.Run("ramp-up takes 200 s", func(t *testing.T) {
		s, err := Preset("ramp-up")
		require.NoError(t, err)
		assert.Equal(t, 200.0, float64(s.Clients.Count)/s.Clients.RampRate)
	})
	t.Run("mobile-congestion drops mobile below its bitrate", func(t *testing.T) {
		s, err := Preset("mobile-congestion")
		require.NoError(t, err)
		var mobile Cohort
		for _, c := range s.Clients.Cohorts {
			if c.Name == "mobile" {
				mobile = c
			}
		}
		need := mbps(s, mobile.BitrateKbps)
		assert.InDelta(t, 1.128, need, 1e-9)
		assert.Greater(t, mobile.BandwidthMbps.Min, need, "without the drop mobile viewers keep up")
		assert.Less(t, s.Events[0].BandwidthMbps, need, "during the drop they cannot")
		demand := 0.0
		for _, c := range s.Clients.Cohorts {
			rendition := c.BitrateKbps
			if rendition == 0 {
				rendition = s.Stream.BitratesKbps[0]
			}
			demand += float64(s.Clients.Count) * c.Share * mbps(s, rendition)
		}
		assert.InDelta(t, 1331.2, demand, 1e-6, "400 x (0.5 x 5.128 + 0.2 x 2.128 + 0.3 x 1.128)")
	})
	t.Run("reconnect-storm backoff matches the real tool", func(t *testing.T) {
		s, err := Preset("reconnect-storm")
		require.NoError(t, err)
		b := s.Clients.Backoff
		want := []float64{250, 425, 722, 1228, 2088, 3550, 5000} // ms, from hls-swarm-facts.md
		delay := float64(b.Initial) / float64(time.Millisecond)
		for i, w := range want {
			capped := math.Min(delay, float64(b.Max)/float64(time.Millisecond))
			assert.InDelta(t, w, capped, 0.6, "attempt %d", i)
			delay *= b.Multiplier
		}
	})
	t.Run("stale-playlist jumps 5 then 10 segments", func(t *testing.T) {
		s, err := Preset("stale-playlist")
		require.NoError(t, err)
		require.Len(t, s.Events, 2)
		assert.Equal(t, 5, s.Events[0].JumpSegments(s.Stream.SegmentDuration))
		assert.Equal(t, 10, s.Events[1].JumpSegments(s.Stream.SegmentDuration), "20 s / 2 s")
	})
}

// A preset's description is its story in the menus and the CLI: it names
// every outage the preset has, with the clock time it starts at.
func TestPresetDescriptionsNameEveryOutage(t *testing.T) {
	for _, info := range Presets() {
		s, err := Preset(info.Name)
		require.NoError(t, err)
		var outages []Event
		for _, e := range s.Events {
			if e.Kind == KindOutage {
				outages = append(outages, e)
			}
		}
		if len(outages) < 2 {
			continue // one outage: "the outage" cannot be miscounted
		}
		for _, e := range outages {
			at := e.At.D()
			clock := fmt.Sprintf("%d:%02d", int(at.Minutes()), int(at.Seconds())%60)
			assert.Contains(t, s.Description, clock, "%s: the outage at %s", info.Name, clock)
		}
	}
}
