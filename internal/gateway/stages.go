package gateway

import (
	"crypto/hmac"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"hash"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/emmansun/gmsm/sm3"

	"github.com/xietong/xietong/internal/gm"
	"github.com/xietong/xietong/internal/ident"
	xt "github.com/xietong/xietong/sdk/go"
)

// Interface guards: every stage is a Stage.
var (
	_ Stage = authenticate{}
	_ Stage = replay{}
	_ Stage = route{}
	_ Stage = authorise{}
	_ Stage = decrypt{}
	_ Stage = limit{}
	_ Stage = quota{}
)

// Skew is how far a request's timestamp may be from the gateway's clock.
const Skew = 300 * time.Second

// NonceTTL is how long a nonce is remembered: longer than the window in
// which its timestamp is accepted.
const NonceTTL = 15 * time.Minute

func validNonce(s string) bool {
	if len(s) < 16 || len(s) > 64 {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !('A' <= c && c <= 'Z' || 'a' <= c && c <= 'z' || '0' <= c && c <= '9' || c == '-' || c == '_') {
			return false
		}
	}
	return true
}

// authenticate checks the headers, the timestamp, the key and the signature.
type authenticate struct{ g *Gateway }

// header is h.Get(key) for a key already in Go's canonical form (the h…
// constants of respond.go): a direct map lookup that does not canonicalise
// (and allocate) the name again on every call.
func header(h http.Header, key string) string {
	if v := h[key]; len(v) > 0 {
		return v[0]
	}
	return ""
}

func (s authenticate) Check(c *call) *Denial {
	h := c.r.Header
	keyID, sigB64 := header(h, hKeyID), header(h, hSignature)
	c.ts, c.nonce = header(h, hTimestamp), header(h, hNonce)
	if keyID == "" || sigB64 == "" || c.ts == "" || !validNonce(c.nonce) {
		c.nonce = "" // never echo an invalid nonce
		return deny(http.StatusBadRequest, "gw_bad_request", "缺少或错误的签名请求头（X-XT-Key-Id、X-XT-Timestamp、X-XT-Nonce、X-XT-Signature）",
			"Missing or malformed signature headers (X-XT-Key-Id, X-XT-Timestamp, X-XT-Nonce, X-XT-Signature)")
	}
	ts, err := strconv.ParseInt(c.ts, 10, 64)
	if err != nil || len(c.ts) > 12 {
		return deny(http.StatusBadRequest, "gw_bad_request", "X-XT-Timestamp 必须是十进制秒数", "X-XT-Timestamp must be decimal seconds")
	}
	if d := s.g.o.Now().Sub(time.Unix(ts, 0)); d > Skew || d < -Skew {
		return deny(http.StatusUnauthorized, "gw_stale_timestamp", "请求时间戳与服务器时间相差超过 300 秒", "The timestamp is more than 300 s from the gateway's clock")
	}
	k := c.snap.Keys[keyID]
	if k == nil || k.Consumer == nil {
		return deny(http.StatusUnauthorized, "gw_unknown_key", "未知的密钥", "Unknown key")
	}
	c.rec.KeyID, c.rec.ConsumerID, c.rec.ConsumerCode = k.ID, k.Consumer.ID, k.Consumer.Code
	if k.Revoked || !k.Consumer.Active || (!k.ExpiresAt.IsZero() && s.g.o.Now().After(k.ExpiresAt)) {
		return deny(http.StatusUnauthorized, "gw_revoked_key", "密钥已吊销、已过期或接入方已停用", "The key is revoked or expired, or the consumer is disabled")
	}
	c.encHeader = header(h, hEncryption)
	sig, err := base64.StdEncoding.DecodeString(sigB64)
	if err != nil {
		return deny(http.StatusUnauthorized, "gw_bad_signature", "签名不是合法的 base64", "The signature is not valid base64")
	}
	msg, err := xt.Request{Method: c.r.Method, Path: c.r.URL.EscapedPath(), RawQuery: c.r.URL.RawQuery, KeyID: keyID,
		Timestamp: c.ts, Nonce: c.nonce, Encryption: c.encHeader, Body: c.body}.StringToSign()
	if err != nil {
		return deny(http.StatusBadRequest, "gw_bad_request", "查询字符串无法解析", "The query string cannot be parsed")
	}
	ok := false
	switch k.Kind {
	case KindHMAC:
		// The key's pooled HMAC state (the one that signs its answers).
		var mac [32]byte
		ok = hmac.Equal(sig, s.g.macs.sign(k, []byte(msg), mac[:0]))
	case KindSM2:
		ok = xt.SM2Verify(k.Public, msg, sig)
	}
	if !ok {
		return deny(http.StatusUnauthorized, "gw_bad_signature", "签名校验失败（请求在签名后被修改，或签名方法不符）", "The signature does not verify (the request changed after signing, or the method differs)")
	}
	c.key = k // from here on, answers are signed
	return nil
}

