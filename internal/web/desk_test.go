package web

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"mime/multipart"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"gongkai/internal/audit"
	"gongkai/internal/auth"
	"gongkai/internal/desk"
	"gongkai/internal/org"
	"gongkai/internal/store"
	"gongkai/internal/store/storetest"
)

const testSecret = "desk test secret"

// deskEnv is a server over a fresh database with one unit and the desk's
// staff: an agent (热线坐席) and a reviewer.
type deskEnv struct {
	t    *testing.T
	db   *store.DB
	url  string
	unit org.Unit
	// server is the handler itself, for requests that bypass the network.
	server http.Handler
	srv    *Server
}

func newDeskEnv(t *testing.T, db *store.DB) *deskEnv {
	t.Helper()
	ctx := context.Background()
	sys := audit.System("test")
	u := org.Unit{Code: "fuzhou", Name: "福州海关"}
	if err := db.CreateUnit(ctx, sys, &u); err != nil {
		t.Fatal(err)
	}
	cheap := auth.Params{Memory: 1024, Time: 1, Threads: 1}
	hash, err := auth.HashPassword("desk password", cheap)
	if err != nil {
		t.Fatal(err)
	}
	for _, a := range []struct {
		name  string
		roles []org.Role
	}{{"agent", []org.Role{org.RoleHotline}}, {"agent2", []org.Role{org.RoleHotline}}, {"reviewer", []org.Role{org.RoleReviewer}}, {"boss", []org.Role{org.RoleAdmin}}} {
		usr := org.User{Username: a.name, DisplayName: "测试" + a.name, UnitID: u.ID}
		for _, r := range a.roles {
			usr.Grants = append(usr.Grants, org.Grant{UnitID: u.ID, Role: r})
		}
		if err := db.CreateUser(ctx, sys, &usr, hash); err != nil {
			t.Fatal(err)
		}
	}
	p := auth.DefaultPolicy
	p.Params = cheap
	srv, err := New(db, &auth.Service{Store: db, Policy: p}, slog.New(slog.NewTextHandler(io.Discard, nil)), Config{Secret: testSecret, SiteUnit: "fuzhou"})
	if err != nil {
		t.Fatal(err)
	}
	h := srv.Handler()
	ts := httptest.NewServer(h)
	t.Cleanup(ts.Close)
	return &deskEnv{t: t, db: db, url: ts.URL, unit: u, server: h, srv: srv}
}

// client is a browser with its own cookies.
type client struct {
	t    *testing.T
	c    *http.Client
	base string
	ua   string
}

func (e *deskEnv) client() *client {
	jar, _ := cookiejar.New(nil)
	return &client{t: e.t, base: e.url, ua: "Mozilla/5.0 (X11; Linux x86_64) Firefox/128.0",
		c: &http.Client{Jar: jar, Timeout: 2 * time.Minute, CheckRedirect: func(*http.Request, []*http.Request) error { return nil }}}
}

