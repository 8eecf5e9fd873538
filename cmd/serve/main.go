package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/signal"
	"syscall"
	"time"

	"swarmsim/web/server"
)

// ShutdownGrace is how long a stopping server lets requests in flight
// finish before it closes their connections.
const ShutdownGrace = 5 * time.Second

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "serve:", err)
		os.Exit(1)
	}
}

// run serves until ctx is done (SIGINT or SIGTERM in main), then shuts down
// gracefully.
func run(ctx context.Context, args []string, out io.Writer) error {
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
	return serve(ctx, ln, h, out)
}

// serve serves h on ln until ctx is done, then stops accepting connections
// and waits up to ShutdownGrace for the requests in flight
// (http.Server.Shutdown). It returns nil after a clean shutdown.
func serve(ctx context.Context, ln net.Listener, h http.Handler, out io.Writer) error {
	srv := &http.Server{Handler: h, ReadHeaderTimeout: 10 * time.Second}
	done := make(chan error, 1)
	go func() { done <- srv.Serve(ln) }()
	select {
	case err := <-done: // the listener failed
		return err
	case <-ctx.Done():
	}
	fmt.Fprintln(out, "swarmsim: shutting down")
	sctx, cancel := context.WithTimeout(context.Background(), ShutdownGrace)
	defer cancel()
	err := srv.Shutdown(sctx)
	if serr := <-done; !errors.Is(serr, http.ErrServerClosed) && err == nil {
		err = serr
	}
	return err
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
