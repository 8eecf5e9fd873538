package main

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"syscall"

	"github.com/google/renameio/v2"
)

// How an output (--json, --csv, --report, sweep's --csv) reaches its target.
type outputKind int

const (
	// outputFile: a regular file (or a name not yet taken), written to a unique temporary
	// file in the same directory, synced and renamed over the target, so a reader never
	// sees half a file and a failed run never leaves one.
	outputFile outputKind = iota
	// outputStdout: "-" or a path that is the process's standard output (/dev/stdout,
	// /proc/self/fd/1): written to stdout as it is.
	outputStdout
	// outputStream: a character device (/dev/null, a terminal) or a named pipe, opened
	// and written in place: such a file is never replaced.
	outputStream
)

// output is one output file, resolved and checked before the run.
type output struct {
	option string // the flag that named it, e.g. "--json"
	path   string // as given
	kind   outputKind
	target string // outputFile: the path written (a symbolic link's final target); else path
	fifo   bool   // outputStream: a named pipe (opening it waits for a reader)
}

func (o *output) fail(err error) error {
	return fmt.Errorf("%s %s: %w", o.option, o.path, err)
}

// resolveOutput decides how path is written, without writing anything. It fails, naming
// the option and the path, for what sim-native does not write: a directory, a socket, a
// block device, a name under a directory that does not exist or under something that is
// not a directory, a symbolic link to nothing.
func resolveOutput(e env, option, path string) (*output, error) {
	o := &output{option: option, path: path, kind: outputFile, target: path}
	if path == "-" {
		o.kind = outputStdout
		return o, nil
	}
	lst, err := os.Lstat(path)
	if err != nil {
		if !errors.Is(err, fs.ErrNotExist) && !isNotDir(err) {
			return nil, o.fail(unwrapPath(err))
		}
		return o, o.checkDir(filepath.Dir(path))
	}
	st := lst
	if lst.Mode()&fs.ModeSymlink != 0 {
		if st, err = os.Stat(path); err != nil {
			dest, _ := os.Readlink(path)
			return nil, o.fail(fmt.Errorf("is a symbolic link to %s, which cannot be opened: %v", dest, unwrapPath(err)))
		}
	}
	if e.stdoutFile != nil {
		if out, err := e.stdoutFile.Stat(); err == nil && os.SameFile(st, out) {
			o.kind = outputStdout
			return o, nil
		}
	}
	mode := st.Mode()
	switch {
	case mode.IsRegular():
		if lst.Mode()&fs.ModeSymlink != 0 {
			// Replace the file the link points to, not the link.
			if o.target, err = filepath.EvalSymlinks(path); err != nil {
				return nil, o.fail(unwrapPath(err))
			}
		}
		return o, o.checkDir(filepath.Dir(o.target))
	case mode.IsDir():
		return nil, o.fail(errors.New("is a directory"))
	case mode&fs.ModeNamedPipe != 0:
		o.kind, o.fifo = outputStream, true
		return o, nil
	case mode&fs.ModeCharDevice != 0:
		o.kind = outputStream
		return o, nil
	}
	what := "not a regular file"
	switch {
	case mode&fs.ModeSocket != 0:
		what = "a socket"
	case mode&fs.ModeDevice != 0:
		what = "a block device"
	}
	return nil, o.fail(fmt.Errorf("is %s; an output is a regular file, a character device, a named pipe or - (stdout)", what))
}

// isNotDir reports whether err is ENOTDIR: a component of the path is not a directory.
func isNotDir(err error) bool {
	return errors.Is(err, syscall.ENOTDIR)
}

