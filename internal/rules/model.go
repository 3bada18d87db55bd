// Package rules is the rule library (规则库) of fund supervision: rules that
// screen the warehouse for suspicious points (疑点). A rule is a read-only
// SQL template with ${name} parameters (the data-API template language,
// internal/dataapi/sqltpl); it is compiled for the engine's dialect with
// every value bound, never spliced, and pushed down to the engine, so only
// the hits come back. The same rule text runs on DuckDB, PostgreSQL and the
// MySQL protocol with the same meaning: the built-in rules use integer
// periods and month indexes, CASE, COALESCE, CONCAT and standard joins only.
package rules

// Scopes (规则范围).
const (
	ScopeGeneral  = "通用"   // any bureau, any 险种
	ScopeSingle   = "单险专用" // one 险种
	ScopeLocal    = "本地专用" // a province's own rule
	ScopeNational = "部省通用" // the Ministry's catalogue, used by the province
)

// Severities.
const (
	SeverityHigh   = "high"
	SeverityMedium = "medium"
	SeverityLow    = "low"
)

// Parameter types (a subset of sqltpl's).
const (
	TypeInteger = "integer"
	TypeNumber  = "number"
	TypeString  = "string"
	TypeDate    = "date"
)

// Rule is one screening rule.
type Rule struct {
	Code        string  `json:"code"`
	Name        string  `json:"name"`
	Insurance   string  `json:"insurance"` // 险种 AAE140, "" when it spans several
	Scope       string  `json:"scope"`
	Description string  `json:"description"`
	LegalBasis  string  `json:"legal_basis"`
	SQL         string  `json:"sql"` // template; returns the hit columns (see Hit)
	Params      []Param `json:"params"`
	Severity    string  `json:"severity"`
	Enabled     bool    `json:"enabled"`
	Builtin     bool    `json:"builtin"`
}

// Param declares a rule parameter (规则参数). Default is text, converted by
// Type; a parameter without a default is optional and may only appear in
// an optional [[ ... ]] block of the SQL.
type Param struct {
	Name        string `json:"name"`
	Type        string `json:"type"`
	Default     string `json:"default,omitempty"`
	Description string `json:"description"`
}

// HitColumns are the columns every rule returns, in this order.
var HitColumns = []string{"rule_code", "subject", "subject_name", "region", "insurance", "period", "amount", "evidence"}

// Hit is one suspicious point (疑点) found by a rule.
type Hit struct {
	RuleCode    string  `json:"rule_code"`
	Subject     string  `json:"subject"` // 公民身份号码 or 统一社会信用代码
	SubjectName string  `json:"subject_name"`
	Region      string  `json:"region"` // county code AAB301
	Insurance   string  `json:"insurance"`
	Period      string  `json:"period"` // YYYYMM, or the rule's stable key
	Amount      float64 `json:"amount"` // money involved in yuan, rounded to the fen; 0 when none
	Evidence    string  `json:"evidence"`
}

// Param returns the declaration of name.
func (r Rule) Param(name string) (Param, bool) {
	for _, p := range r.Params {
		if p.Name == name {
			return p, true
		}
	}
	return Param{}, false
}
