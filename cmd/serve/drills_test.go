package main

import (
	"bytes"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"swarmsim/sim/drill"
)

func TestServesADrillsDirectory(t *testing.T) {
	app, drills := t.TempDir(), t.TempDir()
	require.NoError(t, os.WriteFile(filepath.Join(app, "index.html"), []byte("<p>app</p>"), 0o644))
	require.NoError(t, os.Mkdir(filepath.Join(app, "drills"), 0o755))
	require.NoError(t, os.WriteFile(filepath.Join(app, "drills", "shadowed.yaml"), []byte("name: x"), 0o644))
	src, err := drill.BuiltinYAML("outage")
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(filepath.Join(drills, "week1.yaml"), src, 0o644))
	require.NoError(t, os.WriteFile(filepath.Join(drills, "week2.yaml"), []byte("name: bad\nclients: {count: 0}\n"), 0o644))
	require.NoError(t, os.WriteFile(filepath.Join(drills, "answers.txt"), []byte("week1: outage"), 0o644))
	require.NoError(t, os.Symlink("/etc/passwd", filepath.Join(drills, "passwd.yaml")))
	// Playable files under names a link cannot open: the app refuses the
	// first three and opens the built-in drill or a random one for the rest.
	outageCode := drill.Code("outage")
	shadowed := []string{"week 3", strings.Repeat("x", drill.MaxFileName+1), ".hidden", "outage", outageCode, "Random"}
	for _, name := range shadowed {
		require.NoError(t, os.WriteFile(filepath.Join(drills, name+".yaml"), src, 0o644))
	}

	var out bytes.Buffer
	ln, h, err := listenWith(app, drills, "127.0.0.1:0", &out)
	require.NoError(t, err)
	srv := newServer(h)
	go func() { _ = srv.Serve(ln) }()
	t.Cleanup(func() { _ = srv.Close() })

	// The trainer sees the links of the playable drills and what is wrong
	// with the others.
	text := out.String()
	assert.Contains(t, text, "drills from "+drills)
	assert.Contains(t, text, "  ?drill=week1\n")
	assert.Contains(t, text, "  week2: not playable: "+filepath.Join(drills, "week2.yaml")+":2:18: clients.count: 0 is out of range 1..1000000")
	assert.Contains(t, text, "week2.yaml")
	assert.NotContains(t, text, "answers")
	for _, name := range shadowed {
		assert.NotContains(t, text, "?drill="+name+"\n", name)
		assert.Contains(t, text, "  "+name+": not playable: ", name)
	}
	assert.Contains(t, text, `  week 3: not playable: name "week 3" holds ' ': a drill file's name (drills/NAME.yaml) is 1..64 letters`)
	assert.Contains(t, text, `  outage: not playable: name "outage" is a built-in drill's name: ?drill=outage opens that drill instead`)
	assert.Contains(t, text, `  `+outageCode+`: not playable: name "`+outageCode+`" is a built-in drill's code`)
	assert.Contains(t, text, `  Random: not playable: name "Random": ?drill=Random opens a random drill instead`)

	base := "http://" + ln.Addr().String()
	for path, code := range map[string]int{
		"/drills/week1.yaml": 200, "/drills/answers.txt": 404, "/drills/shadowed.yaml": 404,
		"/drills/passwd.yaml": 404, "/drills/../index.html": 200, "/drills/": 404,
		// The server does not offer what the app can never ask for.
		"/drills/week%203.yaml": 404, "/drills/.hidden.yaml": 404,
		"/drills/" + strings.Repeat("x", drill.MaxFileName+1) + ".yaml": 404,
	} {
		resp, err := http.Get(base + path)
		require.NoError(t, err, path)
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		assert.Equal(t, code, resp.StatusCode, path)
		assert.NotContains(t, string(body), "root:", path)
		if path == "/drills/week1.yaml" {
			assert.Equal(t, string(src), string(body))
			assert.Equal(t, "text/yaml; charset=utf-8", resp.Header.Get("Content-Type"))
		}
	}
}

func TestDrillsDirectoryErrors(t *testing.T) {
	app := t.TempDir()
	var out bytes.Buffer
	_, _, err := listenWith(app, filepath.Join(app, "nope"), "127.0.0.1:0", &out)
	assert.ErrorContains(t, err, "-drills")
	file := filepath.Join(app, "f.yaml")
	require.NoError(t, os.WriteFile(file, nil, 0o644))
	_, _, err = listenWith(app, file, "127.0.0.1:0", &out)
	assert.ErrorContains(t, err, "is not a directory")

	// The app directory's own drills/ is announced too; an empty one says so.
	require.NoError(t, os.Mkdir(filepath.Join(app, "drills"), 0o755))
	out.Reset()
	ln, _, err := listen(app, "127.0.0.1:0", &out)
	require.NoError(t, err)
	ln.Close()
	assert.True(t, strings.Contains(out.String(), "holds no NAME.yaml file"), out.String())
}
