// Package mail reads an e-mail message (RFC 5322 with MIME) into what a
// handler needs to register an application that came as 数据电文 by e-mail
// (条例第二十九条): the sender, the subject and the body decoded to text,
// the attachments within the portal's limits, and whether the message is
// an application at all (spam, bounces and auto-replies are kept apart).
//
// It is an adapter: it knows mail formats, not the law. The date of
// receipt is not taken from the message (its Date: header is the sender's
// claim); it is the day a handler confirms with the applicant (第三十一条).
package mail

import (
	"bufio"
	"bytes"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"mime/quotedprintable"
	"net/mail"
	"regexp"
	"strings"
	"time"
	"unicode/utf8"

	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/htmlindex"
	"golang.org/x/text/encoding/simplifiedchinese"

	"gongkai/internal/errs"
	"gongkai/internal/requests"
)

// Kind says what a message is.
type Kind string

// The kinds. Only an Application may become an application; the others are
// kept apart for a handler to look at.
const (
	Application Kind = "application" // 申请或补正邮件
	Spam        Kind = "spam"        // 垃圾邮件（邮件服务器标记）
	Bounce      Kind = "bounce"      // 退信（投递状态通知）
	AutoReply   Kind = "auto_reply"  // 自动回复
	Malformed   Kind = "malformed"   // 无法解析的邮件
)

// Label is the Chinese name of the kind.
func (k Kind) Label() string {
	switch k {
	case Application:
		return "申请邮件"
	case Spam:
		return "垃圾邮件"
	case Bounce:
		return "退信"
	case AutoReply:
		return "自动回复"
	case Malformed:
		return "无法解析的邮件"
	}
	return string(k)
}

// Limits of what is read.
const (
	// MaxTextRunes bounds the body kept as text (an application's
	// description is at most 5000 characters; the rest stays readable to
	// the handler up to this bound).
	MaxTextRunes = 20000
	// maxParts bounds the MIME parts walked, against a message built to
	// exhaust the parser.
	maxParts = 100
	maxDepth = 5
)

// Message is a parsed e-mail.
type Message struct {
	// Key identifies the message for deduplication: its Message-ID, or a
	// hash of the whole message where it has none.
	Key       string
	MessageID string
	From      string // the sender's address, lower case
	FromName  string
	Subject   string
	// Date is the sender's Date: header, shown to the handler only.
	Date time.Time
	Text string
	Kind Kind
	// Why says what made the message spam, a bounce or an auto-reply, or
	// what could not be read.
	Why string
	// Attachments passed the portal's checks (requests.CheckAttachments);
	// Refused were kept out, each with its name and the reason.
	Attachments []requests.Attachment
	Refused     []Refused
	// Warnings are what the handler should know (an unknown charset).
	Warnings []string
	Size     int64 // bytes read
}

// Refused is an attachment kept out of the registration.
type Refused struct {
	Name   string
	Size   int64
	Reason string
}

// ErrMalformed is wrapped by Parse when the message cannot be read as mail.
var ErrMalformed = errors.New("malformed message")

// Parse reads one message. Attachments are read up to the portal's limit
// and the rest of a larger one is counted and dropped, so a 50 MB file
// costs no more memory than a 5 MB one. A message that is not mail at all
// gives a Message of kind Malformed (with Key, from the hash, and Why) and
// an error wrapping ErrMalformed, so that the caller can keep it apart.
func Parse(r io.Reader) (*Message, error) {
	h := sha256.New()
	cr := &countReader{r: io.TeeReader(r, h)}
	m := &Message{}
	err := parse(bufio.NewReaderSize(cr, 64<<10), m)
	io.Copy(io.Discard, cr) // the hash covers the whole message
	m.Size = cr.n
	hash := "sha256:" + hex.EncodeToString(h.Sum(nil))
	if m.MessageID != "" {
		m.Key = "mid:" + m.MessageID
	} else {
		m.Key = hash
	}
	if err != nil {
		// the reason may quote the message's own bytes, in any encoding
		m.Kind, m.Why, m.Key = Malformed, strings.ToValidUTF8(err.Error(), "�"), hash
		return m, fmt.Errorf("%w: %v", ErrMalformed, err)
	}
	return m, nil
}

