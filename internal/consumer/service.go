package consumer

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"fmt"
	"net/http"
	"net/netip"
	"net/url"
	"regexp"
	"strings"
	"time"

	"github.com/xietong/xietong/internal/audit"
	"github.com/xietong/xietong/internal/db"
	"github.com/xietong/xietong/internal/gateway"
	"github.com/xietong/xietong/internal/gm"
	"github.com/xietong/xietong/internal/httpx"
)

// Service manages the gateway's configuration. Every change is audited and
// bumps the configuration version in the same transaction, so gateway nodes
// pick it up within their poll interval.
type Service struct {
	db    *db.DB
	store *Store
	audit *audit.Log
	box   *gm.Box
}

// NewService wires the service; box seals secrets at rest.
func NewService(d *db.DB, s *Store, a *audit.Log, box *gm.Box) *Service {
	return &Service{db: d, store: s, audit: a, box: box}
}

func inUse(zh, en string) *httpx.Problem {
	return httpx.NewProblem(http.StatusConflict, "in_use", zh, en)
}

var errNeedsSM2 = httpx.NewProblem(http.StatusConflict, "needs_sm2_key", "签发数据密钥需要接入方先有有效的 SM2 公钥（数字信封用它加密）", "A data key needs an active SM2 key of the consumer: the envelope is encrypted to it")

// change runs fn and records the audit event in one transaction, bumping the
// gateway configuration version.
func (s *Service) change(ctx context.Context, ev audit.Event, fn func(ctx context.Context) error) error {
	return s.db.WithTx(ctx, func(ctx context.Context) error {
		if err := fn(ctx); err != nil {
			return err
		}
		if err := s.store.BumpVersion(ctx); err != nil {
			return err
		}
		return s.audit.Record(ctx, ev)
	})
}

// ---- consumers ----

// ConsumerInput is what a client may set on a consumer.
type ConsumerInput struct {
	Code        string `json:"code"`
	Name        string `json:"name"`
	OrgName     string `json:"org_name"`
	Contact     string `json:"contact"`
	Phone       string `json:"phone"`
	Description string `json:"description"`
	Status      string `json:"status"`
}

// Consumers lists consumers.
func (s *Service) Consumers(ctx context.Context, pg httpx.Page) ([]*Consumer, int, error) {
	return s.store.Consumers(ctx, pg.Q, pg.PageSize, pg.Offset())
}

// Consumer fetches a consumer with its keys and data keys.
func (s *Service) Consumer(ctx context.Context, id int64) (*Consumer, error) {
	c, err := s.store.Consumer(ctx, id)
	if err != nil {
		return nil, err
	}
	keys, err := s.store.Keys(ctx, id)
	if err != nil {
		return nil, err
	}
	for _, k := range keys {
		c.Keys = append(c.Keys, *k)
	}
	dks, err := s.store.DataKeys(ctx, id)
	if err != nil {
		return nil, err
	}
	for _, k := range dks {
		c.DataKeys = append(c.DataKeys, *k)
	}
	return c, nil
}

// SaveConsumer creates (id 0) or edits a consumer.
func (s *Service) SaveConsumer(ctx context.Context, id int64, in ConsumerInput) (*Consumer, error) {
	if in.Status == "" {
		in.Status = "active"
	}
	var c httpx.Checker
	c.Code("code", in.Code)
	c.Text("name", in.Name, true, 100)
	c.Text("org_name", in.OrgName, false, 100)
	c.Text("contact", in.Contact, false, 50)
	c.Phone("phone", in.Phone)
	c.Text("description", in.Description, false, 500)
	c.OneOf("status", in.Status, "active", "disabled")
	if err := c.Err(); err != nil {
		return nil, err
	}
	x := &Consumer{}
	var before *Consumer
	if id != 0 {
		b, err := s.store.Consumer(ctx, id)
		if err != nil {
			return nil, err
		}
		before = b
		cp := *b
		x = &cp
	}
	x.Code, x.Name, x.OrgName, x.Contact, x.Phone, x.Description, x.Status = in.Code, in.Name, in.OrgName, in.Contact, in.Phone, in.Description, in.Status
	action := "consumer.update"
	if id == 0 {
		action = "consumer.create"
	}
	ev := audit.Event{Action: action, TargetType: "consumer", TargetID: x.Code, Before: audit.JSON(before), After: audit.JSON(x)}
	return x, s.change(ctx, ev, func(ctx context.Context) error { return s.store.SaveConsumer(ctx, x) })
}

