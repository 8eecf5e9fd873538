package engine

import (
	"errors"
	"fmt"
	"maps"
	"math"
	"runtime"
	"slices"
	"time"

	"swarmsim/sim/clients"
	"swarmsim/sim/scenario"
	"swarmsim/sim/stats"
)

// Model constants of the engine (see doc.go).
const (
	// HostParseLinesPerSec is how many output lines per second the load
	// generator's parser handles in total; it is shared evenly by the
	// running viewers (see clients.Viewer parseLines).
	HostParseLinesPerSec = 250_000
	// parallelMin is the client count from which shards are advanced on
	// several goroutines. Since the crew spins through the gaps between
	// ticks, 2 goroutines beat 1 from a few hundred clients on: an hour of
	// 512 clients took 146-179 ms against 232-262 ms (and 299-331 against
	// 372-545 ms in a review's runs); at 256 clients the gain was within
	// the noise (95-117 against 109-156 ms, and none in the review's
	// runs). It does not change results.
	parallelMin = 512
)

// Engine runs one scenario in virtual time. Its methods are meant to be
// called from one goroutine; Aggregator() (and the ClientStats it holds) may
// be read from other goroutines at any time, while the engine steps.
type Engine struct {
	sc    *scenario.Scenario
	cfg   config
	seed  uint64
	now   time.Duration
	dur   time.Duration
	clock *stats.VirtualClock
	agg   *stats.StatsAggregator
	env   clients.Env

	shards   [NumShards]shard
	nClients int
	alive    int // clients not Stopped

	cohortNames []string
	cohortKbps  []int
	cohortBw    []scenario.Range
	cohortCum   []float64

	capacity float64 // bytes/s from the scenario, 0 = unlimited
	baseLat  time.Duration
	bgCodes  []int
	bgShares []float64

	windows []window
	marks   []EventMark
	demand  clients.OriginDemand
	// levelSet, when set (tests), runs in Step once the tick's level is set,
	// before the viewers run
	levelSet func(t0, t1, aheadEnd time.Duration)

	// crewing is set while the outermost Step, RunUntil or Pacer.Advance
	// call runs;
	// the first job that goes parallel starts a crew that serves the rest
	// of the call, which then dismisses it (see holdCrew)
	crewing bool
	crew    *crew

	rec recorder
}

type shard struct {
	viewers []clients.Viewer
	wake    []time.Duration
	xfer    []bool
	tally   clients.Tally
	due     []int32 // scratch: viewers due in the current tick
	// the shard's part of the origin's demand (see updateLevel)
	demand            clients.OriginDemand
	ahead, aheadFixed float64
	// origin[i] is viewer i's OriginView, kept from the first tick the
	// origin has a capacity on (nil until then, see trackOriginViews)
	origin []clients.OriginView
}

// window is an event in effect (or scheduled) with its actual window.
type window struct {
	ev         scenario.Event
	mark       int
	start, end time.Duration
	started    bool
	ended      bool
	done       int    // add/remove and churn joins: clients handled so far
	left       int    // churn leaves so far
	serial     uint64 // selects bandwidth_drop's clients and the leavers (hashed with the seed)
}

