package main

import (
	"bufio"
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
	"time"

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
	go func() { served <- serve(ctx, ln, newServer(h), &out) }()

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
	err = serve(context.Background(), ln, newServer(http.NotFoundHandler()), io.Discard)
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

// serve -h prints the usage and succeeds.
func TestHelpSucceeds(t *testing.T) {
	for _, arg := range []string{"-h", "--help", "-help"} {
		var out bytes.Buffer
		require.NoError(t, run(context.Background(), []string{arg}, &out), arg)
		assert.Contains(t, out.String(), "Usage: serve", arg)
		assert.Contains(t, out.String(), "-addr", arg)
	}
	assert.ErrorContains(t, run(context.Background(), []string{"extra"}, io.Discard), `unexpected argument "extra"`)
}

// -addr :PORT means 127.0.0.1:PORT, as sim-native's --metrics-addr does; an address
// beyond loopback is allowed with a warning.
func TestAddrLoopbackByDefault(t *testing.T) {
	for addr, want := range map[string]struct {
		resolved string
		beyond   bool
	}{
		":8080":          {"127.0.0.1:8080", false},
		"127.0.0.1:0":    {"127.0.0.1:0", false},
		"[::1]:0":        {"[::1]:0", false},
		"localhost:0":    {"localhost:0", false},
		"0.0.0.0:8080":   {"0.0.0.0:8080", true},
		"[::]:8080":      {"[::]:8080", true},
		"192.0.2.1:8080": {"192.0.2.1:8080", true},
		"example.org:80": {"example.org:80", true},
	} {
		resolved, beyond, err := listenAddr(addr)
		require.NoError(t, err, addr)
		assert.Equal(t, want.resolved, resolved, addr)
		assert.Equal(t, want.beyond, beyond, addr)
	}
	for _, bad := range []string{"8080", ":http", ":70000", ""} {
		_, _, err := listenAddr(bad)
		assert.ErrorContains(t, err, "-addr", bad)
	}

	dir := t.TempDir()
	var out bytes.Buffer
	ln, _, err := listen(dir, ":0", &out)
	require.NoError(t, err)
	ln.Close()
	assert.Regexp(t, `at http://127\.0\.0\.1:\d+/`, out.String())
	assert.NotContains(t, out.String(), "beyond this machine")

	out.Reset()
	ln, _, err = listen(dir, "0.0.0.0:0", &out)
	require.NoError(t, err)
	ln.Close()
	assert.Regexp(t, `warning: listening on 0\.0\.0\.0:\d+, beyond this machine`, out.String())
}

// Symbolic links that lead out of the served directory are not followed; the Go
// sources beside the app are not served.
func TestNoEscapeFromTheDirectory(t *testing.T) {
	dir := t.TempDir()
	require.NoError(t, os.WriteFile(filepath.Join(dir, "index.html"), []byte("<p>app</p>"), 0o644))
	require.NoError(t, os.WriteFile(filepath.Join(dir, "server.go"), []byte("package server"), 0o644))
	require.NoError(t, os.Mkdir(filepath.Join(dir, "assets"), 0o755))
	require.NoError(t, os.Symlink("/etc", filepath.Join(dir, "assets", "etc")))
	require.NoError(t, os.Symlink("/etc/passwd", filepath.Join(dir, "swarmsim.wasm")))
	require.NoError(t, os.Symlink("../index.html", filepath.Join(dir, "assets", "page.html")))

	var out bytes.Buffer
	ln, h, err := listen(dir, "127.0.0.1:0", &out)
	require.NoError(t, err)
	srv := newServer(h)
	go func() { _ = srv.Serve(ln) }()
	t.Cleanup(func() { _ = srv.Close() })
	base := "http://" + ln.Addr().String()
	for path, code := range map[string]int{
		"/": 200, "/assets/page.html": 200, // a link inside the directory
		"/assets/etc/passwd": 404, "/swarmsim.wasm": 404, "/server.go": 404,
	} {
		resp, err := http.Get(base + path)
		require.NoError(t, err, path)
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		assert.Equal(t, code, resp.StatusCode, path)
		assert.NotContains(t, string(body), "root:", path)
	}
}

// closedConns serves h with the given limits and reports each connection that the
// server closes.
func closedConns(t *testing.T, h http.Handler) (addr string, closed <-chan struct{}) {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	srv := newServer(h)
	ch := make(chan struct{}, 16)
	srv.ConnState = func(_ net.Conn, s http.ConnState) {
		if s == http.StateClosed {
			ch <- struct{}{}
		}
	}
	go func() { _ = srv.Serve(ln) }()
	t.Cleanup(func() { _ = srv.Close() })
	return ln.Addr().String(), ch
}

// withLimits shortens the connection limits for one test.
func withLimits(t *testing.T, idle, write time.Duration) {
	saved := limits
	limits.idle, limits.write = idle, write
	t.Cleanup(func() { limits = saved })
}

// An idle keep-alive connection is closed after the idle timeout (it lived on past 70 s).
func TestIdleConnectionIsClosed(t *testing.T) {
	withLimits(t, 100*time.Millisecond, time.Minute)
	addr, closed := closedConns(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.WriteString(w, "ok")
	}))
	conn, err := net.Dial("tcp", addr)
	require.NoError(t, err)
	defer conn.Close()
	_, err = io.WriteString(conn, "GET / HTTP/1.1\r\nHost: x\r\n\r\n")
	require.NoError(t, err)
	resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
	require.NoError(t, err)
	resp.Body.Close()
	select {
	case <-closed:
	case <-time.After(time.Minute): // generous: the server closes it after 100 ms
		t.Fatal("the idle connection is still open")
	}
}

// A client that stops reading is cut off after the write timeout (it was still served
// after 65 s).
func TestSlowReaderIsCutOff(t *testing.T) {
	withLimits(t, time.Minute, 200*time.Millisecond)
	big := bytes.Repeat([]byte("0123456789abcdef"), 4<<20) // 64 MiB: more than the socket buffers
	addr, closed := closedConns(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = w.Write(big)
	}))
	conn, err := net.Dial("tcp", addr)
	require.NoError(t, err)
	defer conn.Close()
	require.NoError(t, conn.(*net.TCPConn).SetReadBuffer(4096))
	_, err = io.WriteString(conn, "GET /big HTTP/1.1\r\nHost: x\r\n\r\n")
	require.NoError(t, err)
	// The client reads nothing.
	select {
	case <-closed:
	case <-time.After(time.Minute):
		t.Fatal("the connection of a client that stopped reading is still open")
	}
}
