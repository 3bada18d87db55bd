//go:build !linux

package app

import (
	"context"
	"errors"
)

const childIngestSupported = false

func (a *App) runIngestChild(context.Context) error {
	return errors.New("call log: a child ingester needs Linux")
}
