package toolexec

import (
	"os"
	"path/filepath"
	"sort"

	"golang.org/x/mod/modfile"
)

// localReplacements returns the directories of the modules that the build
// takes from local directories by a replace directive (in the main
// module's go.mod, or in go.work and its modules' go.mod files), less the
// main modules themselves, sorted; and the files it read, whose change
// makes the answer stale. gomod and gowork are go env GOMOD and GOWORK.
//
// Packages in these directories are dependencies, not the user's own
// code, and are not instrumented by default (see selected).
func localReplacements(gomod, gowork string) (dirs, read []string) {
	dirs, _, read = modules(gomod, gowork)
	return dirs, read
}

// modules is localReplacements, with the main modules' directories.
func modules(gomod, gowork string) (dirs, mains, read []string) {
	var mods []string // go.mod files whose replacements count
	replaced := map[string]bool{}
	addReplaces := func(base string, reps []*modfile.Replace) {
		for _, r := range reps {
			if r.New.Version != "" || !modfile.IsDirectoryPath(r.New.Path) {
				continue // another module version, not a directory
			}
			dir := r.New.Path
			if !filepath.IsAbs(dir) {
				dir = filepath.Join(base, dir)
			}
			replaced[filepath.Clean(dir)] = true
		}
	}
	if gowork != "" && gowork != "off" {
		read = append(read, gowork)
		data, err := os.ReadFile(gowork)
		if err != nil {
			return nil, nil, read
		}
		wf, err := modfile.ParseWork(gowork, data, nil)
		if err != nil {
			return nil, nil, read
		}
		base := filepath.Dir(gowork)
		for _, u := range wf.Use {
			dir := u.Path
			if !filepath.IsAbs(dir) {
				dir = filepath.Join(base, dir)
			}
			mains = append(mains, filepath.Clean(dir))
			mods = append(mods, filepath.Join(dir, "go.mod"))
		}
		addReplaces(base, wf.Replace)
	} else if gomod != "" && gomod != os.DevNull {
		mains = append(mains, filepath.Dir(gomod))
		mods = append(mods, gomod)
	}
	for _, m := range mods {
		read = append(read, m)
		data, err := os.ReadFile(m)
		if err != nil {
			continue
		}
		f, err := modfile.Parse(m, data, nil)
		if err != nil {
			continue
		}
		addReplaces(filepath.Dir(m), f.Replace)
	}
	for _, m := range mains {
		delete(replaced, m)
	}
	for d := range replaced {
		dirs = append(dirs, d)
	}
	sort.Strings(dirs)
	return dirs, mains, read
}
