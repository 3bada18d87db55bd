package httpx

// Access is who may call a route.
type Access int

const (
	// Public routes need no session: login, health, the OpenAPI document.
	Public Access = iota
	// Authenticated routes need a session and nothing more: the user's own
	// profile, menus and logout.
	Authenticated
	// Permitted routes need the route's URL resource among the user's
	// permissions (granted through menus bound to roles).
	Permitted
)

// Route is one entry of the route table: the single list of everything the
// server answers, from which the mux, the URL resources, the OpenAPI
// document and the authorisation tests are all derived.
type Route struct {
	Method  string
	Path    string
	Access  Access
	Name    string // Chinese name, shown as the URL resource's name
	Summary string // English summary for the OpenAPI document
	// Menu is the built-in menu or button whose URL resources include this
	// route (Permitted routes only).
	Menu string
	// DuringPasswordChange lets the route run while the user must still
	// change a first or expired password.
	DuringPasswordChange bool
	Handler              HandlerFunc
}

// Pattern is the Go 1.22 ServeMux pattern and the permission key.
func (r Route) Pattern() string { return r.Method + " " + r.Path }