type countReader struct {
	r io.Reader
	n int64
}

func (c *countReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += int64(n)
	return n, err
}

var dec = &mime.WordDecoder{CharsetReader: charsetReader}

func charsetReader(charset string, input io.Reader) (io.Reader, error) {
	e, err := lookupCharset(charset)
	if err != nil {
		return nil, err
	}
	return e.NewDecoder().Reader(input), nil
}

// lookupCharset finds a charset by its MIME name; GB2312 is read as GB18030,
// its superset (mail clients label GBK text GB2312).
func lookupCharset(name string) (encoding.Encoding, error) {
	n := strings.ToLower(strings.Trim(strings.TrimSpace(name), `"`))
	switch n {
	case "", "utf-8", "utf8", "us-ascii", "ascii":
		return encoding.Nop, nil
	case "gb2312", "gbk", "gb18030", "cp936", "x-gbk", "euc-cn":
		return simplifiedchinese.GB18030, nil
	}
	e, err := htmlindex.Get(n)
	if err != nil {
		return nil, fmt.Errorf("未知的字符集“%s”", strings.ToValidUTF8(name, "�"))
	}
	return e, nil
}

func parse(r io.Reader, m *Message) error {
	msg, err := mail.ReadMessage(r)
	if err != nil {
		return fmt.Errorf("邮件头无法解析：%v", err)
	}
	hd := msg.Header
	m.MessageID = strings.ToValidUTF8(strings.Trim(strings.TrimSpace(hd.Get("Message-Id")), "<>"), "�")
	if len(m.MessageID) > 500 {
		n := 500
		for n > 0 && !utf8.RuneStart(m.MessageID[n]) {
			n--
		}
		m.MessageID = m.MessageID[:n]
	}
	m.Subject = m.header(hd.Get("Subject"))
	if d, err := hd.Date(); err == nil {
		m.Date = d
	}
	from := hd.Get("From")
	if a, err := (&mail.AddressParser{WordDecoder: dec}).Parse(from); err == nil {
		// an encoded word's bytes are not checked against its charset
		m.From, m.FromName = strings.ToLower(a.Address), strings.ToValidUTF8(a.Name, "�")
	} else if a := looseAddress(from); a != "" {
		m.From = a
	} else {
		return fmt.Errorf("发件人地址无法解析：%q", clip(from, 100))
	}
	m.Kind = Application
	m.classify(hd)
	var text, html string
	parts := 0
	if err := m.walk(textproto(hd), msg.Body, 0, &parts, &text, &html); err != nil {
		return err
	}
	if strings.TrimSpace(text) == "" && html != "" {
		text = HTMLText(html)
	}
	m.Text = clipRunes(strings.TrimSpace(normalizeNewlines(text)), MaxTextRunes)
	return nil
}

// header decodes an RFC 2047 header, keeping it raw (and saying so) where
// a charset is unknown.
func (m *Message) header(v string) string {
	if !utf8.ValidString(v) {
		// 8-bit bytes in a header, not RFC 2047 words: Chinese clients
		// send GBK so; GB18030 reads it and keeps ASCII (and so any
		// encoded word) as it is.
		if s, err := simplifiedchinese.GB18030.NewDecoder().String(v); err == nil {
			v = s
		}
		v = strings.ToValidUTF8(v, "�")
	}
	s, err := dec.DecodeHeader(v)
	if err != nil {
		m.warn(fmt.Sprintf("邮件头使用了无法识别的编码，原样显示：%v", err))
		return strings.TrimSpace(v)
	}
	if !utf8.ValidString(s) {
		s = strings.ToValidUTF8(s, "�")
	}
	return strings.TrimSpace(s)
}

func (m *Message) warn(s string) {
	for _, w := range m.Warnings {
		if w == s {
			return
		}
	}
	m.Warnings = append(m.Warnings, s)
}

var angleAddr = regexp.MustCompile(`[A-Za-z0-9._%+\-]+@[A-Za-z0-9.\-]+`)

func looseAddress(s string) string {
	return strings.ToLower(angleAddr.FindString(s))
}