// checkDir fails unless dir is a directory.
func (o *output) checkDir(dir string) error {
	st, err := os.Stat(dir)
	switch {
	case err == nil && !st.IsDir():
		return o.fail(fmt.Errorf("%s is not a directory", dir))
	case errors.Is(err, fs.ErrNotExist):
		return o.fail(fmt.Errorf("directory %s does not exist", dir))
	case isNotDir(err):
		// A component further up is not a directory: name it.
		for up := filepath.Dir(dir); up != dir; dir, up = up, filepath.Dir(up) {
			if st, err := os.Stat(up); err == nil && !st.IsDir() {
				return o.fail(fmt.Errorf("%s is not a directory", up))
			}
		}
		return o.fail(unwrapPath(err))
	case err != nil:
		return o.fail(unwrapPath(err))
	}
	return nil
}

// check proves, before the run, that the output can be written: for a file, a temporary
// file is created and removed in its directory; a character device is opened for
// writing. A named pipe is not opened (that would wait for a reader).
func (o *output) check() error {
	switch {
	case o.kind == outputFile:
		f, err := renameio.NewPendingFile(o.target, renameio.WithTempDir(filepath.Dir(o.target)))
		if err != nil {
			return o.fail(fmt.Errorf("cannot create a file in %s: %v", filepath.Dir(o.target), unwrapPath(err)))
		}
		if err := f.Cleanup(); err != nil {
			return o.fail(fmt.Errorf("cannot remove the test file %s: %v", f.Name(), unwrapPath(err)))
		}
	case o.kind == outputStream && !o.fifo:
		f, err := os.OpenFile(o.path, os.O_WRONLY, 0)
		if err != nil {
			return o.fail(fmt.Errorf("cannot open for writing: %v", unwrapPath(err)))
		}
		f.Close()
	}
	return nil
}

// write writes the output; its error names the option and the path.
func (o *output) write(e env, write func(io.Writer) error) error {
	switch o.kind {
	case outputStdout:
		bw := bufio.NewWriterSize(e.stdout, 1<<16)
		if err := write(bw); err != nil {
			return o.fail(err)
		}
		if err := bw.Flush(); err != nil {
			return o.fail(err)
		}
		return nil
	case outputStream:
		f, err := os.OpenFile(o.path, os.O_WRONLY, 0)
		if err != nil {
			return o.fail(unwrapPath(err))
		}
		bw := bufio.NewWriterSize(f, 1<<16)
		err = write(bw)
		if err == nil {
			err = bw.Flush()
		}
		if cerr := f.Close(); err == nil {
			err = cerr
		}
		if err != nil {
			return o.fail(unwrapPath(err))
		}
		return nil
	}
	return o.replace(write)
}

// replace writes a regular file atomically: a temporary file created exclusively (never
// through a symbolic link) in the target's directory under a unique name, synced to
// disk, then renamed over the target. On any failure the temporary file is removed and
// the target is left as it was. A file that exists keeps its permissions; a new one gets
// 0644 less the umask.
func (o *output) replace(write func(io.Writer) error) error {
	f, err := renameio.NewPendingFile(o.target,
		renameio.WithTempDir(filepath.Dir(o.target)),
		renameio.WithPermissions(0o644),
		renameio.WithExistingPermissions())
	if err != nil {
		return o.fail(fmt.Errorf("cannot create a file in %s: %v", filepath.Dir(o.target), unwrapPath(err)))
	}
	forget := pending.add(f.Name())
	defer forget()
	defer f.Cleanup() // a no-op once the file is in place
	bw := bufio.NewWriterSize(f, 1<<16)
	if err := write(bw); err != nil {
		return o.fail(unwrapPath(err))
	}
	if err := bw.Flush(); err != nil {
		return o.fail(unwrapPath(err))
	}
	if err := f.CloseAtomicallyReplace(); err != nil {
		return o.fail(fmt.Errorf("cannot put it in place: %v", err))
	}
	// Make the rename itself durable; a file system that cannot sync a directory
	// still has the file in place.
	if d, err := os.Open(filepath.Dir(o.target)); err == nil {
		d.Sync()
		d.Close()
	}
	return nil
}

