package main

import (
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"gongkai/internal/demo"
)

// The unit's administrator edits an answer-letter text: a text without a
// legal basis is refused next to its field with what was typed kept; a good
// one is kept for the unit and can be restored to the default.
func TestRequestLetterTextsPage(t *testing.T) {
	app := startApp(t, demoCopy(t))
	a := newBrowser(t, app.URL)
	if code, _ := a.login("admin", demo.Password); code != 200 {
		t.Fatalf("login %d", code)
	}
	code, page := a.get("/admin/requests/letters")
	if code != 200 || !strings.Contains(page, "第三十六条第（二）项") || !strings.Contains(page, "60日内依法申请行政复议") {
		t.Fatalf("letters page: %d %.1500s", code, page)
	}
	unit := regexp.MustCompile(`name="unit" value="(\d+)"`).FindStringSubmatch(page)[1]
	form := url.Values{"csrf": {csrfOf(t, page)}, "unit": {unit}, "key": {"disclosed"}, "text": {"{申请人}：同意公开。"}}
	code, page = a.post("/admin/requests/letters", form)
	if code != http.StatusUnprocessableEntity || !strings.Contains(page, `id="e-text-disclosed"`) || !strings.Contains(page, "应写明法律依据") || !strings.Contains(page, "{申请人}：同意公开。</textarea>") {
		t.Fatalf("bad text: %d %.3000s", code, page)
	}
	form.Set("text", "{申请人}：经审查予以公开，依据《中华人民共和国政府信息公开条例》第三十六条第（二）项。本单位专用正文。{说明}")
	code, page = a.post("/admin/requests/letters", form)
	if code != 200 || !strings.Contains(page, "本单位专用正文") || !strings.Contains(page, "（本单位修改）") {
		t.Fatalf("save: %d %.1500s", code, page)
	}
	form.Set("restore", "1")
	if _, page = a.post("/admin/requests/letters", form); strings.Contains(page, "本单位专用正文") {
		t.Fatal("restore kept the unit's text")
	}
	// A handler is not the unit's administrator.
	h := newBrowser(t, app.URL)
	h.login("handler", demo.Password)
	if code, _ := h.get("/admin/requests/letters"); code != http.StatusForbidden {
		t.Fatalf("handler: %d", code)
	}
}
