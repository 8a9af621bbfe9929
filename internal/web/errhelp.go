package web

import (
	"errors"

	"gongkai/internal/errs"
)

func asForm(err error, fe **errs.FormError) bool { return errors.As(err, fe) }
func asApp(err error, ae **errs.Error) bool      { return errors.As(err, ae) }
