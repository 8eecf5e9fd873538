package tui

import (
	"bytes"
	"fmt"
	"regexp"
	"testing"
	"time"

	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/ansi"
	"github.com/muesli/termenv"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"swarmsim/sim/scenario"
	"swarmsim/sim/stats"
)

// rowValue is the text after label on the screen's first line that has it.
func rowValue(t *testing.T, scr, label string) string {
	t.Helper()
	re := regexp.MustCompile(regexp.QuoteMeta(label) + `\s+(\S+(?: [A-Za-z/µ]+)?)`)
	m := re.FindStringSubmatch(scr)
	require.NotNil(t, m, "no %q on the screen:\n%s", label, scr)
	return m[1]
}

// The dashboard's numbers are the engine's snapshot at the same instant.
func TestNumbersAreTheEnginesSnapshot(t *testing.T) {
	eng := newEngine(t, "steady", time.Minute)
	m := newModel(t, eng, 10, 120, 80, nil)
	m.Inject(scenario.Live503)
	eng.RunUntil(75 * time.Second)
	m.Update(key("r"))
	scr := screen(m)

	agg := eng.Aggregate() // the same instant, read again
	smp := eng.Series().Samples[len(eng.Series().Samples)-1]
	origin := eng.Origin()

	assert.Contains(t, scr, fmt.Sprintf("Clients: %d/%d │ Elapsed: 00:01:15", agg.ActiveClients, 200))
	assert.Equal(t, stats.FormatShortCount(agg.TotalManifestReqs), rowValue(t, scr, "Manifest Requests:"))
	assert.Contains(t, scr, "("+formatRate(agg.ManifestReqRate)+")")
	assert.Equal(t, stats.FormatShortCount(agg.TotalSegmentReqs), rowValue(t, scr, "Segment Requests:"))
	assert.Equal(t, stats.FormatShortBytes(agg.TotalBytes), rowValue(t, scr, "Total Bytes:"))
	p99 := regexp.MustCompile(`P99:\s+(\d+ [mµ]s)`).FindAllStringSubmatch(scr, -1)
	require.Len(t, p99, 2, "manifest and segment P99")
	assert.Equal(t, stats.FormatWholeMs(agg.ManifestLatencyP99), p99[0][1])
	assert.Equal(t, stats.FormatWholeMs(agg.SegmentLatencyP99), p99[1][1])
	assert.Equal(t, fmt.Sprintf("%d", agg.TotalHTTPErrors[503]), rowValue(t, scr, "HTTP 503:"))
	assert.Equal(t, formatPercent(agg.ErrorRate), rowValue(t, scr, "Error Rate:"))
	assert.Equal(t, fmt.Sprintf("%.2fx", agg.AverageSpeed), rowValue(t, scr, "Average Speed:"))
	assert.Equal(t, fmt.Sprintf("%d", agg.StalledClients), rowValue(t, scr, "Stalled Clients:"))
	assert.Equal(t, formatByteRate(smp.ThroughputBps), rowValue(t, scr, "Last 1s:"))
	assert.Equal(t, formatByteRate(smp.Throughput30s), rowValue(t, scr, "Last 30s:"))
	assert.Equal(t, stats.FormatShortBytes(int64(smp.ThroughputBps))+"/s", rowValue(t, scr, "Net Out:"))
	assert.Equal(t, fmt.Sprintf("%d", origin.Connections), rowValue(t, scr, "Connections:"))
	assert.Equal(t, fmt.Sprintf("%.1f", smp.ManifestRate+smp.SegmentRate+smp.InitRate), rowValue(t, scr, "Req/sec:"))
	assert.Equal(t, stats.FormatShortBytes(int64(origin.CapacityBps))+"/s", rowValue(t, scr, "Capacity:"))
	// the layers
	assert.Equal(t, stats.FormatNumber(agg.TotalHTTPErrors[503]), rowValue(t, scr, "5xx Server:"))
	assert.Equal(t, stats.FormatNumber(agg.PlaylistRefreshes), rowValue(t, scr, "✅ Refreshed:"))
	assert.Equal(t, stats.FormatNumber(agg.TCPConnectSuccess), rowValue(t, scr, "✅ Success:"))
	assert.Equal(t, stats.FormatNumber(agg.TotalReconnections), rowValue(t, scr, "🔄 Reconnects:"))
	// steady's origin: 10 Gbit/s = 1.25 GB/s
	assert.Equal(t, "1.25 GB/s", rowValue(t, scr, "Capacity:"))
}

