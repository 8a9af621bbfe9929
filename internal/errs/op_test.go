package errs

import (
	"errors"
	"testing"
)

func TestOpKeepsCodeAndMessage(t *testing.T) {
	run := func(in error) (err error) {
		defer Op(&err, "store.Step(%d)", 7)
		return in
	}
	if err := run(nil); err != nil {
		t.Fatalf("nil wrapped: %v", err)
	}
	coded := FieldError("on", "日期不能晚于今天。")
	err := run(coded)
	var e *Error
	if !errors.As(err, &e) || e != coded || CodeOf(err) != Invalid || MessageOf(err) != "日期不能晚于今天。" {
		t.Fatalf("wrap lost the coded error: %v", err)
	}
	if err.Error() != "store.Step(7): 日期不能晚于今天。" {
		t.Fatalf("operation not named: %q", err.Error())
	}
	form := &FormError{Fields: Fields{coded}}
	if err := run(form); CodeOf(err) != Invalid || MessageOf(err) != form.Error() {
		t.Fatalf("form error: %v", err)
	}
	plain := errors.New("disk I/O error")
	if err := run(plain); !errors.Is(err, plain) || CodeOf(err) != Internal {
		t.Fatalf("plain error: %v", err)
	}
}
