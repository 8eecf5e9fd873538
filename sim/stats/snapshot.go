package stats

import (
	"math/bits"
	"time"
)

// AggregatedStats is a snapshot of all clients of a StatsAggregator, owned
// by its caller (about 1 KB, plus its HTTP error map and the counts of its
// four histograms, typically 512 B each). Its map and histogram counts are
// references: a copy of the struct shares them with the original until
// AggregateInto refills the original; HistogramSnapshot.Clone and
// maps.Clone give independent copies.
type AggregatedStats struct {
	Timestamp time.Time     // the aggregator clock's time of the snapshot
	Elapsed   time.Duration // since the aggregator's StartTime

	// Clients. TotalClients: registered in the aggregator; ActiveClients:
	// those whose player process runs (not exited, see OnProcessExit);
	// ClientsAboveRealtime + ClientsBelowRealtime + ClientsNoReading ==
	// ActiveClients.
	TotalClients   int
	ActiveClients  int
	StalledClients int
	// RemovedClients is how many clients were removed (RemoveClient); the
	// cumulative totals include theirs.
	RemovedClients int

	TotalManifestReqs int64
	TotalSegmentReqs  int64
	TotalInitReqs     int64
	TotalUnknownReqs  int64
	TotalBytes        int64

	// Average rates since the aggregator's StartTime (per second).
	ManifestReqRate       float64
	SegmentReqRate        float64
	InitReqRate           float64
	ThroughputBytesPerSec float64
	// Instant rates since the previous snapshot of the same reader; filled
	// by RateTracker.Update, zero otherwise.
	InstantManifestRate   float64
	InstantSegmentRate    float64
	InstantInitRate       float64
	InstantThroughputRate float64

	// TotalHTTPErrors maps status code -> count (codes 400..599; every
	// other code under 0, "other"), non-zero counts only. AggregateInto
	// clears and refills the map dst already has (and the histograms'
	// counts), so a struct copy of a snapshot shares them both ways:
	// refilling either the copy or the original changes the other. A
	// snapshot kept across refills comes from Aggregate(), or is copied
	// with maps.Clone and HistogramSnapshot.Clone.
	TotalHTTPErrors    map[int]int64
	HTTPErrorsTotal    int64 // the sum of TotalHTTPErrors
	TotalReconnections int64
	TotalTimeouts      int64
	// ErrorRate = (HTTP errors + timeouts) / (manifest + segment + init
	// requests); 0 without requests.
	ErrorRate float64

	// Playback.
	ClientsAboveRealtime int // speed >= 1.0
	ClientsBelowRealtime int // speed < 1.0, including 0 (no progress)
	ClientsNoReading     int // no speed reading since the process started
	// AverageSpeed is the mean instantaneous speed (x real time) over the
	// clients with a speed reading: the speed swarmsim's viewers report
	// (UpdateSpeed), the one that drives playback states and stalls.
	AverageSpeed float64
	// AverageFFmpegSpeed is the mean of FFmpeg's own speed figure over the
	// clients with a drift reading (UpdateDrift in the current process):
	// FFmpeg prints a running average, playback position (out_time) /
	// time since its process started, and that is what the real tool
	// reads as "speed". Per client it is (E - drift) / E at the snapshot's
	// instant, E = time since the current process started (out_time =
	// E - drift: the position the last reading implies now). It recovers
	// slowly after a stall, where AverageSpeed jumps back at once.
	AverageFFmpegSpeed float64

	// ClientsWithDrift counts the clients with a drift reading in their
	// current process: those AverageFFmpegSpeed averages over. When it is 0,
	// AverageDrift and AverageFFmpegSpeed have no value (the export writes
	// null); when it is not, an AverageDrift of 0 means no client is behind.
	ClientsWithDrift int
	// AverageDrift is the mean current drift over the clients whose
	// drift is above 0 (playback behind the clock).
	AverageDrift time.Duration
	// MaxDrift is the largest drift any registered client has had over
	// its life (0 when none was above 0).
	MaxDrift             time.Duration
	ClientsWithHighDrift int // current drift > HighDriftThreshold

	// Pipeline health.
	TotalLinesDropped int64
	TotalLinesRead    int64
	ClientsWithDrops  int
	CurrentDropRate   float64 // TotalLinesDropped / TotalLinesRead
	MetricsDegraded   bool    // CurrentDropRate > the aggregator's drop threshold
	// PeakDropRate is the worst single client's peak drop rate (each
	// client's highest rate at a RecordDroppedLines), over the registered
	// and the removed clients.
	PeakDropRate float64

	// The stderr part of TotalLinesDropped and TotalLinesRead (the rest
	// are progress lines), for readers that report the streams apart.
	StderrLinesDropped int64
	StderrLinesRead    int64

	// Uptime (time since each client's StartTime).
	MinUptime time.Duration
	MaxUptime time.Duration
	AvgUptime time.Duration
	UptimeP50 time.Duration
	UptimeP95 time.Duration
	UptimeP99 time.Duration

	// Latency percentiles of the merged per-client histograms (each within
	// HistogramRelativeError of an observed value).
	SegmentLatencyP25   time.Duration
	SegmentLatencyP50   time.Duration
	SegmentLatencyP75   time.Duration
	SegmentLatencyP95   time.Duration
	SegmentLatencyP99   time.Duration
	SegmentLatencyMax   time.Duration
	SegmentLatencyCount int64

	ManifestLatencyP25   time.Duration
	ManifestLatencyP50   time.Duration
	ManifestLatencyP75   time.Duration
	ManifestLatencyP95   time.Duration
	ManifestLatencyP99   time.Duration
	ManifestLatencyMax   time.Duration
	ManifestLatencyCount int64

	TCPConnectLatencyP25 time.Duration
	TCPConnectLatencyP50 time.Duration
	TCPConnectLatencyP75 time.Duration
	TCPConnectLatencyP95 time.Duration
	TCPConnectLatencyP99 time.Duration
	TCPConnectLatencyMax time.Duration
	TCPConnectAvg        time.Duration // mean successful connect time
	TCPConnectCount      int64         // all attempts
	TCPConnectSuccess    int64
	TCPConnectRefused    int64
	TCPConnectTimeout    int64

	// Playlist refreshes.
	PlaylistRefreshes  int64
	PlaylistLateCount  int64
	PlaylistJitterAvg  time.Duration
	PlaylistJitterMax  time.Duration
	SequenceSkips      int64 // skip events
	SkippedSequences   int64 // sequence numbers skipped
	TotalProcessStarts int64 // OnProcessStart calls over all clients
	// TotalProcessRestarts: process starts beyond each client's first, over
	// all clients (a client registered before its first start counts 0).
	TotalProcessRestarts int64

	// errs holds the HTTP error counts while AggregateInto sums them
	// (scratch of the aggregator, nil otherwise).
	errs *httpErrorSums

	// PerClientSummaries is filled (in ascending ClientID order) only when
	// AggregateOptions.PerClientSummaries is set.
	PerClientSummaries []Summary `json:",omitempty"`

	// Merged histograms, for recorders (Sub gives per-interval figures) and
	// exporters.
	SegmentLatencyHist    HistogramSnapshot
	ManifestLatencyHist   HistogramSnapshot
	TCPConnectLatencyHist HistogramSnapshot
	UptimeHist            HistogramSnapshot
}