// replay refuses a nonce seen before for the same key.
type replay struct{ g *Gateway }

func (s replay) Check(c *call) *Denial {
	first, err := s.g.o.State.FirstUse(c.r.Context(), c.key.ID+":"+c.nonce, NonceTTL)
	if err != nil {
		s.g.o.Log.Error("gateway: nonce store", "err", err)
		return deny(http.StatusServiceUnavailable, "gw_state_unavailable", "网关共享状态不可用", "The gateway's shared state is unavailable")
	}
	if !first {
		return deny(http.StatusUnauthorized, "gw_replayed_nonce", "该 nonce 已使用过（重放请求）", "The nonce was used already (replay)")
	}
	return nil
}

// route finds the published API.
type route struct{}

func (route) Check(c *call) *Denial {
	c.api = c.snap.APIs[c.r.Method+" "+c.r.URL.Path]
	if c.api == nil {
		return deny(http.StatusNotFound, "gw_no_such_api", "该路径和方法上没有发布的接口", "No API is published at this method and path")
	}
	c.rec.APICode = c.api.Code
	return nil
}

// authorise applies the grant's existence, validity, address and methods.
type authorise struct{ g *Gateway }

func (s authorise) Check(c *call) *Denial {
	g := c.snap.Grants[GrantKey{ConsumerID: c.key.Consumer.ID, APIID: c.api.ID}]
	if g == nil || !g.Active {
		return deny(http.StatusForbidden, "gw_not_granted", "接入方未获得该接口的授权", "The consumer has no grant for this API")
	}
	now := s.g.o.Now()
	if (!g.ValidFrom.IsZero() && now.Before(g.ValidFrom)) || (!g.ValidTo.IsZero() && now.After(g.ValidTo)) {
		return deny(http.StatusForbidden, "gw_grant_expired", "授权不在有效期内", "The grant is outside its validity period")
	}
	if len(g.Allow) > 0 {
		ok := false
		for _, p := range g.Allow {
			if c.ip.IsValid() && p.Contains(c.ip.Unmap()) {
				ok = true
				break
			}
		}
		if !ok {
			return deny(http.StatusForbidden, "gw_ip_denied", "调用方地址不在授权的白名单内", "The caller's address is not on the grant's allowlist")
		}
	}
	if len(g.Methods) > 0 && !g.Methods[c.r.Method] {
		return deny(http.StatusForbidden, "gw_method_denied", "授权不允许该请求方法", "The grant does not allow this method")
	}
	c.grant = g
	return nil
}

// decrypt opens an encrypted query and body, and finds the subject of the
// lookup for the call log.
type decrypt struct{}

func (decrypt) Check(c *call) *Denial {
	c.query, c.plain = c.r.URL.RawQuery, c.body
	c.plainType = header(c.r.Header, hContentType)
	// Built only when refusing: most calls pass.
	bad := func() *Denial {
		return deny(http.StatusBadRequest, "gw_bad_encryption", "加密参数或数据密钥无效", "The encrypted parameters or the data key are invalid")
	}
	if c.encHeader != "" {
		mode, dkID, err := xt.ParseEncryption(c.encHeader)
		if err != nil {
			return bad()
		}
		dk := c.snap.DataKeys[dkID]
		if dk == nil || dk.ConsumerID != c.key.Consumer.ID || dk.Revoked || (!dk.ExpiresAt.IsZero() && time.Now().After(dk.ExpiresAt)) {
			return bad()
		}
		c.mode, c.dataKey = mode, dk
		aad := xt.RequestAAD(c.key.ID, c.ts, c.nonce)
		if c.query != "" {
			q, err := url.ParseQuery(c.query)
			if err != nil || len(q) != 1 || q.Get(xt.EncryptedQueryParam) == "" {
				return bad()
			}
			sealed, err := base64.RawURLEncoding.DecodeString(q.Get(xt.EncryptedQueryParam))
			if err != nil {
				return bad()
			}
			plain, err := xt.Open(mode, dk.Key, sealed, aad)
			if err != nil {
				return bad()
			}
			c.query = string(plain)
		}
		if len(c.body) > 0 {
			sealed, err := base64.StdEncoding.DecodeString(string(c.body))
			if err != nil {
				return bad()
			}
			if c.plain, err = xt.Open(mode, dk.Key, sealed, aad); err != nil {
				return bad()
			}
			c.plainType = header(c.r.Header, hXTContentType)
			if c.plainType == "" {
				c.plainType = "application/json"
			}
		}
	}
	return nil
}

// limit applies the grant's requests per second.
type limit struct{ g *Gateway }

