package mail

import (
	"bytes"
	"errors"
	"strings"
	"testing"
	"unicode/utf8"

	"gongkai/internal/requests"
)

// FuzzParse feeds Parse arbitrary bytes. Whatever comes in, the result is
// either a Malformed message with an error wrapping ErrMalformed, or one of
// the other kinds; every text field is valid UTF-8 (the store writes them
// to PostgreSQL, which refuses anything else); the body and the Message-ID
// are within their bounds; the attachments kept are within the portal's
// limits and pass its check; and no attachment, kept or refused, is larger
// than the message it came in (a transfer encoding never decodes to more
// bytes than it is written in).
func FuzzParse(f *testing.F) {
	f.Add([]byte(contract))
	f.Add([]byte("From: a@b.cn\r\nSubject: x\r\nContent-Type: multipart/mixed; boundary=zz\r\n\r\n--zz\r\nContent-Type: text/plain\r\n\r\nx\r\n--zz--\r\n"))
	f.Fuzz(func(t *testing.T, raw []byte) {
		m, err := Parse(bytes.NewReader(raw))
		if m == nil {
			t.Fatalf("nil message (err %v)", err)
		}
		if m.Size != int64(len(raw)) {
			t.Fatalf("Size %d, want %d", m.Size, len(raw))
		}
		if m.Key == "" {
			t.Fatal("no Key")
		}
		if err != nil {
			if !errors.Is(err, ErrMalformed) {
				t.Fatalf("error %v does not wrap ErrMalformed", err)
			}
			if m.Kind != Malformed || m.Why == "" || !strings.HasPrefix(m.Key, "sha256:") {
				t.Fatalf("error %v but kind %q why %q key %q", err, m.Kind, m.Why, m.Key)
			}
		} else {
			switch m.Kind {
			case Application, Spam, Bounce, AutoReply:
			default:
				t.Fatalf("no error but kind %q", m.Kind)
			}
			if m.From == "" {
				t.Fatal("no error but no sender")
			}
		}
		valid := func(field, s string) {
			if !utf8.ValidString(s) {
				t.Fatalf("%s is not valid UTF-8: %q", field, s)
			}
		}
		valid("Key", m.Key)
		valid("MessageID", m.MessageID)
		valid("From", m.From)
		valid("FromName", m.FromName)
		valid("Subject", m.Subject)
		valid("Text", m.Text)
		valid("Why", m.Why)
		for _, w := range m.Warnings {
			valid("warning", w)
		}
		if len(m.MessageID) > 500 {
			t.Fatalf("MessageID of %d bytes", len(m.MessageID))
		}
		if n := utf8.RuneCountInString(m.Text); n > MaxTextRunes+len([]rune("\n……（以下内容过长，已截断）")) {
			t.Fatalf("Text of %d runes", n)
		}
		if len(m.Attachments) > requests.MaxAttachments {
			t.Fatalf("%d attachments kept", len(m.Attachments))
		}
		var total int64
		for _, a := range m.Attachments {
			valid("attachment name", a.Name)
			if len(a.Content) == 0 || len(a.Content) > requests.MaxAttachmentBytes || a.ContentType == "" {
				t.Fatalf("attachment %q: %d bytes, type %q", a.Name, len(a.Content), a.ContentType)
			}
			again := []requests.Attachment{{Name: a.Name, Content: a.Content}}
			if err := requests.CheckAttachments(again); err != nil || again[0].Name != a.Name {
				t.Fatalf("attachment %q kept but %v", a.Name, err)
			}
			total += int64(len(a.Content))
		}
		for _, r := range m.Refused {
			valid("refused name", r.Name)
			valid("refused reason", r.Reason)
			if r.Name == "" || r.Reason == "" || r.Size < 0 {
				t.Fatalf("refused %+v", r)
			}
			total += r.Size
		}
		if total > int64(len(raw)) {
			t.Fatalf("attachments of %d bytes in all from a message of %d", total, len(raw))
		}
	})
}
