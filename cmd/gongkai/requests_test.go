package main

import (
	"bytes"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"gongkai/internal/demo"
)

var (
	receiptRE = regexp.MustCompile(`id="receipt-no"><strong>([^<]+)<`)
	codeRE    = regexp.MustCompile(`id="query-code"><strong>([^<]+)<`)
	tokenRE   = regexp.MustCompile(`name="token" value="([^"]+)"`)
	appLinkRE = regexp.MustCompile(`href="/admin/requests/(\d+)">`)
)

// TestRequestsPortalAndBackOffice: a citizen applies (bad input first, then
// a double submit), a handler decides and answers, the citizen reads the
// answer with the query code.
func TestRequestsPortalAndBackOffice(t *testing.T) {
	app := startApp(t, demoCopy(t))
	citizen := newBrowser(t, app.URL)
	code, form := citizen.get("/column/apply")
	if code != 200 || !strings.Contains(form, "政府信息公开申请") {
		t.Fatalf("apply form: %d", code)
	}
	csrf, token := csrfOf(t, form), tokenRE.FindStringSubmatch(form)[1]
	bad := url.Values{"csrf": {csrf}, "token": {token}, "applicant_type": {"natural_person"}, "name": {"王小红"},
		"id_number": {"110105194912310021"}, "phone": {"13800000000"}, "description": {"请公开2025年福州海关行政处罚决定书目录"}, "delivery": {"网上获取"}}
	code, page := citizen.post("/column/apply", bad)
	if code != http.StatusUnprocessableEntity || !strings.Contains(page, "身份证号码校验位不正确") || !strings.Contains(page, "请选择获取信息的形式") ||
		!strings.Contains(page, `value="王小红"`) || !strings.Contains(page, "2025年福州海关行政处罚决定书目录</textarea>") {
		t.Fatalf("bad input: %d %.2000s", code, page)
	}
	good := bad
	good.Set("id_number", "11010519491231002X")
	good.Set("form", "电子文档")
	// A file that is not what its name says is refused next to the field,
	// and nothing is stored.
	code, page = citizen.postFiles("/column/apply", good, "attachments", map[string][]byte{"身份证.pdf": []byte("MZ\x90\x00")})
	if code != http.StatusUnprocessableEntity || !strings.Contains(page, "附件“身份证.pdf”的内容与文件类型不符") || !strings.Contains(page, `value="王小红"`) {
		t.Fatalf("bad attachment: %d %.2000s", code, page)
	}
	idCopy := []byte("%PDF-1.4 身份证复印件 " + strings.Repeat("x", 2000))
	code, page = citizen.postFiles("/column/apply", good, "attachments", map[string][]byte{"身份证复印件.pdf": idCopy})
	if code != 200 || receiptRE.FindStringSubmatch(page) == nil || !strings.Contains(page, "身份证复印件.pdf") {
		t.Fatalf("submit: %d %.1500s", code, page)
	}
	receipt, qcode := receiptRE.FindStringSubmatch(page)[1], codeRE.FindStringSubmatch(page)[1]
	// A double submit shows the same receipt.
	if _, again := citizen.post("/column/apply", good); receiptRE.FindStringSubmatch(again)[1] != receipt || codeRE.FindStringSubmatch(again)[1] != qcode {
		t.Fatal("double submit made a second application")
	}
	lookup := func(c string) (int, string) {
		_, f := citizen.get("/column/apply/status")
		return citizen.post("/column/apply/status", url.Values{"csrf": {csrfOf(t, f)}, "receipt_no": {receipt}, "code": {c}})
	}
	if code, page := lookup("WRONGCODE234"); code != http.StatusUnprocessableEntity || !strings.Contains(page, "申请编号或查询码不正确") {
		t.Fatalf("wrong code: %d", code)
	}
	if code, page := lookup(qcode); code != 200 || !strings.Contains(page, "办理中") {
		t.Fatalf("status: %d %.1000s", code, page)
	}

	// The handler finds it among those not yet assigned (待分办), not in
	// his own worklist, and takes it (认领).
	h := newBrowser(t, app.URL)
	if code, _ := h.login("handler", demo.Password); code != 200 {
		t.Fatalf("login %d", code)
	}
	if _, mine := h.get("/admin/requests"); strings.Contains(mine, receipt) || !strings.Contains(mine, "我的待办") {
		t.Fatalf("an unassigned application in 我的待办")
	}
	_, list := h.get("/admin/requests?view=unassigned")
	i := strings.Index(list, receipt)
	if i < 0 {
		t.Fatalf("待分办 lacks %s", receipt)
	}
	id := appLinkRE.FindAllStringSubmatch(list[:i+len(receipt)+2], -1)
	appID := id[len(id)-1][1]
	_, view := h.get("/admin/requests/" + appID)
	if !strings.Contains(view, "认领本申请") {
		t.Fatalf("no claim button: %.2000s", view)
	}
	me := regexp.MustCompile(`name="assignee" value="(\d+)"`).FindStringSubmatch(view)[1]
	h.post("/admin/requests/"+appID+"/events", url.Values{"csrf": {csrfOf(t, view)}, "kind": {"assigned"}, "assignee": {me},
		"on": {regexp.MustCompile(`name="on" value="([^"]+)"`).FindStringSubmatch(view)[1]}})
	if _, mine := h.get("/admin/requests"); !strings.Contains(mine, receipt) {
		t.Fatalf("claimed application missing from 我的待办")
	}
	_, view = h.get("/admin/requests/" + appID)
	// The applicant's file, downloaded by the handler.
	att := regexp.MustCompile(`href="(/admin/requests/` + appID + `/attachments/\d+)">身份证复印件.pdf<`).FindStringSubmatch(view)
	if att == nil {
		t.Fatalf("attachment not listed: %.3000s", view)
	}
	if resp, err := h.c.Get(app.URL + att[1]); err != nil {
		t.Fatal(err)
	} else {
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if string(body) != string(idCopy) || !strings.HasPrefix(resp.Header.Get("Content-Disposition"), "attachment") {
			t.Fatalf("attachment download: %d %q", resp.StatusCode, resp.Header.Get("Content-Disposition"))
		}
	}
	// Only the unit's handlers see the applicant: the legal reviewer sees
	// the application without name, number or contact details, and cannot
	// fetch the file.
	lg := newBrowser(t, app.URL)
	lg.login("legal", demo.Password)
	if code, lv := lg.get("/admin/requests/" + appID); code != 200 || strings.Contains(lv, "王小红") || strings.Contains(lv, "13800000000") ||
		strings.Contains(lv, "1101") || strings.Contains(lv, "身份证复印件") || !strings.Contains(lv, "仅限本单位的依申请公开承办人查看") {
		t.Fatalf("legal reviewer's view: %d %.3000s", code, lv)
	}
	if code, _ := lg.get(att[1]); code != http.StatusForbidden {
		t.Fatalf("legal reviewer fetched the attachment: %d", code)
	}
	if !strings.Contains(view, "本自然月第1件申请，收费0元") {
		t.Errorf("fee quote missing")
	}
	if !strings.Contains(view, "11010519491231002X") || !strings.Contains(view, "答复期限") || !strings.Contains(view, "计入") {
		t.Fatalf("application page: %.2000s", view)
	}
	scsrf := csrfOf(t, view)
	on := regexp.MustCompile(`name="on" value="([^"]+)"`).FindStringSubmatch(view)[1]
	// Answering before a decision is refused with the state machine's message.
	_, page = h.post("/admin/requests/"+appID+"/events", url.Values{"csrf": {scsrf}, "kind": {"answered"}, "on": {on}})
	if !strings.Contains(page, "不能作出答复") {
		t.Fatalf("illegal answer not refused: %.1500s", page)
	}
	// A 补正: the applicant sees what to correct and by when, not the
	// office's internal steps.
	// 第三十条: a 补正 must say what to correct.
	if _, page := h.post("/admin/requests/"+appID+"/events", url.Values{"csrf": {scsrf}, "kind": {"correction_requested"}, "on": {on}}); !strings.Contains(page, "请写明需要补正的事项") {
		t.Fatalf("a 补正 without its items: %.1500s", page)
	}
	if _, page := h.post("/admin/requests/"+appID+"/events", url.Values{"csrf": {scsrf}, "kind": {"correction_requested"}, "on": {on}, "note": {"请写明处罚决定书的文号"}}); !strings.Contains(page, "已生成补正申请告知书") {
		t.Fatalf("补正 notice: %.1500s", page)
	}
	code, page = lookup(qcode)
	if code != 200 || !strings.Contains(page, "需要补正的事项：请写明处罚决定书的文号") || !strings.Contains(page, "前补正") || strings.Contains(page, "分办") {
		t.Fatalf("citizen's view of the 补正: %d %.2500s", code, page)
	}
	// The citizen downloads the notice itself.
	doc := regexp.MustCompile(`name="doc" value="(\d+)"`).FindStringSubmatch(page)
	if doc == nil || !strings.Contains(page, "下载补正申请告知书") {
		t.Fatalf("no notice on the status page: %.2500s", page)
	}
	if code, pdf := citizen.post("/column/apply/letter", url.Values{"csrf": {csrfOf(t, page)}, "receipt_no": {receipt}, "code": {qcode}, "doc": {doc[1]}}); code != 200 || !strings.HasPrefix(pdf, "%PDF") {
		t.Fatalf("notice for the citizen: %d", code)
	}
	h.post("/admin/requests/"+appID+"/events", url.Values{"csrf": {scsrf}, "kind": {"corrected"}, "on": {on}})
	h.post("/admin/requests/"+appID+"/events", url.Values{"csrf": {scsrf}, "kind": {"decided"}, "outcome": {"disclosed"}, "on": {on}})
	_, page = h.post("/admin/requests/"+appID+"/events", url.Values{"csrf": {scsrf}, "kind": {"answered"}, "on": {on},
		"note": {"所申请的处罚决定书目录见附件。"}})
	if !strings.Contains(page, "已答复") {
		t.Fatalf("answer: %.1500s", page)
	}
	code, page = lookup(qcode)
	if code != 200 || !strings.Contains(page, "予以公开") || !strings.Contains(page, "所申请的处罚决定书目录见附件") || !strings.Contains(page, "下载答复书（PDF）") {
		t.Fatalf("citizen reads the answer: %d %.1500s", code, page)
	}
	if strings.Contains(page, "分办") {
		t.Error("the applicant sees the office's internal 分办 step")
	}
	// The citizen downloads the stored letter with the query code; a wrong
	// code gets nothing.
	if code, pdf := citizen.post("/column/apply/letter", url.Values{"csrf": {csrfOf(t, page)}, "receipt_no": {receipt}, "code": {qcode}}); code != 200 || !strings.HasPrefix(pdf, "%PDF") {
		t.Fatalf("letter for the citizen: %d %.200s", code, pdf)
	}
	if code, _ := citizen.post("/column/apply/letter", url.Values{"csrf": {csrfOf(t, page)}, "receipt_no": {receipt}, "code": {"WRONGCODE234"}}); code != http.StatusNotFound {
		t.Fatalf("letter with a wrong code: %d", code)
	}
	// The answer letter, as DOCX and PDF.
	for _, ext := range []string{"docx", "pdf"} {
		resp, err := h.c.Get(app.URL + "/admin/requests/" + appID + "/letter." + ext)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != 200 || len(body) < 500 || (ext == "pdf" && !strings.HasPrefix(string(body), "%PDF")) || (ext == "docx" && !strings.HasPrefix(string(body), "PK")) {
			t.Errorf("letter.%s: %d, %d bytes", ext, resp.StatusCode, len(body))
		}
	}
	// The letters were stored when the answer was recorded: the page lists
	// the stored copies, and a download serves the stored bytes.
	v := ""
	if _, v = h.get("/admin/requests/" + appID); !strings.Contains(v, `<option value="litigation_direct">`) || !strings.Contains(v, "答复书和告知书在办理时生成并随申请保存") {
		t.Errorf("answered application page lacks the appeal form or the stored letters: %.3000s", v)
	}
	stored := regexp.MustCompile(`href="(/admin/requests/` + appID + `/letters/\d+)">PDF<`).FindStringSubmatch(v)
	if stored == nil {
		t.Fatal("no stored PDF listed")
	}
	get := func(p string) string {
		resp, err := h.c.Get(app.URL + p)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return string(b)
	}
	if a, b := get(stored[1]), get("/admin/requests/"+appID+"/letter.pdf"); a != b || !strings.HasPrefix(a, "%PDF") {
		t.Error("letter.pdf is not the stored copy")
	}
	// A reconsideration linked to it counts in table 四.
	_, page = h.post("/admin/requests/"+appID+"/appeals", url.Values{"csrf": {scsrf}, "kind": {"reconsideration"}, "filed_on": {on}})
	if !strings.Contains(page, "已登记行政复议") {
		t.Fatalf("appeal: %.1500s", page)
	}
	// The tables page counts it and links the cell.
	_, stats := h.get("/admin/requests/stats?year=" + on[:4])
	if !strings.Contains(stats, `<td class="num">1</td><td class="num">1</td>`) {
		t.Errorf("table 四 lacks the pending reconsideration")
	}
	if !strings.Contains(stats, "各项勾稽关系均成立") || !strings.Contains(stats, "bucket=concluded&amp;outcome=disclosed") {
		t.Fatalf("stats: %.2000s", stats)
	}
	// Someone without a role in the unit cannot open it.
	o := newBrowser(t, app.URL)
	o.login("admin", demo.Password)
	if code, _ := o.get("/admin/requests/" + appID); code != http.StatusNotFound && code != http.StatusForbidden {
		t.Errorf("admin without handler role: %d", code)
	}
}

