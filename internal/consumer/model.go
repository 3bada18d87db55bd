// Package consumer is the gateway's control plane: consumers (接入方) and
// their credentials, SM4 data keys in SM2 envelopes, the platform's signing
// key, published APIs with their field classification, and grants. It
// builds the gateway's snapshot; it never serves calls itself.
package consumer

import (
	"time"

	"github.com/xietong/xietong/internal/gateway"
)

// Consumer is an external organisation's application.
type Consumer struct {
	ID          int64     `json:"id"`
	Code        string    `json:"code"`
	Name        string    `json:"name"`
	OrgName     string    `json:"org_name"`
	Contact     string    `json:"contact"`
	Phone       string    `json:"phone"`
	Description string    `json:"description"`
	Status      string    `json:"status"` // active | disabled
	CreatedAt   time.Time `json:"created_at"`
	UpdatedAt   time.Time `json:"updated_at"`
	Keys        []Key     `json:"keys,omitempty"`
	DataKeys    []DataKey `json:"data_keys,omitempty"`
}

// Key is an access key as the console shows it: never the secret.
type Key struct {
	ID         int64      `json:"id"`
	KeyID      string     `json:"key_id"`
	ConsumerID int64      `json:"consumer_id"`
	Kind       string     `json:"kind"` // hmac | sm2
	PublicPEM  string     `json:"public_pem,omitempty"`
	Status     string     `json:"status"` // active | revoked
	ExpiresAt  *time.Time `json:"expires_at"`
	CreatedAt  time.Time  `json:"created_at"`
	RevokedAt  *time.Time `json:"revoked_at"`

	secretSealed []byte
}

// IssuedKey is the answer to issuing a key: the secret or private key
// appears here once and is never stored in the clear or shown again.
type IssuedKey struct {
	Key
	Secret     string `json:"secret,omitempty"`
	PrivatePEM string `json:"private_pem,omitempty"` // PKCS#8, encrypted with the passphrase given
}

// DataKey is an SM4 key issued to a consumer; the envelope (数字信封) is
// the key encrypted to the consumer's SM2 public key.
type DataKey struct {
	ID         int64      `json:"id"`
	KeyID      string     `json:"key_id"`
	ConsumerID int64      `json:"consumer_id"`
	Envelope   string     `json:"envelope"`
	Status     string     `json:"status"`
	ExpiresAt  *time.Time `json:"expires_at"`
	CreatedAt  time.Time  `json:"created_at"`

	keySealed []byte
}

// PlatformKey is the platform's SM2 signing key as shown: public part only.
type PlatformKey struct {
	ID        int64     `json:"id"`
	KeyID     string    `json:"key_id"`
	PublicPEM string    `json:"public_pem"`
	Status    string    `json:"status"` // active | previous
	CreatedAt time.Time `json:"created_at"`

	privateSealed []byte
}

// API is a published gateway API.
type API struct {
	ID          int64                `json:"id"`
	Code        string               `json:"code"`
	Name        string               `json:"name"`
	Kind        string               `json:"kind"` // http | dataapi (managed from the data API, not here)
	Method      string               `json:"method"`
	Path        string               `json:"path"`
	UpstreamURL string               `json:"upstream_url"`
	TimeoutMS   int                  `json:"timeout_ms"`
	Retries     int                  `json:"retries"`
	Fields      []gateway.FieldClass `json:"fields"`
	Status      string               `json:"status"` // published | offline
	CreatedAt   time.Time            `json:"created_at"`
	UpdatedAt   time.Time            `json:"updated_at"`
}

// Grant is consumer × API.
type Grant struct {
	ID           int64      `json:"id"`
	ConsumerID   int64      `json:"consumer_id"`
	ConsumerCode string     `json:"consumer_code"`
	APIID        int64      `json:"api_id"`
	APICode      string     `json:"api_code"`
	Fields       []string   `json:"fields"`
	Plaintext    []string   `json:"plaintext_categories"`
	RatePerSec   float64    `json:"rate_per_sec"`
	Burst        int        `json:"burst"`
	QuotaDay     int64      `json:"quota_day"`
	QuotaMonth   int64      `json:"quota_month"`
	ValidFrom    *time.Time `json:"valid_from"`
	ValidTo      *time.Time `json:"valid_to"`
	IPAllowlist  []string   `json:"ip_allowlist"`
	Methods      []string   `json:"methods"`
	Status       string     `json:"status"` // active | suspended
	CreatedAt    time.Time  `json:"created_at"`
	UpdatedAt    time.Time  `json:"updated_at"`
}

// Categories are the sensitive categories a field can be put in, with the
// masking each gets (DOMAIN.md).
var Categories = []string{"name", "phone", "id_number", "bank_card", "address", "secret", "health", "location", "biometric", "minor", "special_identity"}
