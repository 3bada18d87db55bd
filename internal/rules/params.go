package rules

import (
	"fmt"
	"sort"
	"strings"
)

// ParamSet is the parameter values one run uses: the province's defaults
// (City "") or a city's overrides merged over them (规则参数维护).
type ParamSet struct {
	City   string            `json:"city"` // 4-digit city code (地市), "" for the province default
	Values map[string]string `json:"values"`
}

// reservedPrefix marks the parameters the library adds itself (the city
// filter); a rule may not declare one.
const reservedPrefix = "xt_"

// Resolve turns a rule's defaults and the cities' overrides
// (city → parameter → value) into the parameter sets to run: the default
// first, then one per overriding city in code order. Unknown parameters,
// bad city codes and values that do not fit a parameter's type are refused.
func Resolve(r Rule, cityOverrides map[string]map[string]string) ([]ParamSet, error) {
	base := map[string]string{}
	for _, p := range r.Params {
		if p.Default != "" {
			base[p.Name] = p.Default
		}
	}
	out := []ParamSet{{Values: base}}
	cities := make([]string, 0, len(cityOverrides))
	for c := range cityOverrides {
		cities = append(cities, c)
	}
	sort.Strings(cities)
	for _, city := range cities {
		if !validCity(city) {
			return nil, fmt.Errorf("rules: %s: city %q: want a 4-digit city code such as 5201", r.Code, city)
		}
		vals := make(map[string]string, len(base))
		for k, v := range base {
			vals[k] = v
		}
		for name, v := range cityOverrides[city] {
			if _, ok := r.Param(name); !ok {
				return nil, fmt.Errorf("rules: %s: city %s: no parameter %q", r.Code, city, name)
			}
			if v == "" {
				delete(vals, name)
				continue
			}
			vals[name] = v
		}
		out = append(out, ParamSet{City: city, Values: vals})
	}
	for _, s := range out {
		if _, err := Compile(r, "", s.Values); err != nil {
			where := "default"
			if s.City != "" {
				where = "city " + s.City
			}
			return nil, fmt.Errorf("rules: %s: %s: %w", r.Code, where, err)
		}
	}
	return out, nil
}

func validCity(c string) bool {
	if len(c) != 4 {
		return false
	}
	for i := 0; i < 4; i++ {
		if c[i] < '0' || c[i] > '9' {
			return false
		}
	}
	return true
}

// checkParams refuses declarations the library cannot bind.
func checkParams(r Rule) error {
	for _, p := range r.Params {
		if strings.HasPrefix(p.Name, reservedPrefix) {
			return fmt.Errorf("rules: %s: parameter %q: the prefix %s is reserved", r.Code, p.Name, reservedPrefix)
		}
		switch p.Type {
		case TypeInteger, TypeNumber, TypeString, TypeDate:
		default:
			return fmt.Errorf("rules: %s: parameter %q: unknown type %q", r.Code, p.Name, p.Type)
		}
	}
	return nil
}
