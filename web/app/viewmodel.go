package app

import (
	"fmt"
	"image/color"
	"math"
	"strings"
	"time"

	"swarmsim/internal/palette"
	"swarmsim/sim/clients"
	"swarmsim/sim/engine"
	"swarmsim/sim/scenario"
	"swarmsim/sim/stats"
)

// StateColor is the grid colour of a client state (the shared palette's,
// as in the report).
func StateColor(s clients.State) color.RGBA { return palette.State(s) }

// StateColorCode adapts StateColor to RenderGrid's state codes.
func StateColorCode(s uint8) color.RGBA { return StateColor(clients.State(s)) }

// Stat is one labelled figure of a panel, with its threshold colour.
type Stat struct {
	Label  string
	Value  string
	Health Health
	// Plain marks a figure without a threshold (drawn in the text colour).
	Plain bool
}

// Color returns the colour a figure is drawn in.
func (s Stat) Color() color.RGBA {
	if s.Plain {
		return ColText
	}
	return s.Health.Color()
}

func plain(label, value string) Stat { return Stat{Label: label, Value: value, Plain: true} }

// StateCounts counts clients per state.
type StateCounts [clients.NumStates]int

// CountStates counts the clients of each state.
func CountStates(states []uint8) StateCounts {
	var c StateCounts
	for _, s := range states {
		if int(s) < len(c) {
			c[s]++
		}
	}
	return c
}

// OverallHealth sums the run up in one word and colour: the worst of the
// error rate, the average speed, the stalled share and the share of running
// clients that are in backoff (an outage with refused connections has no
// HTTP errors, but its viewers are all waiting to reconnect).
func OverallHealth(a *stats.AggregatedStats, counts StateCounts) (string, Health) {
	if a == nil || a.TotalClients == 0 {
		return "idle", HealthGood
	}
	live := 0
	for s := clients.Starting; s <= clients.Backoff; s++ {
		live += counts[s]
	}
	if live > 0 {
		share := float64(counts[clients.Backoff]) / float64(live)
		switch {
		case share >= 0.10:
			return fmt.Sprintf("%.0f %% reconnecting", 100*share), HealthBad
		case share >= 0.01 && a.ErrorRate < ErrorRateRed:
			return fmt.Sprintf("%.0f %% reconnecting", 100*share), HealthWarn
		}
	}
	errName, errH := HTTPLayerStatus(a.ErrorRate)
	h := Worst(ErrorRateHealth(a.ErrorRate), CountHealth(int64(a.StalledClients), int64(a.ActiveClients)))
	reading := a.ClientsAboveRealtime + a.ClientsBelowRealtime
	if reading > 0 {
		h = Worst(h, SpeedHealth(a.AverageSpeed))
	}
	switch {
	case errH == HealthBad:
		return "HTTP " + errName, HealthBad
	case h == HealthBad:
		return "degraded playback", HealthBad
	case h == HealthWarn:
		return "warning", HealthWarn
	}
	return "healthy", HealthGood
}

// LiveFigures are the summary's current figures: the recorder's last
// sample (nil before the first) with its interval, and the TCP connects of
// the last aggregate window.
type LiveFigures struct {
	Sample   *engine.Sample
	Interval time.Duration
	Connects ConnectWindow
}

// ConnectFailRed is the share of failed (refused or timed-out) connects at
// and above which the TCP layer is red; any failure is amber.
const ConnectFailRed = 0.20

// ConnectHealth colours a share of failed connects: green at 0, amber
// above, red at ConnectFailRed and above.
func ConnectHealth(share float64) Health { return zeroIsGood(share, ConnectFailRed) }

