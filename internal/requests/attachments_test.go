package requests

import (
	"bytes"
	"strings"
	"testing"

	"gongkai/internal/errs"
)

func TestCheckAttachments(t *testing.T) {
	pdf := []byte("%PDF-1.4 body")
	png := []byte("\x89PNG\r\n\x1a\nrest")
	for _, c := range []struct {
		name  string
		files []Attachment
		want  string // "" ok, else a part of the message
	}{
		{"none", nil, ""},
		{"pdf and png", []Attachment{{Name: "身份证.PDF", Content: pdf}, {Name: `C:\扫描\委托书.png`, Content: png}}, ""},
		{"too many", []Attachment{{Name: "1.pdf", Content: pdf}, {Name: "2.pdf", Content: pdf}, {Name: "3.pdf", Content: pdf}, {Name: "4.pdf", Content: pdf}, {Name: "5.pdf", Content: pdf}, {Name: "6.pdf", Content: pdf}}, "最多5个"},
		{"exe", []Attachment{{Name: "a.exe", Content: []byte("MZ")}}, "类型不支持"},
		{"renamed", []Attachment{{Name: "a.pdf", Content: []byte("MZ\x90")}}, "内容与文件类型不符"},
		{"empty", []Attachment{{Name: "a.pdf"}}, "空文件"},
		{"big", []Attachment{{Name: "a.pdf", Content: append(append([]byte{}, pdf...), bytes.Repeat([]byte{0}, MaxAttachmentBytes)...)}}, "超过5MB"},
	} {
		err := CheckAttachments(c.files)
		if c.want == "" {
			if err != nil {
				t.Errorf("%s: %v", c.name, err)
			}
			continue
		}
		if err == nil || !strings.Contains(errs.MessageOf(err), c.want) || !errs.Is(err, errs.Invalid) {
			t.Errorf("%s: %v, want %q", c.name, err, c.want)
		}
	}
	files := []Attachment{{Name: `C:\扫描\委托书.png`, Content: png}}
	if err := CheckAttachments(files); err != nil || files[0].Name != "委托书.png" || files[0].ContentType != "image/png" {
		t.Fatalf("%+v %v", files[0], err)
	}
}
