package rituals

import (
	"go/ast"
	"go/parser"
	"go/token"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// Every Kind constant declared in the package is in Kinds, once, and no
// two kinds share a value: the edge's test checks Kinds against its
// senders, so a kind left out of the list could ship without one.
func TestKindsListsEveryKind(t *testing.T) {
	declared := map[Kind]string{} // value → constant name
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	fset := token.NewFileSet()
	for _, name := range files {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, name, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		for _, decl := range f.Decls {
			gen, ok := decl.(*ast.GenDecl)
			if !ok || gen.Tok != token.CONST {
				continue
			}
			for _, spec := range gen.Specs {
				vs := spec.(*ast.ValueSpec)
				if typ, ok := vs.Type.(*ast.Ident); !ok || typ.Name != "Kind" {
					continue
				}
				for i, id := range vs.Names {
					lit, ok := vs.Values[i].(*ast.BasicLit)
					if !ok || lit.Kind != token.STRING {
						t.Fatalf("%s: %s is not a string literal", name, id.Name)
					}
					v, _ := strconv.Unquote(lit.Value)
					if other, dup := declared[Kind(v)]; dup {
						t.Errorf("%s and %s are both %q", other, id.Name, v)
					}
					declared[Kind(v)] = id.Name
				}
			}
		}
	}
	if len(declared) == 0 {
		t.Fatal("no Kind constants found")
	}
	listed := Kinds()
	for v, name := range declared {
		if !slices.Contains(listed, v) {
			t.Errorf("%s (%q) is missing from Kinds", name, v)
		}
	}
	seen := map[Kind]bool{}
	for _, k := range listed {
		if seen[k] {
			t.Errorf("Kinds lists %q twice", k)
		}
		seen[k] = true
		if _, ok := declared[k]; !ok {
			t.Errorf("Kinds lists %q, not a Kind constant of the package", k)
		}
	}
}
