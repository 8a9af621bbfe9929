package mail

import (
	"bufio"
	"bytes"
	"encoding/base64"
	"errors"
	"io"
	"mime/quotedprintable"
	"strings"
	"testing"
	"unicode/utf8"

	"golang.org/x/text/encoding/simplifiedchinese"
)

func gbk(s string) string {
	b, err := simplifiedchinese.GBK.NewEncoder().Bytes([]byte(s))
	if err != nil {
		panic(err)
	}
	return string(b)
}

func gb18030(s string) string {
	b, err := simplifiedchinese.GB18030.NewEncoder().Bytes([]byte(s))
	if err != nil {
		panic(err)
	}
	return string(b)
}

func qp(s string) string {
	var b bytes.Buffer
	w := quotedprintable.NewWriter(&b)
	w.Write([]byte(s))
	w.Close()
	return b.String()
}

func b64(s string) string {
	e := base64.StdEncoding.EncodeToString([]byte(s))
	var b strings.Builder
	for len(e) > 76 {
		b.WriteString(e[:76] + "\r\n")
		e = e[76:]
	}
	return b.String() + e
}

func crlf(s string) string { return strings.ReplaceAll(s, "\n", "\r\n") }

const contract = "From: test@example.cn\r\nTo: office@example.cn\r\nSubject: =?UTF-8?B?5pS/5bqc5L+h5oGv5YWs5byA55Sz6K+3?=\r\nMessage-ID: <contracts-1@example.cn>\r\nContent-Type: text/plain; charset=UTF-8\r\n\r\n申请公开2024年的统计数据。\r\n"

func TestParseCharsetsAndEncodings(t *testing.T) {
	pdf := "%PDF-1.4 身份证复印件"
	cases := []struct {
		name, raw                string
		from, subject, text, key string
		attachments, refused     int
		warn                     bool
	}{
		{"contract: UTF-8 with an RFC 2047 B subject", contract,
			"test@example.cn", "政府信息公开申请", "申请公开2024年的统计数据。", "mid:contracts-1@example.cn", 0, 0, false},
		{"GBK quoted-printable, Q-encoded GBK subject", crlf("From: =?GBK?B?"+base64.StdEncoding.EncodeToString([]byte(gbk("张三")))+"?= <ZhangSan@Example.CN>\n"+
			"Subject: =?GBK?Q?"+strings.ReplaceAll(strings.TrimSpace(qp(gbk("申请公开"))), "=\r\n", "")+"?=\n"+
			"Message-ID: <gbk@x>\nContent-Type: text/plain; charset=GBK\nContent-Transfer-Encoding: quoted-printable\n\n") + qp(gbk("请公开本区2023年道路养护合同。")),
			"zhangsan@example.cn", "申请公开", "请公开本区2023年道路养护合同。", "mid:gbk@x", 0, 0, false},
		{"GB18030 base64, a character outside GBK", crlf("From: a@b.cn\nSubject: x\nContent-Type: text/plain; charset=\"gb18030\"\nContent-Transfer-Encoding: base64\n\n") + b64(gb18030("申请公开𠀀号文件的全文。")),
			"a@b.cn", "x", "申请公开𠀀号文件的全文。", "", 0, 0, false},
		{"GB2312 label read as GB18030", crlf("From: a@b.cn\nSubject: =?gb2312?B?"+base64.StdEncoding.EncodeToString([]byte(gbk("申请")))+"?=\nContent-Type: text/plain; charset=gb2312\n\n") + gbk("镕基"),
			"a@b.cn", "申请", "镕基", "", 0, 0, false},
		{"HTML only, cleaned to text", crlf("From: a@b.cn\nSubject: h\nContent-Type: text/html; charset=utf-8\n\n<html><head><style>p{color:red}</style><script>alert(1)</script></head><body><p>申请公开&lt;规划&gt;</p><div>第二段<br>第三行</div></body></html>"),
			"a@b.cn", "h", "申请公开<规划>\n第二段\n第三行", "", 0, 0, false},
		{"alternative: the plain part wins", crlf("From: a@b.cn\nSubject: alt\nContent-Type: multipart/alternative; boundary=\"b1\"\n\n--b1\nContent-Type: text/plain; charset=utf-8\n\n纯文本正文\n--b1\nContent-Type: text/html; charset=utf-8\n\n<p>网页正文</p>\n--b1--\n"),
			"a@b.cn", "alt", "纯文本正文", "", 0, 0, false},
		{"mixed: a PDF kept, an EXE refused, GBK-encoded file name", crlf("From: a@b.cn\nSubject: att\nContent-Type: multipart/mixed; boundary=\"b2\"\n\n--b2\nContent-Type: text/plain; charset=utf-8\n\n见附件\n--b2\nContent-Type: application/pdf\nContent-Disposition: attachment; filename=\"=?GBK?B?" + base64.StdEncoding.EncodeToString([]byte(gbk("身份证.pdf"))) + "?=\"\nContent-Transfer-Encoding: base64\n\n" + b64(pdf) + "\n--b2\nContent-Type: application/octet-stream\nContent-Disposition: attachment; filename=\"run.exe\"\n\nMZ\n--b2--\n"),
			"a@b.cn", "att", "见附件", "", 1, 1, false},
		{"unknown charset: kept, with a warning", crlf("From: a@b.cn\nSubject: u\nContent-Type: text/plain; charset=x-klingon\n\n申请公开预算。"),
			"a@b.cn", "u", "申请公开预算。", "", 0, 0, true},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			m, err := Parse(strings.NewReader(c.raw))
			if err != nil {
				t.Fatal(err)
			}
			if m.Kind != Application || m.From != c.from || m.Subject != c.subject || m.Text != c.text {
				t.Fatalf("got kind %s from %q subject %q text %q", m.Kind, m.From, m.Subject, m.Text)
			}
			if c.key != "" && m.Key != c.key {
				t.Errorf("key %q, want %q", m.Key, c.key)
			}
			if c.key == "" && !strings.HasPrefix(m.Key, "sha256:") {
				t.Errorf("no Message-ID: key %q, want the hash", m.Key)
			}
			if len(m.Attachments) != c.attachments || len(m.Refused) != c.refused {
				t.Errorf("attachments %d refused %+v", len(m.Attachments), m.Refused)
			}
			if (len(m.Warnings) > 0) != c.warn {
				t.Errorf("warnings %q", m.Warnings)
			}
		})
	}
	m, _ := Parse(strings.NewReader(cases[6].raw))
	if a := m.Attachments[0]; a.Name != "身份证.pdf" || string(a.Content) != pdf || a.ContentType != "application/pdf" {
		t.Errorf("attachment %q %q %q", a.Name, a.Content, a.ContentType)
	}
	if r := m.Refused[0]; r.Name != "run.exe" || !strings.Contains(r.Reason, "不支持") {
		t.Errorf("refused %+v", r)
	}
}

