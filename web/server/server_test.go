package server

import (
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/base64"
	"io"
	"io/fs"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"testing/fstest"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

var t0 = time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)

func testFS() fstest.MapFS {
	wasm := bytes.Repeat([]byte("\x00asm wasm body "), 4000)
	return fstest.MapFS{
		"index.html":        {Data: []byte("<!doctype html><title>swarmsim</title>"), ModTime: t0},
		"wasm_exec.js":      {Data: []byte("'use strict'; // go"), ModTime: t0},
		"swarmsim.wasm":     {Data: wasm, ModTime: t0},
		"assets/logo.png":   {Data: []byte("\x89PNG"), ModTime: t0},
		"drills/week1.yaml": {Data: []byte("name: week1\nseed: 1\n"), ModTime: t0},
		"server.go":         {Data: []byte("package server"), ModTime: t0},
	}
}

func get(t *testing.T, h http.Handler, path, acceptEncoding string) *http.Response {
	t.Helper()
	req := httptest.NewRequest(http.MethodGet, path, nil)
	if acceptEncoding != "" {
		req.Header.Set("Accept-Encoding", acceptEncoding)
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return rec.Result()
}

func gunzip(t *testing.T, data []byte) []byte {
	t.Helper()
	zr, err := gzip.NewReader(bytes.NewReader(data))
	require.NoError(t, err)
	out, err := io.ReadAll(zr)
	require.NoError(t, err)
	return out
}

func TestContentTypes(t *testing.T) {
	h := New(testFS())
	cases := []struct {
		path, contentType string
		gzipped           bool
	}{
		{"/", "text/html; charset=utf-8", true},
		{"/index.html", "text/html; charset=utf-8", true},
		{"/wasm_exec.js", "text/javascript; charset=utf-8", true},
		{"/swarmsim.wasm", "application/wasm", true},
		{"/assets/logo.png", "image/png", false},
		{"/drills/week1.yaml", "text/yaml; charset=utf-8", true},
	}
	for _, tc := range cases {
		t.Run(tc.path, func(t *testing.T) {
			resp := get(t, h, tc.path, "gzip, deflate, br")
			require.Equal(t, http.StatusOK, resp.StatusCode)
			assert.Equal(t, tc.contentType, resp.Header.Get("Content-Type"))
			assert.Equal(t, "no-cache", resp.Header.Get("Cache-Control"))
			if tc.gzipped {
				assert.Equal(t, "gzip", resp.Header.Get("Content-Encoding"))
				assert.Contains(t, resp.Header.Values("Vary"), "Accept-Encoding")
			} else {
				assert.Empty(t, resp.Header.Get("Content-Encoding"))
			}
		})
	}
}

func TestGzipBodyRoundTripsAndIsSmaller(t *testing.T) {
	files := testFS()
	h := New(files)
	resp := get(t, h, "/swarmsim.wasm", "gzip")
	body, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	raw := files["swarmsim.wasm"].Data
	assert.Equal(t, raw, gunzip(t, body))
	assert.Less(t, len(body), len(raw)/10, "a repetitive body compresses at least 10x")
	assert.Equal(t, strconv.Itoa(len(body)), resp.Header.Get("Content-Length"))
	assert.Equal(t, strconv.Itoa(len(raw)), resp.Header.Get(UncompressedLengthHeader))
}

func TestNoGzipWhenNotAccepted(t *testing.T) {
	files := testFS()
	h := New(files)
	for _, ae := range []string{"", "identity", "br", "gzip;q=0"} {
		resp := get(t, h, "/swarmsim.wasm", ae)
		body, err := io.ReadAll(resp.Body)
		require.NoError(t, err)
		assert.Empty(t, resp.Header.Get("Content-Encoding"), "Accept-Encoding %q", ae)
		assert.Equal(t, files["swarmsim.wasm"].Data, body, "Accept-Encoding %q", ae)
		assert.Equal(t, "application/wasm", resp.Header.Get("Content-Type"))
	}
}

func TestPrecompressedSiblingUsedOnlyWhenFresh(t *testing.T) {
	files := testFS()
	var marker bytes.Buffer
	zw := gzip.NewWriter(&marker)
	_, _ = zw.Write([]byte("precompressed"))
	require.NoError(t, zw.Close())

	files["swarmsim.wasm.gz"] = &fstest.MapFile{Data: marker.Bytes(), ModTime: t0.Add(time.Second)}
	body, _ := io.ReadAll(get(t, New(files), "/swarmsim.wasm", "gzip").Body)
	assert.Equal(t, "precompressed", string(gunzip(t, body)), "fresh .gz sibling is served")

	files["swarmsim.wasm.gz"].ModTime = t0.Add(-time.Second)
	body, _ = io.ReadAll(get(t, New(files), "/swarmsim.wasm", "gzip").Body)
	assert.Equal(t, files["swarmsim.wasm"].Data, gunzip(t, body), "stale .gz sibling is ignored")
}

func TestCacheFollowsFileChanges(t *testing.T) {
	files := testFS()
	h := New(files)
	body, _ := io.ReadAll(get(t, h, "/index.html", "gzip").Body)
	assert.Contains(t, string(gunzip(t, body)), "swarmsim")

	files["index.html"] = &fstest.MapFile{Data: []byte("rebuilt page"), ModTime: t0.Add(time.Minute)}
	body, _ = io.ReadAll(get(t, h, "/index.html", "gzip").Body)
	assert.Equal(t, "rebuilt page", string(gunzip(t, body)))
}

func TestErrors(t *testing.T) {
	h := New(testFS())
	resp := get(t, h, "/missing.wasm", "gzip")
	assert.Equal(t, http.StatusNotFound, resp.StatusCode)

	resp = get(t, h, "/../../etc/passwd", "")
	assert.Equal(t, http.StatusNotFound, resp.StatusCode, "paths are cleaned to stay inside the tree")

	req := httptest.NewRequest(http.MethodPost, "/index.html", strings.NewReader("x"))
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	assert.Equal(t, http.StatusMethodNotAllowed, rec.Code)
}

// Only the app's files are served: not the Go sources or anything else that lies in the
// tree, not the .gz siblings by their own names, not directories.
func TestServesOnlyTheAppsFiles(t *testing.T) {
	files := testFS()
	files["swarmsim.wasm.gz"] = &fstest.MapFile{Data: []byte("gz"), ModTime: t0}
	files["server/server.go"] = &fstest.MapFile{Data: []byte("package server"), ModTime: t0}
	files["assets/sub/icon.svg"] = &fstest.MapFile{Data: []byte("<svg/>"), ModTime: t0}
	files["drills/notes.txt"] = &fstest.MapFile{Data: []byte("answers"), ModTime: t0}
	files["drills/old/week0.yaml"] = &fstest.MapFile{Data: []byte("name: week0"), ModTime: t0}
	files["drills/.yaml"] = &fstest.MapFile{Data: []byte("name: x"), ModTime: t0}
	// Names the app never asks for (not 1..64 letters, digits, '-', '_', '.'
	// or starting with '.').
	long := strings.Repeat("x", 65)
	for _, name := range []string{"week 2", ".hidden", "wöche", long} {
		files["drills/"+name+".yaml"] = &fstest.MapFile{Data: []byte("name: x"), ModTime: t0}
	}
	files["drills/"+long[:64]+".yaml"] = &fstest.MapFile{Data: []byte("name: x"), ModTime: t0}
	files["drills/Week-2_b.v3.yaml"] = &fstest.MapFile{Data: []byte("name: x"), ModTime: t0}
	h := New(files)
	for path, code := range map[string]int{
		"/": 200, "/index.html": 200, "/wasm_exec.js": 200, "/swarmsim.wasm": 200,
		"/assets/logo.png": 200, "/assets/sub/icon.svg": 200,
		"/drills/week1.yaml": 200, "/drills/notes.txt": 404, "/drills/old/week0.yaml": 404, "/drills/.yaml": 404,
		"/drills/": 404, "/drills": 404, "/drills/missing.yaml": 404,
		"/drills/week%202.yaml": 404, "/drills/.hidden.yaml": 404, "/drills/w%C3%B6che.yaml": 404,
		"/drills/" + long + ".yaml": 404, "/drills/" + long[:64] + ".yaml": 200, "/drills/Week-2_b.v3.yaml": 200,
		"/server.go": 404, "/server/server.go": 404, "/swarmsim.wasm.gz": 404,
		"/assets/": 404, "/assets": 404, "/assets/sub": 404, "/server/": 404,
	} {
		assert.Equal(t, code, get(t, h, path, "").StatusCode, path)
	}
}

// Error answers never echo the request's path (a NUL, a very long path, a missing file).
func TestErrorsDoNotEchoThePath(t *testing.T) {
	h := New(testFS())
	long := "/" + strings.Repeat("a", 100000)
	for _, target := range []string{"/%00", "/a%00b.html", long, "/missing-" + strings.Repeat("x", 300) + ".wasm", "/%2e%2e/%2e%2e/etc/passwd"} {
		req := httptest.NewRequest(http.MethodGet, target, nil)
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		assert.Equal(t, http.StatusNotFound, rec.Code, "%.40s", target)
		assert.Equal(t, "404 page not found\n", rec.Body.String(), "%.40s", target)
		assert.Equal(t, "nosniff", rec.Header().Get("X-Content-Type-Options"))
	}
}

// Every answer says nosniff and carries a Content-Security-Policy; a page's policy
// allows its own inline scripts and handlers by hash, and nothing else inline.
func TestSecurityHeaders(t *testing.T) {
	files := testFS()
	files["index.html"] = &fstest.MapFile{ModTime: t0, Data: []byte(`<!doctype html><script src="wasm_exec.js"></script>` +
		`<script>go()</script><button onclick="this.remove()">x</button>`)}
	h := New(files)
	resp := get(t, h, "/", "gzip")
	require.Equal(t, http.StatusOK, resp.StatusCode)
	assert.Equal(t, "nosniff", resp.Header.Get("X-Content-Type-Options"))
	csp := resp.Header.Get("Content-Security-Policy")
	// sha256("go()") and sha256("this.remove()"), base64 (echo -n 'go()' | sha256sum).
	sum := func(s string) string {
		h := sha256.Sum256([]byte(s))
		return base64.StdEncoding.EncodeToString(h[:])
	}
	assert.Equal(t, "default-src 'self'; script-src 'self' 'wasm-unsafe-eval' 'sha256-"+sum("go()")+"' 'unsafe-hashes' 'sha256-"+sum("this.remove()")+"'; "+
		"style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; connect-src 'self'; object-src 'none'; "+
		"frame-ancestors 'none'; base-uri 'none'; form-action 'none'", csp)
	for _, path := range []string{"/swarmsim.wasm", "/missing"} {
		resp := get(t, h, path, "")
		assert.Equal(t, "nosniff", resp.Header.Get("X-Content-Type-Options"), path)
		assert.Equal(t, basePolicy, resp.Header.Get("Content-Security-Policy"), path)
	}
}

// Each file has an ETag, a hash of its content, the same for both encodings; a request
// that names it in If-None-Match gets 304, and a changed file gets a new one.
func TestETag(t *testing.T) {
	files := testFS()
	h := New(files)
	gz := get(t, h, "/swarmsim.wasm", "gzip")
	plain := get(t, h, "/swarmsim.wasm", "")
	tag := gz.Header.Get("ETag")
	assert.Regexp(t, `^W/"[0-9a-f]{24}"$`, tag)
	assert.Equal(t, tag, plain.Header.Get("ETag"))
	assert.NotEqual(t, tag, get(t, h, "/index.html", "").Header.Get("ETag"))

	cond := func(inm string) int {
		req := httptest.NewRequest(http.MethodGet, "/swarmsim.wasm", nil)
		req.Header.Set("If-None-Match", inm)
		// If-None-Match wins over If-Modified-Since (RFC 9110 13.2.2).
		req.Header.Set("If-Modified-Since", t0.Add(time.Hour).Format(http.TimeFormat))
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		return rec.Code
	}
	assert.Equal(t, http.StatusNotModified, cond(tag))
	assert.Equal(t, http.StatusNotModified, cond(`"other", `+strings.TrimPrefix(tag, "W/")))
	assert.Equal(t, http.StatusNotModified, cond("*"))
	assert.Equal(t, http.StatusOK, cond(`W/"0123"`))

	files["swarmsim.wasm"] = &fstest.MapFile{Data: []byte("\x00asm rebuilt"), ModTime: t0.Add(time.Minute)}
	assert.Equal(t, http.StatusOK, cond(tag), "a rebuilt file is sent again")
	assert.NotEqual(t, tag, get(t, h, "/swarmsim.wasm", "").Header.Get("ETag"))
}

func TestHeadHasNoBody(t *testing.T) {
	h := New(testFS())
	req := httptest.NewRequest(http.MethodHead, "/swarmsim.wasm", nil)
	req.Header.Set("Accept-Encoding", "gzip")
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	assert.Equal(t, http.StatusOK, rec.Code)
	assert.Zero(t, rec.Body.Len())
	assert.NotEmpty(t, rec.Header().Get("Content-Length"))
}

func TestWarmSumsSizes(t *testing.T) {
	files := testFS()
	h := New(files)
	gz, raw, err := h.Warm()
	require.NoError(t, err)
	var wantRaw int64
	for name, f := range files {
		if Compressible(name) {
			wantRaw += int64(len(f.Data))
		}
	}
	assert.Equal(t, wantRaw, raw)
	assert.Greater(t, gz, int64(0))
	assert.Less(t, gz, raw)
}

func TestAcceptsGzip(t *testing.T) {
	cases := map[string]bool{
		"":                    false,
		"gzip":                true,
		"GZIP":                true,
		"deflate, gzip;q=0.5": true,
		"gzip;q=0":            false,
		"*":                   true,
		"br, identity":        false,
		"*;q=1, gzip;q=0":     false, // the explicit gzip entry wins over *
		"gzip;q=0, *":         false,
		"*;q=0":               false,
		"*;q=0, gzip":         true,
		"gzip; q=0.001":       true,
		"gzip;Q=0":            false,
		"gzip;q=abc":          false,
		"x-gzip":              true,
	}
	for header, want := range cases {
		assert.Equal(t, want, acceptsGzip(header), "header %q", header)
	}
}

func TestIfModifiedSince(t *testing.T) {
	h := New(testFS())
	cases := []struct {
		name, ims, acceptEncoding string
		want                      int
	}{
		{"same time, gzip", t0.Format(http.TimeFormat), "gzip", http.StatusNotModified},
		{"same time, identity", t0.Format(http.TimeFormat), "", http.StatusNotModified},
		{"later", t0.Add(time.Hour).Format(http.TimeFormat), "gzip", http.StatusNotModified},
		{"earlier: the file changed since", t0.Add(-time.Second).Format(http.TimeFormat), "gzip", http.StatusOK},
		{"unreadable date", "yesterday", "gzip", http.StatusOK},
		{"none", "", "gzip", http.StatusOK},
	}
	for _, tc := range cases {
		for _, method := range []string{http.MethodGet, http.MethodHead} {
			t.Run(tc.name+" "+method, func(t *testing.T) {
				req := httptest.NewRequest(method, "/swarmsim.wasm", nil)
				if tc.ims != "" {
					req.Header.Set("If-Modified-Since", tc.ims)
				}
				req.Header.Set("Accept-Encoding", tc.acceptEncoding)
				rec := httptest.NewRecorder()
				h.ServeHTTP(rec, req)
				assert.Equal(t, tc.want, rec.Code)
				assert.Equal(t, t0.Format(http.TimeFormat), rec.Header().Get("Last-Modified"), "the original file's time for both encodings")
				if tc.want == http.StatusNotModified {
					assert.Zero(t, rec.Body.Len())
					assert.Empty(t, rec.Header().Get("Content-Encoding"))
					assert.Empty(t, rec.Header().Get("Content-Length"))
				} else if method == http.MethodGet {
					assert.NotZero(t, rec.Body.Len())
				}
			})
		}
	}

	// A sub-second modification time still matches its own Last-Modified.
	files := testFS()
	files["index.html"].ModTime = t0.Add(700 * time.Millisecond)
	req := httptest.NewRequest(http.MethodGet, "/index.html", nil)
	req.Header.Set("If-Modified-Since", t0.Format(http.TimeFormat))
	rec := httptest.NewRecorder()
	New(files).ServeHTTP(rec, req)
	assert.Equal(t, http.StatusNotModified, rec.Code)

	// Files without a modification time (embedded) are always sent.
	files["index.html"].ModTime = time.Time{}
	rec = httptest.NewRecorder()
	New(files).ServeHTTP(rec, req)
	assert.Equal(t, http.StatusOK, rec.Code)
	assert.Empty(t, rec.Header().Get("Last-Modified"))
}

// gatedFS blocks reading one file until its gate is closed, and counts reads.
type gatedFS struct {
	fstest.MapFS
	name    string
	entered chan struct{} // receives when a read of name starts
	gate    chan struct{}
	reads   atomic.Int64
}

func (f *gatedFS) ReadFile(name string) ([]byte, error) {
	if name == f.name {
		f.reads.Add(1)
		f.entered <- struct{}{}
		<-f.gate
	}
	return f.MapFS.ReadFile(name)
}

func TestCompressionDoesNotBlockOtherFiles(t *testing.T) {
	files := &gatedFS{MapFS: testFS(), name: "swarmsim.wasm", entered: make(chan struct{}, 16), gate: make(chan struct{})}
	h := New(files)

	const waiting = 4
	results := make(chan []byte, waiting)
	for range waiting {
		go func() {
			body, _ := io.ReadAll(get(t, h, "/swarmsim.wasm", "gzip").Body)
			results <- body
		}()
	}
	<-files.entered // the wasm is being compressed (and stays so until the gate opens)

	// Another file is compressed and served meanwhile (a handler-wide lock
	// would hold this request until the gate opens, which it never does
	// before the deadline).
	other := make(chan []byte, 1)
	go func() {
		body, _ := io.ReadAll(get(t, h, "/index.html", "gzip").Body)
		other <- body
	}()
	select {
	case body := <-other:
		assert.Contains(t, string(gunzip(t, body)), "swarmsim")
	case <-time.After(10 * time.Second):
		close(files.gate)
		t.Fatal("index.html waited for the wasm's compression")
	}

	close(files.gate)
	for range waiting {
		assert.Equal(t, files.MapFS["swarmsim.wasm"].Data, gunzip(t, <-results))
	}
	assert.Equal(t, int64(1), files.reads.Load(), "concurrent requests share one compression")
}

func TestCompressionFailureIsNotCached(t *testing.T) {
	files := testFS()
	h := New(files)
	info, err := fs.Stat(files, "index.html")
	require.NoError(t, err)
	delete(files, "index.html") // gone between Stat and read
	_, err = h.gzipped("index.html", info)
	require.Error(t, err)
	files["index.html"] = &fstest.MapFile{Data: []byte("back"), ModTime: t0}
	data, err := h.gzipped("index.html", info)
	require.NoError(t, err)
	assert.Equal(t, "back", string(gunzip(t, data)))
}
