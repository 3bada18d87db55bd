package httpx

import (
	"context"
	"net/http"
)

// The helpers below hold the shape every admin handler shares — read the
// path id or the page, decode the body, call the service, write the answer —
// so each handler states only which service call it is.

// One answers fn(path id) as JSON.
func One[T any](w http.ResponseWriter, r *http.Request, fn func(context.Context, int64) (T, error)) error {
	id, err := PathID(r)
	if err != nil {
		return err
	}
	v, err := fn(r.Context(), id)
	if err != nil {
		return err
	}
	WriteJSON(w, http.StatusOK, v)
	return nil
}

// Whole answers fn() as JSON.
func Whole[T any](w http.ResponseWriter, r *http.Request, fn func(context.Context) (T, error)) error {
	v, err := fn(r.Context())
	if err != nil {
		return err
	}
	WriteJSON(w, http.StatusOK, v)
	return nil
}

// Paged answers a page of fn as a List.
func Paged[T any](w http.ResponseWriter, r *http.Request, fn func(context.Context, Page) ([]T, int, error)) error {
	pg, err := ParsePage(r)
	if err != nil {
		return err
	}
	items, total, err := fn(r.Context(), pg)
	if err != nil {
		return err
	}
	WriteJSON(w, http.StatusOK, NewList(items, total, pg))
	return nil
}

// Save serves a create (POST: id 0, answers 201) or an edit (PUT: the path
// id, answers 200) with a decoded body.
func Save[In, T any](w http.ResponseWriter, r *http.Request, fn func(context.Context, int64, In) (T, error)) error {
	var id int64
	status := http.StatusCreated
	if r.Method != http.MethodPost || r.PathValue("id") != "" {
		var err error
		if id, err = PathID(r); err != nil {
			return err
		}
		if r.Method != http.MethodPost {
			status = http.StatusOK
		}
	}
	var in In
	if err := DecodeJSON(w, r, &in); err != nil {
		return err
	}
	v, err := fn(r.Context(), id, in)
	if err != nil {
		return err
	}
	WriteJSON(w, status, v)
	return nil
}

// Done serves an action on the path id that answers 204.
func Done(w http.ResponseWriter, r *http.Request, fn func(context.Context, int64) error) error {
	id, err := PathID(r)
	if err != nil {
		return err
	}
	if err := fn(r.Context(), id); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

// Action serves a POST on the path id with a body, answering 200 with the result.
func Action[In, T any](w http.ResponseWriter, r *http.Request, fn func(context.Context, int64, In) (T, error)) error {
	id, err := PathID(r)
	if err != nil {
		return err
	}
	var in In
	if err := DecodeJSON(w, r, &in); err != nil {
		return err
	}
	v, err := fn(r.Context(), id, in)
	if err != nil {
		return err
	}
	WriteJSON(w, http.StatusOK, v)
	return nil
}
