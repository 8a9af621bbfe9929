// Package errs defines gongkai's coded application errors.
//
// An error a user caused (bad input, a missing record, a conflict) carries a
// Code and a Message written in plain Chinese that is safe to show; anything
// else is an internal error whose details are logged and never shown. The web
// layer maps codes to HTTP statuses in one place (web.statusOf).
package errs

import (
	"errors"
	"fmt"
)

// Code classifies an application error.
type Code string

// Application error codes.
const (
	Invalid      Code = "invalid"      // the input is malformed or breaks a rule
	NotFound     Code = "not_found"    // the record does not exist (or is not visible)
	Conflict     Code = "conflict"     // the change collides with existing state
	Unauthorized Code = "unauthorized" // not logged in, or wrong credentials
	Forbidden    Code = "forbidden"    // logged in, but lacks the role
	Unavailable  Code = "unavailable"  // a dependency (database) cannot be reached
	Internal     Code = "internal"     // a bug or an unexpected failure
)

// Error is an application error with a public Chinese message.
type Error struct {
	Code    Code
	Message string // shown to the user; plain Chinese, one sentence
	Field   string // the form field at fault, if any
	Err     error  // the underlying cause, never shown
}

func (e *Error) Error() string {
	if e.Err != nil {
		return e.Message + ": " + e.Err.Error()
	}
	return e.Message
}

func (e *Error) Unwrap() error { return e.Err }

// E builds an application error with a formatted Chinese message.
func E(code Code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// Wrap attaches a cause to an application error.
func Wrap(code Code, err error, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...), Err: err}
}

// FieldError is an Invalid error that names the form field at fault.
func FieldError(field, format string, args ...any) *Error {
	return &Error{Code: Invalid, Field: field, Message: fmt.Sprintf(format, args...)}
}

// CodeOf returns the code of err, or Internal when err is not an application error.
func CodeOf(err error) Code {
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	var fe *FormError
	if errors.As(err, &fe) {
		return Invalid
	}
	return Internal
}

// MessageOf returns the public message of err, or a generic Chinese sentence
// for internal errors, whose details must not leak.
func MessageOf(err error) string {
	var e *Error
	if errors.As(err, &e) && e.Code != Internal {
		return e.Message
	}
	var fe *FormError
	if errors.As(err, &fe) {
		return fe.Error()
	}
	return "系统内部错误，请稍后重试；如问题持续，请联系系统管理员。"
}

// Is reports whether err is an application error with the given code.
func Is(err error, code Code) bool { return CodeOf(err) == code }

// Fields collects field errors for a form, so that every field at fault is
// reported at once.
type Fields []*Error

// Add records a field error.
func (f *Fields) Add(field, format string, args ...any) {
	*f = append(*f, FieldError(field, format, args...))
}

// Err returns nil when no field is at fault, or a FormError carrying them all.
func (f Fields) Err() error {
	if len(f) == 0 {
		return nil
	}
	return &FormError{Fields: f}
}

// FormError reports several field errors at once.
type FormError struct{ Fields Fields }

func (e *FormError) Error() string {
	if len(e.Fields) == 1 {
		return e.Fields[0].Message
	}
	return fmt.Sprintf("表单有 %d 处需要修改：%s 等", len(e.Fields), e.Fields[0].Message)
}

// Of returns the message for a field, or "".
func (e *FormError) Of(field string) string {
	for _, f := range e.Fields {
		if f.Field == field {
			return f.Message
		}
	}
	return ""
}
