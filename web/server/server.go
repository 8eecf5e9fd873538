package server

import (
	"bytes"
	"compress/gzip"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"mime"
	"net/http"
	"path"
	"strconv"
	"strings"
	"sync"
	"time"
)

// compressible lists the extensions served gzip-compressed, with their
// Content-Type. Everything else is served as is with the type from the
// mime package.
var compressible = map[string]string{
	".wasm": "application/wasm",
	".js":   "text/javascript; charset=utf-8",
	".html": "text/html; charset=utf-8",
	".css":  "text/css; charset=utf-8",
	".json": "application/json",
	".svg":  "image/svg+xml",
	".txt":  "text/plain; charset=utf-8",
}

// UncompressedLengthHeader carries the size of a file before compression, so
// that a page can show loading progress over a gzip stream (whose
// Content-Length is the compressed size).
const UncompressedLengthHeader = "X-Uncompressed-Length"

// Handler serves the files of one directory tree, gzip-compressing the
// compressible ones (pre-compressed "name.gz" siblings are used when they are
// at least as new as the file; otherwise the file is compressed once and kept
// in memory until it changes).
type Handler struct {
	files fs.FS

	mu    sync.Mutex
	cache map[string]compressed
}

type compressed struct {
	modTime time.Time
	size    int64
	data    []byte
}

// New returns a Handler serving files.
func New(files fs.FS) *Handler {
	return &Handler{files: files, cache: map[string]compressed{}}
}

// ContentType returns the Content-Type the handler sends for a file name.
func ContentType(name string) string {
	ext := strings.ToLower(path.Ext(name))
	if ct, ok := compressible[ext]; ok {
		return ct
	}
	if ct := mime.TypeByExtension(ext); ct != "" {
		return ct
	}
	return "application/octet-stream"
}

// Compressible reports whether the handler gzips a file name.
func Compressible(name string) bool {
	_, ok := compressible[strings.ToLower(path.Ext(name))]
	return ok
}

// Warm compresses every compressible file now, so that the first page load
// does not wait for it. It returns the total compressed and uncompressed
// sizes.
func (h *Handler) Warm() (gz, raw int64, err error) {
	err = fs.WalkDir(h.files, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() || !Compressible(p) {
			return nil
		}
		info, err := d.Info()
		if err != nil {
			return err
		}
		data, err := h.gzipped(p, info)
		if err != nil {
			return err
		}
		gz += int64(len(data))
		raw += info.Size()
		return nil
	})
	return gz, raw, err
}

// ServeHTTP implements http.Handler.
func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		w.Header().Set("Allow", "GET, HEAD")
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		return
	}
	name := strings.TrimPrefix(path.Clean("/"+r.URL.Path), "/")
	if name == "" {
		name = "index.html"
	}
	if !fs.ValidPath(name) {
		http.Error(w, "bad path", http.StatusBadRequest)
		return
	}
	info, err := fs.Stat(h.files, name)
	if err == nil && info.IsDir() {
		name = path.Join(name, "index.html")
		info, err = fs.Stat(h.files, name)
	}
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			http.Error(w, "404 not found: /"+name, http.StatusNotFound)
			return
		}
		http.Error(w, "cannot read /"+name+": "+err.Error(), http.StatusInternalServerError)
		return
	}

	hdr := w.Header()
	hdr.Set("Content-Type", ContentType(name))
	// Always revalidate: a rebuilt wasm must never be served stale.
	hdr.Set("Cache-Control", "no-cache")
	hdr.Set("Last-Modified", info.ModTime().UTC().Format(http.TimeFormat))

	if Compressible(name) {
		hdr.Add("Vary", "Accept-Encoding")
		hdr.Set(UncompressedLengthHeader, strconv.FormatInt(info.Size(), 10))
		if acceptsGzip(r.Header.Get("Accept-Encoding")) {
			data, err := h.gzipped(name, info)
			if err != nil {
				http.Error(w, "cannot compress /"+name+": "+err.Error(), http.StatusInternalServerError)
				return
			}
			hdr.Set("Content-Encoding", "gzip")
			hdr.Set("Content-Length", strconv.Itoa(len(data)))
			if r.Method == http.MethodHead {
				return
			}
			_, _ = w.Write(data)
			return
		}
	}

	f, err := h.files.Open(name)
	if err != nil {
		http.Error(w, "cannot open /"+name+": "+err.Error(), http.StatusInternalServerError)
		return
	}
	defer f.Close()
	hdr.Set("Content-Length", strconv.FormatInt(info.Size(), 10))
	if r.Method == http.MethodHead {
		return
	}
	_, _ = io.Copy(w, f)
}

// gzipped returns the compressed bytes of name, from a fresh "name.gz"
// sibling, the in-memory cache, or by compressing the file now.
func (h *Handler) gzipped(name string, info fs.FileInfo) ([]byte, error) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if c, ok := h.cache[name]; ok && c.modTime.Equal(info.ModTime()) && c.size == info.Size() {
		return c.data, nil
	}
	var data []byte
	if gzInfo, err := fs.Stat(h.files, name+".gz"); err == nil && !gzInfo.ModTime().Before(info.ModTime()) {
		data, err = fs.ReadFile(h.files, name+".gz")
		if err != nil {
			return nil, err
		}
	} else {
		raw, err := fs.ReadFile(h.files, name)
		if err != nil {
			return nil, err
		}
		var buf bytes.Buffer
		zw, err := gzip.NewWriterLevel(&buf, gzip.BestCompression)
		if err != nil {
			return nil, err
		}
		if _, err := zw.Write(raw); err != nil {
			return nil, err
		}
		if err := zw.Close(); err != nil {
			return nil, err
		}
		data = buf.Bytes()
	}
	h.cache[name] = compressed{modTime: info.ModTime(), size: info.Size(), data: data}
	return data, nil
}

// acceptsGzip reports whether an Accept-Encoding header allows gzip
// (a "gzip;q=0" entry refuses it).
func acceptsGzip(header string) bool {
	for _, part := range strings.Split(header, ",") {
		fields := strings.Split(strings.TrimSpace(part), ";")
		enc := strings.ToLower(strings.TrimSpace(fields[0]))
		if enc != "gzip" && enc != "*" {
			continue
		}
		q := 1.0
		for _, f := range fields[1:] {
			f = strings.TrimSpace(f)
			if v, ok := strings.CutPrefix(f, "q="); ok {
				if parsed, err := strconv.ParseFloat(v, 64); err == nil {
					q = parsed
				}
			}
		}
		return q > 0
	}
	return false
}

// URL returns the http URL for a listener address such as "127.0.0.1:8080".
func URL(addr string) string {
	return fmt.Sprintf("http://%s/", addr)
}
