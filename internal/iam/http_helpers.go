package iam

import (
	"context"
	"net/http"

	"github.com/xietong/xietong/internal/httpx"
)

// These adapt the httpx handler helpers to services that take the caller.

func one[T any](w http.ResponseWriter, r *http.Request, fn func(context.Context, *Principal, int64) (T, error)) error {
	return httpx.One(w, r, func(ctx context.Context, id int64) (T, error) { return fn(ctx, PrincipalFrom(ctx), id) })
}

func whole[T any](w http.ResponseWriter, r *http.Request, fn func(context.Context, *Principal) (T, error)) error {
	return httpx.Whole(w, r, func(ctx context.Context) (T, error) { return fn(ctx, PrincipalFrom(ctx)) })
}

func paged[T any](w http.ResponseWriter, r *http.Request, fn func(context.Context, *Principal, httpx.Page) ([]T, int, error)) error {
	return httpx.Paged(w, r, func(ctx context.Context, pg httpx.Page) ([]T, int, error) { return fn(ctx, PrincipalFrom(ctx), pg) })
}

func save[In, T any](w http.ResponseWriter, r *http.Request, fn func(context.Context, *Principal, int64, In) (T, error)) error {
	return httpx.Save(w, r, func(ctx context.Context, id int64, in In) (T, error) { return fn(ctx, PrincipalFrom(ctx), id, in) })
}

func done(w http.ResponseWriter, r *http.Request, fn func(context.Context, *Principal, int64) error) error {
	return httpx.Done(w, r, func(ctx context.Context, id int64) error { return fn(ctx, PrincipalFrom(ctx), id) })
}
