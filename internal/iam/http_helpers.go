package iam

import (
	"context"
	"net/http"

	"github.com/xietong/xietong/internal/httpx"
)

// The helpers below hold the shape every admin handler shares — read the
// path id or the page, decode the body, call the service with the caller,
// write the answer — so each handler states only which service call it is.

func one[T any](w http.ResponseWriter, r *http.Request, fn func(context.Context, *Principal, int64) (T, error)) error {
	id, err := httpx.PathID(r)
	if err != nil {
		return err
	}
	v, err := fn(r.Context(), PrincipalFrom(r.Context()), id)
	if err != nil {
		return err
	}
	httpx.WriteJSON(w, http.StatusOK, v)
	return nil
}

func whole[T any](w http.ResponseWriter, r *http.Request, fn func(context.Context, *Principal) (T, error)) error {
	v, err := fn(r.Context(), PrincipalFrom(r.Context()))
	if err != nil {
		return err
	}
	httpx.WriteJSON(w, http.StatusOK, v)
	return nil
}

func paged[T any](w http.ResponseWriter, r *http.Request, fn func(context.Context, *Principal, httpx.Page) ([]T, int, error)) error {
	pg, err := httpx.ParsePage(r)
	if err != nil {
		return err
	}
	items, total, err := fn(r.Context(), PrincipalFrom(r.Context()), pg)
	if err != nil {
		return err
	}
	httpx.WriteJSON(w, http.StatusOK, httpx.NewList(items, total, pg))
	return nil
}

// save serves a create (POST: id 0, answers 201) or an edit (PUT: the path
// id, answers 200) with a decoded body.
func save[In, T any](w http.ResponseWriter, r *http.Request, fn func(context.Context, *Principal, int64, In) (T, error)) error {
	var id int64
	status := http.StatusCreated
	if r.Method != http.MethodPost {
		var err error
		if id, err = httpx.PathID(r); err != nil {
			return err
		}
		status = http.StatusOK
	}
	var in In
	if err := httpx.DecodeJSON(w, r, &in); err != nil {
		return err
	}
	v, err := fn(r.Context(), PrincipalFrom(r.Context()), id, in)
	if err != nil {
		return err
	}
	httpx.WriteJSON(w, status, v)
	return nil
}

// done serves an action on the path id that answers 204.
func done(w http.ResponseWriter, r *http.Request, fn func(context.Context, *Principal, int64) error) error {
	id, err := httpx.PathID(r)
	if err != nil {
		return err
	}
	if err := fn(r.Context(), PrincipalFrom(r.Context()), id); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}