// pendingFiles are the temporary files being written, removed by removePending when a
// second signal stops the process before they are in place.
type pendingFiles struct {
	mu    sync.Mutex
	names map[string]bool
}

var pending = &pendingFiles{names: map[string]bool{}}

func (p *pendingFiles) add(name string) (forget func()) {
	p.mu.Lock()
	p.names[name] = true
	p.mu.Unlock()
	return func() {
		p.mu.Lock()
		delete(p.names, name)
		p.mu.Unlock()
	}
}

// removePending removes every temporary file still being written. It holds the lock so
// that no new one starts (the process exits right after).
func (p *pendingFiles) removePending() {
	p.mu.Lock()
	for name := range p.names {
		os.Remove(name)
	}
}

// outputSpec is an output option as given: the flag, the path (empty: not asked for)
// and the function that writes its content.
type outputSpec struct {
	option, path string
	write        func(io.Writer) error
}

// prepareOutputs resolves and checks every output asked for, before the run: two options
// naming the same file, or two writing to stdout, are a usage error; an output that
// cannot be written is an I/O error. Every problem is reported, one line each.
func prepareOutputs(e env, specs []outputSpec) ([]*output, error) {
	var pairs [][2]string
	for _, s := range specs {
		pairs = append(pairs, [2]string{s.option, s.path})
	}
	if err := distinctOutputs(pairs); err != nil {
		return nil, err
	}
	var outs []*output
	var problems []string
	var toStdout *output
	for _, s := range specs {
		if s.path == "" {
			outs = append(outs, nil)
			continue
		}
		o, err := resolveOutput(e, s.option, s.path)
		if err == nil {
			err = o.check()
		}
		if err != nil {
			problems = append(problems, err.Error())
			outs = append(outs, nil)
			continue
		}
		if o.kind == outputStdout {
			if toStdout != nil {
				return nil, usageErr("%s %s and %s %s both write to stdout; give each output its own", toStdout.option, toStdout.path, o.option, o.path)
			}
			toStdout = o
		}
		outs = append(outs, o)
	}
	if len(problems) > 0 {
		return nil, ioErr(errors.New(strings.Join(problems, "\nsim-native: ")))
	}
	return outs, nil
}

// writeOutputs writes every prepared output, each whatever happened to the others, and
// returns one error naming every option that failed (nil when all were written).
func writeOutputs(e env, outs []*output, specs []outputSpec) error {
	var problems []string
	for i, o := range outs {
		if o == nil {
			continue
		}
		if err := o.write(e, specs[i].write); err != nil {
			problems = append(problems, err.Error())
		}
	}
	if len(problems) > 0 {
		return ioErr(errors.New(strings.Join(problems, "\nsim-native: ")))
	}
	return nil
}

// writesStdout reports whether one of the outputs goes to stdout (then the exit summary
// goes to stderr, so that stdout holds the output alone).
func writesStdout(outs []*output) bool {
	for _, o := range outs {
		if o != nil && o.kind == outputStdout {
			return true
		}
	}
	return false
}

// checkWritable is prepareOutputs for one output (sweep's --csv).
func checkWritable(option, path string) error {
	if path == "" {
		return nil
	}
	_, err := prepareOutputs(processEnv(), []outputSpec{{option: option, path: path}})
	return err
}

// writeFile writes one output (sweep's --csv) as writeOutputs does.
func writeFile(path string, write func(io.Writer) error) error {
	e := processEnv()
	o, err := resolveOutput(e, "--csv", path)
	if err != nil {
		return ioErr(err)
	}
	if err := o.write(e, write); err != nil {
		return ioErr(err)
	}
	return nil
}

// processEnv is the environment of the process itself.
func processEnv() env {
	return env{stdin: os.Stdin, stdout: os.Stdout, stderr: os.Stderr, stderrFile: os.Stderr, stdoutFile: os.Stdout}
}

// unwrapPath drops the "open PATH:" prefix of a path error (the message names the path).
func unwrapPath(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}
