package drill

import (
	"fmt"
	"strconv"
	"strings"
	"time"
	"unicode"

	"swarmsim/sim/stats"
)

// ParseLine reads a result line as Result.Line writes it, and returns the
// result and what came before "drill=" on the line (a trainee's name, say,
// trimmed of spaces and a trailing ':' or '-'). The drill's name may be
// quoted (strconv.Quote), as Line writes a name with spaces. Fields are read
// by name, in any order; start, followup and at may be missing (older
// lines). The error names the field and what it expected.
func ParseLine(line string) (r Result, who string, err error) {
	i := strings.Index(line, "drill=")
	if i < 0 {
		return r, "", fmt.Errorf("no drill= field: not a drill's result line")
	}
	who = strings.TrimRight(strings.TrimSpace(line[:i]), ":- \t")
	drillName, rest := line[i+len("drill="):], ""
	quoted := strings.HasPrefix(drillName, `"`)
	if quoted {
		q, err := strconv.QuotedPrefix(drillName)
		if err == nil {
			rest = drillName[len(q):]
			drillName, err = strconv.Unquote(q)
		}
		if err != nil || rest != "" && strings.IndexFunc(rest, unicode.IsSpace) != 0 {
			return r, who, fmt.Errorf("drill=%s: want a name or a quoted name such as \"week 2\"", firstWord(line[i+len("drill="):]))
		}
	} else if j := strings.IndexFunc(drillName, unicode.IsSpace); j >= 0 {
		drillName, rest = drillName[:j], drillName[j:]
	}
	fields := map[string]string{"drill": drillName}
	for _, f := range strings.Fields(rest) {
		k, v, ok := strings.Cut(f, "=")
		if !ok {
			return r, who, fmt.Errorf("%q is not a key=value field", f)
		}
		if _, dup := fields[k]; dup {
			return r, who, fmt.Errorf("%s is given twice", k)
		}
		fields[k] = v
	}
	for _, k := range []string{"drill", "seed", "cause", "score"} {
		if fields[k] == "" && !(k == "drill" && quoted) {
			return r, who, fmt.Errorf("%s= is missing", k)
		}
	}
	r.Drill = fields["drill"]
	if r.Seed, err = strconv.ParseUint(fields["seed"], 10, 64); err != nil {
		return r, who, fmt.Errorf("seed=%s: want a whole number", fields["seed"])
	}
	if r.CauseRight, err = rightOrWrong("cause", fields["cause"]); err != nil {
		return r, who, err
	}
	switch s := fields["start"]; s {
	case "", "-":
	case "none":
		r.StartAsked = true
	default:
		secs, ok := strings.CutSuffix(s, "s")
		n, perr := strconv.ParseInt(secs, 10, 64)
		if !ok || perr != nil || (s[0] != '+' && s[0] != '-') {
			return r, who, fmt.Errorf("start=%s: want -, none or a signed number of seconds such as +12s", s)
		}
		if n < -maxSeconds || n > maxSeconds {
			return r, who, fmt.Errorf("start=%s: want a start error within -%ds..+%ds (a drill runs at most %s)", s, maxSeconds, maxSeconds, stats.FormatClock(MaxDuration))
		}
		r.StartAsked, r.StartGiven, r.StartError = true, true, time.Duration(n)*time.Second
	}
	switch f := fields["followup"]; f {
	case "", "-":
	default:
		r.FollowupAsked = true
		if r.FollowupRight, err = rightOrWrong("followup", f); err != nil {
			return r, who, err
		}
	}
	if at := fields["at"]; at != "" {
		if r.At, err = parseClock(at); err != nil {
			return r, who, fmt.Errorf("at=%s: want the clock as m:ss or h:mm:ss, 0:00..%s (a drill runs at most that long)", at, stats.FormatClock(MaxDuration))
		}
	}
	score, ok := strings.CutSuffix(fields["score"], "/100")
	n, perr := strconv.Atoi(score)
	if !ok || perr != nil || n < 0 || n > 100 {
		return r, who, fmt.Errorf("score=%s: want 0/100..100/100", fields["score"])
	}
	r.Score = n
	return r, who, nil
}

// firstWord is s up to its first space.
func firstWord(s string) string {
	if j := strings.IndexFunc(s, unicode.IsSpace); j >= 0 {
		return s[:j]
	}
	return s
}

func rightOrWrong(key, v string) (bool, error) {
	switch v {
	case "right":
		return true, nil
	case "wrong":
		return false, nil
	}
	return false, fmt.Errorf("%s=%s: want right or wrong", key, v)
}

// maxSeconds is MaxDuration in seconds: no start error or answer time of a
// drill is longer.
const maxSeconds = int64(MaxDuration / time.Second)

// parseClock reads m:ss or h:mm:ss (stats.FormatClock's forms), at most
// MaxDuration.
func parseClock(s string) (time.Duration, error) {
	parts := strings.Split(s, ":")
	if len(parts) < 2 || len(parts) > 3 {
		return 0, fmt.Errorf("not a clock")
	}
	var total int64
	for i, p := range parts {
		n, err := strconv.ParseInt(p, 10, 64)
		if err != nil || n < 0 || i > 0 && (len(p) != 2 || n > 59) {
			return 0, fmt.Errorf("not a clock")
		}
		total = total*60 + n
		if total > maxSeconds {
			return 0, fmt.Errorf("longer than %s", MaxDuration)
		}
	}
	return time.Duration(total) * time.Second, nil
}