// SummaryStats are the key figures, coloured by the real tool's thresholds.
// Rates are the current ones (the last sample's interval, labelled so), not
// since-start averages. The error rate and HTTP layer keep the real tool's
// formula, which does not count refused connects; the connects line shows
// them, so a total outage does not read "Healthy".
func SummaryStats(a *stats.AggregatedStats, live LiveFigures) []Stat {
	if a == nil {
		return nil
	}
	layer, layerH := HTTPLayerStatus(a.ErrorRate)
	reading := a.ClientsAboveRealtime + a.ClientsBelowRealtime
	// Two speeds: the instantaneous one that drives states and stalls, and
	// FFmpeg's running average (out_time / time since the process started),
	// the figure the real tool reads. Each is named where it is shown.
	speed := Stat{Label: SpeedInstantLabel, Value: "–", Plain: true}
	ffSpeed := Stat{Label: SpeedFFmpegLabel, Value: "–", Plain: true}
	if reading > 0 {
		speed = Stat{Label: SpeedInstantLabel, Value: fmt.Sprintf("%.2fx", a.AverageSpeed), Health: SpeedHealth(a.AverageSpeed)}
	}
	if a.AverageFFmpegSpeed > 0 {
		ffSpeed = Stat{Label: SpeedFFmpegLabel, Value: fmt.Sprintf("%.2fx", a.AverageFFmpegSpeed), Health: SpeedHealth(a.AverageFFmpegSpeed)}
	}
	// Drift, like speed, has no reading when no client has one (an
	// outage): "–", not a reassuring 0 s.
	avgDrift, maxDrift := plain("avg drift", "–"), plain("max drift", "–")
	if reading > 0 {
		avgDrift = Stat{Label: "avg drift", Value: FormatSeconds(a.AverageDrift.Seconds()), Health: DriftHealth(a.AverageDrift.Seconds())}
		maxDrift = Stat{Label: "max drift", Value: FormatSeconds(a.MaxDrift.Seconds()), Health: DriftHealth(a.MaxDrift.Seconds())}
	}
	cw := live.Connects
	connects := plain(fmt.Sprintf("TCP failed (last %s)", FormatWindow(cw.Window)), "–")
	if cw.Attempts > 0 {
		share := cw.FailedShare()
		connects.Value, connects.Health, connects.Plain = FormatPercent(share), ConnectHealth(share), false
	}
	last := "(last " + FormatWindow(live.Interval) + ")"
	throughput, segments, manifests := "–", "–", "–"
	if s := live.Sample; s != nil {
		throughput, segments, manifests = FormatRate(s.ThroughputBps, "B"), FormatRate(s.SegmentRate, ""), FormatRate(s.ManifestRate, "")
	}
	// Two columns of eight: health on the left, traffic and drift on the
	// right.
	return []Stat{
		plain("active clients", stats.FormatNumber(int64(a.ActiveClients))),
		{Label: "stalled", Value: stats.FormatNumber(int64(a.StalledClients)), Health: CountHealth(int64(a.StalledClients), int64(a.ActiveClients))},
		plain("above / below 1x", fmt.Sprintf("%s / %s", stats.FormatNumber(int64(a.ClientsAboveRealtime)), stats.FormatNumber(int64(a.ClientsBelowRealtime)))),
		speed,
		{Label: "error rate", Value: FormatPercent(a.ErrorRate), Health: ErrorRateHealth(a.ErrorRate)},
		{Label: "HTTP layer", Value: layer, Health: layerH},
		connects,
		{Label: "high drift", Value: stats.FormatNumber(int64(a.ClientsWithHighDrift)), Health: CountHealth(int64(a.ClientsWithHighDrift), int64(a.ActiveClients))},
		plain("throughput "+last, throughput),
		plain("segments "+last, segments),
		plain("manifests "+last, manifests),
		plain("bytes (total)", stats.FormatBytes(a.TotalBytes)),
		avgDrift, maxDrift,
		ffSpeed,
		plain("seg p50/p99 (run)", FormatSeconds(a.SegmentLatencyP50.Seconds())+" / "+FormatSeconds(a.SegmentLatencyP99.Seconds())),
	}
}

// The names of the two speeds, in the summary and the inspector.
const (
	SpeedInstantLabel = "speed (instant)"
	SpeedFFmpegLabel  = "speed (FFmpeg avg)"
)

// FormatWindow names a window of time for a short label: "1 s", "10 s",
// then m:ss ("1:00", "2:12"); "–" for none.
func FormatWindow(d time.Duration) string {
	sec := int64(d.Round(time.Second) / time.Second)
	switch {
	case sec <= 0:
		return "–"
	case sec < 60:
		return fmt.Sprintf("%d s", sec)
	}
	return fmt.Sprintf("%d:%02d", sec/60, sec%60)
}