// New validates sc and builds an engine at virtual time 0. It never panics
// on bad input: a nil or invalid scenario gives an error.
func New(sc *scenario.Scenario, opts ...Option) (*Engine, error) {
	if sc == nil {
		return nil, errors.New("engine: nil scenario")
	}
	if err := sc.Validate(); err != nil {
		return nil, fmt.Errorf("engine: invalid scenario %q: %w", sc.Name, err)
	}
	cfg := config{sampleInterval: time.Second, workers: runtime.GOMAXPROCS(0)}
	for _, o := range opts {
		if o != nil {
			o(&cfg)
		}
	}
	if cfg.sampleInterval <= 0 {
		return nil, fmt.Errorf("engine: sample interval %s must be positive", cfg.sampleInterval)
	}
	cfg.sampleInterval = max(Tick, (cfg.sampleInterval+Tick/2)/Tick*Tick)
	cfg.workers = min(max(cfg.workers, 1), NumShards)

	e := &Engine{sc: sc, cfg: cfg, seed: sc.Seed, dur: sc.Duration.D()}
	e.clock = stats.NewVirtualClock(0)
	e.agg = stats.NewStatsAggregatorWithClock(stats.DefaultDropThreshold, e.clock)
	e.setupStatic()
	e.rec.init(cfg.sampleInterval, e.dur)
	for i := range e.shards {
		e.shards[i].tally.ResetInterval()
	}
	c := &sc.Clients
	per := (c.Count + NumShards - 1) / NumShards // the shards' arrays, sized once
	for i := range e.shards {
		sh := &e.shards[i]
		sh.viewers = make([]clients.Viewer, 0, per)
		sh.wake = make([]time.Duration, 0, per)
		sh.xfer = make([]bool, 0, per)
	}
	// The ramp, by the real tool's rule: client 0 starts at once, and each
	// next one 1/rate plus a jitter after the one before, the jitter uniform
	// below min(ramp_jitter, half of 1/rate); so the jitters add up along
	// the ramp. At rate 0 every client starts at 0 plus its own jitter.
	jitter := c.RampJitter.D()
	if c.RampRate > 0 {
		jitter = min(jitter, time.Duration(float64(float64(time.Second)/c.RampRate)/2))
	}
	var jitters time.Duration // the jitters of the clients started so far
	for i := 0; i < c.Count; i++ {
		switch {
		case c.RampRate == 0:
			e.addClient(0, c.RampJitter.D())
		case i == 0:
			e.addClient(0, 0)
		default:
			jitters += e.addClient(time.Duration(float64(i)/c.RampRate*1e9)+jitters, jitter)
		}
	}
	for i := range sc.Events {
		e.schedule(sc.Events[i], false)
	}
	return e, nil
}

func (e *Engine) setupStatic() {
	sc := e.sc
	st := &sc.Stream
	d := st.SegmentDuration.D()
	e.env = clients.Env{
		Level:           math.Inf(1),
		SegmentDuration: d,
		FMP4:            st.Container == scenario.ContainerFMP4,
		ManifestBytes:   float64(st.ManifestBytes),
		PlaylistSize:    int64(st.PlaylistSize),
		Timeout:         sc.Clients.Timeout.D(),
		Retries:         sc.Clients.SegmentRetries,
		Reconnect:       sc.Clients.ReconnectEnabled(),
		Backoff: clients.BackoffPolicy{
			Initial:    sc.Clients.Backoff.Initial.D(),
			Max:        sc.Clients.Backoff.Max.D(),
			ResetAfter: sc.Clients.Backoff.ResetAfter.D(),
			Multiplier: sc.Clients.Backoff.Multiplier,
			Jitter:     sc.Clients.Backoff.Jitter,
		},
		Tick:        Tick,
		Clock:       e.clock,
		Aggregator:  e.agg,
		ParseBuffer: float32(sc.Clients.StatsBuffer),
	}
	cum := 0.0
	for i, c := range sc.Clients.Cohorts {
		// the renditions its clients download: one segment of each makes one
		// segment load (their sizes deviate alike: one draw for the load)
		rend := sc.Renditions(i)
		kbps, mean := 0, 0.0
		means := make([]float64, len(rend))
		for j, r := range rend {
			kbps += r
			means[j] = float64(float64(r+st.AudioKbps) * 1000 / 8 * d.Seconds())
			mean += means[j]
		}
		var parts []float64
		if len(rend) > 1 {
			for _, m := range means {
				parts = append(parts, m/mean)
			}
		}
		e.env.Cohorts = append(e.env.Cohorts, clients.CohortEnv{RTT: c.RTT.D(), SegmentBytes: mean, SizeSigma: st.SizeSpread * mean,
			Renditions: len(rend), Parts: parts})
		e.cohortNames = append(e.cohortNames, c.Name)
		e.cohortKbps = append(e.cohortKbps, kbps)
		e.cohortBw = append(e.cohortBw, c.BandwidthMbps)
		cum += c.Share
		e.cohortCum = append(e.cohortCum, cum)
	}
	o := &sc.Origin
	e.capacity = o.CapacityMbps * 125000
	e.baseLat = o.Latency.D()
	bg := map[int]float64{}
	if o.ErrorRate > 0 {
		bg[o.ErrorStatus] += o.ErrorRate
	}
	for code, r := range o.ErrorRates {
		if r > 0 {
			bg[code] += r
		}
	}
	for _, code := range slices.Sorted(maps.Keys(bg)) {
		e.bgCodes = append(e.bgCodes, code)
		e.bgShares = append(e.bgShares, bg[code])
	}
}

