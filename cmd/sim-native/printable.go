package main

import (
	"strconv"
	"strings"
)

// printable escapes what a terminal would not show as it is: control and format
// characters (a bidi override U+202E would reverse the rest of the line, making
// "evil\u202emoc.exe" read as "evilexe.com"), as Go escapes them ("\u202e").
// Names, descriptions, captions and paths from files go through it before they are
// printed; everything else is left as it is, accents and emoji included.
func printable(s string) string {
	if !strings.ContainsFunc(s, notPrintable) {
		return s
	}
	var b strings.Builder
	for _, r := range s {
		if notPrintable(r) {
			q := strconv.QuoteRune(r)
			b.WriteString(q[1 : len(q)-1])
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}

func notPrintable(r rune) bool { return r != ' ' && !strconv.IsPrint(r) }