// ErrorStats are the error figures: HTTP errors by status code (ascending,
// "other" first), timeouts and reconnections.
func ErrorStats(a *stats.AggregatedStats) []Stat {
	if a == nil {
		return nil
	}
	out := []Stat{
		{Label: "HTTP errors", Value: stats.FormatNumber(a.HTTPErrorsTotal), Health: countNonZero(a.HTTPErrorsTotal)},
		{Label: "timeouts", Value: stats.FormatNumber(a.TotalTimeouts), Health: countNonZero(a.TotalTimeouts)},
		{Label: "reconnections", Value: stats.FormatNumber(a.TotalReconnections), Health: countNonZero(a.TotalReconnections)},
		{Label: "refused connects", Value: stats.FormatNumber(a.TCPConnectRefused), Health: countNonZero(a.TCPConnectRefused)},
		{Label: "connect timeouts", Value: stats.FormatNumber(a.TCPConnectTimeout), Health: countNonZero(a.TCPConnectTimeout)},
	}
	errs := stats.HTTPErrorCountsOf(a.TotalHTTPErrors)
	for code, n := range errs.All() {
		out = append(out, Stat{Label: stats.HTTPErrorLabel(code), Value: stats.FormatNumber(n), Health: HealthBad})
	}
	return out
}

func countNonZero(n int64) Health {
	if n > 0 {
		return HealthWarn
	}
	return HealthGood
}

// InspectorStats are the figures of one client.
func InspectorStats(v engine.ClientView) []Stat {
	s := v.Stats
	out := []Stat{
		{Label: "state", Value: v.State.String(), Plain: true},
		plain("cohort", v.Cohort),
		plain("rendition", rendition(v)),
		{Label: SpeedInstantLabel, Value: fmt.Sprintf("%.2fx", v.Speed), Health: SpeedHealth(v.Speed)},
		plain(SpeedFFmpegLabel, fmt.Sprintf("%.2fx", v.AvgSpeed)),
		{Label: "drift", Value: FormatSeconds(v.Drift.Seconds()), Health: DriftHealth(v.Drift.Seconds())},
		plain("buffer", FormatSeconds(v.Buffer.Seconds())),
		plain("starts", fmt.Sprintf("%d (last backoff %s)", v.Starts, FormatSeconds(v.LastBackoff.Seconds()))),
		plain("requests", fmt.Sprintf("%s segments, %s manifests, %s init", stats.FormatNumber(s.SegmentRequests), stats.FormatNumber(s.ManifestRequests), stats.FormatNumber(s.InitRequests))),
		plain("bytes", stats.FormatBytes(s.TotalBytes)),
		plain("segment latency", fmt.Sprintf("p50 %s  p95 %s  p99 %s", FormatSeconds(s.SegmentLatencyP50.Seconds()), FormatSeconds(s.SegmentLatencyP95.Seconds()), FormatSeconds(s.SegmentLatencyP99.Seconds()))),
		{Label: "timeouts", Value: stats.FormatNumber(s.Timeouts), Health: countNonZero(s.Timeouts)},
		{Label: "reconnections", Value: stats.FormatNumber(s.Reconnections), Health: countNonZero(s.Reconnections)},
	}
	var codes stats.HTTPErrorCounts
	for code, n := range s.HTTPErrors {
		codes.Add(code, n)
	}
	errs := ""
	for code, n := range codes.All() {
		if errs != "" {
			errs += ", "
		}
		errs += fmt.Sprintf("%s: %d", stats.HTTPErrorLabel(code), n)
	}
	if errs == "" {
		out = append(out, Stat{Label: "HTTP errors", Value: "none", Health: HealthGood})
	} else {
		out = append(out, Stat{Label: "HTTP errors", Value: errs, Health: HealthBad})
	}
	return out
}

// rendition is the inspector's rendition line: the bitrate and the
// client's link, which a drill hides until its reveal (BandwidthMbps 0).
func rendition(v engine.ClientView) string {
	if v.BandwidthMbps <= 0 {
		return fmt.Sprintf("%d kbps", v.BitrateKbps)
	}
	return fmt.Sprintf("%d kbps, link %.0f Mbps", v.BitrateKbps, v.BandwidthMbps)
}

// HistoryLines formats a client's recent state changes, newest first.
func HistoryLines(h []engine.StateChange, max int) []Stat {
	var out []Stat
	for i := len(h) - 1; i >= 0 && len(out) < max; i-- {
		out = append(out, Stat{Label: stats.FormatClock(h[i].At) + fmt.Sprintf(".%d", (h[i].At%time.Second)/(100*time.Millisecond)), Value: h[i].State.String(), Plain: true})
	}
	return out
}