// addClient creates the next client id, starting at start plus a jitter
// drawn uniformly below maxJitter, which it returns.
func (e *Engine) addClient(start, maxJitter time.Duration) (jitter time.Duration) {
	id := e.nClients
	e.nClients++
	e.alive++
	sh := &e.shards[id%NumShards]
	sh.viewers = append(sh.viewers, clients.Viewer{})
	v := &sh.viewers[len(sh.viewers)-1]
	v.Init(id, e.seed, &sh.tally)
	u := v.Float64()
	cohort := len(e.cohortCum) - 1
	for i, c := range e.cohortCum {
		if u < c*(1/e.cohortCum[len(e.cohortCum)-1]) {
			cohort = i
			break
		}
	}
	bw := e.cohortBw[cohort]
	mbps := bw.Min + float64((bw.Max-bw.Min)*v.Float64())
	jitter = time.Duration(float64(maxJitter) * v.Float64())
	v.Setup(cohort, int64(mbps*125000), start+jitter)
	sh.wake = append(sh.wake, v.Wake())
	sh.xfer = append(sh.xfer, false)
	if sh.origin != nil {
		sh.origin = append(sh.origin, clients.OriginView{})
		sh.originView(len(sh.viewers) - 1)
	}
	return jitter
}

func (e *Engine) viewer(id int) (*shard, int) {
	return &e.shards[id%NumShards], id / NumShards
}

// Scenario returns the scenario being run.
func (e *Engine) Scenario() *scenario.Scenario { return e.sc }

// Seed returns the run's seed.
func (e *Engine) Seed() uint64 { return e.seed }

// Now returns the virtual time since the start.
func (e *Engine) Now() time.Duration { return e.now }

// Duration returns the scenario's length.
func (e *Engine) Duration() time.Duration { return e.dur }

// Done reports whether the run reached its end.
func (e *Engine) Done() bool { return e.now >= e.dur }

// Aggregator returns the stats aggregator of all clients that have started
// and not left. It may be read concurrently with stepping.
func (e *Engine) Aggregator() *stats.StatsAggregator { return e.agg }

// Aggregate returns a snapshot of all clients at the current virtual time
// (after writing every viewer's buffered statistics, so it is exact).
func (e *Engine) Aggregate() *stats.AggregatedStats {
	e.FlushStats()
	return e.agg.Aggregate()
}

// AggregateInto fills dst like stats.StatsAggregator.AggregateInto, after
// FlushStats.
func (e *Engine) AggregateInto(dst *stats.AggregatedStats, opts stats.AggregateOptions) {
	e.FlushStats()
	e.agg.AggregateInto(dst, opts)
}

// FlushStats writes every viewer's buffered statistics to its ClientStats.
// Viewers buffer a few seconds of events (see clients.FlushEvery), so a
// reader of Aggregator() sees each client's counters up to that much late;
// Aggregate, AggregateInto and the end of the run flush first.
func (e *Engine) FlushStats() {
	for s := range e.shards {
		vs := e.shards[s].viewers
		for i := range vs {
			vs[i].Flush(e.now)
		}
	}
}