func (c *client) do(method, path string, body io.Reader, ctype string) (int, string) {
	c.t.Helper()
	req, err := http.NewRequest(method, c.base+path, body)
	if err != nil {
		c.t.Fatal(err)
	}
	req.Header.Set("User-Agent", c.ua)
	if ctype != "" {
		req.Header.Set("Content-Type", ctype)
	}
	resp, err := c.c.Do(req)
	if err != nil {
		c.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

func (c *client) get(path string) (int, string) { return c.do("GET", path, nil, "") }

func (c *client) post(path string, v url.Values) (int, string) {
	return c.do("POST", path, strings.NewReader(v.Encode()), "application/x-www-form-urlencoded")
}

var (
	csrfRE  = regexp.MustCompile(`name="csrf" value="([^"]+)"`)
	questRE = regexp.MustCompile(`验证问题：(\S+) (加|减) (\S+) 等于多少？`)
	tokenRE = regexp.MustCompile(`name="challenge" value="([^"]+)"`)
)

func find(t *testing.T, re *regexp.Regexp, page string) []string {
	t.Helper()
	m := re.FindStringSubmatch(page)
	if m == nil {
		t.Fatalf("%s not in page:\n%.2000s", re, page)
	}
	return m
}

func (c *client) login(name string) string {
	_, page := c.get("/admin/login")
	code, page := c.post("/admin/login", url.Values{"csrf": {find(c.t, csrfRE, page)[1]}, "username": {name}, "password": {"desk password"}})
	if code != 200 || !strings.Contains(page, "工作台") {
		c.t.Fatalf("login %s: %d", name, code)
	}
	return find(c.t, csrfRE, page)[1]
}

// answer reads the challenge of a form as a person would.
func answer(t *testing.T, page string) (token, ans string) {
	t.Helper()
	m := find(t, questRE, page)
	num := func(s string) int {
		for i, n := range []string{"零", "一", "二", "三", "四", "五", "六", "七", "八", "九", "十", "十一", "十二", "十三", "十四", "十五", "十六", "十七", "十八", "十九", "二十"} {
			if n == s {
				return i
			}
		}
		t.Fatalf("number %q", s)
		return 0
	}
	a, b := num(m[1]), num(m[3])
	if m[2] == "加" {
		return find(t, tokenRE, page)[1], strconv.Itoa(a + b)
	}
	return find(t, tokenRE, page)[1], strconv.Itoa(a - b)
}

// oldChallenge is a challenge issued ten seconds ago, so that a test need
// not wait out desk.MinFill; the server checks it like any other.
func oldChallenge(t *testing.T) (token, ans string) {
	c := desk.NewChallenge([]byte(testSecret), time.Now().Add(-10*time.Second))
	return answer(t, `验证问题：`+c.Question+` name="challenge" value="`+c.Token+`"`)
}

func messageForm(csrf, token, ans string) url.Values {
	return url.Values{"csrf": {csrf}, "name": {"张明"}, "phone": {"13812345678"}, "email": {"zhangming@example.com"},
		"topic": {"clearance"}, "subject": {"报关单修改怎么办理"}, "body": {"请问报关单申报后发现错误，如何申请修改？我的电话13812345678。"},
		"public_ok": {"1"}, "challenge": {token}, "answer": {ans}}
}

func TestDeskPortalForm(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		e := newDeskEnv(t, db)
		v := e.client()
		code, page := v.get("/interact/message/new")
		if code != 200 || !strings.Contains(page, "我要留言") {
			t.Fatalf("form: %d", code)
		}
		csrf := find(t, csrfRE, page)[1]
		token, ans := answer(t, page)

		// Bad input: every field at fault is marked, what was typed is kept,
		// and a wrong answer is one more field error.
		bad := url.Values{"csrf": {csrf}, "name": {""}, "phone": {"abc"}, "email": {"not-mail"}, "topic": {""},
			"subject": {"我的标题"}, "body": {"一二三四五六七八九十"}, "challenge": {token}, "answer": {"999"}}
		code, page = v.post("/interact/message/new", bad)
		if code != http.StatusUnprocessableEntity {
			t.Fatalf("bad input: %d", code)
		}
		for _, want := range []string{`value="我的标题"`, "一二三四五六七八九十", "请填写姓名或单位名称", "联系电话格式不正确", "电子邮箱格式不正确", "请选择类别", "计算题的答案不正确", `aria-invalid="true"`} {
			if !strings.Contains(page, want) {
				t.Errorf("bad input page lacks %q", want)
			}
		}
		// The right answer given too soon after the form was shown.
		form := messageForm(csrf, token, ans)
		if code, page := v.post("/interact/message/new", form); code != 422 || !strings.Contains(page, "提交过快") || !strings.Contains(page, `value="报关单修改怎么办理"`) {
			t.Fatalf("too fast: %d", code)
		}
		// A script that fills the hidden field is refused.
		tok, a := oldChallenge(t)
		hp := messageForm(csrf, tok, a)
		hp.Set("website", "http://spam.example")
		if code, _ := v.post("/interact/message/new", hp); code != 422 {
			t.Fatalf("honeypot: %d", code)
		}
		// A form far over the size limit is refused before it is read.
		huge := messageForm(csrf, tok, a)
		huge.Set("body", strings.Repeat("长", desk.MaxFormBytes))
		if code, _ := v.post("/interact/message/new", huge); code < 400 {
			t.Fatalf("oversized form accepted: %d", code)
		}
		// A good form, with an answer given after the minimum time.
		tok, a = oldChallenge(t)
		code, page = v.post("/interact/message/new", messageForm(csrf, tok, a))
		if code != 200 || !strings.Contains(page, "留言已提交") {
			t.Fatalf("submit: %d %.500s", code, page)
		}
		ref := find(t, regexp.MustCompile(`id="ref">(LY\d+)<`), page)[1]
		qcode := find(t, regexp.MustCompile(`id="code">([A-Z0-9]{8})<`), page)[1]
		// The same challenge cannot be used twice.
		if code, page := v.post("/interact/message/new", messageForm(csrf, tok, a)); code != 422 || !strings.Contains(page, "已提交过") {
			t.Fatalf("challenge reused: %d", code)
		}
		// The asker looks it up: received, no reply yet; a wrong code finds nothing.
		if code, page := v.post("/interact/lookup", url.Values{"csrf": {csrf}, "ref": {ref}, "code": {qcode}}); code != 200 || !strings.Contains(page, "办理中") {
			t.Fatalf("lookup: %d", code)
		}
		if code, page := v.post("/interact/lookup", url.Values{"csrf": {csrf}, "ref": {ref}, "code": {"WRONG123"}}); code != 422 || !strings.Contains(page, "请核对编号和查询码") {
			t.Fatalf("lookup with a wrong code: %d", code)
		}
		// The address is never kept: the rate-limit key is a keyed hash.
		var keys int
		var raw int
		db.SQL().QueryRow("SELECT count(*) FROM desk_form_hits").Scan(&keys)
		db.SQL().QueryRow("SELECT count(*) FROM desk_form_hits WHERE client_key LIKE '%127.0.0.1%'").Scan(&raw)
		if keys == 0 || raw != 0 {
			t.Fatalf("form hits: %d rows, %d with the raw address", keys, raw)
		}
	})
}

