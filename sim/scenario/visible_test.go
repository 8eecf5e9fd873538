package scenario

import (
	"errors"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// noInvisible fails when a message holds a character that does not show.
func noInvisible(t *testing.T, msg string) {
	t.Helper()
	for _, r := range msg {
		assert.False(t, isInvisible(r), "message %q holds the invisible %U", msg, r)
	}
	assert.True(t, utf8.ValidString(msg), "message %q is not valid UTF-8", msg)
}

func TestLeadingByteOrderMarkIsIgnored(t *testing.T) {
	for _, tc := range []struct{ name, src string }{
		{"bom.yaml", "\ufeffname: bom\nclients: {count: 7}\n"},
		{"bom.json", "\ufeff{\"name\": \"bom\", \"clients\": {\"count\": 7}}"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s, err := Parse(tc.name, []byte(tc.src))
			require.NoError(t, err)
			assert.Equal(t, "bom", s.Name)
			assert.Equal(t, 7, s.Clients.Count)
		})
	}

	_, err := Parse("bom.yaml", []byte("\ufeff \n"))
	require.Error(t, err)
	assert.Contains(t, err.Error(), "file is empty")

	// Positions count from after the mark, as editors show them.
	_, err = Parse("bom.yaml", []byte("\ufeffclients: {count: 0}\n"))
	require.Error(t, err)
	assert.Equal(t, "bom.yaml:1:18: clients.count: 0 is out of range 1..1000000", err.Error())
}

func TestMessagesShowInvisibleCharacters(t *testing.T) {
	for _, tc := range []struct {
		name, src string
		want      string // the quoted form the message must hold
	}{
		{"bom not at the start", "name: x\n\ufeffseed: 1\n", `"\ufeffseed": unknown key`},
		{"zero-width space in a key", "clients:\n  count\u200b: 5\n", `clients."count\u200b": unknown key`},
		{"no-break space in a key", "\u00a0name: x\n", `"\u00a0name": unknown key`},
		{"control character in a quoted key", "\"na\\x01me\": x\n", `"na\x01me": unknown key`},
		{"trailing space in a quoted key", "\"name \": x\n", `"name ": unknown key`},
		{"duplicate invisible key", "\"a\\tb\": 1\n\"a\\tb\": 2\n", `"a\tb": duplicate key`},
		{"status key", "origin:\n  error_rates: {\"4\\u200b04\": 0.1}\n", `origin.error_rates."4\u200b04": key must be an HTTP status`},
		{"number with a zero-width space", "clients: {count: 1\u200b}\n", `got the string "1\u200b"`},
		{"boolean with a soft hyphen", "clients: {reconnect: tr\u00ade}\n", `got the string "tr\u00ade"`},
		{"alias name", "a: &x 1\nseed: *x\u200b\n", `*"x\u200b"`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Parse("t.yaml", []byte(tc.src))
			require.Error(t, err)
			var list Errors
			require.True(t, errors.As(err, &list))
			found := false
			for _, fe := range list {
				noInvisible(t, fe.Error())
				found = found || strings.Contains(fe.Error(), tc.want)
			}
			assert.True(t, found, "no message holds %s:\n%v", tc.want, err)
		})
	}
}

func TestSetShowsInvisibleCharactersInKeys(t *testing.T) {
	for key, want := range map[string]string{
		"clients\u200b": `"clients\u200b": unknown key`,
		"\ufeffseed":    `"\ufeffseed": unknown key`,
		"":              `"": unknown key`,
		"  ":            `"  ": unknown key`,
	} {
		s := Defaults()
		err := s.Set(key, "1")
		require.Error(t, err, "%q", key)
		noInvisible(t, err.Error())
		assert.True(t, strings.HasPrefix(err.Error(), want), "%q should start with %q", err.Error(), want)
	}
}

func TestVisible(t *testing.T) {
	for in, want := range map[string]string{
		"count":      "count",
		"two words":  "two words",
		"\ufeffname": `"\ufeffname"`,
		"a\nb":       `"a\nb"`,
		" a":         `" a"`,
		"":           `""`,
		`a"b`:        `"a\"b"`,
		"héllo":      "héllo",
	} {
		assert.Equal(t, want, visible(in), "%q", in)
	}
	assert.Equal(t, `a\ufeffb\x01 c`, Printable("a\ufeffb\x01 c"))
	assert.Equal(t, "plain text", Printable("plain text"))
	assert.Equal(t, strings.Repeat("a", 39)+"...", shortText(strings.Repeat("a", 39)+"é"+strings.Repeat("b", 10)), "cut at a character boundary")
}
