package server

import (
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"io/fs"
	"mime"
	"net/http"
	"path"
	"slices"
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
	".yaml": "text/yaml; charset=utf-8",
}

// UncompressedLengthHeader carries the size of a file before compression, so
// that a page can show loading progress over a gzip stream (whose
// Content-Length is the compressed size).
const UncompressedLengthHeader = "X-Uncompressed-Length"

// Handler serves the app's files (AppFiles and AssetsDir) from one tree,
// gzip-compressing the compressible ones (pre-compressed "name.gz" siblings are used
// when they are at least as new as the file; otherwise the file is compressed once and
// kept in memory until it changes). Each file has a weak ETag, a hash of its content,
// the same for both encodings; If-None-Match (or, without it, If-Modified-Since with the
// file's modification time) is answered 304 Not Modified. Give it an fs.FS that cannot
// leave its directory (os.Root's FS, as cmd/serve does): os.DirFS follows symbolic
// links out of it.
type Handler struct {
	files fs.FS

	// mu guards the map only; each entry compresses under its own
	// sync.Once, so compressing a large file delays only the requests for
	// that file (which share the one compression), not every request.
	mu    sync.Mutex
	cache map[string]*fileVersion
}

// fileVersion is what the handler keeps of one version (modification time and size) of
// a file.
type fileVersion struct {
	modTime time.Time
	size    int64

	once   sync.Once
	etag   string // W/"<hash of the content>", the same for both encodings
	gz     []byte // the gzip encoding of a compressible file
	policy string // an HTML page's Content-Security-Policy
	err    error
}

// New returns a Handler serving files.
func New(files fs.FS) *Handler {
	return &Handler{files: files, cache: map[string]*fileVersion{}}
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

// Warm compresses every compressible file the handler serves now, so that the first
// page load does not wait for it. It returns the total compressed and uncompressed
// sizes. Files that are missing or cannot be opened (a link out of the tree) are left
// out: they are answered 404.
func (h *Handler) Warm() (gz, raw int64, err error) {
	names := slices.Clone(AppFiles)
	for _, dir := range []string{AssetsDir, DrillsDir} {
		_ = fs.WalkDir(h.files, strings.TrimSuffix(dir, "/"), func(p string, d fs.DirEntry, err error) error {
			if err == nil && !d.IsDir() {
				names = append(names, p)
			}
			return nil
		})
	}
	for _, name := range names {
		if !served(name) || !Compressible(name) {
			continue
		}
		info, err := fs.Stat(h.files, name)
		if err != nil || !info.Mode().IsRegular() {
			continue
		}
		data, err := h.gzipped(name, info)
		if err != nil {
			return gz, raw, err
		}
		gz += int64(len(data))
		raw += info.Size()
	}
	return gz, raw, nil
}

// AppFiles are the files the handler serves: the page, the Go wasm loader and the
// compiled app. Besides them it serves the files under AssetsDir, the drill files
// directly under DrillsDir, and nothing else in the tree (no Go sources, no .gz
// siblings by their own name, no directory listings).
var AppFiles = []string{"index.html", "wasm_exec.js", "swarmsim.wasm"}

// AssetsDir is the directory whose files are served.
const AssetsDir = "assets/"

// DrillsDir holds a trainer's drill files (NAME.yaml), which the app opens for
// ?drill=NAME; only .yaml files directly in it whose NAME the app can ask for
// are served.
const DrillsDir = "drills/"

// maxDrillFileName is the longest NAME of a drill file the app asks for.
const maxDrillFileName = 64

// drillFileName reports whether the app can ask for drills/NAME.yaml: NAME
// is 1..64 ASCII letters, digits, '-', '_' and '.', not starting with '.'
// (the character rule of sim/drill.CheckFileName; a name that a built-in
// drill shadows is served, but the app never asks for it).
func drillFileName(name string) bool {
	if name == "" || len(name) > maxDrillFileName || name[0] == '.' {
		return false
	}
	for _, r := range name {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-' || r == '_' || r == '.') {
			return false
		}
	}
	return true
}

// served reports whether name (a cleaned, slash-separated path without the leading
// slash) is one of the app's files.
func served(name string) bool {
	for _, f := range AppFiles {
		if name == f {
			return true
		}
	}
	if rest, ok := strings.CutPrefix(name, DrillsDir); ok {
		base, ok := strings.CutSuffix(rest, ".yaml")
		return ok && drillFileName(base)
	}
	rest, ok := strings.CutPrefix(name, AssetsDir)
	return ok && rest != "" && !strings.HasSuffix(name, ".gz")
}

