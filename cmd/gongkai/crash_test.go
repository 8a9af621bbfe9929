package main

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"math/rand/v2"
	"mime/multipart"
	"net"
	"net/http"
	"net/http/cookiejar"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"gongkai/internal/audit"
	"gongkai/internal/requests"
	"gongkai/internal/store"
	"gongkai/internal/store/storetest"
)

// TestCrashSafety builds the real binary, serves the demo world, has
// several citizens submit applications with attachments through the
// public form, and kills the server with SIGKILL at random moments,
// restarting it each time. A submission whose retry after a kill meets a
// committed application gets that application back (the form's token), so
// every submission ends acknowledged. Afterwards every acknowledged
// submission — each receipt number shown to a citizen — must be found by
// the public status lookup and, in the database, with its fields, its
// files (SHA-256), its registration event and its audit entry, and the
// audit chain must verify. On SQLite and on PostgreSQL.
//
// 4 kills per engine by default; GONGKAI_LONG=1 makes it 100, and
// GONGKAI_CRASH_KILLS=N any number. Skipped with -short.
func TestCrashSafety(t *testing.T) {
	if testing.Short() {
		t.Skip("-short: the crash harness builds and kills the real server")
	}
	kills := 4
	if os.Getenv("GONGKAI_LONG") == "1" {
		kills = 100
	}
	if n, err := strconv.Atoi(os.Getenv("GONGKAI_CRASH_KILLS")); err == nil && n > 0 {
		kills = n
	}
	bin := buildBinary(t)
	demoDB := demoCopy(t)
	for _, d := range storetest.Backends {
		t.Run(string(d), func(t *testing.T) {
			dsn := demoDB
			if d == store.Postgres {
				dsn = storetest.DSN(t, d)
				bak := filepath.Join(t.TempDir(), "demo.bak")
				mustRun(t, "backup", "--db", demoDB, "-o", bak)
				mustRun(t, "restore", "--db", dsn, bak)
			} else {
				dsn = demoCopy(t)
			}
			crashRun(t, bin, dsn, kills)
		})
	}
}

// buildBinary builds gongkai as it ships (CGO_ENABLED=0).
func buildBinary(t *testing.T) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "gongkai")
	cmd := exec.Command("go", "build", "-o", bin, ".")
	cmd.Env = append(os.Environ(), "CGO_ENABLED=0")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

// server is the real binary, started and killed by the harness.
type server struct {
	t    *testing.T
	bin  string
	dsn  string
	addr string
	log  *os.File
	cmd  *exec.Cmd
	wait chan error
}

func (s *server) start() {
	s.t.Helper()
	s.cmd = exec.Command(s.bin, "serve", "--addr", s.addr, "--db", s.dsn)
	s.cmd.Env = append(os.Environ(), "GONGKAI_SECRET=crash-harness-secret-0123456789abcdef")
	s.cmd.Stdout, s.cmd.Stderr = s.log, s.log
	if err := s.cmd.Start(); err != nil {
		s.t.Fatal(err)
	}
	s.wait = make(chan error, 1)
	go func(c *exec.Cmd, w chan error) { w <- c.Wait() }(s.cmd, s.wait)
	deadline := time.Now().Add(2 * time.Minute)
	for time.Now().Before(deadline) {
		select {
		case err := <-s.wait:
			s.t.Fatalf("server exited while starting: %v\n%s", err, s.logTail())
		default:
		}
		c := http.Client{Timeout: 2 * time.Second}
		if resp, err := c.Get("http://" + s.addr + "/"); err == nil {
			resp.Body.Close()
			if resp.StatusCode == 200 {
				return
			}
		}
		time.Sleep(50 * time.Millisecond)
	}
	s.t.Fatalf("server did not start\n%s", s.logTail())
}

// kill sends SIGKILL and waits for the process to be gone.
func (s *server) kill() {
	s.cmd.Process.Signal(syscall.SIGKILL)
	<-s.wait
}

func (s *server) logTail() string {
	b, _ := os.ReadFile(s.log.Name())
	if len(b) > 3000 {
		b = b[len(b)-3000:]
	}
	return string(b)
}

// submission is one citizen's application as sent, and what the portal
// acknowledged.
type submission struct {
	client, seq int
	source      net.IP // each submission comes from its own address (the limit is per address)
	fields      map[string]string
	files       map[string][]byte
	receipt     string
	code        string
	tries       int
}

