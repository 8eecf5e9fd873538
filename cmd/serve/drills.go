package main

import (
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"swarmsim/sim/drill"
	"swarmsim/sim/scenario"
	"swarmsim/web/server"
)

// withDrills is the app's tree with a trainer's directory of drill files in
// place of its drills/ directory.
type withDrills struct{ app, drills fs.FS }

func (f withDrills) Open(name string) (fs.File, error) {
	dir := strings.TrimSuffix(server.DrillsDir, "/")
	if rest, ok := strings.CutPrefix(name, server.DrillsDir); ok {
		return f.drills.Open(rest)
	}
	if name == dir {
		return f.drills.Open(".")
	}
	return f.app.Open(name)
}

// announceDrills reads the drill files the server offers (NAME.yaml directly
// in dir) and prints the link of each one that parses, and the problems of
// each one that does not, its name included (drill.CheckFileName: a name a
// link cannot hold, or one of a built-in drill or random drills, which a
// link opens instead): a trainer sees at once what a class can open.
func announceDrills(dir string, files fs.FS, out io.Writer) {
	entries, err := fs.ReadDir(files, ".")
	if err != nil {
		fmt.Fprintf(out, "warning: drills directory %s: %v\n", dir, err)
		return
	}
	var names []string
	for _, e := range entries {
		if name, ok := strings.CutSuffix(e.Name(), ".yaml"); ok && name != "" && e.Type().IsRegular() {
			names = append(names, name)
		}
	}
	slices.Sort(names)
	if len(names) == 0 {
		fmt.Fprintf(out, "warning: drills directory %s holds no NAME.yaml file\n", dir)
		return
	}
	fmt.Fprintf(out, "drills from %s (check each with: sim-native validate %s):\n", dir, filepath.Join(dir, "*.yaml"))
	for _, name := range names {
		path := filepath.Join(dir, name+".yaml")
		// A name the app cannot open (or opens a built-in drill for) is
		// not looked into.
		err := drill.CheckFileName(name)
		if err == nil {
			var data []byte
			if data, err = readDrill(files, name+".yaml"); err == nil {
				_, err = drill.Parse(path, data)
			}
		}
		if err != nil {
			fmt.Fprintf(out, "  %s: not playable: %v\n", scenario.Printable(name), strings.ReplaceAll(err.Error(), "\n", "\n    "))
			continue
		}
		fmt.Fprintf(out, "  ?drill=%s\n", name)
	}
}

// readDrill reads a drill file, at most scenario.MaxFileBytes of it.
func readDrill(files fs.FS, name string) ([]byte, error) {
	f, err := files.Open(name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, scenario.MaxFileBytes+1))
	if err != nil {
		return nil, err
	}
	if len(data) > scenario.MaxFileBytes {
		return nil, fmt.Errorf("larger than %d bytes", scenario.MaxFileBytes)
	}
	return data, nil
}

// openDrills opens the drills directory through an os.Root, as the app's.
func openDrills(dir string) (fs.FS, error) {
	st, err := os.Stat(dir)
	if err != nil {
		return nil, fmt.Errorf("-drills %q: %w", dir, err)
	}
	if !st.IsDir() {
		return nil, fmt.Errorf("-drills %q is not a directory", dir)
	}
	root, err := os.OpenRoot(dir)
	if err != nil {
		return nil, fmt.Errorf("-drills %q: %w", dir, err)
	}
	return root.FS(), nil
}
