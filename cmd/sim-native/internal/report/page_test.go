package report

import (
	"bytes"
	"math"
	"os"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/net/html"
	"gonum.org/v1/plot/plotter"

	"swarmsim/internal/palette"
	"swarmsim/sim/clients"
	"swarmsim/sim/engine"
	"swarmsim/sim/export"
	"swarmsim/sim/stats"
)

func testPage() Page {
	xs := make([]float64, 5000)
	ys := make([]float64, 5000)
	for i := range xs {
		xs[i] = float64(i)
		ys[i] = float64(i % 100)
	}
	bands := []Band{{From: 100, To: 200, Label: "Origin unreachable <script>"}, {From: 300, To: 300, Label: "500 viewers join at once"}}
	return Page{
		Title:       "capacity-knee",
		Description: "clients & capacity",
		Facts:       []Fact{{"seed", "1"}},
		Summary:     "Clients: 10 <b>",
		Events:      []EventRow{{At: "1:40", End: "3:20", Kind: "outage", Caption: "Origin unreachable <script>"}},
		Objectives:  []Objective{{Text: "error_rate<0.01", Actual: "0.2", OK: false}},
		Charts: []Chart{
			{ID: "clients", Title: "Clients by state", YLabel: "clients", XMax: 5000, Bands: bands,
				Lines: []Line{{Label: "active", X: xs, Y: ys}, {Label: "baseline active", X: xs, Y: ys, Baseline: true}}},
			{ID: "errors", Title: "Error rate", YLabel: "ratio", XMax: 5000, Bands: bands, Lines: []Line{{Label: "error rate", X: xs[:10], Y: ys[:10]}}},
		},
		Baseline: "base.json",
	}
}