// AggregateOptions selects optional parts of a snapshot.
type AggregateOptions struct {
	// PerClientSummaries fills AggregatedStats.PerClientSummaries.
	PerClientSummaries bool
}

// httpErrorSums are HTTP error counters being summed, with a mask of the
// counters that may be non-zero.
type httpErrorSums struct {
	counts HTTPErrorCounts
	mask   [4]uint64 // bit i set when counts[i] may be non-zero
}

// add adds n to the counter of index i.
func (e *httpErrorSums) add(i int, n int64) {
	e.counts[i] += n
	e.mask[i>>6] |= 1 << (i & 63)
}

// forEach calls fn for every non-zero counter index, in index order.
func (e *httpErrorSums) forEach(fn func(i int, n int64)) {
	for w, m := range e.mask {
		for ; m != 0; m &= m - 1 {
			i := w<<6 | bits.TrailingZeros64(m)
			if n := e.counts[i]; n != 0 {
				fn(i, n)
			}
		}
	}
}

// clear zeroes the counters the mask marks.
func (e *httpErrorSums) clear() {
	e.forEach(func(i int, _ int64) { e.counts[i] = 0 })
	e.mask = [4]uint64{}
}

// httpErrorCode is the code reported for counter index i.
func httpErrorCode(i int) int {
	if i == HTTPOtherIndex {
		return HTTPOtherCode
	}
	return i + MinHTTPErrorCode
}

// fillHTTPErrors fills TotalHTTPErrors from errs, reusing the map.
func (s *AggregatedStats) fillHTTPErrors() {
	e := s.errs
	if s.TotalHTTPErrors == nil {
		n := 0
		for _, m := range e.mask {
			n += bits.OnesCount64(m)
		}
		s.TotalHTTPErrors = make(map[int]int64, n)
	}
	e.forEach(func(i int, n int64) { s.TotalHTTPErrors[httpErrorCode(i)] = n })
}

// resetForAggregate zeroes every field while keeping the memory of the
// histograms (only their used ranges are cleared) and of
// PerClientSummaries. TestAggregateIntoResetsEveryField guards it.
func (s *AggregatedStats) resetForAggregate() {
	errs := s.TotalHTTPErrors
	clear(errs)
	sums := s.PerClientSummaries[:0]
	clear(sums[:cap(sums)])
	for _, h := range []*HistogramSnapshot{&s.SegmentLatencyHist, &s.ManifestLatencyHist, &s.TCPConnectLatencyHist, &s.UptimeHist} {
		h.Reset()
	}
	s.resetScalars()
	s.PerClientSummaries = sums
	s.TotalHTTPErrors = errs
}