// Series returns the recorder's samples so far. The engine appends to it
// while stepping; read it between steps.
func (e *Engine) Series() *Series { return &e.rec.series }

// ExitCodes counts the player processes that ended during the run by exit
// code, for stats.SummaryConfig.ExitCodes: 1 for a process that exited after
// failed requests (FFmpeg's error exit), 255 for one the load generator
// terminated when its viewer left (FFmpeg's code after SIGTERM). Processes
// still running at the end are not counted. Like Series, read it between
// steps.
func (e *Engine) ExitCodes() map[int]int {
	var failed, terminated int64
	for s := range e.shards {
		failed += e.shards[s].tally.FailedExits
		terminated += e.shards[s].tally.Terminated
	}
	codes := map[int]int{}
	if failed > 0 {
		codes[1] = int(failed)
	}
	if terminated > 0 {
		codes[255] = int(terminated)
	}
	return codes
}

// ProcessExits fills dst with the player processes that ended during the
// run: the exits ExitCodes counts, each with its uptime (from the process's
// start to its exit, in virtual time). Like Series, read it between steps.
func (e *Engine) ProcessExits(dst *stats.ProcessExits) {
	dst.Reset()
	for s := range e.shards {
		dst.Merge(&e.shards[s].tally.Exits)
	}
}

// Events returns the scripted and injected events with the windows the
// engine applies, in the order they were scheduled.
func (e *Engine) Events() []EventMark { return slices.Clone(e.marks) }

// ClientCount returns the number of clients that exist (including clients
// not started yet and clients that left).
func (e *Engine) ClientCount() int { return e.nClients }

// ClientStates returns the state of every client, indexed by id, reusing buf
// when it is large enough.
func (e *Engine) ClientStates(buf []clients.State) []clients.State {
	n := e.nClients
	if cap(buf) < n {
		buf = make([]clients.State, n)
	}
	buf = buf[:n]
	for s := range e.shards {
		vs := e.shards[s].viewers
		for i := range vs {
			buf[i*NumShards+s] = vs[i].State()
		}
	}
	return buf
}

// Client returns the inspector's view of client id.
func (e *Engine) Client(id int) (ClientView, bool) {
	if id < 0 || id >= e.nClients {
		return ClientView{}, false
	}
	sh, i := e.viewer(id)
	v := &sh.viewers[i]
	cv := ClientView{
		ID:            id,
		State:         v.State(),
		Cohort:        e.cohortNames[v.Cohort()],
		BandwidthMbps: float64(v.CapBps()) / 125000,
		BitrateKbps:   e.cohortKbps[v.Cohort()],
		Speed:         v.Speed(),
		AvgSpeed:      v.AvgSpeed(e.now),
		Drift:         v.Drift(e.now),
		Buffer:        v.Buffer(e.now),
		Starts:        v.Starts(),
		LastBackoff:   v.LastBackoff(),
	}
	if s := v.Stats(); s != nil {
		v.Flush(e.now)
		cv.Stats = s.GetSummary()
	}
	v.History(func(at time.Duration, s clients.State) {
		cv.History = append(cv.History, StateChange{At: at, State: s})
	})
	return cv, true
}

