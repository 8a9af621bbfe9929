package main

import (
	"bytes"
	"context"
	"encoding/base64"
	"fmt"
	"mime/quotedprintable"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"golang.org/x/text/encoding/simplifiedchinese"

	"gongkai/internal/audit"
	"gongkai/internal/mail"
	"gongkai/internal/mailbox/dovecottest"
	"gongkai/internal/org"
	"gongkai/internal/store"
)

// benchMessage is the i-th message of the benchmark's mailbox: a plain
// application of about 1.5 KB, every tenth in GBK quoted-printable, every
// twentieth with a 50 KB PDF.
func benchMessage(i int) []byte {
	var b bytes.Buffer
	text := strings.Repeat(fmt.Sprintf("申请公开福州海关%d年第%d号行政处罚决定书及其附件。", 2000+i%25, i), 12)
	fmt.Fprintf(&b, "From: applicant%d@example.cn\r\nTo: gongkai@fuzhou.example\r\nSubject: =?UTF-8?B?5pS/5bqc5L+h5oGv5YWs5byA55Sz6K+3?= %d\r\nMessage-ID: <bench-%d@example.cn>\r\nMIME-Version: 1.0\r\n", i, i, i)
	body := func() {
		if i%10 == 0 {
			b.WriteString("Content-Type: text/plain; charset=GBK\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n")
			b.WriteString(qpGBK(text))
		} else {
			b.WriteString("Content-Type: text/plain; charset=UTF-8\r\n\r\n" + text + "\r\n")
		}
	}
	if i%20 != 0 {
		body()
		return b.Bytes()
	}
	b.WriteString("Content-Type: multipart/mixed; boundary=\"bb\"\r\n\r\n--bb\r\n")
	body()
	b.WriteString("\r\n--bb\r\nContent-Type: application/pdf\r\nContent-Disposition: attachment; filename=\"id.pdf\"\r\nContent-Transfer-Encoding: base64\r\n\r\n")
	pdf := append([]byte("%PDF-1.4\n"), bytes.Repeat([]byte{byte(i)}, 50<<10)...)
	enc := base64Lines(pdf)
	b.WriteString(enc + "\r\n--bb--\r\n")
	return b.Bytes()
}

// benchDB is a fresh SQLite database with one unit.
func benchDB(b *testing.B) (*store.DB, string, org.Unit) {
	b.Helper()
	dsn := filepath.Join(b.TempDir(), "bench.db")
	db, err := store.Open(context.Background(), dsn, store.Options{})
	if err != nil {
		b.Fatal(err)
	}
	u := org.Unit{Code: "fuzhou", Name: "福州海关"}
	if err := db.CreateUnit(context.Background(), audit.System("bench"), &u); err != nil {
		b.Fatal(err)
	}
	return db, dsn, u
}

