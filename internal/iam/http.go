package iam

import (
	"context"
	"crypto/subtle"
	"log/slog"
	"net/http"
	"net/netip"
	"net/url"
	"sort"
	"strconv"

	"github.com/xietong/xietong/internal/audit"
	"github.com/xietong/xietong/internal/httpx"
)

// CookieName is the session cookie.
const CookieName = "xietong_session"

var (
	errCSRFMissing = httpx.NewProblem(http.StatusForbidden, "csrf_missing", "缺少 CSRF 令牌（X-CSRF-Token 请求头）", "The X-CSRF-Token header is missing")
	errCSRFInvalid = httpx.NewProblem(http.StatusForbidden, "csrf_invalid", "CSRF 令牌无效或请求来源不符", "The CSRF token is invalid or the request comes from another origin")
)

// Handler serves the identity and access routes and guards every route.
type Handler struct {
	svc            *Service
	audit          *audit.Log
	log            *slog.Logger
	secureCookie   bool
	trustedProxies []netip.Prefix
}

// NewHandler builds the handler; secureCookie is true whenever the console
// is served over TLS.
func NewHandler(svc *Service, log *audit.Log, logger *slog.Logger, secureCookie bool, trusted []netip.Prefix) *Handler {
	return &Handler{svc: svc, audit: log, log: logger, secureCookie: secureCookie, trustedProxies: trusted}
}

type principalKey struct{}

// PrincipalFrom returns the request's principal; guarded routes always have one.
func PrincipalFrom(ctx context.Context) *Principal {
	p, _ := ctx.Value(principalKey{}).(*Principal)
	return p
}

func unsafeMethod(m string) bool {
	return m != http.MethodGet && m != http.MethodHead && m != http.MethodOptions
}

// sameOrigin rejects a browser request whose Origin names another host.
func sameOrigin(r *http.Request) bool {
	o := r.Header.Get("Origin")
	if o == "" {
		return true
	}
	u, err := url.Parse(o)
	return err == nil && u.Host == r.Host
}

// Guard wraps a route with what its access level asks for: a valid
// session, the CSRF token on unsafe methods, a changed password, and the
// route's permission. Every denial of an unsafe call is audited.
func (h *Handler) Guard(rt httpx.Route, next http.Handler) http.Handler {
	key := rt.Pattern()
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ip := httpx.ClientIP(r, h.trustedProxies)
		if rt.Access == httpx.Public {
			if unsafeMethod(r.Method) && !sameOrigin(r) {
				httpx.WriteProblem(w, errCSRFInvalid)
				return
			}
			next.ServeHTTP(w, r.WithContext(audit.WithActor(r.Context(), audit.Actor{IP: ip})))
			return
		}
		c, err := r.Cookie(CookieName)
		if err != nil {
			httpx.WriteProblem(w, httpx.ErrUnauthenticated)
			return
		}
		p, err := h.svc.Authenticate(r.Context(), c.Value)
		if err != nil {
			if pr, ok := err.(*httpx.Problem); ok && pr.Status == http.StatusUnauthorized {
				h.clearCookie(w)
			}
			httpx.WriteError(h.log, w, r, err)
			return
		}
		ctx := audit.WithActor(context.WithValue(r.Context(), principalKey{}, p), audit.Actor{ID: p.User.ID, Name: p.User.Username, IP: ip})
		deny := func(pr *httpx.Problem) {
			if unsafeMethod(r.Method) {
				if err := h.audit.Record(ctx, audit.Event{Action: "access.denied", TargetType: "route", TargetID: key, Result: audit.ResultDenied, Detail: pr.Code}); err != nil {
					h.log.Error("audit denied call", "err", err)
				}
			}
			httpx.WriteProblem(w, pr)
		}
		if unsafeMethod(r.Method) {
			tok := r.Header.Get("X-CSRF-Token")
			switch {
			case tok == "":
				deny(errCSRFMissing)
				return
			case subtle.ConstantTimeCompare([]byte(tok), []byte(p.CSRFToken)) != 1 || !sameOrigin(r):
				deny(errCSRFInvalid)
				return
			}
		}
		if p.MustChangePassword && !rt.DuringPasswordChange {
			deny(errMustChange)
			return
		}
		if rt.Access == httpx.Permitted && !p.Can(key) {
			deny(httpx.ErrForbidden)
			return
		}
		next.ServeHTTP(w, r.WithContext(ctx))
	})
}

func (h *Handler) setCookie(w http.ResponseWriter, token string) {
	http.SetCookie(w, &http.Cookie{Name: CookieName, Value: token, Path: "/", HttpOnly: true, Secure: h.secureCookie, SameSite: http.SameSiteStrictMode})
}

func (h *Handler) clearCookie(w http.ResponseWriter) {
	http.SetCookie(w, &http.Cookie{Name: CookieName, Value: "", Path: "/", MaxAge: -1, HttpOnly: true, Secure: h.secureCookie, SameSite: http.SameSiteStrictMode})
}

// ---- auth and the current user ----

type loginInput struct {
	Username string `json:"username"`
	Password string `json:"password"`
}

