package main

import (
	"bytes"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestListenPrintsURLAndServes(t *testing.T) {
	dir := t.TempDir()
	require.NoError(t, os.WriteFile(filepath.Join(dir, "index.html"), []byte("<p>hello swarm</p>"), 0o644))
	require.NoError(t, os.WriteFile(filepath.Join(dir, "swarmsim.wasm"), []byte("\x00asm"), 0o644))

	var out bytes.Buffer
	ln, h, err := listen(dir, "127.0.0.1:0", &out)
	require.NoError(t, err)
	srv := &http.Server{Handler: h}
	go func() { _ = srv.Serve(ln) }()
	t.Cleanup(func() { _ = srv.Close() })

	url := regexp.MustCompile(`http://127\.0\.0\.1:\d+/`).FindString(out.String())
	require.NotEmpty(t, url, "output names the URL: %s", out.String())

	resp, err := http.Get(url + "swarmsim.wasm")
	require.NoError(t, err)
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body) // the client decompresses transparently
	require.NoError(t, err)
	assert.Equal(t, "application/wasm", resp.Header.Get("Content-Type"))
	assert.Equal(t, "\x00asm", string(body))
	assert.True(t, resp.Uncompressed, "the transport asked for and undid gzip")
}

func TestListenErrors(t *testing.T) {
	var out bytes.Buffer
	_, _, err := listen(filepath.Join(t.TempDir(), "nope"), "127.0.0.1:0", &out)
	assert.ErrorContains(t, err, "nope")

	dir := t.TempDir()
	ln, _, err := listen(dir, "127.0.0.1:0", &out)
	require.NoError(t, err)
	require.NoError(t, ln.Close())
	assert.Contains(t, out.String(), "swarmsim.wasm is missing", "warns when the wasm was not built")

	_, _, err = listen(dir, "not-an-address", &out)
	assert.Error(t, err)
}