// DeleteConsumer removes a consumer, its keys and grants.
func (s *Service) DeleteConsumer(ctx context.Context, id int64) error {
	before, err := s.store.Consumer(ctx, id)
	if err != nil {
		return err
	}
	ev := audit.Event{Action: "consumer.delete", TargetType: "consumer", TargetID: before.Code, Before: audit.JSON(before)}
	return s.change(ctx, ev, func(ctx context.Context) error { return s.store.DeleteConsumer(ctx, id) })
}

// ---- keys ----

// KeyInput asks for a new access key.
type KeyInput struct {
	Kind          string `json:"kind"`            // hmac | sm2
	PublicPEM     string `json:"public_pem"`      // sm2: the consumer's own key
	Generate      bool   `json:"generate"`        // sm2: xietong makes the pair
	Passphrase    string `json:"passphrase"`      // sm2 generate: encrypts the private key handed over
	ExpiresInDays int    `json:"expires_in_days"` // 0: no expiry
}

func newID(prefix string) string {
	return prefix + strings.NewReplacer("-", "x", "_", "y").Replace(gm.Token(15))
}

// IssueKey gives a consumer a new access key. An HMAC secret or a generated
// private key is in the answer once and never again.
func (s *Service) IssueKey(ctx context.Context, consumerID int64, in KeyInput) (*IssuedKey, error) {
	c, err := s.store.Consumer(ctx, consumerID)
	if err != nil {
		return nil, err
	}
	var ch httpx.Checker
	ch.OneOf("kind", in.Kind, "hmac", "sm2")
	if in.ExpiresInDays < 0 || in.ExpiresInDays > 3650 {
		ch.Add("expires_in_days", "range", "0–3650")
	}
	if in.Kind == "sm2" && in.Generate == (in.PublicPEM != "") {
		ch.Add("public_pem", "one_of", "give public_pem or generate, not both")
	}
	if in.Kind == "sm2" && in.Generate && len([]rune(in.Passphrase)) < 12 {
		ch.Add("passphrase", "too_short", "≥ 12 characters")
	}
	if err := ch.Err(); err != nil {
		return nil, err
	}
	out := &IssuedKey{Key: Key{KeyID: newID("ak_"), ConsumerID: consumerID, Kind: in.Kind, Status: "active"}}
	if in.ExpiresInDays > 0 {
		t := db.Now().AddDate(0, 0, in.ExpiresInDays)
		out.ExpiresAt = &t
	}
	switch {
	case in.Kind == "hmac":
		out.Secret = gm.Token(32)
		if out.secretSealed, err = s.box.Seal([]byte(out.Secret), "key:"+out.KeyID); err != nil {
			return nil, err
		}
	case in.Generate:
		priv, err := gm.GenerateSM2()
		if err != nil {
			return nil, err
		}
		if out.PublicPEM, err = gm.PublicPEM(&priv.PublicKey); err != nil {
			return nil, err
		}
		if out.PrivatePEM, err = gm.EncryptedPrivatePEM(priv, in.Passphrase); err != nil {
			return nil, err
		}
	default:
		if _, err := gm.ParsePublicPEM(in.PublicPEM); err != nil {
			return nil, httpx.Invalid(httpx.FieldError{Field: "public_pem", Code: "not_sm2", Message: err.Error()})
		}
		out.PublicPEM = in.PublicPEM
	}
	ev := audit.Event{Action: "key.issue", TargetType: "consumer", TargetID: c.Code, After: audit.JSON(out.Key)}
	k := out.Key
	err = s.change(ctx, ev, func(ctx context.Context) error { return s.store.CreateKey(ctx, &k) })
	out.Key.ID, out.Key.CreatedAt = k.ID, k.CreatedAt
	return out, err
}

