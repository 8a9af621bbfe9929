// Command codefigures prints the figures issue 12 tracks about the shape of
// the code, read from the Go syntax trees of the module's non-test files, so
// that the figures before and after a change come from one command:
//
//	go run ./bench/codefigures            # from the module root
//	go run ./bench/codefigures -json
//
// The figures:
//   - exported methods of *store.DB;
//   - call sites of a method of the server's store (s.DB.Method) in non-test
//     internal/web files, in all and per area (file name prefix);
//   - the largest file (lines) and the largest function (lines) under cmd/
//     and internal/;
//   - in internal/store: bare error returns (a return whose last result is
//     the variable err, in a function without a deferred wrap) against
//     wrapped ones (fmt.Errorf with %w, or any return in a function that
//     opens with a deferred errs.Op or errs.Wrap);
//   - pages (templates rendered by internal/web) whose data is a
//     map[string]any, against those with a typed model or no data.
package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
)

// Figures are the measured values.
type Figures struct {
	StoreExported   int            `json:"store_db_exported_methods"`
	WebDBCalls      int            `json:"web_store_call_sites"`
	WebDBCallsArea  map[string]int `json:"web_store_call_sites_by_area"`
	LargestFile     string         `json:"largest_file"`
	LargestFileLn   int            `json:"largest_file_lines"`
	LargestFunc     string         `json:"largest_func"`
	LargestFuncLn   int            `json:"largest_func_lines"`
	BareReturns     int            `json:"store_bare_error_returns"`
	WrappedReturns  int            `json:"store_wrapped_error_returns"`
	Pages           int            `json:"pages"`
	MapPages        int            `json:"pages_on_map"`
	MapPagesByArea  map[string]int `json:"pages_on_map_by_area"`
	MapPagesSamples []string       `json:"pages_on_map_list,omitempty"`
}

func main() {
	asJSON := flag.Bool("json", false, "print JSON")
	list := flag.Bool("list", false, "list the pages on map[string]any")
	flag.Parse()
	f, err := measure(".")
	if err != nil {
		fmt.Fprintln(os.Stderr, "codefigures:", err)
		os.Exit(1)
	}
	if !*list {
		f.MapPagesSamples = nil
	}
	if *asJSON {
		b, _ := json.MarshalIndent(f, "", "  ")
		fmt.Println(string(b))
		return
	}
	fmt.Printf("exported methods of *store.DB      %d\n", f.StoreExported)
	fmt.Printf("s.DB.<method> calls in internal/web %d  %s\n", f.WebDBCalls, byArea(f.WebDBCallsArea))
	fmt.Printf("largest file                        %s (%d lines)\n", f.LargestFile, f.LargestFileLn)
	fmt.Printf("largest function                    %s (%d lines)\n", f.LargestFunc, f.LargestFuncLn)
	fmt.Printf("store: bare error returns           %d (wrapped %d)\n", f.BareReturns, f.WrappedReturns)
	fmt.Printf("pages on map[string]any             %d of %d  %s\n", f.MapPages, f.Pages, byArea(f.MapPagesByArea))
	for _, p := range f.MapPagesSamples {
		fmt.Println("  ", p)
	}
}

func byArea(m map[string]int) string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var b strings.Builder
	for _, k := range keys {
		fmt.Fprintf(&b, "%s=%d ", k, m[k])
	}
	return strings.TrimSpace(b.String())
}

// area names a web file's area by its first word (desk_enquiries.go → desk,
// routes_requests.go → requests).
func area(file string) string {
	base := strings.TrimSuffix(filepath.Base(file), ".go")
	parts := strings.Split(base, "_")
	if parts[0] == "routes" && len(parts) > 1 {
		return parts[1]
	}
	return parts[0]
}

func measure(root string) (*Figures, error) {
	f := &Figures{WebDBCallsArea: map[string]int{}, MapPagesByArea: map[string]int{}}
	fset := token.NewFileSet()
	pages := map[string]bool{}      // template → on a map
	pageArea := map[string]string{} // template → area of the first file rendering it
	for _, dir := range []string{"cmd", "internal"} {
		err := filepath.WalkDir(filepath.Join(root, dir), func(path string, d fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			if d.IsDir() || !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
				return nil
			}
			file, err := parser.ParseFile(fset, path, nil, 0)
			if err != nil {
				return err
			}
			rel, _ := filepath.Rel(root, path)
			lines := fset.File(file.Pos()).LineCount()
			if lines > f.LargestFileLn {
				f.LargestFile, f.LargestFileLn = rel, lines
			}
			inStore := filepath.Dir(rel) == filepath.Join("internal", "store")
			inWeb := filepath.Dir(rel) == filepath.Join("internal", "web")
			for _, decl := range file.Decls {
				fn, ok := decl.(*ast.FuncDecl)
				if !ok || fn.Body == nil {
					continue
				}
				n := fset.Position(fn.End()).Line - fset.Position(fn.Pos()).Line + 1
				if n > f.LargestFuncLn {
					f.LargestFunc, f.LargestFuncLn = rel+":"+funcName(fn), n
				}
				if inStore {
					if isDBMethod(fn) && fn.Name.IsExported() {
						f.StoreExported++
					}
					bare, wrapped := errorReturns(fn)
					f.BareReturns += bare
					f.WrappedReturns += wrapped
				}
				if inWeb {
					for tmpl, onMap := range renders(fn) {
						if _, seen := pageArea[tmpl]; !seen {
							pageArea[tmpl] = area(rel)
						}
						pages[tmpl] = pages[tmpl] || onMap
					}
				}
			}
			if inWeb {
				ast.Inspect(file, func(n ast.Node) bool {
					call, ok := n.(*ast.CallExpr)
					if !ok {
						return true
					}
					sel, ok := call.Fun.(*ast.SelectorExpr)
					if !ok {
						return true
					}
					if inner, ok := sel.X.(*ast.SelectorExpr); ok && inner.Sel.Name == "DB" {
						f.WebDBCalls++
						f.WebDBCallsArea[area(rel)]++
					}
					return true
				})
			}
			return nil
		})
		if err != nil {
			return nil, err
		}
	}
	f.Pages = len(pages)
	for tmpl, onMap := range pages {
		if onMap {
			f.MapPages++
			f.MapPagesByArea[pageArea[tmpl]]++
			f.MapPagesSamples = append(f.MapPagesSamples, tmpl)
		}
	}
	sort.Strings(f.MapPagesSamples)
	return f, nil
}

