package stats

import "time"

// resetScalars zeroes every field except the histograms and
// PerClientSummaries (kept in the order of the struct declaration).
func (s *AggregatedStats) resetScalars() {
	s.Timestamp = time.Time{}
	s.Elapsed = 0
	s.TotalClients = 0
	s.ActiveClients = 0
	s.StalledClients = 0
	s.RemovedClients = 0
	s.TotalManifestReqs = 0
	s.TotalSegmentReqs = 0
	s.TotalInitReqs = 0
	s.TotalUnknownReqs = 0
	s.TotalBytes = 0
	s.ManifestReqRate = 0
	s.SegmentReqRate = 0
	s.InitReqRate = 0
	s.ThroughputBytesPerSec = 0
	s.InstantManifestRate = 0
	s.InstantSegmentRate = 0
	s.InstantInitRate = 0
	s.InstantThroughputRate = 0
	s.TotalHTTPErrors = nil
	s.HTTPErrorsTotal = 0
	s.TotalReconnections = 0
	s.TotalTimeouts = 0
	s.ErrorRate = 0
	s.ClientsAboveRealtime = 0
	s.ClientsBelowRealtime = 0
	s.ClientsNoReading = 0
	s.AverageSpeed = 0
	s.AverageFFmpegSpeed = 0
	s.AverageDrift = 0
	s.MaxDrift = 0
	s.ClientsWithHighDrift = 0
	s.TotalLinesDropped = 0
	s.TotalLinesRead = 0
	s.StderrLinesDropped = 0
	s.StderrLinesRead = 0
	s.ClientsWithDrops = 0
	s.CurrentDropRate = 0
	s.MetricsDegraded = false
	s.PeakDropRate = 0
	s.MinUptime = 0
	s.MaxUptime = 0
	s.AvgUptime = 0
	s.UptimeP50 = 0
	s.UptimeP95 = 0
	s.UptimeP99 = 0
	s.SegmentLatencyP25 = 0
	s.SegmentLatencyP50 = 0
	s.SegmentLatencyP75 = 0
	s.SegmentLatencyP95 = 0
	s.SegmentLatencyP99 = 0
	s.SegmentLatencyMax = 0
	s.SegmentLatencyCount = 0
	s.ManifestLatencyP25 = 0
	s.ManifestLatencyP50 = 0
	s.ManifestLatencyP75 = 0
	s.ManifestLatencyP95 = 0
	s.ManifestLatencyP99 = 0
	s.ManifestLatencyMax = 0
	s.ManifestLatencyCount = 0
	s.TCPConnectLatencyP25 = 0
	s.TCPConnectLatencyP50 = 0
	s.TCPConnectLatencyP75 = 0
	s.TCPConnectLatencyP95 = 0
	s.TCPConnectLatencyP99 = 0
	s.TCPConnectLatencyMax = 0
	s.TCPConnectAvg = 0
	s.TCPConnectCount = 0
	s.TCPConnectSuccess = 0
	s.TCPConnectRefused = 0
	s.TCPConnectTimeout = 0
	s.PlaylistRefreshes = 0
	s.PlaylistLateCount = 0
	s.PlaylistJitterAvg = 0
	s.PlaylistJitterMax = 0
	s.SequenceSkips = 0
	s.SkippedSequences = 0
	s.TotalProcessStarts = 0
	s.TotalProcessRestarts = 0
	s.errs = nil
}