// classify keeps apart what the mail server marked as spam (X-Spam-Flag,
// X-Spam-Status), delivery reports (RFC 3464) and what a program sent
// (Auto-Submitted, RFC 3834, and the older conventions).
func (m *Message) classify(hd mail.Header) {
	flag := strings.ToLower(strings.TrimSpace(hd.Get("X-Spam-Flag")))
	status := strings.ToLower(strings.TrimSpace(hd.Get("X-Spam-Status")))
	switch {
	case flag == "yes" || flag == "true" || strings.HasPrefix(status, "yes"):
		m.Kind, m.Why = Spam, "邮件服务器标记为垃圾邮件"
		return
	}
	ct, params, _ := mime.ParseMediaType(hd.Get("Content-Type"))
	from := strings.ToLower(m.From)
	switch {
	case ct == "multipart/report" && strings.EqualFold(params["report-type"], "delivery-status"):
		m.Kind, m.Why = Bounce, "投递状态通知（退信）"
		return
	case strings.HasPrefix(from, "mailer-daemon@") || strings.HasPrefix(from, "postmaster@") || strings.TrimSpace(hd.Get("Return-Path")) == "<>":
		m.Kind, m.Why = Bounce, "邮件系统发出的退信"
		return
	}
	if a := strings.ToLower(strings.TrimSpace(hd.Get("Auto-Submitted"))); a != "" && a != "no" {
		m.Kind, m.Why = AutoReply, "自动发送的邮件（Auto-Submitted: "+a+"）"
		return
	}
	if hd.Get("X-Autoreply") != "" || hd.Get("X-Autorespond") != "" {
		m.Kind, m.Why = AutoReply, "自动回复"
		return
	}
	switch strings.ToLower(strings.TrimSpace(hd.Get("Precedence"))) {
	case "auto_reply", "bulk", "junk":
		m.Kind, m.Why = AutoReply, "自动发送或群发的邮件（Precedence）"
	}
}

// partHeader is what the walker needs of a part's header.
type partHeader interface{ Get(string) string }

func textproto(h mail.Header) partHeader { return h }

// walk reads a MIME entity: the first text part (or the text of an HTML
// part) is the body, the rest are attachments.
func (m *Message) walk(h partHeader, body io.Reader, depth int, parts *int, text, html *string) error {
	*parts++
	if *parts > maxParts || depth > maxDepth {
		return fmt.Errorf("邮件的组成部分过多或嵌套过深")
	}
	ctRaw := h.Get("Content-Type")
	ct, params, err := mime.ParseMediaType(ctRaw)
	if err != nil {
		if strings.TrimSpace(ctRaw) != "" {
			m.warn("邮件的内容类型无法识别，按纯文本读取")
		}
		ct, params = "text/plain", map[string]string{}
	}
	if strings.HasPrefix(ct, "multipart/") {
		b := params["boundary"]
		if b == "" {
			return fmt.Errorf("多部分邮件缺少分隔符（boundary）")
		}
		mr := multipart.NewReader(body, b)
		for {
			p, err := mr.NextRawPart()
			if err == io.EOF {
				return nil
			}
			if err != nil {
				return fmt.Errorf("邮件的组成部分无法解析：%v", err)
			}
			if err := m.walk(p.Header, p, depth+1, parts, text, html); err != nil {
				return err
			}
		}
	}
	name := m.fileName(h)
	disp, _, _ := mime.ParseMediaType(h.Get("Content-Disposition"))
	isText := (ct == "text/plain" || ct == "text/html") && disp != "attachment" && name == ""
	content := decodeTransfer(h.Get("Content-Transfer-Encoding"), body)
	if isText {
		if (ct == "text/plain" && *text != "") || (ct == "text/html" && *html != "") {
			// an alternative already read (multipart/alternative)
			io.Copy(io.Discard, content)
			return nil
		}
		b, err := io.ReadAll(io.LimitReader(content, 4*MaxTextRunes))
		io.Copy(io.Discard, content)
		if err != nil {
			return fmt.Errorf("邮件正文无法解码：%v", err)
		}
		s := m.decodeText(params["charset"], b)
		if ct == "text/html" {
			*html = s
		} else {
			*text = s
		}
		return nil
	}
	if name == "" {
		name = "未命名附件" + extOf(ct)
	}
	return m.attach(name, content)
}