// RotateKey issues a key of the same kind and lets the old one work for
// overlapHours more (an SM2 key the consumer brought is re-registered with
// the new public key given).
func (s *Service) RotateKey(ctx context.Context, id int64, overlapHours int, in KeyInput) (*IssuedKey, error) {
	old, err := s.store.Key(ctx, id)
	if err != nil {
		return nil, err
	}
	if old.Status != "active" {
		return nil, httpx.NewProblem(http.StatusConflict, "key_revoked", "已吊销的密钥不能轮换", "A revoked key cannot be rotated")
	}
	if overlapHours < 0 || overlapHours > 24*90 {
		return nil, httpx.Invalid(httpx.FieldError{Field: "overlap_hours", Code: "range", Message: "0–2160"})
	}
	in.Kind = old.Kind
	var issued *IssuedKey
	err = s.db.WithTx(ctx, func(ctx context.Context) error {
		var err error
		if issued, err = s.IssueKey(ctx, old.ConsumerID, in); err != nil {
			return err
		}
		ev := audit.Event{Action: "key.rotate", TargetType: "key", TargetID: old.KeyID, Detail: fmt.Sprintf("replaced by %s; old key works %d more hours", issued.KeyID, overlapHours)}
		return s.change(ctx, ev, func(ctx context.Context) error {
			return s.store.ExpireKey(ctx, id, db.Now().Add(time.Duration(overlapHours)*time.Hour))
		})
	})
	return issued, err
}

// RevokeKey stops an access key at once.
func (s *Service) RevokeKey(ctx context.Context, id int64) error {
	k, err := s.store.Key(ctx, id)
	if err != nil {
		return err
	}
	ev := audit.Event{Action: "key.revoke", TargetType: "key", TargetID: k.KeyID}
	return s.change(ctx, ev, func(ctx context.Context) error { return s.store.RevokeKey(ctx, id) })
}

// IssueDataKey makes a new SM4 data key for a consumer and seals it in a
// digital envelope (数字信封) to the consumer's newest active SM2 key.
func (s *Service) IssueDataKey(ctx context.Context, consumerID int64, expiresInDays int) (*DataKey, error) {
	if expiresInDays < 0 || expiresInDays > 3650 {
		return nil, httpx.Invalid(httpx.FieldError{Field: "expires_in_days", Code: "range", Message: "0–3650"})
	}
	c, err := s.store.Consumer(ctx, consumerID)
	if err != nil {
		return nil, err
	}
	keys, err := s.store.Keys(ctx, consumerID)
	if err != nil {
		return nil, err
	}
	var pubPEM string
	for _, k := range keys {
		if k.Kind == "sm2" && k.Status == "active" && (k.ExpiresAt == nil || k.ExpiresAt.After(time.Now())) {
			pubPEM = k.PublicPEM
		}
	}
	if pubPEM == "" {
		return nil, errNeedsSM2
	}
	pub, err := gm.ParsePublicPEM(pubPEM)
	if err != nil {
		return nil, err
	}
	raw := make([]byte, gm.SM4KeySize)
	if _, err := rand.Read(raw); err != nil {
		return nil, err
	}
	env, err := gm.EncryptSM2(pub, raw)
	if err != nil {
		return nil, err
	}
	dk := &DataKey{KeyID: newID("dk_"), ConsumerID: consumerID, Envelope: base64.StdEncoding.EncodeToString(env), Status: "active"}
	if expiresInDays > 0 {
		t := db.Now().AddDate(0, 0, expiresInDays)
		dk.ExpiresAt = &t
	}
	if dk.keySealed, err = s.box.Seal(raw, "datakey:"+dk.KeyID); err != nil {
		return nil, err
	}
	ev := audit.Event{Action: "datakey.issue", TargetType: "consumer", TargetID: c.Code, After: audit.JSON(dk)}
	return dk, s.change(ctx, ev, func(ctx context.Context) error { return s.store.CreateDataKey(ctx, dk) })
}

// RevokeDataKey stops a data key.
func (s *Service) RevokeDataKey(ctx context.Context, id int64) error {
	k, err := s.store.DataKey(ctx, id)
	if err != nil {
		return err
	}
	ev := audit.Event{Action: "datakey.revoke", TargetType: "data_key", TargetID: k.KeyID}
	return s.change(ctx, ev, func(ctx context.Context) error { return s.store.RevokeDataKey(ctx, id) })
}

// ---- platform key ----

