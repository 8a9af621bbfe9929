package web

import (
	"bytes"
	"net/http/httptest"
	"testing"
)

// FuzzApplicationForm: no request body, urlencoded or multipart, may make
// the public application form's decoder or the application's check panic;
// a refusal is an error with a message.
func FuzzApplicationForm(f *testing.F) {
	f.Add([]byte("applicant_type=natural_person&name=%E7%8E%8B&id_number=11010519491231002X&phone=13800000000&description=x&form=%E7%94%B5%E5%AD%90%E6%96%87%E6%A1%A3&delivery=x"), false)
	f.Add([]byte("--B\r\nContent-Disposition: form-data; name=\"attachments\"; filename=\"a.pdf\"\r\n\r\n%PDF-1.4 x\r\n--B\r\nContent-Disposition: form-data; name=\"name\"\r\n\r\n\xff\xfe\r\n--B--\r\n"), true)
	f.Add([]byte("name=%ZZ&&&=&id_number=999999999999999999999999"), false)
	f.Add([]byte("--B\r\nContent-Disposition: form-data; name=\"attachments\"; filename=\"\"\r\n\r\n\r\n--B"), true)
	f.Fuzz(func(t *testing.T, body []byte, multipart bool) {
		r := httptest.NewRequest("POST", "/column/apply", bytes.NewReader(body))
		if multipart {
			r.Header.Set("Content-Type", "multipart/form-data; boundary=B")
		} else {
			r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		}
		a, err := applicationFromForm(r)
		if err != nil {
			if err.Error() == "" {
				t.Fatal("empty error")
			}
			return
		}
		if err := a.Validate(); err != nil && err.Error() == "" {
			t.Fatal("empty error")
		}
	})
}
