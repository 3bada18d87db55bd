package app

import (
	"regexp"
	"strings"

	"github.com/xietong/xietong/internal/httpx"
)

var pathParam = regexp.MustCompile(`\{([a-z_]+)\}`)

// openAPI derives the OpenAPI 3 document from the route table, so the two
// cannot drift apart: every route is an operation, with its access level,
// its permission key and the problem responses it can give.
func openAPI(routes []httpx.Route) map[string]any {
	paths := map[string]map[string]any{}
	for _, r := range routes {
		op := map[string]any{
			"operationId": strings.ToLower(r.Method) + strings.NewReplacer("/", "_", "{", "", "}", "", "-", "_", ".", "_").Replace(r.Path),
			"summary":     r.Summary,
			"responses": map[string]any{
				"default": map[string]any{"description": "problem", "content": map[string]any{"application/problem+json": map[string]any{"schema": map[string]any{"$ref": "#/components/schemas/Problem"}}}},
			},
		}
		if r.Name != "" {
			op["description"] = r.Name
		}
		switch r.Access {
		case httpx.Public:
			op["security"] = []any{}
		case httpx.Authenticated:
			op["x-access"] = "authenticated"
		case httpx.Permitted:
			op["x-access"] = "permission"
			op["x-permission"] = r.Pattern()
			op["x-menu"] = r.Menu
		}
		var params []any
		for _, m := range pathParam.FindAllStringSubmatch(r.Path, -1) {
			params = append(params, map[string]any{"name": m[1], "in": "path", "required": true, "schema": map[string]any{"type": "integer", "format": "int64"}})
		}
		if len(params) > 0 {
			op["parameters"] = params
		}
		if r.Method == "POST" || r.Method == "PUT" || r.Method == "PATCH" {
			op["requestBody"] = map[string]any{"content": map[string]any{"application/json": map[string]any{"schema": map[string]any{"type": "object"}}}}
		}
		if paths[r.Path] == nil {
			paths[r.Path] = map[string]any{}
		}
		paths[r.Path][strings.ToLower(r.Method)] = op
	}
	return map[string]any{
		"openapi": "3.0.3",
		"info":    map[string]any{"title": "xietong (协同) console API", "version": "v1"},
		"paths":   paths,
		"components": map[string]any{
			"securitySchemes": map[string]any{
				"session": map[string]any{"type": "apiKey", "in": "cookie", "name": "xietong_session"},
				"csrf":    map[string]any{"type": "apiKey", "in": "header", "name": "X-CSRF-Token"},
			},
			"schemas": map[string]any{
				"Problem": map[string]any{"type": "object", "required": []string{"status", "code", "detail", "detail_en"}, "properties": map[string]any{
					"type": map[string]any{"type": "string"}, "title": map[string]any{"type": "string"}, "status": map[string]any{"type": "integer"},
					"code": map[string]any{"type": "string"}, "detail": map[string]any{"type": "string"}, "detail_en": map[string]any{"type": "string"},
					"errors": map[string]any{"type": "array", "items": map[string]any{"type": "object"}},
				}},
			},
		},
		"security": []any{map[string]any{"session": []any{}, "csrf": []any{}}},
	}
}
