// Command serve serves the browser app (web/) on localhost: the page, the
// Go wasm loader and the compiled swarmsim.wasm, gzip-compressed with the
// right Content-Types. `make serve` builds the wasm and runs it.
//
//	go run ./cmd/serve -dir web -addr 127.0.0.1:8080
package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"time"

	"swarmsim/web/server"
)

func main() {
	if err := run(os.Args[1:], os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "serve:", err)
		os.Exit(1)
	}
}

func run(args []string, out io.Writer) error {
	fl := flag.NewFlagSet("serve", flag.ContinueOnError)
	dir := fl.String("dir", "web", "directory to serve")
	addr := fl.String("addr", "127.0.0.1:8080", "listen address (host:port; port 0 picks a free one)")
	if err := fl.Parse(args); err != nil {
		return err
	}
	ln, h, err := listen(*dir, *addr, out)
	if err != nil {
		return err
	}
	srv := &http.Server{Handler: h, ReadHeaderTimeout: 10 * time.Second}
	return srv.Serve(ln)
}

// listen checks the directory, compresses its files, opens the listener and
// prints the URL.
func listen(dir, addr string, out io.Writer) (net.Listener, http.Handler, error) {
	st, err := os.Stat(dir)
	if err != nil {
		return nil, nil, fmt.Errorf("directory %q: %w", dir, err)
	}
	if !st.IsDir() {
		return nil, nil, fmt.Errorf("%q is not a directory", dir)
	}
	h := server.New(os.DirFS(dir))
	if _, err := os.Stat(dir + "/swarmsim.wasm"); errors.Is(err, os.ErrNotExist) {
		fmt.Fprintf(out, "warning: %s/swarmsim.wasm is missing; build it with: GOOS=js GOARCH=wasm go build -o %s/swarmsim.wasm ./cmd/swarmsim-web\n", dir, dir)
	}
	gz, raw, err := h.Warm()
	if err != nil {
		return nil, nil, fmt.Errorf("compressing %s: %w", dir, err)
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, nil, err
	}
	fmt.Fprintf(out, "swarmsim: serving %s (%.1f MB, %.1f MB gzipped) at %s\n",
		dir, float64(raw)/1e6, float64(gz)/1e6, server.URL(ln.Addr().String()))
	return ln, h, nil
}