func crashRun(t *testing.T, bin, dsn string, kills int) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	logf, err := os.Create(filepath.Join(t.TempDir(), "server.log"))
	if err != nil {
		t.Fatal(err)
	}
	defer logf.Close()
	srv := &server{t: t, bin: bin, dsn: dsn, addr: addr, log: logf}
	srv.start()
	defer func() {
		if srv.cmd.ProcessState == nil {
			srv.kill()
		}
	}()

	const clients = 4
	var (
		mu      sync.Mutex
		acked   []*submission
		stop    atomic.Bool
		next    atomic.Int64
		wg      sync.WaitGroup
		refused atomic.Int64
	)
	for c := 0; c < clients; c++ {
		wg.Add(1)
		go func(c int) {
			defer wg.Done()
			rng := rand.New(rand.NewPCG(uint64(c), uint64(time.Now().UnixNano())))
			for seq := 0; !stop.Load(); seq++ {
				n := next.Add(1)
				s := newSubmission(rng, c, seq, n)
				if err := submit(addr, s, &stop); err != nil {
					if stop.Load() {
						return
					}
					refused.Add(1)
					t.Errorf("client %d submission %d refused: %v", c, seq, err)
					return
				}
				if s.receipt == "" {
					return // stopped before it was acknowledged
				}
				mu.Lock()
				acked = append(acked, s)
				mu.Unlock()
			}
		}(c)
	}

	rng := rand.New(rand.NewPCG(7, uint64(time.Now().UnixNano())))
	for k := 0; k < kills; k++ {
		time.Sleep(time.Duration(150+rng.IntN(1200)) * time.Millisecond)
		srv.kill()
		srv.start()
	}
	time.Sleep(500 * time.Millisecond)
	stop.Store(true)
	wg.Wait()
	if t.Failed() {
		t.Fatalf("server log:\n%s", srv.logTail())
	}

	// Every receipt shown: through the public status lookup…
	lost := 0
	for _, s := range acked {
		if !statusFound(t, addr, s) {
			lost++
		}
	}
	srv.kill()
	// …and in the database, intact.
	ctx := context.Background()
	db, err := store.Open(ctx, dsn, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	for _, s := range acked {
		if err := checkStored(ctx, db, s); err != nil {
			t.Errorf("%s (client %d, #%d): %v", s.receipt, s.client, s.seq, err)
			lost++
		}
	}
	if n, err := db.VerifyAudit(ctx); err != nil {
		t.Errorf("audit chain after %d kills: %v (%d entries)", kills, err, n)
	}
	// No submission stored twice (a retry after a kill meets its token).
	receipts := map[string]bool{}
	retried := 0
	for _, s := range acked {
		if receipts[s.receipt] {
			t.Errorf("receipt %s acknowledged to two submissions", s.receipt)
		}
		receipts[s.receipt] = true
		if s.tries > 1 {
			retried++
		}
	}
	if len(acked) < kills {
		t.Errorf("only %d submissions acknowledged in %d kills: the harness did not drive the server", len(acked), kills)
	}
	t.Logf("%s: %d kills, %d submissions acknowledged (%d after a retry across a kill), acknowledged submissions lost: %d",
		db.Dialect(), kills, len(acked), retried, lost)
	if lost > 0 {
		t.Errorf("acknowledged submissions lost: %d", lost)
	}
}

func newSubmission(rng *rand.Rand, c, seq int, n int64) *submission {
	s := &submission{client: c, seq: seq, files: map[string][]byte{}}
	s.source = net.IPv4(127, byte(1+n/62500), byte(n/250%250), byte(1+n%250))
	s.fields = map[string]string{
		"applicant_type": "natural_person",
		"name":           fmt.Sprintf("申请人%d号%d", c, seq),
		"id_number":      "11010519491231002X",
		"phone":          fmt.Sprintf("138%08d", rng.IntN(1e8)),
		"description":    fmt.Sprintf("请公开福州海关2024年行政处罚决定书目录（断电测试 %d-%d-%d）", c, seq, rng.Uint32()),
		"form":           "电子文档",
		"delivery":       "网上获取",
	}
	for i := 0; i < 1+rng.IntN(2); i++ {
		body := make([]byte, 1000+rng.IntN(200_000))
		for j := range body {
			body[j] = byte('a' + rng.IntN(26))
		}
		s.files[fmt.Sprintf("证明材料%d-%d-%d.pdf", c, seq, i)] = append([]byte("%PDF-1.4 "), body...)
	}
	return s
}