// Step advances the run by one tick (the last tick may be shorter).
func (e *Engine) Step() {
	if e.Done() {
		return
	}
	if e.holdCrew() {
		defer e.dismissCrew()
	}
	t0 := e.now
	t1 := min(t0+Tick, e.dur)
	e.applyEvents(t0, t1)
	e.buildEnv(t0, t1)
	ahead := t1 < e.dur && !e.boundaryAt(t1)
	aheadEnd := min(t1+Tick, e.dur)
	if !ahead {
		aheadEnd = t1
	}
	fits := e.updateLevel(t0, t1, aheadEnd)
	e.env.AheadUntil = t1
	if ahead && fits {
		e.env.AheadUntil = aheadEnd
	}
	if e.levelSet != nil {
		e.levelSet(t0, t1, aheadEnd)
	}
	for s := range e.shards {
		e.shards[s].tally.ClearAhead()
	}
	e.clock.Set(t0)
	e.advanceShards()
	e.now = t1
	e.clock.Set(t1)
	if e.now%e.rec.interval == 0 || e.now == e.dur {
		e.rec.sample(e)
	}
	if e.now == e.dur {
		e.FlushStats()
	}
}

// RunUntil steps until Now() >= t (t is clamped to Duration()); Now() ends
// on the first tick boundary at or after t.
func (e *Engine) RunUntil(t time.Duration) {
	t = min(t, e.dur)
	if e.holdCrew() {
		defer e.dismissCrew()
	}
	for e.now < t {
		e.Step()
	}
}

// RunFor runs for d of virtual time from Now().
func (e *Engine) RunFor(d time.Duration) { e.RunUntil(e.now + d) }

// Run runs to the end of the scenario as fast as possible.
func (e *Engine) Run() { e.RunUntil(e.dur) }

func (e *Engine) advanceShards() {
	env := &e.env
	e.eachShard(func(sh *shard) { sh.advance(env) })
}

// eachShard runs fn on every shard, on the engine's workers when the swarm
// is large enough to gain from it (called within Step only; the outermost
// holder of the crew dismisses it, see holdCrew).
func (e *Engine) eachShard(fn func(*shard)) {
	w := e.cfg.workers
	if w <= 1 || e.nClients < parallelMin {
		for s := range e.shards {
			fn(&e.shards[s])
		}
		return
	}
	if e.crew == nil {
		e.crew = newCrew(&e.shards, w-1, crewSpin(w-1))
	}
	e.crew.run(fn)
}

// holdCrew reports whether the calling Step, RunUntil or Pacer.Advance is
// the outermost one, which then owns the crew its ticks start and must
// dismiss it when it ends (the ticks of a RunUntil or Pacer.Advance share
// one crew; a Step on its own gets one for its tick).
func (e *Engine) holdCrew() bool {
	if e.crewing {
		return false
	}
	e.crewing = true
	return true
}

func (e *Engine) dismissCrew() {
	e.crewing = false
	if e.crew != nil {
		e.crew.close()
		e.crew = nil
	}
}

// trackOriginViews makes the shards keep their viewers' OriginViews from
// now on (the first tick with a capacity; unlimited runs never pay for it).
func (e *Engine) trackOriginViews() {
	if e.shards[0].origin != nil {
		return
	}
	for s := range e.shards {
		sh := &e.shards[s]
		sh.origin = make([]clients.OriginView, len(sh.viewers), cap(sh.viewers))
		for i := range sh.viewers {
			sh.viewers[i].OriginView(&sh.origin[i])
		}
	}
}

// originView refreshes viewer i's OriginView after a change outside advance.
func (s *shard) originView(i int) {
	if s.origin != nil {
		s.viewers[i].OriginView(&s.origin[i])
	}
}

// originDemand sums the bounds (clients.OriginView.Bounds) of the shard's viewers that can
// receive anything before aheadEnd: by class for the tick [t0, end) into
// s.demand, and in total for [end, aheadEnd) into s.ahead (s.aheadFixed of
// which are playlists and init segments).
func (s *shard) originDemand(env *clients.Env, t0, end, aheadEnd time.Duration) {
	s.demand.Reset()
	s.ahead, s.aheadFixed = 0, 0
	wake, xfer := s.wake, s.xfer
	for i := range wake {
		if !xfer[i] && wake[i] >= aheadEnd {
			continue
		}
		a, f := s.origin[i].Bounds(env, t0, end, aheadEnd, &s.demand)
		s.ahead += a
		s.aheadFixed += f
	}
}

