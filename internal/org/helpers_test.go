package org

import (
	"errors"

	"gongkai/internal/errs"
)

func asForm(err error, fe **errs.FormError) bool { return errors.As(err, fe) }