func TestWriteProducesSelfContainedHTML(t *testing.T) {
	var buf bytes.Buffer
	require.NoError(t, Write(&buf, testPage()))
	doc := buf.String()

	root, err := html.Parse(strings.NewReader(doc))
	require.NoError(t, err)
	var svgs, figures int
	var walk func(n *html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.ElementNode {
			switch n.Data {
			case "svg":
				svgs++
			case "figure":
				figures++
			case "script", "link", "img", "iframe":
				t.Errorf("report holds a <%s> element", n.Data)
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(root)
	assert.Equal(t, 2, svgs)
	assert.Equal(t, 2, figures)

	// User text is escaped; event captions appear on the chart and in the table.
	assert.NotContains(t, doc, "<script>")
	assert.Contains(t, doc, "Origin unreachable &lt;script&gt;")
	assert.Contains(t, doc, "500 viewers join at once")
	assert.NotContains(t, doc, "<?xml")
	assert.Contains(t, doc, "Dashed lines: baseline run base.json")
	assert.Contains(t, doc, `class="fail"`)

	assert.Empty(t, ExternalURLs(doc))
}

func TestExternalURLs(t *testing.T) {
	doc := `<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink"></svg><a href="https://example.com/x">`
	assert.Equal(t, []string{"https://example.com/x"}, ExternalURLs(doc))
}

func TestDecimate(t *testing.T) {
	xs := []float64{0, 1, 2, 3, 4, 5, 6}
	ys := []float64{0, 2, 4, 6, 8, 10, 12}
	runs := decimate(xs, ys, 3)
	require.Len(t, runs, 1)
	got := runs[0]
	require.Len(t, got, 3)
	assert.Equal(t, 1.0, got[0].X) // mean of 0,1,2
	assert.Equal(t, 2.0, got[0].Y)
	assert.Equal(t, 6.0, got[2].X)
	runs = decimate(xs, ys, 100)
	require.Len(t, runs, 1)
	assert.Len(t, runs[0], 7)
}

// A stretch without values (an outage: no segment completed) is a gap between two
// runs of the line, not a fall to 0 nor a straight line across it.
func TestDecimateLeavesGaps(t *testing.T) {
	nan := math.NaN()
	xs := []float64{1, 2, 3, 4, 5, 6, 7}
	ys := []float64{0.2, 0.3, nan, nan, 0.4, nan, 0.5}
	runs := decimate(xs, ys, 100)
	require.Len(t, runs, 3)
	assert.Equal(t, plotter.XYs{{X: 1, Y: 0.2}, {X: 2, Y: 0.3}}, runs[0])
	assert.Equal(t, plotter.XYs{{X: 5, Y: 0.4}}, runs[1])
	assert.Equal(t, plotter.XYs{{X: 7, Y: 0.5}}, runs[2])
	// Buckets of two: (1,2) (3,4) (5,6) (7): the all-NaN bucket is the gap; a
	// bucket with one value keeps it.
	runs = decimate(xs, ys, 4)
	require.Len(t, runs, 2)
	assert.Equal(t, plotter.XYs{{X: 1.5, Y: 0.25}}, runs[0])
	assert.Equal(t, plotter.XYs{{X: 5, Y: 0.4}, {X: 7, Y: 0.5}}, runs[1])
	assert.Empty(t, decimate(xs[:2], []float64{nan, nan}, 100))
}

func TestWriteSample(t *testing.T) {
	if testing.Short() {
		t.Skip()
	}
	var buf bytes.Buffer
	require.NoError(t, Write(&buf, testPage()))
	require.NoError(t, os.WriteFile("/tmp/report-sample.html", buf.Bytes(), 0o644))
}

func TestTimeTicks(t *testing.T) {
	ticks := timeTicks{}.Ticks(0, 3600)
	require.NotEmpty(t, ticks)
	assert.Equal(t, "0", ticks[0].Label)
	assert.Equal(t, "10m", ticks[1].Label)
	assert.Equal(t, "1h", ticks[len(ticks)-1].Label)
	assert.Equal(t, "2m30s", durationLabel(150))
	assert.Equal(t, "1h30m", durationLabel(5400))
}

func TestLegendColoursPairBaselineWithItsLine(t *testing.T) {
	c := Chart{Lines: []Line{{Label: "a"}, {Label: "b"}, {Label: "baseline a", Baseline: true}, {Label: "baseline b", Baseline: true}}}
	leg := c.Legend()
	require.Len(t, leg, 4)
	assert.Equal(t, "#3b82f6", leg[0].Color)
	assert.Equal(t, "#f59e0b", leg[1].Color)
	assert.Equal(t, leg[0].Color, leg[2].Color, "a baseline line takes its line's colour")
	assert.Equal(t, leg[1].Color, leg[3].Color)
	assert.False(t, leg[0].Dashed)
	assert.True(t, leg[2].Dashed)

	var buf bytes.Buffer
	require.NoError(t, Write(&buf, Page{Charts: []Chart{c}}))
	assert.Contains(t, buf.String(), `style="border-top: 3px dashed #3b82f6"`)
	assert.Contains(t, buf.String(), `<span style="border-top: 3px solid #f59e0b"></span>b</li>`)
}

// The report draws client states in the shared palette's colours, the
// browser's: buffering amber and stalled red (they were the other way
// round), whatever their order in the chart.
func TestStateLinesUseTheSharedPalette(t *testing.T) {
	p := FromRun(&export.Run{Series: []engine.Sample{{T: 1}}}, nil, "", "", nil)
	var clientsChart *Chart
	for i := range p.Charts {
		if p.Charts[i].ID == "clients" {
			clientsChart = &p.Charts[i]
		}
	}
	require.NotNil(t, clientsChart)
	colours := map[string]string{}
	for _, e := range clientsChart.Legend() {
		colours[e.Label] = e.Color
	}
	for label, s := range map[string]clients.State{"playing": clients.Playing, "buffering": clients.Buffering,
		"stalled": clients.Stalled, "backoff": clients.Backoff, "starting": clients.Starting, "not started": clients.NotStarted} {
		assert.Equal(t, palette.Hex(palette.State(s)), colours[label], label)
	}
	assert.Equal(t, palette.Hex(palette.Amber), colours["buffering"])
	assert.Equal(t, palette.Hex(palette.Red), colours["stalled"])
}

// The report names both speeds: the instantaneous one it charts and FFmpeg's running
// average, the figure the real tool reads.
func TestFromRunNamesBothSpeeds(t *testing.T) {
	run := &export.Run{Final: &stats.AggregatedStats{AverageSpeed: 0.5, AverageFFmpegSpeed: 0.97},
		Series: []engine.Sample{{T: 1, AvgInstantSpeed: 0.5}}}
	p := FromRun(run, nil, "", "", nil)
	assert.Contains(t, p.Facts, Fact{"average speed at the end", "0.50x instantaneous, 0.97x FFmpeg's running average"})
	var labels []string
	for _, c := range p.Charts {
		for _, l := range c.Lines {
			labels = append(labels, l.Label)
		}
	}
	assert.Contains(t, labels, "average speed (instantaneous)")
}