// EnsurePlatformKey makes the platform's first SM2 key at start.
func (s *Service) EnsurePlatformKey(ctx context.Context) error {
	ks, err := s.store.PlatformKeys(ctx)
	if err != nil || len(ks) > 0 {
		return err
	}
	_, err = s.RotatePlatformKey(audit.WithActor(ctx, audit.Actor{Name: "xietong", IP: "local"}))
	return err
}

// RotatePlatformKey makes a new active platform key; the previous one
// stays published.
func (s *Service) RotatePlatformKey(ctx context.Context) (*PlatformKey, error) {
	priv, err := gm.GenerateSM2()
	if err != nil {
		return nil, err
	}
	pk := &PlatformKey{KeyID: newID("pk_")}
	if pk.PublicPEM, err = gm.PublicPEM(&priv.PublicKey); err != nil {
		return nil, err
	}
	pem, err := gm.PrivatePEM(priv)
	if err != nil {
		return nil, err
	}
	if pk.privateSealed, err = s.box.Seal([]byte(pem), "platform:"+pk.KeyID); err != nil {
		return nil, err
	}
	ev := audit.Event{Action: "platform_key.rotate", TargetType: "platform_key", TargetID: pk.KeyID, After: audit.JSON(pk)}
	return pk, s.change(ctx, ev, func(ctx context.Context) error { return s.store.AddPlatformKey(ctx, pk) })
}

// PlatformKeys lists the published platform keys (active and previous).
func (s *Service) PlatformKeys(ctx context.Context) ([]*PlatformKey, error) {
	all, err := s.store.PlatformKeys(ctx)
	if err != nil {
		return nil, err
	}
	out := all[:0]
	for _, k := range all {
		if k.Status != "retired" {
			out = append(out, k)
		}
	}
	return out, nil
}

// ---- APIs ----

// APIInput is what a client may set on an API.
type APIInput struct {
	Code        string               `json:"code"`
	Name        string               `json:"name"`
	Method      string               `json:"method"`
	Path        string               `json:"path"`
	UpstreamURL string               `json:"upstream_url"`
	TimeoutMS   int                  `json:"timeout_ms"`
	Retries     int                  `json:"retries"`
	Fields      []gateway.FieldClass `json:"fields"`
	Status      string               `json:"status"`
}

var gwPathRe = regexp.MustCompile(`^/gw/[A-Za-z0-9._~/-]{1,200}$`)

// A field path: a.b[].c, or [].c for the elements of a top-level array.
var fieldPathRe = regexp.MustCompile(`^(\[\]\.)?[A-Za-z0-9_]+(\[\])?(\.[A-Za-z0-9_]+(\[\])?)*$`)

func validCategory(c string) bool {
	for _, x := range Categories {
		if x == c {
			return true
		}
	}
	return false
}

// APIs lists APIs.
func (s *Service) APIs(ctx context.Context, pg httpx.Page) ([]*API, int, error) {
	return s.store.APIs(ctx, pg.Q, pg.PageSize, pg.Offset())
}

// API fetches one API.
func (s *Service) API(ctx context.Context, id int64) (*API, error) { return s.store.API(ctx, id) }