// ServeHTTP implements http.Handler. Answers never echo the request's path: a name
// that is not one of the app's files gets a plain 404, a file that cannot be read a
// plain 500. Every answer says X-Content-Type-Options: nosniff and carries a
// Content-Security-Policy (see policy).
func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	hdr := w.Header()
	hdr.Set("X-Content-Type-Options", "nosniff")
	hdr.Set("Referrer-Policy", "no-referrer")
	hdr.Set("Content-Security-Policy", basePolicy)
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		hdr.Set("Allow", "GET, HEAD")
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		return
	}
	name := strings.TrimPrefix(path.Clean("/"+r.URL.Path), "/")
	if name == "" {
		name = "index.html"
	}
	if !fs.ValidPath(name) || !served(name) {
		http.Error(w, "404 page not found", http.StatusNotFound)
		return
	}
	info, err := fs.Stat(h.files, name)
	if err != nil || !info.Mode().IsRegular() {
		// Missing, not a file, or a link that leads out of the tree.
		http.Error(w, "404 page not found", http.StatusNotFound)
		return
	}
	v, err := h.version(name, info)
	if err != nil {
		http.Error(w, "500 cannot read the file", http.StatusInternalServerError)
		return
	}

	hdr.Set("Content-Type", ContentType(name))
	if v.policy != "" {
		hdr.Set("Content-Security-Policy", v.policy)
	}
	// Always revalidate: a rebuilt wasm must never be served stale.
	hdr.Set("Cache-Control", "no-cache")
	hdr.Set("ETag", v.etag)
	if modTime := info.ModTime(); !isUnknownTime(modTime) {
		hdr.Set("Last-Modified", modTime.UTC().Format(http.TimeFormat))
	}
	if Compressible(name) {
		hdr.Add("Vary", "Accept-Encoding")
	}
	if notModified(r, info.ModTime(), v.etag) {
		hdr.Del("Content-Type")
		w.WriteHeader(http.StatusNotModified)
		return
	}

	if Compressible(name) {
		hdr.Set(UncompressedLengthHeader, strconv.FormatInt(info.Size(), 10))
		if acceptsGzip(r.Header.Get("Accept-Encoding")) {
			hdr.Set("Content-Encoding", "gzip")
			hdr.Set("Content-Length", strconv.Itoa(len(v.gz)))
			if r.Method == http.MethodHead {
				return
			}
			_, _ = w.Write(v.gz)
			return
		}
	}

	f, err := h.files.Open(name)
	if err != nil {
		http.Error(w, "500 cannot read the file", http.StatusInternalServerError)
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

// notModified reports whether a GET or HEAD is answered 304 Not Modified: by
// If-None-Match when it is given (entity tags, compared weakly, or "*"), else by
// If-Modified-Since at or after modTime (compared in whole seconds, the header's
// resolution), as http.ServeContent decides.
func notModified(r *http.Request, modTime time.Time, etag string) bool {
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		return false
	}
	if inm := r.Header.Get("If-None-Match"); inm != "" {
		for _, tag := range strings.Split(inm, ",") {
			tag = strings.TrimSpace(tag)
			if tag == "*" || strings.TrimPrefix(tag, "W/") == strings.TrimPrefix(etag, "W/") {
				return true
			}
		}
		return false
	}
	ims := r.Header.Get("If-Modified-Since")
	if ims == "" || isUnknownTime(modTime) {
		return false
	}
	t, err := http.ParseTime(ims)
	if err != nil {
		return false
	}
	return !modTime.Truncate(time.Second).After(t)
}

// version returns what the handler keeps of one version of a file: its entity tag, its
// gzip encoding when it is compressible, its policy when it is a page. It is computed
// once per version (modification time and size). Concurrent calls for the same version
// share one computation; calls for other files do not wait for it. A failure is not
// cached.
func (h *Handler) version(name string, info fs.FileInfo) (*fileVersion, error) {
	h.mu.Lock()
	c, ok := h.cache[name]
	if !ok || !c.modTime.Equal(info.ModTime()) || c.size != info.Size() {
		c = &fileVersion{modTime: info.ModTime(), size: info.Size()}
		h.cache[name] = c
	}
	h.mu.Unlock()

	c.once.Do(func() { c.err = h.load(name, c) })
	if c.err != nil {
		h.mu.Lock()
		if h.cache[name] == c {
			delete(h.cache, name)
		}
		h.mu.Unlock()
		return nil, c.err
	}
	return c, nil
}

// gzipped returns the compressed bytes of name (see version).
func (h *Handler) gzipped(name string, info fs.FileInfo) ([]byte, error) {
	v, err := h.version(name, info)
	if err != nil {
		return nil, err
	}
	return v.gz, nil
}

// load reads a version of a file: its entity tag (a hash of its content), its policy
// if it is a page, and its gzip encoding, from a "name.gz" sibling at least as new as
// the file or by compressing it.
func (h *Handler) load(name string, v *fileVersion) error {
	raw, err := fs.ReadFile(h.files, name)
	if err != nil {
		return err
	}
	sum := sha256.Sum256(raw)
	v.etag = `W/"` + hex.EncodeToString(sum[:12]) + `"`
	if strings.EqualFold(path.Ext(name), ".html") {
		v.policy = policy(raw)
	}
	if !Compressible(name) {
		return nil
	}
	if gzInfo, err := fs.Stat(h.files, name+".gz"); err == nil && !gzInfo.ModTime().Before(v.modTime) {
		v.gz, err = fs.ReadFile(h.files, name+".gz")
		return err
	}
	var buf bytes.Buffer
	zw, err := gzip.NewWriterLevel(&buf, gzip.BestCompression)
	if err != nil {
		return err
	}
	if _, err := zw.Write(raw); err != nil {
		return err
	}
	if err := zw.Close(); err != nil {
		return err
	}
	v.gz = buf.Bytes()
	return nil
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
