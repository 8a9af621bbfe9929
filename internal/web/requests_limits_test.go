package web

import (
	"bytes"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"gongkai/internal/store"
	"gongkai/internal/store/storetest"
)

// A body over its bound gets one clear sentence before anything reads it:
// declared too long, or streamed without a length until it overflows.
func TestRequestBodyLimits(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		e := newDeskEnv(t, db)
		srv := e.server
		// Declared too long: refused from the header alone.
		req := httptest.NewRequest("POST", "/column/apply", strings.NewReader("x"))
		req.ContentLength = maxApplyBody + 1
		req.Header.Set("Content-Type", "multipart/form-data; boundary=x")
		rec := httptest.NewRecorder()
		srv.ServeHTTP(rec, req)
		if rec.Code != http.StatusUnprocessableEntity && rec.Code != http.StatusBadRequest || !strings.Contains(rec.Body.String(), "提交的内容过大（不超过 26 MB）") {
			t.Fatalf("declared: %d %.500s", rec.Code, rec.Body.String())
		}
		// Streamed (no length): the multipart parse stops at the bound.
		var b bytes.Buffer
		mw := multipart.NewWriter(&b)
		mw.WriteField("csrf", "x")
		fw, _ := mw.CreateFormFile("attachments", "big.pdf")
		fw.Write(append([]byte("%PDF-"), bytes.Repeat([]byte("x"), maxApplyBody)...))
		mw.Close()
		req = httptest.NewRequest("POST", "/column/apply", &b)
		req.ContentLength = -1
		req.Header.Set("Content-Type", mw.FormDataContentType())
		rec = httptest.NewRecorder()
		srv.ServeHTTP(rec, req)
		if !strings.Contains(rec.Body.String(), "提交的内容过大") {
			t.Fatalf("streamed: %d %.500s", rec.Code, rec.Body.String())
		}
		// The other public forms keep the general bound.
		req = httptest.NewRequest("POST", "/admin/login", strings.NewReader("x"))
		req.ContentLength = maxRequestBody + 1
		rec = httptest.NewRecorder()
		srv.ServeHTTP(rec, req)
		if !strings.Contains(rec.Body.String(), "不超过 48 MB") {
			t.Fatalf("login: %d %.500s", rec.Code, rec.Body.String())
		}
	})
}