// The formats, by hand.
func TestFormats(t *testing.T) {
	assert.Equal(t, "999", stats.FormatShortCount(999))
	assert.Equal(t, "12.3K", stats.FormatShortCount(12_345))
	assert.Equal(t, "3.5M", stats.FormatShortCount(3_456_789))
	assert.Equal(t, "512 B", stats.FormatShortBytes(512))
	assert.Equal(t, "1.50 MB", stats.FormatShortBytes(1_500_000))
	assert.Equal(t, "14.52 GB", stats.FormatShortBytes(14_520_000_000))
	assert.Equal(t, "0.25/s", formatRate(0.25))
	assert.Equal(t, "140.0/s", formatRate(140))
	assert.Equal(t, "1.2K/s", formatRate(1234))
	assert.Equal(t, "81.6 MB/s", formatByteRate(81_560_000))
	assert.Equal(t, "0 B/s", formatByteRate(0))
	assert.Equal(t, "17.7%", formatPercent(0.177))
	assert.Equal(t, "78 ms", stats.FormatWholeMs(78*time.Millisecond+400*time.Microsecond))
	assert.Equal(t, "250 µs", stats.FormatWholeMs(250*time.Microsecond))
	assert.Equal(t, "00:03:30", stats.FormatExitDuration(210*time.Second))
	assert.Equal(t, "1,234,567", stats.FormatNumber(1_234_567))
	assert.Equal(t, "[████░░░░░░]", meter(0.45, 10))
}

// The thresholds of the real tool.
func TestThresholds(t *testing.T) {
	r := lipgloss.NewRenderer(&bytes.Buffer{})
	r.SetColorProfile(termenv.TrueColor)
	st := newStyles(r)
	fgOf := func(s lipgloss.Style) string { return fmt.Sprint(s.GetForeground()) }
	for _, c := range []struct {
		speed float64
		want  lipgloss.Color
	}{{1.0, colorSuccess}, {0.95, colorWarning}, {0.9, colorWarning}, {0.89, colorError}, {0, colorError}} {
		assert.Equal(t, string(c.want), fgOf(st.speedStyle(c.speed)), "speed %v", c.speed)
	}
	for _, c := range []struct {
		rate float64
		want lipgloss.Color
	}{{0, colorSuccess}, {0.005, colorWarning}, {0.01, colorError}, {0.5, colorError}} {
		assert.Equal(t, string(c.want), fgOf(st.errorRateStyle(c.rate)), "error rate %v", c.rate)
	}
	assert.Contains(t, st.metricsLabel(0), "● Metrics")
	assert.Contains(t, st.metricsLabel(0.05), "degraded")
	assert.Contains(t, st.metricsLabel(0.11), "severely degraded")
}

// Colours reach a colour terminal and nothing but text reaches one with
// NO_COLOR.
func TestNoColor(t *testing.T) {
	eng := newEngine(t, "origin-outage", 210*time.Second)
	draw := func(r *lipgloss.Renderer) string {
		m := New(Config{Engine: eng, Speed: 10, Clock: newClock(), Renderer: r})
		m.Update(teaSize(120, 40))
		return m.View()
	}
	term := func(env fakeEnv) *lipgloss.Renderer {
		return lipgloss.NewRenderer(&bytes.Buffer{}, termenv.WithEnvironment(env), termenv.WithTTY(true))
	}
	colour := draw(term(fakeEnv{"TERM": "xterm-256color", "COLORTERM": "truecolor"}))
	assert.Contains(t, colour, "\x1b[", "a colour terminal gets escape codes")
	noColour := draw(term(fakeEnv{"NO_COLOR": "1", "TERM": "xterm-256color", "COLORTERM": "truecolor"}))
	assert.NotContains(t, noColour, "\x1b[", "NO_COLOR: no escape codes")
	assert.Equal(t, screenOf(colour), screenOf(noColour), "the same text")
}

type fakeEnv map[string]string

func (e fakeEnv) Environ() []string {
	var out []string
	for k, v := range e {
		out = append(out, k+"="+v)
	}
	return out
}

func (e fakeEnv) Getenv(k string) string { return e[k] }

// screenOf is a view's text without escape codes.
func screenOf(view string) string { return ansi.Strip(view) }
