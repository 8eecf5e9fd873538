package server

import (
	"bytes"
	"compress/gzip"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
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
		"index.html":     {Data: []byte("<!doctype html><title>swarmsim</title>"), ModTime: t0},
		"wasm_exec.js":   {Data: []byte("'use strict'; // go"), ModTime: t0},
		"swarmsim.wasm":  {Data: wasm, ModTime: t0},
		"logo.png":       {Data: []byte("\x89PNG"), ModTime: t0},
		"sub/index.html": {Data: []byte("sub"), ModTime: t0},
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
		{"/logo.png", "image/png", false},
		{"/sub/", "text/html; charset=utf-8", true},
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
	body, _ := io.ReadAll(resp.Body)
	assert.Contains(t, string(body), "/missing.wasm")

	resp = get(t, h, "/../../etc/passwd", "")
	assert.Equal(t, http.StatusNotFound, resp.StatusCode, "paths are cleaned to stay inside the tree")

	req := httptest.NewRequest(http.MethodPost, "/index.html", strings.NewReader("x"))
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	assert.Equal(t, http.StatusMethodNotAllowed, rec.Code)
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
	}
	for header, want := range cases {
		assert.Equal(t, want, acceptsGzip(header), "header %q", header)
	}
}
