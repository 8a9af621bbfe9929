package smtp

import (
	"bufio"
	"encoding/base64"
	"mime"
	"net/mail"
	"strings"
	"testing"

	"gongkai/internal/smtp/smtptest"
)

func TestSend(t *testing.T) {
	srv := smtptest.Start(t)
	host, port := srv.HostPort()
	cfg := Server{Host: host, Port: port, From: "gongkai@fuzhou.customs.example"}
	if err := cfg.SendReply([]string{"applicant@example.org"}, "【福州海关】已收到您的政府信息公开申请", "申请编号 YSQ20241009000002\n查询码 ABCDEFGHJKMN", "<apply-1@example.org>"); err != nil {
		t.Fatal(err)
	}
	msgs, rcpt := srv.Messages(), srv.Recipients()
	if len(msgs) != 1 || len(rcpt) != 1 || !strings.Contains(rcpt[0], "applicant@example.org") {
		t.Fatalf("server got %d messages to %v", len(msgs), rcpt)
	}
	m, err := mail.ReadMessage(strings.NewReader(msgs[0]))
	if err != nil {
		t.Fatal(err)
	}
	subj, err := new(mime.WordDecoder).DecodeHeader(m.Header.Get("Subject"))
	if err != nil || subj != "【福州海关】已收到您的政府信息公开申请" {
		t.Fatalf("subject %q %v", subj, err)
	}
	if m.Header.Get("In-Reply-To") != "<apply-1@example.org>" || m.Header.Get("Auto-Submitted") != "auto-generated" {
		t.Fatalf("headers %v", m.Header)
	}
	raw := new(strings.Builder)
	bufio.NewReader(m.Body).WriteTo(raw)
	dec, err := base64.StdEncoding.DecodeString(strings.ReplaceAll(raw.String(), "\r\n", ""))
	if err != nil || string(dec) != "申请编号 YSQ20241009000002\n查询码 ABCDEFGHJKMN" {
		t.Fatalf("body %q %v", dec, err)
	}
	// Unconfigured or unreachable: a clear error, no panic.
	if err := (Server{}).Send([]string{"x@y"}, "s", "b"); err == nil {
		t.Fatal("unconfigured SMTP sent")
	}
	srv.Close()
	if err := cfg.Send([]string{"x@y"}, "s", "b"); err == nil {
		t.Fatal("closed server accepted mail")
	}
}