// decodeText turns a body in its charset into UTF-8; an unknown charset is
// read as UTF-8 where it is valid, GB18030 otherwise, with a warning.
func (m *Message) decodeText(charset string, b []byte) string {
	e, err := lookupCharset(charset)
	if err != nil {
		m.warn(fmt.Sprintf("邮件正文使用了%v，已尽量按通用编码显示，请核对原文", err))
		if utf8.Valid(b) {
			return string(b)
		}
		e = simplifiedchinese.GB18030
	}
	out, err := e.NewDecoder().Bytes(b)
	if err != nil {
		return strings.ToValidUTF8(string(b), "�")
	}
	return strings.ToValidUTF8(string(out), "�")
}

func decodeTransfer(cte string, r io.Reader) io.Reader {
	switch strings.ToLower(strings.TrimSpace(cte)) {
	case "base64":
		return base64.NewDecoder(base64.StdEncoding, &base64Clean{r: r})
	case "quoted-printable":
		return quotedprintable.NewReader(r)
	}
	return r
}

// base64Clean drops the line breaks and spaces that mail puts in base64.
type base64Clean struct{ r io.Reader }

func (b *base64Clean) Read(p []byte) (int, error) {
	for {
		n, err := b.r.Read(p)
		j := 0
		for _, c := range p[:n] {
			if c != '\r' && c != '\n' && c != ' ' && c != '\t' {
				p[j] = c
				j++
			}
		}
		if j > 0 || err != nil {
			return j, err
		}
	}
}

func (m *Message) fileName(h partHeader) string {
	var name string
	if _, p, err := mime.ParseMediaType(h.Get("Content-Disposition")); err == nil {
		name = p["filename"]
	}
	if name == "" {
		if _, p, err := mime.ParseMediaType(h.Get("Content-Type")); err == nil {
			name = p["name"]
		}
	}
	if name == "" {
		return ""
	}
	// Chinese clients often put RFC 2047 words inside the parameter.
	if s, err := dec.DecodeHeader(name); err == nil {
		name = s
	}
	return strings.ToValidUTF8(strings.TrimSpace(name), "�")
}

func extOf(ct string) string {
	switch ct {
	case "application/pdf":
		return ".pdf"
	case "image/jpeg":
		return ".jpg"
	case "image/png":
		return ".png"
	case "message/rfc822":
		return ".eml"
	}
	return ""
}

// attach reads one attachment within the portal's limits: over
// requests.MaxAttachmentBytes it is counted, dropped and named; one of a
// type the portal refuses, or beyond the number allowed, likewise.
func (m *Message) attach(name string, r io.Reader) error {
	var buf bytes.Buffer
	n, err := io.Copy(&buf, io.LimitReader(r, requests.MaxAttachmentBytes+1))
	if err != nil {
		m.Refused = append(m.Refused, Refused{Name: name, Size: n, Reason: "附件无法解码"})
		io.Copy(io.Discard, r)
		return nil
	}
	if n > requests.MaxAttachmentBytes {
		rest, _ := io.Copy(io.Discard, r)
		m.Refused = append(m.Refused, Refused{Name: name, Size: n + rest,
			Reason: fmt.Sprintf("超过%dMB，未收入；请告知申请人压缩或分批发送，或以其他方式提交", requests.MaxAttachmentBytes>>20)})
		return nil
	}
	if len(m.Attachments) >= requests.MaxAttachments {
		m.Refused = append(m.Refused, Refused{Name: name, Size: n, Reason: fmt.Sprintf("附件最多%d个，其余未收入", requests.MaxAttachments)})
		return nil
	}
	a := []requests.Attachment{{Name: name, Content: buf.Bytes()}}
	if err := requests.CheckAttachments(a); err != nil {
		m.Refused = append(m.Refused, Refused{Name: name, Size: n, Reason: strings.TrimSuffix(errs.MessageOf(err), "。")})
		return nil
	}
	m.Attachments = append(m.Attachments, a[0])
	return nil
}

func normalizeNewlines(s string) string {
	s = strings.ReplaceAll(s, "\r\n", "\n")
	return strings.ReplaceAll(s, "\r", "\n")
}

func clip(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "…"
}

func clipRunes(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)
	return string(r[:n]) + "\n……（以下内容过长，已截断）"
}
