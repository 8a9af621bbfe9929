// Package smtp is the adapter that delivers the platform's e-mail over SMTP
// (net/smtp): the handlers' reminders (条例第三十三条), the inspection's
// digests, and the reply that tells an applicant who wrote by e-mail his
// receipt number and query code. The domain packages write the text; this
// package only sends it.
package smtp

import (
	"bytes"
	"encoding/base64"
	"fmt"
	"mime"
	"net"
	"net/smtp"
	"strconv"
	"strings"
	"time"

	"gongkai/internal/errs"
)

// Server is where mail goes.
type Server struct {
	Host string
	Port int
	From string
}

// Configured reports whether e-mail can be sent.
func (s Server) Configured() bool { return s.Host != "" && s.From != "" }

// Send delivers one plain-text message (UTF-8, base64, the subject encoded
// per RFC 2047) to the recipients.
func (s Server) Send(to []string, subject, body string) error {
	return s.SendReply(to, subject, body, "")
}

// SendReply is Send with an In-Reply-To header naming the message answered
// (its Message-ID), so that the applicant's client threads the reply.
func (s Server) SendReply(to []string, subject, body, inReplyTo string) error {
	if !s.Configured() {
		return errs.E(errs.Invalid, "未配置邮件服务器（requests.smtp_host、requests.smtp_from）。")
	}
	port := s.Port
	if port == 0 {
		port = 25
	}
	addr := net.JoinHostPort(s.Host, strconv.Itoa(port))
	conn, err := net.DialTimeout("tcp", addr, 10*time.Second)
	if err != nil {
		return errs.E(errs.Unavailable, "无法连接邮件服务器 %s：%v", addr, err)
	}
	conn.SetDeadline(time.Now().Add(30 * time.Second))
	c, err := smtp.NewClient(conn, s.Host)
	if err != nil {
		conn.Close()
		return errs.E(errs.Unavailable, "邮件服务器 %s 无响应：%v", addr, err)
	}
	defer c.Close()
	if err := c.Mail(s.From); err != nil {
		return errs.E(errs.Unavailable, "邮件服务器拒绝发件人 %s：%v", s.From, err)
	}
	for _, r := range to {
		if err := c.Rcpt(r); err != nil {
			return errs.E(errs.Unavailable, "邮件服务器拒绝收件人 %s：%v", r, err)
		}
	}
	w, err := c.Data()
	if err != nil {
		return errs.E(errs.Unavailable, "发送邮件失败：%v", err)
	}
	if _, err := w.Write(Message(s.From, to, subject, body, inReplyTo)); err != nil {
		return errs.E(errs.Unavailable, "发送邮件失败：%v", err)
	}
	if err := w.Close(); err != nil {
		return errs.E(errs.Unavailable, "发送邮件失败：%v", err)
	}
	return c.Quit()
}

// Message is the message Send writes. It is marked Auto-Submitted (RFC
// 3834), so that an applicant's auto-reply does not answer it back.
func Message(from string, to []string, subject, body, inReplyTo string) []byte {
	var b bytes.Buffer
	fmt.Fprintf(&b, "From: %s\r\nTo: %s\r\nSubject: %s\r\nMIME-Version: 1.0\r\nAuto-Submitted: auto-generated\r\n", from, strings.Join(to, ", "), mime.BEncoding.Encode("UTF-8", subject))
	if id := strings.Trim(strings.TrimSpace(inReplyTo), "<>"); id != "" && !strings.ContainsAny(id, "\r\n") {
		fmt.Fprintf(&b, "In-Reply-To: <%s>\r\nReferences: <%s>\r\n", id, id)
	}
	b.WriteString("Content-Type: text/plain; charset=UTF-8\r\nContent-Transfer-Encoding: base64\r\n\r\n")
	enc := base64.StdEncoding.EncodeToString([]byte(body))
	for len(enc) > 76 {
		b.WriteString(enc[:76] + "\r\n")
		enc = enc[76:]
	}
	b.WriteString(enc + "\r\n")
	return b.Bytes()
}