func TestDeskRateLimit(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		e := newDeskEnv(t, db)
		v := e.client()
		_, page := v.get("/interact/consult/new")
		csrf := find(t, csrfRE, page)[1]
		for i := 0; i < desk.FormLimit; i++ {
			tok, a := oldChallenge(t)
			form := messageForm(csrf, tok, a)
			form.Set("subject", fmt.Sprintf("咨询第%d条", i+1))
			if code, _ := v.post("/interact/consult/new", form); code != 200 {
				t.Fatalf("submission %d refused: %d", i+1, code)
			}
		}
		tok, a := oldChallenge(t)
		code, page := v.post("/interact/consult/new", messageForm(csrf, tok, a))
		if code != 422 || !strings.Contains(page, "提交得太频繁") || !strings.Contains(page, `value="报关单修改怎么办理"`) {
			t.Fatalf("over the limit: %d", code)
		}
		var n int
		db.SQL().QueryRow("SELECT count(*) FROM desk_enquiries").Scan(&n)
		if n != desk.FormLimit {
			t.Fatalf("%d enquiries stored, want %d", n, desk.FormLimit)
		}
	})
}

// A reply is public only after review: a draft, a returned draft and a
// reply approved for an asker who did not agree to publication never
// appear on the portal; the asker's name, phone and e-mail never do.
func TestDeskReplySecrecy(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		e := newDeskEnv(t, db)
		v := e.client()
		_, page := v.get("/interact/message/new")
		csrf := find(t, csrfRE, page)[1]
		submit := func(subject string, public bool) (string, string, int64) {
			tok, a := oldChallenge(t)
			f := messageForm(csrf, tok, a)
			f.Set("subject", subject)
			if !public {
				f.Del("public_ok")
			}
			code, page := v.post("/interact/message/new", f)
			if code != 200 {
				t.Fatalf("submit: %d", code)
			}
			ref := find(t, regexp.MustCompile(`id="ref">(LY\d+)<`), page)[1]
			id, _ := strconv.ParseInt(strings.TrimPrefix(ref, "LY"), 10, 64)
			return ref, find(t, regexp.MustCompile(`id="code">([A-Z0-9]{8})<`), page)[1], id
		}
		_, code1, id1 := submit("公开的留言", true)
		ref2, code2, id2 := submit("不公开的留言", false)

		agent, reviewer := e.client(), e.client()
		atok, rtok := agent.login("agent"), reviewer.login("reviewer")
		act := func(c *client, tok string, id int64, v url.Values) (int, string) {
			v.Set("csrf", tok)
			return c.post(fmt.Sprintf("/admin/desk/enquiries/%d", id), v)
		}
		public := func() string {
			var all string
			for _, p := range []string{"/interact", "/interact/message", "/interact/consult"} {
				_, b := v.get(p)
				all += b
			}
			return all
		}
		// Staff see the asker's details; the view is audited.
		if code, page := agent.get(fmt.Sprintf("/admin/desk/enquiries/%d", id1)); code != 200 || !strings.Contains(page, "13812345678") || !strings.Contains(page, "张明") {
			t.Fatalf("staff view: %d", code)
		}
		// A reviewer cannot draft; an agent cannot approve.
		if code, _ := act(reviewer, rtok, id1, url.Values{"action": {"drafted"}, "body": {"x"}}); code != 403 {
			t.Fatalf("reviewer drafting: %d", code)
		}
		// An empty draft is refused next to its field.
		if code, page := act(agent, atok, id1, url.Values{"action": {"drafted"}, "body": {" "}}); code != 422 || !strings.Contains(page, "请填写答复内容") {
			t.Fatalf("empty draft: %d", code)
		}
		draft := "草稿答复甲：请通过单一窗口提交修改申请。"
		for _, id := range []int64{id1, id2} {
			if code, _ := act(agent, atok, id, url.Values{"action": {"drafted"}, "body": {draft}}); code != 200 {
				t.Fatalf("draft: %d", code)
			}
		}
		if code, _ := act(agent, atok, id1, url.Values{"action": {"approved"}}); code != 403 {
			t.Fatalf("agent approving: %d", code)
		}
		if strings.Contains(public(), draft) || strings.Contains(public(), "公开的留言") {
			t.Fatal("a draft is on the portal before review")
		}
		if _, page := v.post("/interact/lookup", url.Values{"csrf": {csrf}, "ref": {"LY" + fmt.Sprintf("%06d", id1)}, "code": {code1}}); strings.Contains(page, draft) {
			t.Fatal("the asker sees a draft before review")
		}
		// Returned: still not public.
		if code, _ := act(reviewer, rtok, id1, url.Values{"action": {"returned"}, "note": {"请补充办理时限"}}); code != 200 {
			t.Fatal("return")
		}
		final := "正式答复乙：请通过国际贸易“单一窗口”提交报关单修改申请，海关在3个工作日内办理。"
		act(agent, atok, id1, url.Values{"action": {"drafted"}, "body": {final}})
		if strings.Contains(public(), final) {
			t.Fatal("a redrafted reply is public before review")
		}
		// Approved and published.
		if code, _ := act(reviewer, rtok, id1, url.Values{"action": {"approved"}, "publish": {"1"}, "title": {"报关单修改"},
			"public_body": {desk.Redact("请问报关单申报后发现错误，如何申请修改？我的电话13812345678。")}}); code != 200 {
			t.Fatalf("approve: %d", code)
		}
		// The other is approved: the asker may read it, the portal may not.
		act(reviewer, rtok, id2, url.Values{"action": {"approved"}})
		pub := public()
		if !strings.Contains(pub, final) || !strings.Contains(pub, "报关单修改") {
			t.Fatal("the approved reply is not on the portal")
		}
		for _, secret := range []string{draft, "13812345678", "张明", "zhangming@example.com", "不公开的留言"} {
			if strings.Contains(pub, secret) {
				t.Errorf("the portal shows %q", secret)
			}
		}
		if _, page := v.post("/interact/lookup", url.Values{"csrf": {csrf}, "ref": {ref2}, "code": {code2}}); !strings.Contains(page, draft) || !strings.Contains(page, "已答复") {
			t.Fatal("the asker cannot read their approved reply")
		}
		// Withdrawn: off the portal again.
		act(reviewer, rtok, id1, url.Values{"action": {"withdrawn"}, "note": {"内容需更新"}})
		if strings.Contains(public(), final) {
			t.Fatal("a withdrawn reply is still public")
		}
	})
}