type meView struct {
	User               *User    `json:"user"`
	CSRFToken          string   `json:"csrf_token"`
	MustChangePassword bool     `json:"must_change_password"`
	AdminKind          string   `json:"admin_kind"`
	Permissions        []string `json:"permissions"`
}

func me(p *Principal) meView {
	perms := make([]string, 0, len(p.Permissions))
	for k := range p.Permissions {
		perms = append(perms, k)
	}
	sort.Strings(perms)
	return meView{User: p.User, CSRFToken: p.CSRFToken, MustChangePassword: p.MustChangePassword, AdminKind: p.AdminKind, Permissions: perms}
}

// Login: POST /api/v1/auth/login.
func (h *Handler) Login(w http.ResponseWriter, r *http.Request) error {
	var in loginInput
	if err := httpx.DecodeJSON(w, r, &in); err != nil {
		return err
	}
	token, p, err := h.svc.Login(r.Context(), in.Username, in.Password, httpx.ClientIP(r, h.trustedProxies), r.UserAgent())
	if err != nil {
		return err
	}
	h.setCookie(w, token)
	httpx.WriteJSON(w, http.StatusOK, me(p))
	return nil
}

// Logout: POST /api/v1/auth/logout.
func (h *Handler) Logout(w http.ResponseWriter, r *http.Request) error {
	if err := h.svc.Logout(r.Context(), PrincipalFrom(r.Context()), false); err != nil {
		return err
	}
	h.clearCookie(w)
	w.WriteHeader(http.StatusNoContent)
	return nil
}

// LogoutAll: POST /api/v1/auth/logout-all.
func (h *Handler) LogoutAll(w http.ResponseWriter, r *http.Request) error {
	if err := h.svc.Logout(r.Context(), PrincipalFrom(r.Context()), true); err != nil {
		return err
	}
	h.clearCookie(w)
	w.WriteHeader(http.StatusNoContent)
	return nil
}

// Me: GET /api/v1/me.
func (h *Handler) Me(w http.ResponseWriter, r *http.Request) error {
	httpx.WriteJSON(w, http.StatusOK, me(PrincipalFrom(r.Context())))
	return nil
}

// UpdateMe: PUT /api/v1/me.
func (h *Handler) UpdateMe(w http.ResponseWriter, r *http.Request) error {
	var in ProfileInput
	if err := httpx.DecodeJSON(w, r, &in); err != nil {
		return err
	}
	u, err := h.svc.UpdateProfile(r.Context(), PrincipalFrom(r.Context()), in)
	if err != nil {
		return err
	}
	httpx.WriteJSON(w, http.StatusOK, u)
	return nil
}

type passwordChange struct {
	OldPassword string `json:"old_password"`
	NewPassword string `json:"new_password"`
}

// ChangePassword: POST /api/v1/me/password.
func (h *Handler) ChangePassword(w http.ResponseWriter, r *http.Request) error {
	var in passwordChange
	if err := httpx.DecodeJSON(w, r, &in); err != nil {
		return err
	}
	if err := h.svc.ChangeOwnPassword(r.Context(), PrincipalFrom(r.Context()), in.OldPassword, in.NewPassword); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

// MyMenus: GET /api/v1/me/menus.
func (h *Handler) MyMenus(w http.ResponseWriter, r *http.Request) error {
	menus, err := h.svc.MyMenus(r.Context(), PrincipalFrom(r.Context()))
	if err != nil {
		return err
	}
	httpx.WriteJSON(w, http.StatusOK, menus)
	return nil
}

// PasswordPolicy: GET /api/v1/me/password-policy (and GET /api/v1/security/policy).
func (h *Handler) PasswordPolicy(w http.ResponseWriter, r *http.Request) error {
	p, err := h.svc.Policy(r.Context())
	if err != nil {
		return err
	}
	httpx.WriteJSON(w, http.StatusOK, p)
	return nil
}

// SetPolicy: PUT /api/v1/security/policy.
func (h *Handler) SetPolicy(w http.ResponseWriter, r *http.Request) error {
	var in Policy
	if err := httpx.DecodeJSON(w, r, &in); err != nil {
		return err
	}
	p, err := h.svc.SetPolicy(r.Context(), in)
	if err != nil {
		return err
	}
	httpx.WriteJSON(w, http.StatusOK, p)
	return nil
}

// Accounts: GET /api/v1/security/accounts?locked=.
func (h *Handler) Accounts(w http.ResponseWriter, r *http.Request) error {
	locked, _ := strconv.ParseBool(r.URL.Query().Get("locked"))
	return paged(w, r, func(ctx context.Context, p *Principal, pg httpx.Page) ([]*User, int, error) {
		return h.svc.SecurityAccounts(ctx, p, pg, locked)
	})
}

// Unlock: POST /api/v1/security/accounts/{id}/unlock.
func (h *Handler) Unlock(w http.ResponseWriter, r *http.Request) error {
	return done(w, r, h.svc.Unlock)
}

// ForceLogout: POST /api/v1/security/accounts/{id}/logout.
func (h *Handler) ForceLogout(w http.ResponseWriter, r *http.Request) error {
	return done(w, r, h.svc.ForceLogout)
}
