package requests

import (
	"bytes"
	"path"
	"strings"
	"unicode/utf8"

	"gongkai/internal/errs"
)

// Attachments an applicant adds to an application (proof of identity, a
// power of attorney, a document that identifies the information sought —
// 条例第二十九条) are limited in number, size and type, and the type is
// checked from the content, not only from the name.

// Limits of attachments.
const (
	MaxAttachments     = 5
	MaxAttachmentBytes = 5 << 20 // 5 MB each
)

// AttachmentTypes are the accepted types: name extensions with the content
// type stored and the magic bytes the content must start with.
var AttachmentTypes = []struct {
	Ext, ContentType string
	Magic            []byte
}{
	{".pdf", "application/pdf", []byte("%PDF-")},
	{".jpg", "image/jpeg", []byte{0xFF, 0xD8, 0xFF}},
	{".jpeg", "image/jpeg", []byte{0xFF, 0xD8, 0xFF}},
	{".png", "image/png", []byte("\x89PNG\r\n\x1a\n")},
	{".docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document", []byte("PK\x03\x04")},
}

// Attachment is one uploaded file.
type Attachment struct {
	Name        string
	ContentType string
	Content     []byte
}

// CheckAttachments validates the files of one submission and sets each
// one's content type; the error is a field error on "attachments".
func CheckAttachments(files []Attachment) error {
	if len(files) > MaxAttachments {
		return errs.FieldError("attachments", "附件最多%d个。", MaxAttachments)
	}
	for i := range files {
		f := &files[i]
		f.Name = strings.TrimSpace(path.Base(strings.ReplaceAll(f.Name, "\\", "/")))
		if f.Name == "" || f.Name == "." || f.Name == "/" || !utf8.ValidString(f.Name) || utf8.RuneCountInString(f.Name) > 100 {
			return errs.FieldError("attachments", "附件文件名无效（不超过100个字）。")
		}
		if len(f.Content) == 0 {
			return errs.FieldError("attachments", "附件“%s”是空文件。", f.Name)
		}
		if len(f.Content) > MaxAttachmentBytes {
			return errs.FieldError("attachments", "附件“%s”超过%dMB。", f.Name, MaxAttachmentBytes>>20)
		}
		ext := strings.ToLower(path.Ext(f.Name))
		ok := false
		for _, t := range AttachmentTypes {
			if t.Ext == ext {
				if !bytes.HasPrefix(f.Content, t.Magic) {
					return errs.FieldError("attachments", "附件“%s”的内容与文件类型不符。", f.Name)
				}
				f.ContentType, ok = t.ContentType, true
				break
			}
		}
		if !ok {
			return errs.FieldError("attachments", "附件“%s”的类型不支持，仅接受PDF、JPG、PNG、DOCX文件。", f.Name)
		}
	}
	return nil
}