func TestParseKeepsApart(t *testing.T) {
	cases := []struct {
		name, head string
		want       Kind
	}{
		{"X-Spam-Flag", "X-Spam-Flag: YES\n", Spam},
		{"X-Spam-Status", "X-Spam-Status: Yes, score=9.1 required=5.0\n", Spam},
		{"not spam", "X-Spam-Status: No, score=0.1\n", Application},
		{"Auto-Submitted", "Auto-Submitted: auto-replied\n", AutoReply},
		{"Auto-Submitted: no", "Auto-Submitted: no\n", Application},
		{"Precedence bulk", "Precedence: bulk\n", AutoReply},
		{"empty Return-Path", "Return-Path: <>\n", Bounce},
		{"DSN", "Content-Type: multipart/report; report-type=delivery-status; boundary=\"r\"\n", Bounce},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			body := "正文\n"
			if strings.Contains(c.head, "multipart/report") {
				body = "--r\nContent-Type: text/plain\n\nDelivery failed\n--r\nContent-Type: message/delivery-status\n\nStatus: 5.1.1\n--r--\n"
			}
			m, err := Parse(strings.NewReader(crlf("From: a@b.cn\nSubject: s\n" + c.head + "\n" + body)))
			if err != nil {
				t.Fatal(err)
			}
			if m.Kind != c.want {
				t.Fatalf("kind %s (%s), want %s", m.Kind, m.Why, c.want)
			}
		})
	}
}

func TestParseMalformed(t *testing.T) {
	for name, raw := range map[string]string{
		"no header":             "just some text without any header\r\n",
		"no sender":             "Subject: x\r\n\r\nbody\r\n",
		"multipart no boundary": "From: a@b.cn\r\nContent-Type: multipart/mixed\r\n\r\nbody\r\n",
		"broken multipart":      "From: a@b.cn\r\nContent-Type: multipart/mixed; boundary=zz\r\n\r\n--zz\r\nbroken header line without colon\r\n\r\nx\r\n",
	} {
		t.Run(name, func(t *testing.T) {
			m, err := Parse(strings.NewReader(raw))
			if !errors.Is(err, ErrMalformed) {
				t.Fatalf("err %v", err)
			}
			if m.Kind != Malformed || m.Why == "" || !strings.HasPrefix(m.Key, "sha256:") {
				t.Fatalf("%+v", m)
			}
		})
	}
}

