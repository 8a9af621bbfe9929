package web

import (
	"os"
	"strings"
	"testing"

	"gongkai/internal/requests"
)

// Every step a page may offer has its title and its form with a button:
// none is offered as an empty form.
func TestEveryStepHasItsForm(t *testing.T) {
	b, err := os.ReadFile("templates/admin/requests_view.html")
	if err != nil {
		t.Fatal(err)
	}
	tpl := string(b)
	for _, k := range requests.StepKinds() {
		if stepLegends[k] == "" {
			t.Errorf("step %s has no title", k)
		}
		i := strings.Index(tpl, `eq $k "`+string(k)+`"`)
		if i < 0 {
			t.Errorf("step %s has no form", k)
			continue
		}
		rest := tpl[i:]
		if j := strings.Index(rest[1:], `{{else if eq $k`); j > 0 {
			rest = rest[:j]
		}
		if !strings.Contains(rest, `<button type="submit"`) {
			t.Errorf("step %s's form has no button", k)
		}
	}
}