// Visits are counted per day and page group, for browsers and successful
// pages only, and nothing about the visitor is stored.
func TestDeskVisits(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		e := newDeskEnv(t, db)
		v := e.client()
		for _, p := range []string{"/", "/", "/interact", "/column/guide", "/no/such/page", "/static/style.css"} {
			v.get(p)
		}
		bot := e.client()
		bot.ua = "Mozilla/5.0 (compatible; Baiduspider/2.0)"
		bot.get("/")
		v.login("agent")
		v.get("/admin/desk")
		// Counted in memory, written in a batch.
		if err := e.srv.FlushVisits(context.Background()); err != nil {
			t.Fatal(err)
		}
		today := desk.Day(time.Now())
		days, err := db.Visits(context.Background(), []int64{e.unit.ID}, today, today)
		if err != nil {
			t.Fatal(err)
		}
		got := map[string]int64{}
		for _, d := range days {
			got[d.Group] = d.Hits
		}
		// The login page is under /admin: not a portal page.
		want := map[string]int64{"home": 2, "interact": 1, "guide": 1}
		if fmt.Sprint(got) != fmt.Sprint(want) {
			t.Fatalf("visits %v, want %v", got, want)
		}
		// The staff page shows the year's count.
		_, page := v.get("/admin/desk/visits")
		if !strings.Contains(page, "<svg") || !strings.Contains(page, "首页") {
			t.Fatal("visits page lacks its chart or groups")
		}
	})
}

