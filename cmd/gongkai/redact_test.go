package main

import (
	"bytes"
	"io"
	"mime/multipart"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"gongkai/internal/demo"
)

// upload posts one file as a multipart form, as the page's upload form does.
func (b *browser) uploadAs(path, csrf, field, name string, content []byte) (int, string) {
	b.t.Helper()
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	mw.WriteField("csrf", csrf)
	fw, _ := mw.CreateFormFile(field, name)
	fw.Write(content)
	mw.Close()
	resp, err := b.c.Post(b.base+path, mw.FormDataContentType(), &body)
	if err != nil {
		b.t.Fatal(err)
	}
	defer resp.Body.Close()
	out, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(out)
}

// 区分处理 through the pages: a 部分公开 decision, a document attached and
// marked without JavaScript (a pasted passage, the unit's rules, a term that
// finds nothing refused next to its field), the released copy produced,
// checked and frozen by the legal review, and downloaded by the applicant
// after the answer — without the withheld text.
func TestRedactionThroughThePages(t *testing.T) {
	w := newCitizenWorld(t)
	login := func(name string) *browser {
		b := newBrowser(t, w.app.URL)
		if code, _ := b.login(name, demo.Password); code != 200 {
			t.Fatalf("login %s", name)
		}
		return b
	}
	h, lg := login("handler"), login("legal")
	app, qcode := w.apply(workdaysAgo(3))
	id := strconv.FormatInt(app.ID, 10)
	hs, legal := stepper{t, h, id}, stepper{t, lg, id}
	hs.ok("decided", url.Values{"outcome": {"partly_disclosed"}, "note": {"部分内容涉及个人信息"}})
	if !strings.Contains(hs.page(), `id="redact-link"`) {
		t.Fatal("the application page has no link to 区分处理")
	}
	base := "/admin/requests/" + id + "/redact"
	_, p := h.get(base)
	doc := "福州海关行政处罚决定书目录\n当事人王秀英，身份证号350102198807154321，联系电话13905912345。\n内部讨论：拟从轻处罚。\n罚款二千元。\n"
	code, p := h.uploadAs(base, csrfOf(t, p), "document", "目录.txt", []byte(doc))
	if code != http.StatusOK || !strings.Contains(p, "已添加文件") || !strings.Contains(p, `class="redact-src" data-page="1"`) {
		t.Fatalf("upload: %d %.2000s", code, p)
	}
	did := regexp.MustCompile(`/redact/(\d+)/marks`).FindStringSubmatch(p)[1]
	mark := func(v url.Values) (int, string) {
		_, p := h.get(base + "?doc=" + did)
		v.Set("csrf", csrfOf(t, p))
		return h.post(base+"/"+did+"/marks", v)
	}
	if code, p := mark(url.Values{"kind": {"term"}, "text": {"李四"}, "ground": {"withheld_third_party_rights"}}); code != http.StatusUnprocessableEntity || !strings.Contains(p, "没有找到") {
		t.Fatalf("a term that finds nothing: %d %.2000s", code, p)
	}
	if code, p := mark(url.Values{"kind": {"passage"}, "page": {"1"}, "quote": {"内部讨论：拟从轻处罚。"}}); code != http.StatusUnprocessableEntity || !strings.Contains(p, "不予公开的理由") {
		t.Fatalf("a mark without its ground: %d %.2000s", code, p)
	}
	if code, p := mark(url.Values{"kind": {"passage"}, "page": {"1"}, "quote": {"内部讨论：拟从轻处罚。"}, "ground": {"withheld_process_information"}}); code != http.StatusOK || !strings.Contains(p, "已添加删除标记") {
		t.Fatalf("passage: %d %.2000s", code, p)
	}
	if code, p := mark(url.Values{"kind": {"term"}, "text": {"王秀英"}, "ground": {"withheld_third_party_rights"}, "save_rule": {"1"}, "rule_name": {"当事人姓名"}}); code != http.StatusOK {
		t.Fatalf("term: %d %.2000s", code, p)
	}
	_, p = h.get(base + "?doc=" + did)
	code, p = h.post(base+"/"+did+"/rules", url.Values{"csrf": {csrfOf(t, p)}})
	if code != http.StatusOK || !strings.Contains(p, "已按本单位的规则添加2处删除标记") {
		t.Fatalf("rules: %d %.2000s", code, p)
	}
	if !strings.Contains(p, "此处删除18字：保护第三方合法权益，条例第十五条") || !strings.Contains(p, "属于过程性信息，条例第十六条第二款") {
		t.Errorf("preview lacks the labelled boxes: %.4000s", p)
	}
	code, p = h.post(base+"/"+did+"/release", url.Values{"csrf": {csrfOf(t, p)}})
	if code != http.StatusOK || !strings.Contains(p, "已生成公开文本") {
		t.Fatalf("release: %d %.2000s", code, p)
	}
	rel := regexp.MustCompile(`/redact/releases/(\d+)`).FindStringSubmatch(p)[1]
	// The legal reviewer sees the page without its forms, then approves.
	if _, lp := lg.get(base); !strings.Contains(lp, "区分处理记录") || strings.Contains(lp, "添加标记") {
		t.Errorf("legal reviewer's page: %.2000s", lp)
	}
	if code, _ := lg.post(base+"/"+did+"/release", url.Values{"csrf": {csrfOf(t, p)}}); code != http.StatusForbidden && code != http.StatusNotFound {
		t.Errorf("legal reviewer producing a copy: %d", code)
	}
	legal.ok("legal_reviewed", url.Values{"approved": {"1"}})
	if _, p := h.get(base); !strings.Contains(p, `id="frozen"`) || strings.Contains(p, "添加标记") {
		t.Errorf("after the review the page still offers changes")
	}
	hs.ok("answered", url.Values{"note": {"部分公开，见所附文件。"}})
	// The applicant's status page lists the copy; it downloads without the
	// withheld text.
	pub := newBrowser(t, w.app.URL)
	_, sp := pub.get("/column/apply/status")
	code, sp = pub.post("/column/apply/status", url.Values{"csrf": {csrfOf(t, sp)}, "receipt_no": {app.ReceiptNo}, "code": {qcode}})
	if code != http.StatusOK || !strings.Contains(sp, `id="released"`) {
		t.Fatalf("status page: %d %.3000s", code, sp)
	}
	code, file := pub.post("/column/apply/release", url.Values{"csrf": {csrfOf(t, sp)}, "receipt_no": {app.ReceiptNo}, "code": {qcode}, "release": {rel}})
	if code != http.StatusOK || !strings.Contains(file, "罚款二千元") {
		t.Fatalf("download: %d %.500s", code, file)
	}
	for _, secret := range []string{"王秀英", "350102198807154321", "13905912345", "拟从轻处罚"} {
		if strings.Contains(file, secret) {
			t.Errorf("%q in the applicant's copy", secret)
		}
	}
	if code, _ := pub.post("/column/apply/release", url.Values{"csrf": {csrfOf(t, sp)}, "receipt_no": {app.ReceiptNo}, "code": {"wrong"}, "release": {rel}}); code == http.StatusOK {
		t.Error("downloaded with a wrong query code")
	}
}
