package scenario

import (
	"fmt"
	"strconv"
	"strings"
)

// FieldError is one problem with a scenario: where it is (file, line and
// column when the scenario came from a file), which field (a dotted path such
// as "clients.count" or "events[2].rate") and what is wrong, including the
// allowed range.
type FieldError struct {
	File   string // file name given to Parse or Load; empty for Validate and Set
	Line   int    // 1-based line, 0 when unknown
	Column int    // 1-based column, 0 when unknown
	Path   string // field path, empty for whole-file problems (syntax errors)
	Msg    string // what is wrong and what is allowed
}

// Error formats the problem as "file:line:col: path: msg", leaving out the
// parts that are unknown.
func (e *FieldError) Error() string {
	var b strings.Builder
	if e.File != "" {
		b.WriteString(e.File)
		if e.Line > 0 {
			fmt.Fprintf(&b, ":%d", e.Line)
			if e.Column > 0 {
				fmt.Fprintf(&b, ":%d", e.Column)
			}
		}
		b.WriteString(": ")
	}
	if e.Path != "" {
		b.WriteString(e.Path)
		b.WriteString(": ")
	}
	b.WriteString(e.Msg)
	return b.String()
}

// Errors is every problem found in one scenario, in file order where known.
// Its Error lists them one per line. errors.As finds each *FieldError.
type Errors []*FieldError

// Error lists the problems one per line.
func (es Errors) Error() string {
	lines := make([]string, len(es))
	for i, e := range es {
		lines[i] = e.Error()
	}
	return strings.Join(lines, "\n")
}

// Unwrap returns the individual problems, for errors.Is and errors.As.
func (es Errors) Unwrap() []error {
	out := make([]error, len(es))
	for i, e := range es {
		out[i] = e
	}
	return out
}

// maxErrors bounds how many problems one Parse reports.
const maxErrors = 50

// errorList collects field errors up to maxErrors.
type errorList struct {
	errs Errors
}

func (l *errorList) add(e *FieldError) {
	if len(l.errs) < maxErrors {
		l.errs = append(l.errs, e)
	}
}

func (l *errorList) addf(path, format string, args ...any) {
	l.add(&FieldError{Path: path, Msg: fmt.Sprintf(format, args...)})
}

func (l *errorList) full() bool { return len(l.errs) >= maxErrors }

// err returns nil or the collected errors.
func (l *errorList) err() error {
	if len(l.errs) == 0 {
		return nil
	}
	return l.errs
}

// visible returns text from the user (a key, a value) for a message: as it
// is when every character shows, else quoted with Go escapes ("\ufeffname"),
// so that invisible and control characters, surrounding spaces and empty
// text can be seen.
func visible(s string) string {
	if s == "" || s != strings.TrimSpace(s) || strings.ContainsFunc(s, func(r rune) bool {
		return !strconv.IsPrint(r) || r == '"' || r == '\\'
	}) {
		return strconv.Quote(s)
	}
	return s
}

// Printable writes the invisible, control and format characters of a text as
// Go escapes (\ufeff, \u202e), leaving the rest as it is, accents and emoji
// included. Names, descriptions, captions and paths read from files, and
// messages of other libraries, go through it before a terminal shows them: a
// bidi override U+202E would otherwise reverse the rest of the line, making
// "evil\u202emoc.exe" read as "evilexe.com".
func Printable(msg string) string {
	if !strings.ContainsFunc(msg, isInvisible) {
		return msg
	}
	var b strings.Builder
	for _, r := range msg {
		if isInvisible(r) {
			q := strconv.QuoteRune(r)
			b.WriteString(q[1 : len(q)-1])
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}

func isInvisible(r rune) bool { return r != ' ' && !strconv.IsPrint(r) }