// Every desk page renders for its users, with records behind it.
func TestDeskPagesRender(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		e := newDeskEnv(t, db)
		ctx := context.Background()
		agent := e.client()
		tok := agent.login("agent")
		// A hotline record through the form: a bad one first.
		code, page := agent.post("/admin/desk/calls/new", url.Values{"csrf": {tok}, "at": {"2024-13-40"}, "channel": {"phone"}, "caller_type": {"enterprise"},
			"topic": {""}, "question": {"怎么查询报关单状态"}, "answer": {""}})
		if code != 422 || !strings.Contains(page, "来电时间格式不正确") || !strings.Contains(page, "请选择咨询类别") || !strings.Contains(page, "怎么查询报关单状态") {
			t.Fatalf("bad call: %d", code)
		}
		code, _ = agent.post("/admin/desk/calls/new", url.Values{"csrf": {tok}, "at": {"2024-03-15 09:30"}, "channel": {"phone"}, "caller_type": {"enterprise"},
			"topic": {"clearance"}, "question": {"怎么查询报关单状态"}, "answer": {"可在单一窗口查询"}, "rating": {"5"}})
		if code != 200 {
			t.Fatalf("call: %d", code)
		}
		// New media, outreach, complaint, survey through their forms.
		if code, page := agent.post("/admin/desk/media/account", url.Values{"csrf": {tok}, "platform": {"wechat"}, "name": {"福州海关12360"}}); code != 200 || !strings.Contains(page, "福州海关12360") {
			t.Fatalf("account: %d", code)
		}
		accts, _ := db.Accounts(ctx, []int64{e.unit.ID})
		aid := strconv.FormatInt(accts[0].ID, 10)
		if code, page := agent.post("/admin/desk/media/post?year=2024", url.Values{"csrf": {tok}, "account": {aid}, "kind": {"post"}, "day": {"2024/3/5"}, "title": {"原产地证书办理指南"}, "column": {"原产地证书"}}); code != 200 || !strings.Contains(page, "原产地证书办理指南") {
			t.Fatalf("post: %d", code)
		}
		if code, page := agent.post("/admin/desk/media/followers", url.Values{"csrf": {tok}, "account": {aid}, "fday": {"2024-02-30"}, "count": {"100"}}); code != 422 || !strings.Contains(page, "统计日期") {
			t.Fatalf("bad followers date: %d", code)
		}
		if code, page := agent.post("/admin/desk/outreach?year=2024", url.Values{"csrf": {tok}, "kind": {"outreach"}, "day": {"2024-06-18"}, "title": {"RCEP 政策宣讲"}, "enterprises": {"120"}}); code != 200 || !strings.Contains(page, "覆盖企业 <strong>120</strong> 家") {
			t.Fatalf("outreach: %d", code)
		}
		if code, page := agent.post("/admin/desk/complaints?year=2024", url.Values{"csrf": {tok}, "received_on": {"2024-05-06"}, "channel": {"信函"}, "subject": {"未按时答复"}, "summary": {"投诉未在法定期限内答复"}}); code != 200 || !strings.Contains(page, "未按时答复") {
			t.Fatalf("complaint: %d", code)
		}
		code, page = agent.post("/admin/desk/surveys", url.Values{"csrf": {tok}, "title": {"12360热线服务调查问卷"}})
		if code != 200 {
			t.Fatalf("survey: %d", code)
		}
		sid := find(t, regexp.MustCompile(`/admin/desk/surveys/(\d+)/question`), page)[1]
		if code, page := agent.post("/admin/desk/surveys/"+sid+"/question", url.Values{"csrf": {tok}, "kind": {"single"}, "text": {"您对热线服务满意吗"}, "options": {"满意"}}); code != 422 || !strings.Contains(page, "2–20 个选项") {
			t.Fatalf("one-option question: %d", code)
		}
		agent.post("/admin/desk/surveys/"+sid+"/question", url.Values{"csrf": {tok}, "kind": {"single"}, "text": {"您对热线服务满意吗"}, "options": {"满意\n基本满意\n不满意"}, "required": {"1"}})
		agent.post("/admin/desk/surveys/"+sid+"/question", url.Values{"csrf": {tok}, "kind": {"text"}, "text": {"您的建议"}})
		if code, _ := agent.post("/admin/desk/surveys/"+sid+"/open", url.Values{"csrf": {tok}}); code != 200 {
			t.Fatalf("open survey: %d", code)
		}
		// A visitor answers on the portal.
		v := e.client()
		code, page = v.get("/interact/surveys/" + sid)
		if code != 200 || !strings.Contains(page, "您对热线服务满意吗") {
			t.Fatalf("portal survey: %d", code)
		}
		opt := find(t, regexp.MustCompile(`type="radio" name="(q\d+)" value="(\d+)"`), page)
		ctok, cans := oldChallenge(t)
		if code, page := v.post("/interact/surveys/"+sid, url.Values{"csrf": {find(t, csrfRE, page)[1]}, "challenge": {ctok}, "answer": {cans}}); code != 422 || !strings.Contains(page, "第 1 题为必答题") {
			t.Fatalf("unanswered survey: %d", code)
		}
		ctok, cans = oldChallenge(t)
		if code, page := v.post("/interact/surveys/"+sid, url.Values{"csrf": {find(t, csrfRE, page)[1]}, opt[1]: {opt[2]}, "challenge": {ctok}, "answer": {cans}}); code != 200 || !strings.Contains(page, "问卷已提交") {
			t.Fatalf("answer survey: %d", code)
		}
		if _, page := agent.get("/admin/desk/surveys/" + sid); !strings.Contains(page, "<svg") || !strings.Contains(page, "100.0%") {
			t.Fatal("survey results lack the chart")
		}
		// Every page renders.
		for _, p := range []string{"/admin/desk?year=2024", "/admin/desk/calls?year=2024", "/admin/desk/calls/new", "/admin/desk/imports",
			"/admin/desk/visits", "/admin/desk/media?year=2024", "/admin/desk/outreach?year=2024", "/admin/desk/surveys", "/admin/desk/complaints?year=2024",
			"/admin/desk/enquiries", "/admin/desk/enquiries?state=done", "/admin/"} {
			if code, page := agent.get(p); code != 200 || strings.Contains(page, "页面渲染失败") {
				t.Errorf("%s: %d", p, code)
			}
		}
		// With no year asked for, the figures open on the latest past year with records.
		if _, page := agent.get("/admin/desk"); !strings.Contains(page, "福州海关 2024 年") {
			t.Error("the overview does not open on 2024")
		}
		_, page = agent.get("/admin/desk?year=2024")
		for _, want := range []string{"满意度得分", "100.00", "“原产地证书”专栏", "覆盖企业", "年内收到政府信息公开相关投诉1件"} {
			if !strings.Contains(page, want) {
				t.Errorf("overview lacks %q", want)
			}
		}
		// A reviewer has no hotline pages.
		r := e.client()
		r.login("reviewer")
		if code, _ := r.get("/admin/desk/calls"); code != 403 {
			t.Errorf("reviewer on hotline records: %d", code)
		}
	})
}

