// Package drill is swarmsim's incident drills: a trainee watches a swarm
// with the answer hidden, says what is happening and when it started, and
// sees a reveal and a score. This package is the drills' core, shared by the
// command line (sim-native validate) and the browser: the drill file format
// and its strict parser, the check that every drill is answerable, scoring,
// and the embedded built-in drills.
//
// It imports only sim/ packages, the standard library and goccy/go-yaml, and
// runs as wasm.
//
// # Drill files
//
// A drill file is a scenario file (sim/scenario's format and rules, read by
// sim/scenario so that its messages, lines and columns are those of the
// file) with one more top-level key, drill. The scenario's events are the
// drill's faults; a scenario without events is a control drill, where nothing
// is wrong. The scenario's name, description and the events' captions give
// the answer away: a player hides them until the reveal.
//
//	drill:
//	  question: "What is happening to this swarm?"  # needed; one line, 1..300 characters
//	  choices:              # needed; 3..5 different one-line texts, 1..200 characters each
//	    - "The origin is down: every connection is refused"
//	    - "The origin answers part of the requests with HTTP 503"
//	    - "Nothing is wrong: the swarm is healthy"
//	  answer: 1             # needed; the right choice, 1..len(choices)
//	  explanation: >-       # needed; 1..2000 characters: how to read the evidence, for the reveal
//	    At 1:20 segment requests and throughput fall to zero at once ...
//	  evidence:             # needed; what the reveal highlights and what Check verifies
//	    metric: SegmentRate # needed; a field of engine.Sample (the run's series, as sim/export
//	                        # writes it), one of Metrics(): Clients, Playing, Stalled, ErrorRate,
//	                        # ThroughputBps, SegLatP50, AvgInstantSpeed, Reconnections, ...
//	    from: 80s           # needed; the window (from, to] of sample times, 0s <= from < to
//	    to: 120s            # needed; at most the scenario's duration
//	    margin: 15          # needed; (0, 1e12], in the metric's unit (ErrorRate 0..1,
//	                        # rates per second, bytes/s, seconds, clients)
//	    direction: down     # up | down | either (default): the way the metric must depart
//	  start: 85s            # optional; the fault's start when it is not the first event's
//	                        # start (a capacity knee reached some time into an add_clients
//	                        # event), (0s, duration); not in a control drill
//	  followup:             # optional; a drill-specific second question
//	    question: "Which cohort suffers?"   # needed; one line, 1..300 characters
//	    choices: [broadband, wifi, mobile]  # needed; 2..5 different one-line texts
//	    answer: 1                           # needed; 1..len(choices)
//	  difficulty: 2         # needed; 1 (easy) .. 5 (hard)
//
// Parsing is as strict as sim/scenario's: unknown and duplicate keys, wrong
// types, quoted numbers, numbers that are not plain decimals, values out of
// range, anchors, aliases, tags and merge keys in the drill section are
// errors. Every problem of the scenario part and of the drill section comes
// back in one scenario.Errors value, in file order, each naming the file,
// line, column, field and allowed range:
//
//	t.yaml:3:18: clients.count: 0 is out of range 1..1000000
//	t.yaml:9:11: drill.answer: 9 is out of range 1..3
//
// A file without a drill section is refused ("no drill section"). A drill's
// scenario runs at most 1h (MaxDuration) with at most 100 000 clients in all,
// counting those its add_clients and churn events add (MaxClients): a trainee
// watches it in a browser, and validate runs it twice. Parse never panics.
//
// # Answerable, checked by the program
//
// Check runs the drill's scenario and the same scenario and seed without its
// events, each up to the end of the evidence window, and takes the mean of
// the evidence metric over the window's samples that have a value (a latency
// has none in a second without completed requests). The drill is answerable
// when the mean in its run departs from the mean without the fault by at
// least the margin, in the stated direction. A control drill has no run
// without the fault to differ from; it is answerable when no sample of the
// window strays from the window's mean by the margin or more: nothing a
// trainee could take for a fault. Answerable turns a failed check into a
// *scenario.FieldError at drill.evidence saying what was measured:
//
//	t.yaml:11:3: drill.evidence: not answerable: ErrorRate in (40s, 1m] averages 0.49 against
//	0 without the fault: a departure of +0.49 (the drill states a rise of at least 0.9)
//
// The fault's start (Drill.Start) is drill.start when given, else the
// earliest event's start; a control drill has none.
//
// # Scoring
//
// Score(drill, answer) scores what a trainee submitted: the cause (right or
// wrong), the start time (the answer's start minus the fault's, in seconds)
// and the follow-up question. The score is out of 100: the cause weighs 60,
// the start 30 and the follow-up 10; a part the drill does not ask (no start
// in a control drill, no follow-up question) is left out and the rest scaled
// to 100, rounded to the nearest point. A start within 5 s of the fault's
// either way earns all 30 points, then one point less for every 2 s more,
// none from 65 s (StartPoints). Result.Line is the line a trainee copies to
// the trainer, with the run's clock when the answer was submitted (at=):
//
//	drill=outage seed=11 cause=right start=+12s followup=- at=1:45 score=96/100
//
// A player shows the drill's Shuffled copy: its choices in an order drawn
// from the drill's name and seed (the same for everyone), since drill files
// tend to put the right cause first.
//
// # Random drills
//
// Random(seed) draws a drill from a generator seeded with seed (PCG, the same
// on every platform and in wasm), so a class given one seed plays one unseen
// drill. It draws, each as likely, one of RandomKinds: outage (30..50 s),
// error_burst (40..60 s, 20..50 % of requests), capacity (60..80 s, 50..75 %
// of the viewers' demand), latency_spike (40..60 s, +500 ms..1 s),
// stale_playlist (15..25 s), bandwidth_drop (60..80 s, 30..60 % of the
// viewers fall to 0.8..1.6 Mbps), churn (60..90 s, 2..4 joins and leaves a
// second) or control; the fault starts at 50..110 s. The swarm is 40..70
// viewers at 2128 kbps joining at 20 a second. Every run lasts 4 minutes
// (RandomDuration), whatever is drawn: the latest fault (a 90 s churn from
// 1:50) ends 40 s before the end, so the recovery shows, and the run's length
// never tells that there is a fault or how long it lasts. The choices are the
// drawn kind's cause and three other kinds' causes, in a random order; the
// evidence metric and margin come with the kind (SegmentRate, ErrorRate,
// AvgInstantSpeed, SegLatP50, BelowRealtime, Stopped), set to half the
// expected departure or less. Every random drill has difficulty 3
// (RandomDifficulty): a grade set by the kind would name the cause (the
// outage the easiest), and the drawn magnitudes are not calibrated into a
// grade of their own. The scenario is named random-SEED and its seed is SEED.
//
// # Built-in drills
//
// Builtins lists the embedded drills (builtin/*.yaml), easiest first;
// Builtin(name) parses one, BuiltinYAML(name) returns its source as a
// starting point. They are the same for every class, and this list, their
// stories and `sim-native drills` tell their answers: someone who has read
// them can recognise a drill, so a trainer assessing a class sends random
// seeds or drill files of their own. Each runs 30 to 70 viewers for 3
// minutes of virtual time:
//
//	outage            1  the origin refuses connections for 40 s
//	error-storm       2  30 % of requests fail with HTTP 503 for a minute
//	latency-spike     2  +800 ms on every request for a minute
//	capacity-knee     3  joining viewers push a 100 Mbps origin past its knee
//	stale-playlist    3  the playlist stops advancing for 20 s
//	churn             3  viewers join and leave at 3/s each
//	control           3  nothing is wrong
//	bandwidth-cohort  4  half the links fall to 3 Mbps: only the 5 Mbps rendition stalls
//	reconnect-storm   4  two faults: an outage, then too little capacity for the returning swarm
//	slow-and-failing  4  two faults: +600 ms and 10 % HTTP 503 together
//	slow-burn         5  the origin's capacity erodes in three steps
//
// # Drill file names
//
// A link opens a trainer's drill file drills/NAME.yaml by ?drill=NAME.
// CheckFileName says why a NAME cannot be one: longer than 64 bytes, a
// character other than ASCII letters, digits, '-', '_' and '.', a leading
// '.', or a built-in drill's name or code or "random" (any case), for which
// a link opens that drill instead. The browser app and cmd/serve's list of
// links both apply it.
package drill
