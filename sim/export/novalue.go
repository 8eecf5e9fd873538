package export

import "swarmsim/sim/stats"

// finalNoValue reports the fields of an aggregate snapshot that have no value in it:
// figures over requests, readings or clients of which there were none. Their types
// (durations, float64 averages) would say 0, a value they never had; the export writes
// null instead, and reads null back as 0 for a duration and NaN for a float64.
//
// MaxDrift is a lifetime maximum (0 when no client was ever behind), which stays.
func finalNoValue(a *stats.AggregatedStats) func(field string) bool {
	none := map[string]bool{}
	mark := func(cond bool, fields ...string) {
		if cond {
			for _, f := range fields {
				none[f] = true
			}
		}
	}
	mark(a.TotalManifestReqs+a.TotalSegmentReqs+a.TotalInitReqs == 0, "ErrorRate")
	mark(a.ClientsAboveRealtime+a.ClientsBelowRealtime == 0, "AverageSpeed")
	mark(a.ClientsWithDrift == 0, "AverageDrift", "AverageFFmpegSpeed")
	mark(a.SegmentLatencyCount == 0, "SegmentLatencyP25", "SegmentLatencyP50", "SegmentLatencyP75",
		"SegmentLatencyP95", "SegmentLatencyP99", "SegmentLatencyMax")
	mark(a.ManifestLatencyCount == 0, "ManifestLatencyP25", "ManifestLatencyP50", "ManifestLatencyP75",
		"ManifestLatencyP95", "ManifestLatencyP99", "ManifestLatencyMax")
	mark(a.TCPConnectSuccess == 0, "TCPConnectLatencyP25", "TCPConnectLatencyP50", "TCPConnectLatencyP75",
		"TCPConnectLatencyP95", "TCPConnectLatencyP99", "TCPConnectLatencyMax", "TCPConnectAvg")
	mark(a.UptimeHist.Count() == 0, "MinUptime", "MaxUptime", "AvgUptime", "UptimeP50", "UptimeP95", "UptimeP99")
	mark(a.PlaylistRefreshes == 0, "PlaylistJitterAvg", "PlaylistJitterMax")
	mark(a.TotalLinesRead == 0, "CurrentDropRate")
	return func(field string) bool { return none[field] }
}
