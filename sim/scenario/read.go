package scenario

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"slices"

	"github.com/goccy/go-yaml/token"
)

// Load reads and parses a scenario file; errors name the path. It reads at most
// MaxFileBytes + 1 bytes, whatever the file is: a regular file larger than the limit is
// refused from its size without being read, and a device or pipe that does not end
// (/dev/zero, /dev/urandom, a FIFO fed forever) is refused once it has given more.
func Load(path string) (*Scenario, error) {
	data, err := ReadLimited(path, MaxFileBytes)
	if err != nil {
		var tl *TooLargeError
		if errors.As(err, &tl) {
			return nil, Errors{{File: path, Msg: tl.Msg()}}
		}
		return nil, fmt.Errorf("scenario %s: %w", path, err)
	}
	return Parse(path, data)
}

// MaxFileBytes is the largest scenario file (1 MiB).
const MaxFileBytes = maxFileBytes

// TooLargeError is ReadLimited's error for a file that holds more than its limit.
type TooLargeError struct {
	Path  string
	Limit int64
	Size  int64       // the size of a regular file; -1 when the file is not one
	Mode  fs.FileMode // the file's type
}

func (e *TooLargeError) Error() string { return e.Path + ": " + e.Msg() }

// Msg says what is wrong without the path.
func (e *TooLargeError) Msg() string {
	if e.Size >= 0 {
		return fmt.Sprintf("file is %d bytes, at most %d allowed", e.Size, e.Limit)
	}
	return fmt.Sprintf("%s gives more than %d bytes without ending (at most %d allowed; give a regular file)",
		fileKind(e.Mode), e.Limit, e.Limit)
}

// fileKind names a file's type for messages.
func fileKind(m fs.FileMode) string {
	switch {
	case m&fs.ModeCharDevice != 0:
		return "this character device"
	case m&fs.ModeDevice != 0:
		return "this block device"
	case m&fs.ModeNamedPipe != 0:
		return "this named pipe"
	case m&fs.ModeSocket != 0:
		return "this socket"
	}
	return "this file"
}

// ReadLimited reads the file at path, at most limit bytes: a larger regular file is
// refused from its size, any other kind of file after limit + 1 bytes, with a
// *TooLargeError. Memory never grows past limit + 1 bytes, whatever the file.
func ReadLimited(path string, limit int64) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return nil, err
	}
	if st.IsDir() {
		return nil, &fs.PathError{Op: "read", Path: path, Err: errors.New("is a directory")}
	}
	regular := st.Mode().IsRegular()
	if regular && st.Size() > limit {
		return nil, &TooLargeError{Path: path, Limit: limit, Size: st.Size(), Mode: st.Mode()}
	}
	size := int64(512)
	if regular {
		size = st.Size() + 1 // +1 to see the end (or a file that grew)
	}
	data := make([]byte, 0, min(size, limit+1))
	for {
		if int64(len(data)) > limit {
			size := int64(-1)
			if regular {
				size = int64(len(data)) // a file that grew while read: at least this
			}
			return nil, &TooLargeError{Path: path, Limit: limit, Size: size, Mode: st.Mode()}
		}
		if len(data) == cap(data) {
			// Grow by doubling, never past limit + 1.
			data = slices.Grow(data, int(min(int64(cap(data)), limit+1-int64(cap(data)))))
		}
		n, err := f.Read(data[len(data):min(cap(data), int(limit)+1)])
		data = data[:len(data)+n]
		if err == io.EOF {
			return data, nil
		}
		if err != nil {
			return nil, &fs.PathError{Op: "read", Path: path, Err: unwrapPathErr(err)}
		}
	}
}

func unwrapPathErr(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

// nestingDepth is the deepest nesting of collections in a token stream (flow
// collections by their brackets, block ones by the columns of their entries and keys),
// and the line where it is first reached; it stops at the first level deeper than
// limit. The YAML parser recurses once per level and
// takes memory far beyond the file's size for thousands of levels, so the depth is
// bounded before it parses.
func nestingDepth(tokens token.Tokens, limit int) (deepest, line int) {
	var block []int // columns of open block collections, innermost last
	flow := 0
	for _, tk := range tokens {
		if tk == nil || tk.Position == nil {
			continue
		}
		switch tk.Type {
		case token.SequenceStartType, token.MappingStartType:
			flow++
		case token.SequenceEndType, token.MappingEndType:
			flow = max(flow-1, 0)
		case token.SequenceEntryType, token.MappingValueType:
			if flow > 0 {
				continue
			}
			col := tk.Position.Column
			if tk.Type == token.MappingValueType && tk.Prev != nil && tk.Prev.Position != nil {
				col = tk.Prev.Position.Column // the key's column
			}
			for len(block) > 0 && block[len(block)-1] > col {
				block = block[:len(block)-1]
			}
			if len(block) == 0 || block[len(block)-1] != col {
				block = append(block, col)
			}
		default:
			continue
		}
		if d := len(block) + flow; d > deepest {
			deepest, line = d, tk.Position.Line
			if deepest > limit {
				break
			}
		}
	}
	return deepest, line
}