// TestRequestRegisteredByStaff: a letter registered by the handler is his
// to handle (分办 to himself); its fee notice is computed per 109号 from
// the basis chosen, never typed; the office head reassigns it.
func TestRequestRegisteredByStaff(t *testing.T) {
	app := startApp(t, demoCopy(t))
	h := newBrowser(t, app.URL)
	if code, _ := h.login("handler", demo.Password); code != 200 {
		t.Fatalf("login %d", code)
	}
	_, form := h.get("/admin/requests/new")
	unit := regexp.MustCompile(`<option value="(\d+)"`).FindStringSubmatch(form)[1]
	on := regexp.MustCompile(`name="received_on" value="([^"]+)"`).FindStringSubmatch(form)[1]
	fields := url.Values{"csrf": {csrfOf(t, form)}, "token": {tokenRE.FindStringSubmatch(form)[1]}, "unit": {unit}, "channel": {"registered"},
		"received_on": {on}, "applicant_type": {"commercial"}, "name": {"福州闽江国际贸易有限公司"}, "id_number": {"91350100MA2XXXXXX9"},
		"address": {"福州市鼓楼区五四路1号"}, "description": {"本公司2025年报关单修改记录"}, "form": {"纸质"}, "delivery": {"邮寄"}}
	// A bad credit code is shown next to its field, with the letter's scan kept out.
	code, page := h.postFiles("/admin/requests/new", fields, "attachments", map[string][]byte{"来信.png": []byte("\x89PNG\r\n\x1a\n....")})
	if code != http.StatusUnprocessableEntity || !strings.Contains(page, "统一社会信用代码") {
		t.Fatalf("bad credit code: %d %.1500s", code, page)
	}
	fields.Set("id_number", "91350100MA2Y4P9D7R")
	code, page = h.postFiles("/admin/requests/new", fields, "attachments", map[string][]byte{"来信.png": []byte("\x89PNG\r\n\x1a\n....")})
	if code != 200 || !strings.Contains(page, "已登记申请") || !regexp.MustCompile(`查询码 [2-9A-Z]{12}（请随受理回执告知申请人`).MatchString(page) {
		t.Fatalf("register: %d %.1500s", code, page)
	}
	if !strings.Contains(page, "来信.png") || !strings.Contains(page, "登记人承办") {
		t.Fatalf("registered application lacks its scan or its 分办: %.3000s", page)
	}
	appID := regexp.MustCompile(`action="/admin/requests/(\d+)/events"`).FindStringSubmatch(page)[1]
	if _, mine := h.get("/admin/requests"); !strings.Contains(mine, "福州闽江") && !strings.Contains(mine, "/admin/requests/"+appID+`"`) {
		t.Fatal("the registered letter is not in the handler's worklist")
	}
	csrf := csrfOf(t, page)
	fee := func(v url.Values) string {
		v.Set("csrf", csrf)
		v.Set("kind", "fee_noticed")
		v.Set("on", on)
		_, p := h.post("/admin/requests/"+appID+"/events", v)
		return p
	}
	// The first request of the month is free per request: no notice.
	if p := fee(url.Values{"fee_basis": {"per_request"}, "yuan": {"5000"}}); !strings.Contains(p, "无需发出收费通知") {
		t.Fatalf("free request noticed: %.2000s", p)
	}
	// 120 pages: 31–100 at 10元 and 101–120 at 20元 = 700 + 400 = 1100元,
	// whatever amount the form is made to carry.
	p := fee(url.Values{"fee_basis": {"per_page"}, "pages": {"120"}, "yuan": {"1"}})
	if !strings.Contains(p, "待缴费") || !strings.Contains(p, "1100元") || !strings.Contains(p, "共120页，累进计算收费1100元") || !strings.Contains(p, "已生成信息处理费收费通知书") {
		t.Fatalf("fee notice: %.3000s", p)
	}
	// The office head sees the 分办 form without the applicant; the demo
	// unit has one handler, who already has it (reassignment itself is in
	// the store tests).
	hd := newBrowser(t, app.URL)
	hd.login("head", demo.Password)
	_, hv := hd.get("/admin/requests/" + appID)
	other := regexp.MustCompile(`<option value="(\d+)"`).FindAllStringSubmatch(hv[strings.Index(hv, `id="f-assigned-assignee"`):], -1)
	if len(other) < 1 || strings.Contains(hv, "福州闽江国际贸易有限公司") {
		t.Fatalf("head's view: %d handlers, or sees the applicant: %.2000s", len(other), hv)
	}
	_, hv = hd.post("/admin/requests/"+appID+"/events", url.Values{"csrf": {csrfOf(t, hv)}, "kind": {"assigned"}, "assignee": {other[0][1]}, "on": {on}})
	if !strings.Contains(hv, "该申请已由此承办人办理") {
		t.Fatalf("reassign: %.2000s", hv)
	}
}

