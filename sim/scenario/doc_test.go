package scenario

import (
	"os"
	"reflect"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// yamlKeys lists every key of the file format by walking the struct tags.
func yamlKeys(t reflect.Type, out map[string]bool) {
	for i := range t.NumField() {
		name, _, _ := strings.Cut(t.Field(i).Tag.Get("yaml"), ",")
		if name == "" {
			continue
		}
		out[name] = true
		ft := t.Field(i).Type
		if ft.Kind() == reflect.Slice {
			ft = ft.Elem()
		}
		if ft.Kind() == reflect.Struct {
			yamlKeys(ft, out)
		}
	}
}

// The package documentation is the file format reference the README points
// to: it must mention every key, range, settable key, kind and preset.
func TestDocMentionsEverything(t *testing.T) {
	src, err := os.ReadFile("doc.go")
	require.NoError(t, err)
	doc := string(src)

	keys := map[string]bool{}
	yamlKeys(reflect.TypeOf(Scenario{}), keys)
	has := func(text, what string) {
		t.Helper()
		assert.True(t, strings.Contains(doc, text), "doc.go does not mention %s (%q)", what, text)
	}
	for k := range keys {
		has(k+":", "file key "+k)
	}
	for path, b := range bounds {
		has(b.text, "the range of "+path)
	}
	for path, words := range enums {
		for _, w := range words {
			has(w, "a value of "+path)
		}
	}
	for _, k := range SettableKeys() {
		has(k, "settable key "+k)
	}
	for _, p := range presetOrder {
		has(p, "preset "+p)
	}
	for _, k := range EventKinds() {
		has(string(k), "kind "+string(k))
	}
}

// The examples in the documentation parse.
func TestDocExamplesParse(t *testing.T) {
	src, err := os.ReadFile("doc.go")
	require.NoError(t, err)
	var blocks []string
	var cur []string
	for _, line := range strings.Split(string(src), "\n") {
		if text, ok := strings.CutPrefix(line, "//\t"); ok {
			cur = append(cur, text)
			continue
		}
		if len(cur) > 0 {
			blocks = append(blocks, strings.Join(cur, "\n")+"\n")
			cur = nil
		}
	}
	parsed := 0
	for _, b := range blocks {
		if !strings.Contains(b, "events:") || strings.Contains(b, "...") {
			continue // the key reference and the error samples are not files
		}
		s, err := Parse("doc-example.yaml", []byte(b))
		require.NoError(t, err, "%s", b)
		require.NotEmpty(t, s.Events)
		parsed++
	}
	assert.Equal(t, 2, parsed, "the one-of-every-kind example and the complete file")
}
