package toolexec

import (
	"bufio"
	"fmt"
	"go/ast"
	"go/token"
	"go/types"
	"os"
	"strings"

	"golang.org/x/tools/go/gcexportdata"

	"github.com/autotrace/autotrace/rewrite"
)

// importcfg is a compile or link -importcfg file.
type importcfg struct {
	packages  map[string]string // import path -> export data or archive
	importMap map[string]string // source import path -> resolved path
}

func readImportcfg(path string) (*importcfg, []byte, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, nil, err
	}
	cfg := &importcfg{packages: map[string]string{}, importMap: map[string]string{}}
	sc := bufio.NewScanner(strings.NewReader(string(data)))
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		verb, rest, _ := strings.Cut(line, " ")
		k, v, ok := strings.Cut(rest, "=")
		if !ok {
			continue
		}
		switch verb {
		case "packagefile":
			cfg.packages[k] = v
		case "importmap":
			cfg.importMap[k] = v
		}
	}
	return cfg, data, sc.Err()
}

// importer reads the export data an importcfg names.
type importer struct {
	fset *token.FileSet
	cfg  *importcfg
	pkgs map[string]*types.Package
}

func (im *importer) Import(path string) (*types.Package, error) {
	return im.ImportFrom(path, "", 0)
}

func (im *importer) ImportFrom(path, _ string, _ types.ImportMode) (*types.Package, error) {
	if path == "unsafe" {
		return types.Unsafe, nil
	}
	if p, ok := im.cfg.importMap[path]; ok {
		path = p
	}
	if p := im.pkgs[path]; p != nil && p.Complete() {
		return p, nil
	}
	file, ok := im.cfg.packages[path]
	if !ok {
		return nil, fmt.Errorf("no export data for %s", path)
	}
	f, err := os.Open(file)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	r, err := gcexportdata.NewReader(bufio.NewReader(f))
	if err != nil {
		return nil, fmt.Errorf("%s: %v", file, err)
	}
	return gcexportdata.Read(r, im.fset, im.pkgs, path)
}

// typeCheck type-checks a package's files for the facts the rewriter
// needs. It keeps going past errors: the compiler reports them, at their
// original positions, and the functions it could not type get facts
// from syntax.
func typeCheck(fset *token.FileSet, path, goVersion, goarch string, files []*ast.File, cfg *importcfg) (*types.Package, *types.Info) {
	info := rewrite.NewTypesInfo()
	conf := types.Config{
		Importer:  &importer{fset: fset, cfg: cfg, pkgs: map[string]*types.Package{}},
		Sizes:     types.SizesFor("gc", goarch),
		GoVersion: goVersion,
		Error:     func(error) {},
	}
	pkg, _ := conf.Check(path, fset, files, info)
	return pkg, info
}