// SaveAPI creates (id 0) or edits an API.
func (s *Service) SaveAPI(ctx context.Context, id int64, in APIInput) (*API, error) {
	if in.Status == "" {
		in.Status = "published"
	}
	if in.TimeoutMS == 0 {
		in.TimeoutMS = 5000
	}
	var c httpx.Checker
	c.Code("code", in.Code)
	c.Text("name", in.Name, true, 100)
	c.OneOf("method", in.Method, "GET", "POST", "PUT", "DELETE")
	if !gwPathRe.MatchString(in.Path) || strings.Contains(in.Path, "//") || strings.Contains(in.Path, "..") {
		c.Add("path", "format", "/gw/… with letters, digits, . _ ~ / -")
	}
	if u, err := url.Parse(in.UpstreamURL); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.RawQuery != "" {
		c.Add("upstream_url", "format", "an http(s) URL without query")
	}
	if in.TimeoutMS < 100 || in.TimeoutMS > 120000 {
		c.Add("timeout_ms", "range", "100–120000")
	}
	if in.Retries < 0 || in.Retries > 3 {
		c.Add("retries", "range", "0–3 (idempotent methods only)")
	}
	for i, f := range in.Fields {
		if !fieldPathRe.MatchString(f.Path) {
			c.Add(fmt.Sprintf("fields[%d].path", i), "format", "a.b[].c")
		}
		if !validCategory(f.Category) {
			c.Add(fmt.Sprintf("fields[%d].category", i), "enum", strings.Join(Categories, "|"))
		}
	}
	c.OneOf("status", in.Status, "published", "offline")
	if err := c.Err(); err != nil {
		return nil, err
	}
	a := &API{}
	var before *API
	if id != 0 {
		b, err := s.store.API(ctx, id)
		if err != nil {
			return nil, err
		}
		if b.Kind == KindDataAPI {
			return nil, errManaged
		}
		before = b
		cp := *b
		a = &cp
	}
	a.Kind = KindHTTP
	a.Code, a.Name, a.Method, a.Path, a.UpstreamURL, a.TimeoutMS, a.Retries, a.Status = in.Code, in.Name, in.Method, in.Path, in.UpstreamURL, in.TimeoutMS, in.Retries, in.Status
	a.Fields = in.Fields
	if a.Fields == nil {
		a.Fields = []gateway.FieldClass{}
	}
	action := "api.update"
	if id == 0 {
		action = "api.create"
	}
	ev := audit.Event{Action: action, TargetType: "api", TargetID: a.Code, Before: audit.JSON(before), After: audit.JSON(a)}
	return a, s.change(ctx, ev, func(ctx context.Context) error { return s.store.SaveAPI(ctx, a) })
}

// DeleteAPI removes an API and its grants.
func (s *Service) DeleteAPI(ctx context.Context, id int64) error {
	before, err := s.store.API(ctx, id)
	if err != nil {
		return err
	}
	if before.Kind == KindDataAPI {
		return errManaged
	}
	ev := audit.Event{Action: "api.delete", TargetType: "api", TargetID: before.Code, Before: audit.JSON(before)}
	return s.change(ctx, ev, func(ctx context.Context) error { return s.store.DeleteAPI(ctx, id) })
}

// ---- grants ----

// GrantInput is what the security admin sets on a grant.
type GrantInput struct {
	ConsumerID  int64      `json:"consumer_id"`
	APIID       int64      `json:"api_id"`
	Fields      []string   `json:"fields"`
	Plaintext   []string   `json:"plaintext_categories"`
	RatePerSec  float64    `json:"rate_per_sec"`
	Burst       int        `json:"burst"`
	QuotaDay    int64      `json:"quota_day"`
	QuotaMonth  int64      `json:"quota_month"`
	ValidFrom   *time.Time `json:"valid_from"`
	ValidTo     *time.Time `json:"valid_to"`
	IPAllowlist []string   `json:"ip_allowlist"`
	Methods     []string   `json:"methods"`
	Status      string     `json:"status"`
}

// Grants lists grants.
func (s *Service) Grants(ctx context.Context, pg httpx.Page, consumerID, apiID int64) ([]*Grant, int, error) {
	return s.store.Grants(ctx, GrantFilter{ConsumerID: consumerID, APIID: apiID, Limit: pg.PageSize, Offset: pg.Offset()})
}

// Grant fetches one grant.
func (s *Service) Grant(ctx context.Context, id int64) (*Grant, error) { return s.store.Grant(ctx, id) }