func funcName(fn *ast.FuncDecl) string {
	if fn.Recv != nil && len(fn.Recv.List) > 0 {
		t := fn.Recv.List[0].Type
		if s, ok := t.(*ast.StarExpr); ok {
			t = s.X
		}
		if id, ok := t.(*ast.Ident); ok {
			return id.Name + "." + fn.Name.Name
		}
	}
	return fn.Name.Name
}

func isDBMethod(fn *ast.FuncDecl) bool {
	if fn.Recv == nil || len(fn.Recv.List) == 0 {
		return false
	}
	s, ok := fn.Recv.List[0].Type.(*ast.StarExpr)
	if !ok {
		return false
	}
	id, ok := s.X.(*ast.Ident)
	return ok && id.Name == "DB"
}

// errorReturns counts the returns of fn (closures included) whose last
// result is the bare variable err, and those that wrap it.
func errorReturns(fn *ast.FuncDecl) (bare, wrapped int) {
	deferred := false
	for _, st := range fn.Body.List {
		if d, ok := st.(*ast.DeferStmt); ok {
			if sel, ok := d.Call.Fun.(*ast.SelectorExpr); ok && (sel.Sel.Name == "Wrap" || sel.Sel.Name == "Op") {
				deferred = true
			}
		}
	}
	ast.Inspect(fn.Body, func(n ast.Node) bool {
		r, ok := n.(*ast.ReturnStmt)
		if !ok || len(r.Results) == 0 {
			return true
		}
		last := r.Results[len(r.Results)-1]
		switch e := last.(type) {
		case *ast.Ident:
			if e.Name == "err" {
				if deferred {
					wrapped++
				} else {
					bare++
				}
			}
		case *ast.CallExpr:
			if sel, ok := e.Fun.(*ast.SelectorExpr); ok && sel.Sel.Name == "Errorf" && len(e.Args) > 0 {
				if lit, ok := e.Args[0].(*ast.BasicLit); ok && strings.Contains(lit.Value, "%w") {
					wrapped++
				}
			}
		}
		return true
	})
	return bare, wrapped
}

// renders returns the templates fn renders (s.render / s.renderStatus with a
// constant name) and whether the page's data is a map[string]any there: an
// assignment p.Data = map… or p.Data = v with v declared in fn as a map.
func renders(fn *ast.FuncDecl) map[string]bool {
	maps := map[string]bool{} // local variables holding a map[string]any
	onMap := false
	isMapExpr := func(e ast.Expr) bool {
		switch v := e.(type) {
		case *ast.CompositeLit:
			return isMapType(v.Type)
		case *ast.Ident:
			return maps[v.Name]
		}
		return false
	}
	ast.Inspect(fn.Body, func(n ast.Node) bool {
		switch st := n.(type) {
		case *ast.AssignStmt:
			for i, lhs := range st.Lhs {
				if i >= len(st.Rhs) {
					break
				}
				if id, ok := lhs.(*ast.Ident); ok && isMapExpr(st.Rhs[i]) {
					maps[id.Name] = true
				}
				if sel, ok := lhs.(*ast.SelectorExpr); ok && sel.Sel.Name == "Data" && isMapExpr(st.Rhs[i]) {
					onMap = true
				}
			}
		case *ast.ValueSpec:
			if st.Type != nil && isMapType(st.Type) {
				for _, id := range st.Names {
					maps[id.Name] = true
				}
			}
			for i, v := range st.Values {
				if i < len(st.Names) && isMapExpr(v) {
					maps[st.Names[i].Name] = true
				}
			}
		case *ast.KeyValueExpr:
			if k, ok := st.Key.(*ast.Ident); ok && k.Name == "Data" && isMapExpr(st.Value) {
				onMap = true
			}
		}
		return true
	})
	out := map[string]bool{}
	ast.Inspect(fn.Body, func(n ast.Node) bool {
		call, ok := n.(*ast.CallExpr)
		if !ok {
			return true
		}
		sel, ok := call.Fun.(*ast.SelectorExpr)
		if !ok || (sel.Sel.Name != "render" && sel.Sel.Name != "renderStatus") {
			return true
		}
		for _, a := range call.Args {
			if lit, ok := a.(*ast.BasicLit); ok && lit.Kind == token.STRING {
				if name, err := strconv.Unquote(lit.Value); err == nil && strings.Contains(name, "/") {
					out[name] = out[name] || onMap
				}
			}
		}
		return true
	})
	return out
}

func isMapType(e ast.Expr) bool {
	m, ok := e.(*ast.MapType)
	if !ok {
		return false
	}
	k, ok := m.Key.(*ast.Ident)
	return ok && k.Name == "string"
}
