package main

import (
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"gongkai/internal/demo"
)

// The unit's administrator (or office head) edits an answer-letter text: a text without a
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
	// A handler reads the texts he answers with, but may not change them.
	h := newBrowser(t, app.URL)
	h.login("handler", demo.Password)
	code, page = h.get("/admin/requests/letters")
	if code != http.StatusOK || !strings.Contains(page, `id="read-only"`) || strings.Contains(page, `<textarea`) || !strings.Contains(page, "第三十六条第（二）项") {
		t.Fatalf("handler: %d %.1500s", code, page)
	}
	form.Set("csrf", csrfOf(t, page))
	form.Del("restore")
	if code, _ := h.post("/admin/requests/letters", form); code != http.StatusForbidden {
		t.Fatalf("a handler saved a text: %d", code)
	}
	// The statistician has nothing to do with letters.
	st := newBrowser(t, app.URL)
	st.login("stats", demo.Password)
	if code, _ := st.get("/admin/requests/letters"); code != http.StatusForbidden {
		t.Fatalf("statistician: %d", code)
	}
}

// The office head sets the unit's office for its letters: a bad value is
// refused next to its field; the 文书编号 format shows the next number.
func TestRequestOfficePage(t *testing.T) {
	app := startApp(t, demoCopy(t))
	hd := newBrowser(t, app.URL)
	hd.login("head", demo.Password)
	code, page := hd.get("/admin/requests/office")
	if code != 200 || !strings.Contains(page, "福州关依复〔") || !strings.Contains(page, `id="f-payment"`) {
		t.Fatalf("office page: %d %.1500s", code, page)
	}
	unit := regexp.MustCompile(`name="unit" value="(\d+)"`).FindStringSubmatch(page)[1]
	form := url.Values{"csrf": {csrfOf(t, page)}, "unit": {unit}, "site": {"fuzhou.customs.gov.cn"}, "contact": {"王芳"}}
	if code, page := hd.post("/admin/requests/office", form); code != http.StatusUnprocessableEntity || !strings.Contains(page, `id="e-site"`) || !strings.Contains(page, `value="王芳"`) {
		t.Fatalf("bad site: %d %.2000s", code, page)
	}
	form.Set("site", "http://fuzhou.customs.gov.cn")
	form.Set("docno", "{简称}依申{类}〔{年}〕第{号}号")
	code, page = hd.post("/admin/requests/office", form)
	if code != 200 || !strings.Contains(page, "已保存文书设置") || !strings.Contains(page, "福州关依申复〔") || !strings.Contains(page, "第1号") {
		t.Fatalf("save: %d %.2000s", code, page)
	}
	h := newBrowser(t, app.URL)
	h.login("handler", demo.Password)
	if code, _ := h.get("/admin/requests/office"); code != http.StatusForbidden {
		t.Fatalf("handler on the office page: %d", code)
	}
}
