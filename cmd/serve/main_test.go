package main

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net"
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

func TestServeShutsDownGracefully(t *testing.T) {
	entered, release := make(chan struct{}), make(chan struct{})
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		close(entered)
		<-release
		_, _ = io.WriteString(w, "finished")
	})
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var out bytes.Buffer
	served := make(chan error, 1)
	go func() { served <- serve(ctx, ln, h, &out) }()

	type result struct {
		body string
		err  error
	}
	got := make(chan result, 1)
	go func() {
		resp, err := http.Get("http://" + ln.Addr().String() + "/slow")
		if err != nil {
			got <- result{err: err}
			return
		}
		defer resp.Body.Close()
		b, err := io.ReadAll(resp.Body)
		got <- result{string(b), err}
	}()
	<-entered
	cancel() // SIGINT / SIGTERM
	// New connections are refused once Shutdown has closed the listener;
	// Shutdown waits for the request in flight, so serve has not returned.
	select {
	case err := <-served:
		t.Fatalf("serve returned (%v) with a request in flight", err)
	default:
	}
	close(release)
	r := <-got
	require.NoError(t, r.err)
	assert.Equal(t, "finished", r.body, "the request in flight completes")
	require.NoError(t, <-served, "a clean shutdown is not an error")
	assert.Contains(t, out.String(), "shutting down")
	_, err = net.Dial("tcp", ln.Addr().String())
	assert.Error(t, err, "the listener is closed")
}

func TestServeReportsAListenerFailure(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	require.NoError(t, ln.Close())
	err = serve(context.Background(), ln, http.NotFoundHandler(), io.Discard)
	require.Error(t, err)
	assert.False(t, errors.Is(err, http.ErrServerClosed))
}

func TestRunStopsWhenCancelled(t *testing.T) {
	dir := t.TempDir()
	require.NoError(t, os.WriteFile(filepath.Join(dir, "swarmsim.wasm"), []byte("\x00asm"), 0o644))
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	var out bytes.Buffer
	assert.NoError(t, run(ctx, []string{"-dir", dir, "-addr", "127.0.0.1:0"}, &out))
	assert.Contains(t, out.String(), "serving")
	assert.Error(t, run(context.Background(), []string{"-bogus"}, io.Discard))
}
