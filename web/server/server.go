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
// in memory until it changes). It answers If-Modified-Since with 304 Not
// Modified, using the original file's modification time for both encodings.
type Handler struct {
	files fs.FS

	// mu guards the map only; each entry compresses under its own
	// sync.Once, so compressing a large file delays only the requests for
	// that file (which share the one compression), not every request.
	mu    sync.Mutex
	cache map[string]*compressed
}

// compressed is one version (modification time and size) of a file's gzip
// encoding.
type compressed struct {
	modTime time.Time
	size    int64

	once sync.Once
	data []byte
	err  error
}

// New returns a Handler serving files.
func New(files fs.FS) *Handler {
	return &Handler{files: files, cache: map[string]*compressed{}}
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
	if modTime := info.ModTime(); !isUnknownTime(modTime) {
		hdr.Set("Last-Modified", modTime.UTC().Format(http.TimeFormat))
	}
	if Compressible(name) {
		hdr.Add("Vary", "Accept-Encoding")
	}
	if notModified(r, info.ModTime()) {
		hdr.Del("Content-Type")
		w.WriteHeader(http.StatusNotModified)
		return
	}

	if Compressible(name) {
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

// isUnknownTime reports whether a modification time is missing (embedded
// files have none), as http.ServeContent treats it: no Last-Modified and no
// 304.
func isUnknownTime(t time.Time) bool { return t.IsZero() || t.Equal(time.Unix(0, 0)) }

// notModified reports whether a GET or HEAD carries an If-Modified-Since at
// or after modTime (compared in whole seconds, the header's resolution), as
// http.ServeContent decides.
func notModified(r *http.Request, modTime time.Time) bool {
	ims := r.Header.Get("If-Modified-Since")
	if ims == "" || isUnknownTime(modTime) || (r.Method != http.MethodGet && r.Method != http.MethodHead) {
		return false
	}
	t, err := http.ParseTime(ims)
	if err != nil {
		return false
	}
	return !modTime.Truncate(time.Second).After(t)
}

// gzipped returns the compressed bytes of name, from a fresh "name.gz"
// sibling, the in-memory cache, or by compressing the file now. Concurrent
// calls for the same version of a file share one compression; calls for
// other files do not wait for it. A failure is not cached.
func (h *Handler) gzipped(name string, info fs.FileInfo) ([]byte, error) {
	h.mu.Lock()
	c, ok := h.cache[name]
	if !ok || !c.modTime.Equal(info.ModTime()) || c.size != info.Size() {
		c = &compressed{modTime: info.ModTime(), size: info.Size()}
		h.cache[name] = c
	}
	h.mu.Unlock()

	c.once.Do(func() { c.data, c.err = h.compress(name, info) })
	if c.err != nil {
		h.mu.Lock()
		if h.cache[name] == c {
			delete(h.cache, name)
		}
		h.mu.Unlock()
	}
	return c.data, c.err
}

// compress reads a fresh "name.gz" sibling or gzips the file.
func (h *Handler) compress(name string, info fs.FileInfo) ([]byte, error) {
	if gzInfo, err := fs.Stat(h.files, name+".gz"); err == nil && !gzInfo.ModTime().Before(info.ModTime()) {
		return fs.ReadFile(h.files, name+".gz")
	}
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
	return buf.Bytes(), nil
}

// acceptsGzip reports whether an Accept-Encoding header allows gzip: an
// explicit "gzip" entry decides by its q-value (q=0 refuses), otherwise a
// "*" entry does (RFC 9110 12.5.3), so "*;q=1, gzip;q=0" refuses gzip.
func acceptsGzip(header string) bool {
	gzipQ, starQ := -1.0, -1.0
	for _, part := range strings.Split(header, ",") {
		fields := strings.Split(strings.TrimSpace(part), ";")
		enc := strings.ToLower(strings.TrimSpace(fields[0]))
		if enc != "gzip" && enc != "x-gzip" && enc != "*" {
			continue
		}
		q := 1.0
		for _, f := range fields[1:] {
			f = strings.ToLower(strings.TrimSpace(f))
			if v, ok := strings.CutPrefix(f, "q="); ok {
				parsed, err := strconv.ParseFloat(strings.TrimSpace(v), 64)
				if err != nil || parsed < 0 || parsed > 1 {
					parsed = 0 // a malformed weight does not accept
				}
				q = parsed
			}
		}
		if enc == "*" {
			starQ = max(starQ, q)
		} else {
			gzipQ = max(gzipQ, q)
		}
	}
	if gzipQ >= 0 {
		return gzipQ > 0
	}
	return starQ > 0
}

// URL returns the http URL for a listener address such as "127.0.0.1:8080".
func URL(addr string) string {
	return fmt.Sprintf("http://%s/", addr)
}
