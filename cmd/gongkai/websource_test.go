package main

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// webSourceMatches returns every match of re in internal/web's non-test
// sources: the route tests read the registrations from the source, so a
// new route is covered without being listed.
func webSourceMatches(t *testing.T, re *regexp.Regexp) [][]string {
	t.Helper()
	files, err := filepath.Glob("../../internal/web/*.go")
	if err != nil || len(files) == 0 {
		t.Fatalf("web sources: %v", err)
	}
	var out [][]string
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, re.FindAllStringSubmatch(string(b), -1)...)
	}
	return out
}
