package rituals

import (
	"errors"
	"fmt"
)

// Error codes. Every error a person may see carries one of these; anything
// else is reported as EINTERNAL with a generic sentence.
const (
	EINVALID   = "invalid"
	ENOTFOUND  = "not_found"
	ECONFLICT  = "conflict"
	EFORBIDDEN = "forbidden"
	EINTERNAL  = "internal"
)

// Error is an error meant for the person who caused it. Message is a plain
// sentence; Fields, when set, maps form field names to their own messages so
// a modal can show each next to its input. Err, when set, is the error
// underneath (a driver's constraint violation), kept for logs and for
// errors.Is and errors.As; people see only Message.
type Error struct {
	Code    string
	Message string
	Fields  map[string]string
	Err     error
}

func (e *Error) Error() string { return e.Message }

// Unwrap returns the error underneath, if any.
func (e *Error) Unwrap() error { return e.Err }

// Errorf returns an *Error with the given code and a formatted message.
func Errorf(code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// ErrorCode returns the code of the first *Error in err's chain, EINTERNAL
// for any other non-nil error, and "" for nil.
func ErrorCode(err error) string {
	var e *Error
	switch {
	case err == nil:
		return ""
	case errors.As(err, &e):
		return e.Code
	default:
		return EINTERNAL
	}
}

// ErrorMessage returns the sentence to show a person for err. Internal
// errors get a generic sentence: their details belong in the log.
func ErrorMessage(err error) string {
	var e *Error
	switch {
	case err == nil:
		return ""
	case errors.As(err, &e) && e.Code != EINTERNAL:
		return e.Message
	default:
		return "Something went wrong on alignbot's side, and nothing was saved. Please try again; if it keeps happening, tell whoever runs alignbot."
	}
}

// FieldErrors returns the per-field messages of err, or nil.
func FieldErrors(err error) map[string]string {
	var e *Error
	if errors.As(err, &e) {
		return e.Fields
	}
	return nil
}

// ErrDuplicate reports that a request was already handled: a redelivered
// envelope or a retried event. Callers treat it as success with nothing to do.
var ErrDuplicate = &Error{Code: ECONFLICT, Message: "This request was already handled."}

// Done returns err, or nil when err is ErrDuplicate: the request was
// already handled, so there is nothing left to do or say.
func Done(err error) error {
	if errors.Is(err, ErrDuplicate) {
		return nil
	}
	return err
}