func (s limit) Check(c *call) *Denial {
	if c.grant.Rate <= 0 {
		return nil
	}
	ok, retry, err := s.g.o.State.Allow(c.r.Context(), "g"+strconv.FormatInt(c.grant.ID, 10), c.grant.Rate, c.grant.Burst)
	if err != nil {
		s.g.o.Log.Error("gateway: rate store", "err", err)
		return deny(http.StatusServiceUnavailable, "gw_state_unavailable", "网关共享状态不可用", "The gateway's shared state is unavailable")
	}
	if !ok {
		d := deny(http.StatusTooManyRequests, "gw_rate_limited", "调用频率超过授权限制", "Over the grant's request rate")
		d.RetryAfter = retry
		return d
	}
	return nil
}

// shanghai is where calendar quotas are counted: a bureau's day and month.
var shanghai = time.FixedZone("Asia/Shanghai", 8*3600)

type period struct {
	limit   int64
	key     string
	expires time.Time
}

// quotaPeriods names the grant's current month and day counters: calendar
// periods in Asia/Shanghai, the month first so a refused day does not use it.
func quotaPeriods(g *Grant, at time.Time) [2]period {
	now := at.In(shanghai)
	day := time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, shanghai)
	month := time.Date(now.Year(), now.Month(), 1, 0, 0, 0, 0, shanghai)
	id := "g" + strconv.FormatInt(g.ID, 10)
	return [2]period{
		{g.QuotaMonth, id + ":m:" + month.Format("200601"), month.AddDate(0, 1, 0)},
		{g.QuotaDay, id + ":d:" + day.Format("20060102"), day.AddDate(0, 0, 1)},
	}
}

// quota applies the grant's calendar day and month quotas (Asia/Shanghai).
type quota struct{ g *Gateway }

func (s quota) Check(c *call) *Denial {
	if c.grant.QuotaDay <= 0 && c.grant.QuotaMonth <= 0 {
		s.g.subject(c)
		return nil
	}
	for _, q := range quotaPeriods(c.grant, s.g.o.Now()) {
		if q.limit <= 0 {
			continue
		}
		ok, err := s.g.o.State.Take(c.r.Context(), q.key, q.limit, q.expires)
		if err != nil {
			s.g.o.Log.Error("gateway: quota store", "err", err)
			return deny(http.StatusServiceUnavailable, "gw_state_unavailable", "网关共享状态不可用", "The gateway's shared state is unavailable")
		}
		if !ok {
			d := deny(http.StatusTooManyRequests, "gw_quota_exhausted", "本期调用配额已用完", "The quota of this period is used up")
			d.RetryAfter = q.expires.Sub(s.g.o.Now())
			return d
		}
	}
	s.g.subject(c)
	return nil
}

// subject records, sealed, the 公民身份号码 or 统一社会信用代码 a call asks
// about: the first query or top-level body value that passes its checksum.
func (g *Gateway) subject(c *call) {
	var found string
	if q, err := url.ParseQuery(c.query); err == nil {
		for _, vs := range q {
			for _, v := range vs {
				if found == "" && (ident.ValidID(strings.ToUpper(v)) || ident.ValidUSCC(v)) {
					found = strings.ToUpper(v)
				}
			}
		}
	}
	if found == "" && len(c.plain) > 0 && len(c.plain) < 1<<16 {
		var m map[string]any
		if json.Unmarshal(c.plain, &m) == nil {
			for _, v := range m {
				if s, ok := v.(string); ok && found == "" && (ident.ValidID(strings.ToUpper(s)) || ident.ValidUSCC(s)) {
					found = strings.ToUpper(s)
				}
			}
		}
	}
	if found == "" {
		return
	}
	c.rec.SubjectIndex = g.index.of(found)
	if sealed, err := g.o.Box.Seal([]byte(found), "subject:"+c.rec.CallID); err == nil {
		c.rec.SubjectSealed = sealed
	}
}

// SubjectIndex is the keyed SM3 index under which a subject is searchable
// without storing it in the clear.
func SubjectIndex(key []byte, subject string) string {
	return hex.EncodeToString(gm.HMACSM3(key, []byte(strings.ToUpper(subject))))
}

// indexer computes SubjectIndex on the data plane with pooled HMAC states
// (an HMAC-SM3 state costs five allocations to set up).
type indexer struct{ pool sync.Pool }

func newIndexer(key []byte) *indexer {
	key = append([]byte(nil), key...)
	return &indexer{pool: sync.Pool{New: func() any { return hmac.New(sm3.New, key) }}}
}

// of is SubjectIndex(key, subject) for a subject already in upper case.
func (x *indexer) of(subject string) string {
	h := x.pool.Get().(hash.Hash)
	h.Reset()
	io.WriteString(h, subject)
	var sum [32]byte
	var hx [64]byte
	hex.Encode(hx[:], h.Sum(sum[:0]))
	x.pool.Put(h)
	return string(hx[:])
}
