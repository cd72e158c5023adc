package layout

import (
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// maxBotMethods bounds *bot.Bot: intake, routing and what every handler
// shares. A feature's handlers live on a type of their own (decisions,
// blockers, …) that embeds *Bot; a Bot that grows past this is taking on
// a feature's work.
const maxBotMethods = 50

func TestBotStaysSmall(t *testing.T) {
	dir := filepath.Join("..", "..", "bot")
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	fset := token.NewFileSet()
	var methods []string
	for _, e := range entries {
		name := e.Name()
		if !strings.HasSuffix(name, ".go") || strings.HasSuffix(name, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, filepath.Join(dir, name), nil, parser.SkipObjectResolution)
		if err != nil {
			t.Fatal(err)
		}
		for _, d := range f.Decls {
			fn, ok := d.(*ast.FuncDecl)
			if ok && fn.Recv != nil && receiverIs(fn.Recv.List[0].Type, "Bot") {
				methods = append(methods, name+": "+fn.Name.Name)
			}
		}
	}
	if len(methods) == 0 {
		t.Fatal("found no methods of *bot.Bot: has it moved?")
	}
	if len(methods) >= maxBotMethods {
		t.Errorf("*bot.Bot has %d methods, want under %d: give a feature's handlers a type of their own\n%s",
			len(methods), maxBotMethods, strings.Join(methods, "\n"))
	}
}

// receiverIs reports whether a receiver's type is name or *name.
func receiverIs(expr ast.Expr, name string) bool {
	if star, ok := expr.(*ast.StarExpr); ok {
		expr = star.X
	}
	id, ok := expr.(*ast.Ident)
	return ok && id.Name == name
}