// SaveGrant creates (id 0) or edits a grant.
func (s *Service) SaveGrant(ctx context.Context, id int64, in GrantInput) (*Grant, error) {
	if in.Status == "" {
		in.Status = "active"
	}
	var c httpx.Checker
	for i, f := range in.Fields {
		if !fieldPathRe.MatchString(f) {
			c.Add(fmt.Sprintf("fields[%d]", i), "format", "a.b[].c")
		}
	}
	for i, p := range in.Plaintext {
		if !validCategory(p) {
			c.Add(fmt.Sprintf("plaintext_categories[%d]", i), "enum", strings.Join(Categories, "|"))
		}
	}
	if in.RatePerSec < 0 || in.RatePerSec > 1e6 {
		c.Add("rate_per_sec", "range", "0–1000000 (0: unlimited)")
	}
	if in.Burst < 0 || in.Burst > 1e6 {
		c.Add("burst", "range", "0–1000000")
	}
	if in.QuotaDay < 0 {
		c.Add("quota_day", "range", "≥ 0 (0: unlimited)")
	}
	if in.QuotaMonth < 0 {
		c.Add("quota_month", "range", "≥ 0 (0: unlimited)")
	}
	if in.ValidFrom != nil && in.ValidTo != nil && !in.ValidTo.After(*in.ValidFrom) {
		c.Add("valid_to", "order", "after valid_from")
	}
	for i, ip := range in.IPAllowlist {
		if _, err := parsePrefix(ip); err != nil {
			c.Add(fmt.Sprintf("ip_allowlist[%d]", i), "format", "an address or CIDR")
		}
	}
	for i, m := range in.Methods {
		if m != "GET" && m != "POST" && m != "PUT" && m != "DELETE" {
			c.Add(fmt.Sprintf("methods[%d]", i), "enum", "GET|POST|PUT|DELETE")
		}
	}
	c.OneOf("status", in.Status, "active", "suspended")
	if err := c.Err(); err != nil {
		return nil, err
	}
	g := &Grant{}
	var before *Grant
	if id != 0 {
		b, err := s.store.Grant(ctx, id)
		if err != nil {
			return nil, err
		}
		before = b
		cp := *b
		g = &cp
		// A grant stays with its consumer and API: changing either is a new grant.
		if (in.ConsumerID != 0 && in.ConsumerID != b.ConsumerID) || (in.APIID != 0 && in.APIID != b.APIID) {
			return nil, httpx.Invalid(httpx.FieldError{Field: "consumer_id", Code: "immutable", Message: "create a new grant instead"})
		}
	} else {
		if _, err := s.store.Consumer(ctx, in.ConsumerID); err != nil {
			return nil, httpx.Invalid(httpx.FieldError{Field: "consumer_id", Code: "not_found"})
		}
		if _, err := s.store.API(ctx, in.APIID); err != nil {
			return nil, httpx.Invalid(httpx.FieldError{Field: "api_id", Code: "not_found"})
		}
		g.ConsumerID, g.APIID = in.ConsumerID, in.APIID
	}
	g.Fields, g.Plaintext, g.RatePerSec, g.Burst, g.QuotaDay, g.QuotaMonth = nonNil(in.Fields), nonNil(in.Plaintext), in.RatePerSec, in.Burst, in.QuotaDay, in.QuotaMonth
	g.ValidFrom, g.ValidTo, g.IPAllowlist, g.Methods, g.Status = in.ValidFrom, in.ValidTo, nonNil(in.IPAllowlist), nonNil(in.Methods), in.Status
	action := "grant.update"
	if id == 0 {
		action = "grant.create"
	}
	err := s.change(ctx, audit.Event{Action: action, TargetType: "grant", Before: audit.JSON(before), After: audit.JSON(g)}, func(ctx context.Context) error {
		return s.store.SaveGrant(ctx, g)
	})
	if err != nil {
		if db.IsUniqueViolation(err) {
			return nil, httpx.NewProblem(http.StatusConflict, "conflict", "该接入方已有此接口的授权", "The consumer already has a grant for this API")
		}
		return nil, err
	}
	return s.store.Grant(ctx, g.ID)
}

// DeleteGrant removes a grant.
func (s *Service) DeleteGrant(ctx context.Context, id int64) error {
	before, err := s.store.Grant(ctx, id)
	if err != nil {
		return err
	}
	ev := audit.Event{Action: "grant.delete", TargetType: "grant", TargetID: before.ConsumerCode + "/" + before.APICode, Before: audit.JSON(before)}
	return s.change(ctx, ev, func(ctx context.Context) error { return s.store.DeleteGrant(ctx, id) })
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

func parsePrefix(s string) (netip.Prefix, error) {
	if strings.Contains(s, "/") {
		return netip.ParsePrefix(s)
	}
	a, err := netip.ParseAddr(s)
	if err != nil {
		return netip.Prefix{}, err
	}
	return netip.PrefixFrom(a, a.BitLen()), nil
}

var errNoPlatformKey = errors.New("consumer: no active platform key")
