package metrics

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"strconv"
	"time"
)

// ListenAddr resolves a listen address: a missing host means loopback, so ":9100"
// listens on 127.0.0.1:9100; "0.0.0.0:9100" must be asked for explicitly. Its errors
// start with the address given, for the caller to prefix with the option's name.
func ListenAddr(addr string) (string, error) {
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		return "", fmt.Errorf("%q: %v (expected host:port or :port, e.g. :9100)", addr, err)
	}
	if p, err := strconv.Atoi(port); err != nil || p < 0 || p > 65535 {
		return "", fmt.Errorf("%q: port %q is not a number in 0..65535", addr, port)
	}
	if host == "" {
		host = "127.0.0.1"
	}
	return net.JoinHostPort(host, port), nil
}

// Server is a running metrics endpoint.
type Server struct {
	Addr string // the address actually listened on (port resolved when 0 was given)
	srv  *http.Server
	done chan error
}

// Serve listens on addr (see ListenAddr) and serves:
//   - /metrics: the exporter's registry;
//   - /health and /healthz: 200 "ok" while the process serves;
//   - /ready and /readyz: 200 "ok" once the exporter has a snapshot to
//     report, 503 before.
func Serve(addr string, e *Exporter) (*Server, error) {
	resolved, err := ListenAddr(addr)
	if err != nil {
		return nil, err
	}
	ln, err := net.Listen("tcp", resolved)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", resolved, err)
	}
	mux := http.NewServeMux()
	mux.Handle("/metrics", e.Handler())
	health := func(w http.ResponseWriter, _ *http.Request) { writeStatus(w, http.StatusOK, "ok") }
	ready := func(w http.ResponseWriter, _ *http.Request) {
		if !e.Published() {
			writeStatus(w, http.StatusServiceUnavailable, "no snapshot yet")
			return
		}
		writeStatus(w, http.StatusOK, "ok")
	}
	for _, p := range []string{"/health", "/healthz"} {
		mux.HandleFunc(p, health)
	}
	for _, p := range []string{"/ready", "/readyz"} {
		mux.HandleFunc(p, ready)
	}
	s := &Server{
		Addr: ln.Addr().String(),
		srv: &http.Server{Handler: mux, ReadHeaderTimeout: 5 * time.Second, ReadTimeout: 5 * time.Second,
			WriteTimeout: 10 * time.Second, IdleTimeout: 30 * time.Second},
		done: make(chan error, 1),
	}
	go func() { s.done <- s.srv.Serve(ln) }()
	return s, nil
}

func writeStatus(w http.ResponseWriter, code int, text string) {
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.WriteHeader(code)
	fmt.Fprintln(w, text)
}

// Close stops the server, letting in-flight scrapes finish for up to a second.
func (s *Server) Close() error {
	ctx, cancel := context.WithTimeout(context.Background(), time.Second)
	defer cancel()
	err := s.srv.Shutdown(ctx)
	if serr := <-s.done; serr != nil && !errors.Is(serr, http.ErrServerClosed) && err == nil {
		err = serr
	}
	return err
}
