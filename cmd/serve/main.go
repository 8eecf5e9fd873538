package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"net"
	"net/http"
	"os"
	"os/signal"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"

	"swarmsim/web/server"
)

// ShutdownGrace is how long a stopping server lets requests in flight
// finish before it closes their connections.
const ShutdownGrace = 5 * time.Second

// limits bound what one connection may hold: the time to send the request's header and
// whole request, to receive the answer (the 10 MB wasm fits at 170 kB/s), to stay open
// idle between requests, and the header's size.
var limits = struct {
	readHeader, read, write, idle time.Duration
	maxHeaderBytes                int
}{5 * time.Second, 15 * time.Second, time.Minute, 30 * time.Second, 64 << 10}

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "serve:", err)
		os.Exit(1)
	}
}

// run serves until ctx is done (SIGINT or SIGTERM in main), then shuts down
// gracefully. -h prints the usage and returns nil.
func run(ctx context.Context, args []string, out io.Writer) error {
	fl := flag.NewFlagSet("serve", flag.ContinueOnError)
	fl.SetOutput(out)
	fl.Usage = func() {
		fmt.Fprintf(out, "Usage: serve [-dir DIR] [-addr ADDR] [-drills DIR]\n\nServes the browser app (index.html, wasm_exec.js, swarmsim.wasm, assets/) of DIR, and drill files (?drill=NAME opens NAME.yaml).\n\n")
		fl.PrintDefaults()
	}
	dir := fl.String("dir", "web", "directory holding the app")
	drills := fl.String("drills", "", "a directory of drill files (NAME.yaml) that ?drill=NAME opens, served as drills/ in place of DIR/drills")
	addr := fl.String("addr", "127.0.0.1:8080", "listen address: host:port, or :port for 127.0.0.1:port (port 0 picks a free one); a host such as 0.0.0.0 listens beyond this machine")
	if err := fl.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return nil
		}
		return err
	}
	if fl.NArg() > 0 {
		return fmt.Errorf("unexpected argument %q (see serve -h)", fl.Arg(0))
	}
	ln, h, err := listenWith(*dir, *drills, *addr, out)
	if err != nil {
		return err
	}
	return serve(ctx, ln, newServer(h), out)
}

// newServer is the http.Server of the app, with limits.
func newServer(h http.Handler) *http.Server {
	return &http.Server{
		Handler:           h,
		ReadHeaderTimeout: limits.readHeader,
		ReadTimeout:       limits.read,
		WriteTimeout:      limits.write,
		IdleTimeout:       limits.idle,
		MaxHeaderBytes:    limits.maxHeaderBytes,
	}
}

// serve serves srv on ln until ctx is done, then stops accepting connections
// and waits up to ShutdownGrace for the requests in flight
// (http.Server.Shutdown). It returns nil after a clean shutdown.
func serve(ctx context.Context, ln net.Listener, srv *http.Server, out io.Writer) error {
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

// listenAddr resolves -addr: ":PORT" means 127.0.0.1:PORT, as sim-native's
// --metrics-addr does; beyond reports whether the address listens beyond this machine.
func listenAddr(addr string) (resolved string, beyond bool, err error) {
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		return "", false, fmt.Errorf("-addr %q: %v (expected host:port or :port, e.g. :8080)", addr, err)
	}
	if p, err := strconv.Atoi(port); err != nil || p < 0 || p > 65535 {
		return "", false, fmt.Errorf("-addr %q: port %q is not a number in 0..65535", addr, port)
	}
	if host == "" {
		host = "127.0.0.1"
	}
	ip := net.ParseIP(host)
	beyond = host != "localhost" && (ip == nil || !ip.IsLoopback())
	return net.JoinHostPort(host, port), beyond, nil
}

// listen checks the directory, compresses its files, opens the listener and
// prints the URL, with a warning when it listens beyond this machine. The files are
// read through an os.Root: no name, symbolic links included, leads out of dir.
func listen(dir, addr string, out io.Writer) (net.Listener, http.Handler, error) {
	return listenWith(dir, "", addr, out)
}

// listenWith is listen with a directory of drill files served as drills/ ("":
// the app directory's own drills/, if any).
func listenWith(dir, drillsDir, addr string, out io.Writer) (net.Listener, http.Handler, error) {
	resolved, beyond, err := listenAddr(addr)
	if err != nil {
		return nil, nil, err
	}
	st, err := os.Stat(dir)
	if err != nil {
		return nil, nil, fmt.Errorf("directory %q: %w", dir, err)
	}
	if !st.IsDir() {
		return nil, nil, fmt.Errorf("%q is not a directory", dir)
	}
	root, err := os.OpenRoot(dir)
	if err != nil {
		return nil, nil, fmt.Errorf("directory %q: %w", dir, err)
	}
	files := root.FS()
	if drillsDir != "" {
		drills, err := openDrills(drillsDir)
		if err != nil {
			return nil, nil, err
		}
		files = withDrills{app: files, drills: drills}
		announceDrills(drillsDir, drills, out)
	} else if drills, err := fs.Sub(files, strings.TrimSuffix(server.DrillsDir, "/")); err == nil {
		if _, err := fs.Stat(drills, "."); err == nil {
			announceDrills(filepath.Join(dir, server.DrillsDir), drills, out)
		}
	}
	h := server.New(files)
	if _, err := root.Stat("swarmsim.wasm"); errors.Is(err, os.ErrNotExist) {
		fmt.Fprintf(out, "warning: %s/swarmsim.wasm is missing; build it with: GOOS=js GOARCH=wasm go build -o %s/swarmsim.wasm ./cmd/swarmsim-web\n", dir, dir)
	}
	gz, raw, err := h.Warm()
	if err != nil {
		return nil, nil, fmt.Errorf("compressing %s: %w", dir, err)
	}
	ln, err := net.Listen("tcp", resolved)
	if err != nil {
		return nil, nil, err
	}
	if beyond {
		host, _, _ := net.SplitHostPort(resolved)
		_, port, _ := net.SplitHostPort(ln.Addr().String())
		fmt.Fprintf(out, "warning: listening on %s, beyond this machine: anyone who can reach it can load the app (give -addr 127.0.0.1:PORT to keep it local)\n", net.JoinHostPort(host, port))
	}
	fmt.Fprintf(out, "swarmsim: serving %s (%.1f MB, %.1f MB gzipped) at %s\n",
		dir, float64(raw)/1e6, float64(gz)/1e6, server.URL(ln.Addr().String()))
	return ln, h, nil
}