// submit sends the form until the portal shows a receipt: a connection
// that fails (the server killed) or a 5xx is retried with the same token;
// anything else is an error.
func submit(addr string, s *submission, stop *atomic.Bool) error {
	jar, _ := cookiejar.New(nil)
	d := &net.Dialer{LocalAddr: &net.TCPAddr{IP: s.source}, Timeout: 5 * time.Second}
	c := &http.Client{Jar: jar, Timeout: 60 * time.Second, Transport: &http.Transport{DialContext: d.DialContext, DisableKeepAlives: true}}
	base := "http://" + addr
	var csrf, token string
	for !stop.Load() {
		if csrf == "" {
			resp, err := c.Get(base + "/column/apply")
			if err != nil {
				time.Sleep(30 * time.Millisecond)
				continue
			}
			body, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			if resp.StatusCode >= 500 {
				continue
			}
			m, tm := csrfRE.FindSubmatch(body), tokenRE.FindSubmatch(body)
			if resp.StatusCode != 200 || m == nil || tm == nil {
				return fmt.Errorf("apply form: %d %.300s", resp.StatusCode, body)
			}
			csrf, token = string(m[1]), string(tm[1])
		}
		s.tries++
		var buf bytes.Buffer
		mw := multipart.NewWriter(&buf)
		mw.WriteField("csrf", csrf)
		mw.WriteField("token", token)
		for k, v := range s.fields {
			mw.WriteField(k, v)
		}
		for name, data := range s.files {
			fw, _ := mw.CreateFormFile("attachments", name)
			fw.Write(data)
		}
		mw.Close()
		req, _ := http.NewRequest("POST", base+"/column/apply", &buf)
		req.Header.Set("Content-Type", mw.FormDataContentType())
		resp, err := c.Do(req)
		if err != nil {
			time.Sleep(30 * time.Millisecond)
			continue
		}
		body, err := io.ReadAll(resp.Body)
		resp.Body.Close()
		if err != nil || resp.StatusCode >= 500 {
			continue
		}
		r, q := receiptRE.FindSubmatch(body), codeRE.FindSubmatch(body)
		if resp.StatusCode != 200 || r == nil || q == nil {
			return fmt.Errorf("submit: %d %.500s", resp.StatusCode, body)
		}
		s.receipt, s.code = string(r[1]), string(q[1])
		return nil
	}
	return nil
}

// statusFound looks the submission up as its applicant would.
func statusFound(t *testing.T, addr string, s *submission) bool {
	t.Helper()
	jar, _ := cookiejar.New(nil)
	c := &http.Client{Jar: jar, Timeout: 30 * time.Second}
	base := "http://" + addr
	resp, err := c.Get(base + "/column/apply/status")
	if err != nil {
		t.Fatal(err)
	}
	form, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	m := csrfRE.FindSubmatch(form)
	if m == nil {
		t.Fatalf("status form without a csrf token: %.300s", form)
	}
	resp, err = c.PostForm(base+"/column/apply/status", map[string][]string{"csrf": {string(m[1])}, "receipt_no": {s.receipt}, "code": {s.code}})
	if err != nil {
		t.Fatal(err)
	}
	page, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || !bytes.Contains(page, []byte(s.receipt)) || !bytes.Contains(page, []byte(`id="status"`)) {
		t.Errorf("status lookup of %s: %d %.300s", s.receipt, resp.StatusCode, page)
		return false
	}
	return true
}

// checkStored compares the stored application with what was sent.
func checkStored(ctx context.Context, db *store.DB, s *submission) error {
	app, err := db.RequestByQueryCode(ctx, s.receipt, s.code)
	if err != nil {
		return fmt.Errorf("not found by receipt and query code: %w", err)
	}
	if app.Name != s.fields["name"] || app.Phone != s.fields["phone"] || app.Description != s.fields["description"] ||
		app.Form != s.fields["form"] || app.Delivery != s.fields["delivery"] || string(app.ApplicantType) != s.fields["applicant_type"] ||
		app.IDMasked != requests.MaskID(s.fields["id_number"]) || app.Channel != requests.ChannelOnline {
		return fmt.Errorf("fields differ: %+v", app)
	}
	atts, err := db.RequestAttachments(ctx, app.ID)
	if err != nil {
		return err
	}
	want := map[string]string{}
	for name, b := range s.files {
		h := sha256.Sum256(b)
		want[name] = hex.EncodeToString(h[:])
	}
	got := map[string]string{}
	for _, a := range atts {
		full, err := db.RequestAttachmentContent(ctx, audit.System("crash-test"), app.ID, a.ID)
		if err != nil {
			return fmt.Errorf("attachment %s: %w", a.Name, err)
		}
		h := sha256.Sum256(full.Content)
		if hex.EncodeToString(h[:]) != a.SHA256 {
			return fmt.Errorf("attachment %s: content does not match its recorded SHA-256", a.Name)
		}
		got[a.Name] = a.SHA256
	}
	if fmt.Sprint(sortedPairs(got)) != fmt.Sprint(sortedPairs(want)) {
		return fmt.Errorf("attachments %v, want %v", sortedPairs(got), sortedPairs(want))
	}
	evs, err := db.RequestEvents(ctx, app.ID)
	if err != nil {
		return err
	}
	if len(evs) == 0 || evs[0].Kind != requests.Registered || app.EventCount != len(evs) {
		return fmt.Errorf("events: %d (count %d), first %v", len(evs), app.EventCount, evs)
	}
	q := "SELECT count(*) FROM audit_log WHERE action = 'request.submit' AND object_type = 'request' AND object_id = ?"
	if db.Dialect() == store.Postgres {
		q = strings.Replace(q, "?", "$1", 1)
	}
	var n int
	if err := db.SQL().QueryRowContext(ctx, q, strconv.FormatInt(app.ID, 10)).Scan(&n); err != nil {
		return err
	}
	if n != 1 {
		return fmt.Errorf("%d submit entries in the audit log, want 1", n)
	}
	return nil
}

func sortedPairs(m map[string]string) []string {
	var out []string
	for k, v := range m {
		out = append(out, k+"="+v)
	}
	sort.Strings(out)
	return out
}