// Uploads larger than what a form keeps in memory spill to temporary files;
// none of them outlives its request, on the portal or in the back office,
// whether the submission is accepted or refused.
func TestUploadsLeaveNoTempFiles(t *testing.T) {
	tmp := t.TempDir()
	t.Setenv("TMPDIR", tmp)
	app := startApp(t, demoCopy(t))
	big := func(tag string) []byte {
		return append([]byte("%PDF-1.4 "+tag+" "), bytes.Repeat([]byte("x"), 4_600_000)...)
	}
	leftovers := func(when string) {
		t.Helper()
		for i := 0; ; i++ {
			m, _ := filepath.Glob(filepath.Join(tmp, "multipart-*"))
			if len(m) == 0 {
				return
			}
			if i == 30 {
				t.Fatalf("%s: temporary files left: %v", when, m)
			}
			time.Sleep(100 * time.Millisecond)
		}
	}
	// The portal, by a visitor and by a logged-in staff member.
	for _, who := range []string{"", "handler"} {
		b := newBrowser(t, app.URL)
		if who != "" {
			b.login(who, demo.Password)
		}
		_, form := b.get("/column/apply")
		fields := url.Values{"csrf": {csrfOf(t, form)}, "token": {tokenRE.FindStringSubmatch(form)[1]}, "applicant_type": {"natural_person"},
			"name": {"王小红"}, "id_number": {"11010519491231002X"}, "phone": {"13800000000"}, "description": {"请公开2025年福州海关行政处罚决定书目录"},
			"form": {"电子文档"}, "delivery": {"网上获取"}}
		if code, page := b.postFiles("/column/apply", fields, "attachments", map[string][]byte{"a.pdf": big("a"), "b.pdf": big("b")}); code != 200 || !strings.Contains(page, "a.pdf") {
			t.Fatalf("apply (%q): %d %.1000s", who, code, page)
		}
		leftovers("portal " + who)
	}
	// The back office: files added to an application, and a refused upload.
	h := newBrowser(t, app.URL)
	h.login("handler", demo.Password)
	_, list := h.get("/admin/requests")
	id := appLinkRE.FindStringSubmatch(list)[1]
	_, view := h.get("/admin/requests/" + id)
	h.postFiles("/admin/requests/"+id+"/attachments", url.Values{"csrf": {csrfOf(t, view)}}, "attachments", map[string][]byte{"c.pdf": big("c"), "d.pdf": big("d")})
	leftovers("back office")
	// Eight files (37 MB, over the 32 MB a form would otherwise keep in
	// memory) with a wrong token: refused, and nothing left behind.
	many := map[string][]byte{}
	for i := range 8 {
		many[fmt.Sprintf("%d.pdf", i)] = big(fmt.Sprint(i))
	}
	if _, page := h.postFiles("/admin/requests/"+id+"/attachments", url.Values{"csrf": {"wrong"}}, "attachments", many); strings.Contains(page, "已上传附件") {
		t.Fatal("an upload with a wrong token was accepted")
	}
	leftovers("refused upload")
}

// The portal's forms check their token for a logged-in staff member too:
// the session's token, which the page he was shown carries.
func TestPortalFormTokenWhenLoggedIn(t *testing.T) {
	app := startApp(t, demoCopy(t))
	b := newBrowser(t, app.URL)
	b.login("legal", demo.Password)
	_, form := b.get("/column/apply/status")
	good := url.Values{"csrf": {csrfOf(t, form)}, "receipt_no": {"YSQ20240101000001"}, "code": {"WRONGCODE234"}}
	if code, page := b.post("/column/apply/status", good); code != http.StatusUnprocessableEntity || !strings.Contains(page, "申请编号或查询码不正确") {
		t.Fatalf("with the page's token: %d %.500s", code, page)
	}
	bad := url.Values{"csrf": {"forged"}, "receipt_no": {"YSQ20240101000001"}, "code": {"WRONGCODE234"}}
	if code, page := b.post("/column/apply/status", bad); code != http.StatusForbidden || !strings.Contains(page, "表单已过期或来源不明") {
		t.Fatalf("a forged token: %d %.500s", code, page)
	}
}