// SeriesCharts turns the recorder's samples into the dashboard's charts. It
// appends only the samples it has not seen, so a long run costs nothing per
// frame; Reset starts over (after a restart).
type SeriesCharts struct {
	Charts [NumCharts]ChartData
	seen   int
}

// NewSeriesCharts returns the charts with their titles, lines and formats.
func NewSeriesCharts() *SeriesCharts {
	sc := &SeriesCharts{}
	pct := func(v float64) string { return FormatPercent(v / 100) }
	sc.Charts[ChartClients] = ChartData{Title: "clients by state", Format: func(v float64) string { return stats.FormatNumber(int64(v + 0.5)) },
		Lines: []Line{{Name: "healthy (>=1x)", Color: ColGreen}, {Name: "below real time", Color: ColAmber}, {Name: "stalled", Color: ColRed}, {Name: "backoff", Color: ColPurple}}}
	sc.Charts[ChartThroughput] = ChartData{Title: "throughput", Format: func(v float64) string { return FormatRate(v, "B") },
		Lines: []Line{{Name: "per interval", Color: ColBlue}, {Name: "30 s avg", Color: ColAmber}}}
	sc.Charts[ChartRequests] = ChartData{Title: "request rates", Format: func(v float64) string { return FormatRate(v, "") },
		Lines: []Line{{Name: "segments", Color: ColBlue}, {Name: "manifests", Color: ColPink}}}
	// The real tool's error rate leaves refused and timed-out connects
	// out (they are no HTTP errors); their own line keeps an outage from
	// looking like a healthy minute.
	sc.Charts[ChartErrors] = ChartData{Title: "errors", Format: pct,
		Lines: []Line{{Name: "HTTP errors / requests", Color: ColRed}, {Name: "failed / TCP connects", Color: ColPurple}}}
	sc.Charts[ChartLatency] = ChartData{Title: "segment latency", Format: FormatSeconds,
		Lines: []Line{{Name: "p50", Color: ColGreen}, {Name: "p95", Color: ColAmber}, {Name: "p99", Color: ColRed}}}
	sc.Charts[ChartDrift] = ChartData{Title: "drift", Format: FormatSeconds,
		Lines: []Line{{Name: "average", Color: ColBlue}, {Name: "max", Color: ColAmber}}}
	return sc
}

// Reset forgets every sample.
func (sc *SeriesCharts) Reset() {
	for i := range sc.Charts {
		c := &sc.Charts[i]
		c.Times = c.Times[:0]
		for j := range c.Lines {
			c.Lines[j].Values = c.Lines[j].Values[:0]
		}
		c.Bands = c.Bands[:0]
		c.Now = 0
	}
	sc.seen = 0
}

// Update appends new samples, replaces the event bands and sets the clock.
func (sc *SeriesCharts) Update(samples []engine.Sample, marks []engine.EventMark, now time.Duration) {
	if len(samples) < sc.seen {
		sc.Reset()
	}
	for _, s := range samples[sc.seen:] {
		// Drift is averaged over clients with a reading; with none (every
		// client down) there is nothing to show.
		avgDrift, maxDrift := s.AvgDrift, s.MaxDrift
		if s.AboveRealtime+s.BelowRealtime == 0 {
			avgDrift, maxDrift = Gap, Gap
		}
		row := [NumCharts][]float64{
			ChartClients:    {float64(s.AboveRealtime), float64(s.BelowRealtime), float64(s.Stalled), float64(s.Backoff)},
			ChartThroughput: {s.ThroughputBps, s.Throughput30s},
			ChartRequests:   {s.SegmentRate, s.ManifestRate},
			ChartErrors:     {s.ErrorRate * 100, s.ConnectFailRate * 100},
			ChartLatency:    {s.SegLatP50, s.SegLatP95, s.SegLatP99}, // NaN (a Gap): none completed
			ChartDrift:      {avgDrift, maxDrift},
		}
		for i := range sc.Charts {
			c := &sc.Charts[i]
			c.Times = append(c.Times, s.T)
			for j := range c.Lines {
				c.Lines[j].Values = append(c.Lines[j].Values, row[i][j])
			}
		}
	}
	sc.seen = len(samples)
	bands := BandsFromMarks(sc.Charts[0].Bands[:0], marks)
	for i := range sc.Charts {
		sc.Charts[i].Bands = bands
		sc.Charts[i].Now = now.Seconds()
	}
}