// The import pages: upload, map the columns, choose what bad rows do.
func TestDeskImportPages(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		e := newDeskEnv(t, db)
		agent := e.client()
		tok := agent.login("agent")
		csv := "Call ID,Start,Caller,Result,Queue,Talk,Agent\n" +
			"X1,2024-02-01 10:00:00,138,ANSWERED,3,00:01:40,801\n" +
			"X2,2024-02-01 10:05:00,138,ABANDON,40,0,\n" +
			"X3,2024-02-31 10:06:00,138,ANSWERED,3,60,801\n" + // line 4: no such day
			"X4,2024-02-01 10:07:00,138,HANGUP,3,60,801\n" // line 5: unknown outcome
		upload := func(kind string) (int, string) {
			var b strings.Builder
			mw := multipart.NewWriter(&b)
			mw.WriteField("csrf", tok)
			mw.WriteField("kind", kind)
			fw, _ := mw.CreateFormFile("file", "cdr.csv")
			fw.Write([]byte(csv))
			mw.Close()
			return agent.do("POST", "/admin/desk/imports", strings.NewReader(b.String()), mw.FormDataContentType())
		}
		code, page := upload("")
		if code != 422 || !strings.Contains(page, "请选择导入的数据类型") {
			t.Fatalf("upload without kind: %d", code)
		}
		code, page = upload("cdr")
		if code != 200 || !strings.Contains(page, "设置列对应") || !strings.Contains(page, `<option value="Call ID"`) {
			t.Fatalf("mapping page: %d %.300s", code, page)
		}
		action := find(t, regexp.MustCompile(`/admin/desk/imports/upload/(\d+)`), page)[0]
		action = "/admin/desk/imports/upload/" + strings.TrimPrefix(action, "/admin/desk/imports/upload/")
		form := url.Values{"csrf": {tok}, "encoding": {"utf-8"}, "col_call_id": {"Call ID"}, "col_started_at": {"Start"},
			"col_outcome": {"Result"}, "col_wait": {"Queue"}, "col_talk": {"Talk"}, "answered": {"ANSWERED"}, "abandoned": {"ABANDON"}, "mode": {"all"}}
		// A required field left unmapped is marked.
		missing := url.Values{}
		for k, v := range form {
			missing[k] = v
		}
		missing.Del("col_started_at")
		if code, page := agent.post(action, missing); code != 422 || !strings.Contains(page, "请为“来电时间”选择对应的列") {
			t.Fatalf("unmapped field: %d", code)
		}
		// All or nothing: the two bad lines are listed and nothing is stored.
		code, page = agent.post(action, form)
		if code != 200 || !strings.Contains(page, "有错误，未导入") || !strings.Contains(page, "第 4 行") || !strings.Contains(page, "第 5 行") || !strings.Contains(page, "HANGUP") {
			t.Fatalf("all or nothing: %d %.1500s", code, page)
		}
		// Good rows, and the mapping saved for next time.
		form.Set("mode", "good")
		form.Set("save_as", "呼叫中心导出")
		code, page = agent.post(action, form)
		if code != 200 || !strings.Contains(page, `id="imported">2<`) || !strings.Contains(page, `id="bad">2<`) {
			t.Fatalf("good rows: %d %.1500s", code, page)
		}
		if _, page := agent.get(action); !strings.Contains(page, "呼叫中心导出") {
			t.Fatal("saved mapping not offered")
		}
		f, err := db.DeskFigures(context.Background(), []int64{e.unit.ID}, 2024)
		if err != nil || f.CallsOffered != 2 || f.CallsAnswered != 1 || f.Connection.String() != "50.0%" {
			t.Fatalf("figures after import: %+v %v", f, err)
		}
	})
}