// BenchmarkMailIngest: messages ingested per second from a mailbox of
// GONGKAI_BENCH_MAIL_N messages (default 10,000) on a real dovecot over IMAP,
// side by side with the same messages piped (parsed and stored in process,
// as mail receive does after its start), interleaved over the rounds
// (GONGKAI_BENCH_MAIL_ROUNDS, default 3), and a sample of 200 through the
// real binary's mail receive, a process per message as a mail server runs
// it. Medians are reported. Run:
//
//	go test ./cmd/gongkai -run '^$' -bench MailIngest -benchtime 1x
func BenchmarkMailIngest(b *testing.B) {
	n := envInt("GONGKAI_BENCH_MAIL_N", 10000)
	rounds := envInt("GONGKAI_BENCH_MAIL_ROUNDS", 3)
	msgs := make([][]byte, n)
	size := 0
	for i := range msgs {
		msgs[i] = benchMessage(i)
		size += len(msgs[i])
	}
	srv := dovecottest.Start(b)
	c := srv.Client(b)
	t0 := time.Now()
	srv.Append(b, c, msgs...)
	b.Logf("mailbox: %d messages, %.1f MB, appended in %s", n, float64(size)/1e6, time.Since(t0).Round(time.Millisecond))
	bin := filepath.Join(b.TempDir(), "gongkai")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		b.Fatalf("build: %v %s", err, out)
	}
	ctx := context.Background()
	var imapRate, pipeRate, procRate []float64
	for r := 0; r < rounds; r++ {
		// IMAP: the poll as the mail.poll job runs it.
		db, dsn, u := benchDB(b)
		if err := db.SetMailbox(ctx, audit.System("bench"), store.MailboxSettings{UnitID: u.ID, Address: srv.Addr, Security: "none",
			Username: srv.Username, Password: srv.Password}); err != nil {
			b.Fatal(err)
		}
		start := time.Now()
		res, err := pollMailboxes(ctx, db, 0)
		el := time.Since(start)
		if err != nil || len(res) != 1 || res[0].Err != nil || res[0].Stored != n {
			b.Fatalf("poll: %+v %v", res, err)
		}
		imapRate = append(imapRate, float64(n)/el.Seconds())
		db.Close()
		os.Remove(dsn)

		// Piped, in process.
		db, dsn, u = benchDB(b)
		start = time.Now()
		for _, raw := range msgs {
			m, err := mail.Parse(bytes.NewReader(raw))
			if err != nil {
				b.Fatal(err)
			}
			if _, created, err := db.IngestMail(ctx, u.ID, store.SourcePipe, m); err != nil || !created {
				b.Fatal(err)
			}
		}
		el = time.Since(start)
		pipeRate = append(pipeRate, float64(n)/el.Seconds())

		// Piped through the binary, a process per message (a sample).
		k := min(200, n)
		start = time.Now()
		for i := 0; i < k; i++ {
			cmd := exec.Command(bin, "mail", "receive", "--unit", "fuzhou", "--db", dsn)
			cmd.Stdin = bytes.NewReader(benchMessage(n + i))
			if out, err := cmd.CombinedOutput(); err != nil {
				b.Fatalf("mail receive: %v %s", err, out)
			}
		}
		el = time.Since(start)
		procRate = append(procRate, float64(k)/el.Seconds())
		db.Close()
		b.Logf("round %d: IMAP %.0f msg/s, piped in process %.0f msg/s, mail receive process %.1f msg/s", r+1, imapRate[r], pipeRate[r], procRate[r])
	}
	mi, mp, mr := median(imapRate), median(pipeRate), median(procRate)
	b.ReportMetric(mi, "imap_msg/s")
	b.ReportMetric(mp, "piped_msg/s")
	b.ReportMetric(mr, "process_msg/s")
	b.ReportMetric(mi/mp, "imap/piped")
	b.Logf("medians over %d rounds: IMAP %.0f msg/s, piped %.0f msg/s (IMAP/piped %.2f), mail receive process %.1f msg/s", rounds, mi, mp, mi/mp, mr)
}

func median(xs []float64) float64 {
	s := slices.Clone(xs)
	slices.Sort(s)
	if len(s)%2 == 1 {
		return s[len(s)/2]
	}
	return (s[len(s)/2-1] + s[len(s)/2]) / 2
}

func envInt(k string, def int) int {
	if v, err := strconv.Atoi(os.Getenv(k)); err == nil && v > 0 {
		return v
	}
	return def
}

func qpGBK(s string) string {
	g, err := simplifiedchinese.GBK.NewEncoder().Bytes([]byte(s))
	if err != nil {
		panic(err)
	}
	var b bytes.Buffer
	w := quotedprintable.NewWriter(&b)
	w.Write(g)
	w.Close()
	return b.String() + "\r\n"
}

func base64Lines(p []byte) string {
	e := base64.StdEncoding.EncodeToString(p)
	var b strings.Builder
	for len(e) > 76 {
		b.WriteString(e[:76] + "\r\n")
		e = e[76:]
	}
	return b.String() + e
}