// A 50 MB attachment is counted and named, not kept, and costs no more
// than the portal's limit in memory.
func TestParseHugeAttachment(t *testing.T) {
	const size = 50 << 20
	head := crlf("From: a@b.cn\nSubject: big\nMessage-ID: <big@x>\nContent-Type: multipart/mixed; boundary=\"b\"\n\n--b\nContent-Type: text/plain; charset=utf-8\n\n申请公开附件所列文件\n--b\nContent-Type: application/pdf\nContent-Disposition: attachment; filename=\"scan.pdf\"\nContent-Transfer-Encoding: base64\n\n")
	pr, pw := io.Pipe()
	go func() {
		bw := bufio.NewWriterSize(pw, 64<<10)
		w := base64.NewEncoder(base64.StdEncoding, &lineWriter{w: bw})
		w.Write([]byte("%PDF-1.4\n"))
		chunk := make([]byte, 1<<20)
		for n := 0; n < size; n += len(chunk) {
			w.Write(chunk)
		}
		w.Close()
		bw.WriteString("\r\n--b--\r\n")
		bw.Flush()
		pw.Close()
	}()
	m, err := Parse(io.MultiReader(strings.NewReader(head), pr))
	if err != nil {
		t.Fatal(err)
	}
	if len(m.Attachments) != 0 || len(m.Refused) != 1 {
		t.Fatalf("attachments %d refused %+v", len(m.Attachments), m.Refused)
	}
	if r := m.Refused[0]; r.Name != "scan.pdf" || r.Size < size || !strings.Contains(r.Reason, "超过5MB") {
		t.Fatalf("refused %+v", r)
	}
	if m.Text != "申请公开附件所列文件" || m.Key != "mid:big@x" {
		t.Fatalf("%q %q", m.Text, m.Key)
	}
}

type lineWriter struct {
	w   *bufio.Writer
	col int
}

func (l *lineWriter) Write(p []byte) (int, error) {
	for _, c := range p {
		if l.col == 76 {
			l.w.WriteString("\r\n")
			l.col = 0
		}
		l.w.WriteByte(c)
		l.col++
	}
	return len(p), nil
}

func TestIDNumbers(t *testing.T) {
	s := "本人身份证号11010519491231002x，单位代码91330100716105852F；订单号123456789012345678901不算，110105194912310021校验位错。"
	got := IDNumbers(s)
	if len(got) != 2 || got[0] != "11010519491231002X" || got[1] != "91330100716105852F" {
		t.Fatalf("%q", got)
	}
	masked := MaskIDNumbers(s, got)
	if strings.Contains(masked, "11010519491231002x") || strings.Contains(masked, "91330100716105852F") || !strings.Contains(masked, "110*************2X") || !strings.Contains(masked, "110105194912310021") {
		t.Fatalf("%s", masked)
	}
	if ReceiptNo("Re: 补正 ysq20240301000012 材料") != "YSQ20240301000012" || ReceiptNo("无编号") != "" {
		t.Fatal("receipt number")
	}
}

// What the store writes must be valid UTF-8 (PostgreSQL refuses anything
// else), whatever bytes the message carries; FuzzParse found the first.
func TestParseKeepsUTF8(t *testing.T) {
	t.Run("an 8-bit header line quoted in Why", func(t *testing.T) {
		m, err := Parse(strings.NewReader("\xec"))
		if !errors.Is(err, ErrMalformed) || !utf8.ValidString(m.Why) {
			t.Fatalf("err %v why %q", err, m.Why)
		}
	})
	raw := "From: =?utf-8?B?" + base64.StdEncoding.EncodeToString([]byte("张\xff")) + "?= <a@b.cn>\r\n" +
		"Subject: " + gbk("申请公开") + " =?UTF-8?B?" + base64.StdEncoding.EncodeToString([]byte("合同")) + "?=\r\n" +
		"Message-ID: <" + strings.Repeat("a", 499) + "张@x>\r\n" +
		"Content-Type: text/plain; charset=\"x-\xb9\xfa\"\r\n\r\n正文\r\n"
	m, err := Parse(strings.NewReader(raw))
	if err != nil {
		t.Fatal(err)
	}
	for name, s := range map[string]string{"FromName": m.FromName, "Subject": m.Subject, "MessageID": m.MessageID, "Key": m.Key, "warnings": strings.Join(m.Warnings, "")} {
		if !utf8.ValidString(s) {
			t.Errorf("%s %q", name, s)
		}
	}
	if m.Subject != "申请公开 合同" {
		t.Errorf("a raw GBK subject: %q", m.Subject)
	}
	if m.MessageID != strings.Repeat("a", 499) {
		t.Errorf("Message-ID cut inside a character: %q", m.MessageID)
	}
}