func (s *shard) advance(env *clients.Env) {
	end := env.End
	lc := env.LevelChanged
	wake, xfer := s.wake, s.xfer
	due := s.due[:0]
	for i := range wake {
		if wake[i] < end || (lc && xfer[i]) {
			due = append(due, int32(i))
		}
	}
	s.due = due
	// Prefetch the viewers a few places ahead before working on the current
	// one, and the statistics of those about to flush: their cache misses
	// then overlap with useful work (at 10 000 clients and more, waiting for
	// memory is most of the time otherwise).
	const ahead, aheadStats = 4, 2
	vs := s.viewers
	for k := 0; k < min(ahead, len(due)); k++ {
		vs[due[k]].Prefetch()
	}
	until := env.AheadUntil
	for k, i := range due {
		if k+ahead < len(due) {
			vs[due[k+ahead]].Prefetch()
		}
		if k+aheadStats < len(due) {
			vs[due[k+aheadStats]].PrefetchStats(until)
		}
		v := &vs[i]
		v.Advance(env, &s.tally)
		wake[i] = v.Wake()
		xfer[i] = v.Transferring()
		if s.origin != nil {
			v.OriginView(&s.origin[i])
		}
	}
}

// updateLevel computes the fair-share level for the tick [t0, end), before
// the viewers run: the largest level at which the bytes the viewers can
// receive in the tick fit the origin's capacity x the tick's length, less
// what the viewers that ran ahead of t0 already received in it (see
// clients.OriginView.Bounds for the bound and why it holds). It reports whether
// the viewers may also run ahead to aheadEnd (>= end; see
// clients.Env.AheadUntil): only when the level is unlimited and the bytes
// they can receive in [end, aheadEnd) at full downlink fit that tick's
// capacity too, since what runs ahead keeps its rate into the next tick.
func (e *Engine) updateLevel(t0, end, aheadEnd time.Duration) (fits bool) {
	level := math.Inf(1)
	fits = true
	capacity := e.currentCapacity()
	if capacity > 0 {
		e.trackOriginViews()
		// each shard sums its viewers' bounds; the sums are merged in shard
		// order, so the level is the same whatever the number of workers
		e.eachShard(func(sh *shard) { sh.originDemand(&e.env, t0, end, aheadEnd) })
		d := &e.demand
		d.Reset()
		var committed int64 // bytes of transfers that ran ahead into this tick and completed
		var ahead, aheadFixed float64
		for s := range e.shards {
			sh := &e.shards[s]
			d.Merge(&sh.demand)
			ahead += sh.ahead
			aheadFixed += sh.aheadFixed
			committed += sh.tally.AheadBytes
		}
		budget := float64(capacity*(end-t0).Seconds()) - float64(committed)
		level = d.Level(budget)
		// (playlists that complete ahead count in the sample before: both)
		fits = d.Total+aheadFixed <= budget && ahead <= capacity*(aheadEnd-end).Seconds()
	}
	// A level within LevelTolerance of the one in effect is not broadcast:
	// re-rating means waking every transfer in progress, and in a saturated
	// origin the level moves by a fraction of a percent every tick as a few
	// of thousands of viewers come and go. Shares are then at most the
	// tolerance above the fair share, so the origin carries at most
	// capacity x (1 + LevelTolerance).
	old := e.env.Level
	if !math.IsInf(level, 1) && !math.IsInf(old, 1) && math.Abs(level-old) <= LevelTolerance*min(level, old) {
		level = old
	}
	e.env.LevelChanged = level != old
	e.env.Level = level
	return fits
}

// LevelTolerance is the relative change of the fair-share level below which
// transfers in progress keep their rate (see updateLevel).
const LevelTolerance = 0.01

// Level returns the current fair share of one segment transfer in bytes/s
// (+Inf when the origin's capacity is not the bottleneck).
func (e *Engine) Level() float64 { return e.env.Level }
