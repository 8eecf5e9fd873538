package scenario

import (
	"encoding/json"
	"errors"
	"os"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// FuzzParse feeds arbitrary bytes to the parser. It must never panic, must
// return either a valid scenario or located errors, and a scenario it
// accepts must survive a YAML and a JSON round trip unchanged.
func FuzzParse(f *testing.F) {
	for _, p := range presetOrder {
		src, err := PresetYAML(p)
		require.NoError(f, err)
		f.Add(src, false)
		s, err := Preset(p)
		require.NoError(f, err)
		j, err := json.Marshal(s)
		require.NoError(f, err)
		f.Add(j, true)
	}
	if src, err := os.ReadFile("testdata/capacity-check.yaml"); err == nil {
		f.Add(src, false)
	}
	for _, tc := range errorCases {
		f.Add([]byte(tc.src), strings.HasSuffix(tc.file, ".json"))
	}
	f.Fuzz(func(t *testing.T, data []byte, asJSON bool) {
		name := "fuzz.yaml"
		if asJSON {
			name = "fuzz.json"
		}
		s, err := parse(name, data) // not Parse: its recover would hide a panic from the fuzzer
		if err != nil {
			require.Nil(t, s)
			var list Errors
			require.True(t, errors.As(err, &list), "%T: %v", err, err)
			require.NotEmpty(t, list)
			for _, fe := range list {
				require.Equal(t, name, fe.File)
				require.NotEmpty(t, fe.Msg)
				require.True(t, strings.HasPrefix(fe.Error(), name+":"), fe.Error())
			}
			return
		}
		require.NoError(t, s.Validate(), "an accepted scenario validates")
		for i := 1; i < len(s.Events); i++ {
			require.LessOrEqual(t, s.Events[i-1].At, s.Events[i].At)
		}
		y, err := s.ToYAML()
		require.NoError(t, err)
		back, err := parse("roundtrip.yaml", y)
		require.NoError(t, err, "%s", y)
		require.Equal(t, s, back, "%s", y)
		j, err := json.Marshal(s)
		require.NoError(t, err)
		back, err = parse("roundtrip.json", j)
		require.NoError(t, err, "%s", j)
		require.Equal(t, s, back, "%s", j)
	})
}

// FuzzSet sets arbitrary keys to arbitrary values on every preset. It must
// never panic; a failed Set changes nothing; a successful one leaves no
// problem on the field it set.
func FuzzSet(f *testing.F) {
	for i, st := range settings {
		f.Add(uint8(i), strings.Replace(st.Key, "<status>", "404", 1), "1")
		for _, a := range st.Aliases {
			f.Add(uint8(i), a, "0")
		}
	}
	for _, tc := range setCases {
		key := strings.Replace(tc.key, "<status>", "503", 1)
		f.Add(uint8(len(tc.key)), key, tc.good)
		f.Add(uint8(len(tc.bad)), key, tc.bad)
	}
	f.Fuzz(func(t *testing.T, preset uint8, key, value string) {
		s, err := Preset(presetOrder[int(preset)%len(presetOrder)])
		require.NoError(t, err)
		before := s.Clone()
		if err := s.Set(key, value); err != nil {
			require.Equal(t, before, s, "a failed Set changes nothing")
			var fe *FieldError
			require.True(t, errors.As(err, &fe))
			require.NotEmpty(t, fe.Path)
			return
		}
		canon, ok := canonicalKey(key)
		require.True(t, ok)
		if verr := s.Validate(); verr != nil {
			var list Errors
			require.True(t, errors.As(verr, &list))
			for _, fe := range list {
				assert.NotEqual(t, canon, fe.Path, "Set accepted a value Validate rejects: %v", fe)
			}
			return
		}
		y, err := s.ToYAML()
		require.NoError(t, err)
		back, err := Parse("set.yaml", y)
		require.NoError(t, err, "%s", y)
		require.Equal(t, s, back)
	})
}