// BandsFromMarks converts the engine's event marks to chart bands.
func BandsFromMarks(dst []Band, marks []engine.EventMark) []Band {
	for _, m := range marks {
		dst = append(dst, Band{
			Start:   m.Start.Seconds(),
			End:     m.End.Seconds(),
			Kind:    string(m.Kind),
			Caption: m.Caption,
			Color:   EventColor(string(m.Kind)),
			Live:    m.Injected,
		})
	}
	return dst
}

// StoryLine is one line of the story strip: a label and its text in full.
type StoryLine struct {
	Label string
	Text  string
	Color color.RGBA
}

// InstantEventShown is how long an event without a duration (viewers
// joining or leaving) stays "now" in the story strip.
const InstantEventShown = 10 * time.Second

// StoryLines are the story strip's lines at virtual time now: the
// scenario's story (its description), the events under way and the next
// one, each caption in full so that nobody has to hover a chart to read
// what happens.
func StoryLines(description string, bands []Band, now, end time.Duration) [StoryRows]StoryLine {
	var out [StoryRows]StoryLine
	out[0] = StoryLine{Label: "story", Text: description, Color: ColText}
	if description == "" {
		out[0].Text = "a custom scenario (no description)"
	}
	t := now.Seconds()
	caption := func(b Band) string {
		c := b.Caption
		if c == "" {
			c = b.Kind
		}
		if b.Live && !strings.HasPrefix(c, "Live") {
			c = "Live: " + c
		}
		return c
	}
	var current []string
	var col color.RGBA
	next := -1
	for i, b := range bands {
		until := b.End
		if b.End <= b.Start {
			until = b.Start + InstantEventShown.Seconds()
		}
		switch {
		case b.Start <= t && t < until:
			span := stats.FormatClock(seconds(b.Start))
			if b.End > b.Start {
				span += "–" + stats.FormatClock(seconds(b.End))
			}
			current = append(current, span+" "+caption(b))
			if col == (color.RGBA{}) {
				col = b.Color
			}
		case b.Start > t && (next < 0 || b.Start < bands[next].Start):
			next = i
		}
	}
	out[1] = StoryLine{Label: "now", Text: "no event: " + quietWord(len(bands)), Color: ColMuted}
	if len(current) > 0 {
		out[1] = StoryLine{Label: "now", Text: strings.Join(current, "  •  "), Color: col}
	}
	out[2] = StoryLine{Label: "next", Text: "no more events; the run ends at " + stats.FormatClock(end), Color: ColMuted}
	if next >= 0 {
		b := bands[next]
		out[2] = StoryLine{Label: "next", Text: "at " + stats.FormatClock(seconds(b.Start)) + ": " + caption(b), Color: ColText}
	}
	return out
}

func quietWord(events int) string {
	if events == 0 {
		return "the scenario has no events"
	}
	return "between events"
}

// seconds converts a band's seconds (whole engine ticks) back to a
// duration for the clock.
func seconds(s float64) time.Duration { return time.Duration(math.Round(s*10)) * time.Second / 10 }

// RunStory is the story strip's first line for a run of a preset: the
// preset's description, said to be the preset's when the run changes it
// (another client count, URL settings), so that the strip never tells of
// 200 viewers while 10 000 play. The seed changes no story.
func RunStory(description string, presetClients int, sc *scenario.Scenario, overrides []Override) string {
	var changes []string
	clientsSet := false
	for _, o := range overrides {
		switch {
		case isSetting(o.Key, "seed"):
		case isSetting(o.Key, "clients.count"):
			clientsSet = true
			if sc.Clients.Count != presetClients {
				changes = append(changes, fmt.Sprintf("%s=%d", o.Key, sc.Clients.Count))
			}
		default:
			changes = append(changes, o.Key+"="+o.Value)
		}
	}
	if !clientsSet && sc.Clients.Count != presetClients {
		changes = append(changes, fmt.Sprintf("clients=%d", sc.Clients.Count))
	}
	if len(changes) == 0 {
		return description
	}
	return "the preset's story, which this run changes (" + strings.Join(changes, ", ") + "): " + description
}
