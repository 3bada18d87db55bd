package consumer

import (
	"context"
	"fmt"
	"net/url"
	"time"

	"github.com/xietong/xietong/internal/gateway"
	"github.com/xietong/xietong/internal/gm"
)

// Version is the gateway configuration version; nodes poll it.
func (s *Service) Version(ctx context.Context) (int64, error) { return s.store.Version(ctx) }

// Snapshot reads the whole gateway configuration, unseals what the data
// plane needs, and returns it as an immutable snapshot.
func (s *Service) Snapshot(ctx context.Context) (*gateway.Snapshot, error) {
	version, err := s.store.Version(ctx)
	if err != nil {
		return nil, err
	}
	snap := &gateway.Snapshot{Version: version, Keys: map[string]*gateway.Key{}, DataKeys: map[string]*gateway.DataKey{},
		APIs: map[string]*gateway.API{}, Grants: map[gateway.GrantKey]*gateway.Grant{}}
	consumers, _, err := s.store.Consumers(ctx, "", 1<<30, 0)
	if err != nil {
		return nil, err
	}
	byID := map[int64]*gateway.Consumer{}
	for _, c := range consumers {
		byID[c.ID] = &gateway.Consumer{ID: c.ID, Code: c.Code, Active: c.Status == "active"}
	}
	keys, err := s.store.Keys(ctx, 0)
	if err != nil {
		return nil, err
	}
	for _, k := range keys {
		gk := &gateway.Key{ID: k.KeyID, Consumer: byID[k.ConsumerID], Kind: k.Kind, Revoked: k.Status != "active"}
		if k.ExpiresAt != nil {
			gk.ExpiresAt = *k.ExpiresAt
		}
		switch k.Kind {
		case gateway.KindHMAC:
			secret, err := s.box.Open(k.secretSealed, "key:"+k.KeyID)
			if err != nil {
				return nil, fmt.Errorf("consumer: unseal %s: %w", k.KeyID, err)
			}
			gk.Secret = string(secret)
		case gateway.KindSM2:
			if gk.Public, err = gm.ParsePublicPEM(k.PublicPEM); err != nil {
				return nil, fmt.Errorf("consumer: key %s: %w", k.KeyID, err)
			}
		}
		snap.Keys[k.KeyID] = gk
	}
	dks, err := s.store.DataKeys(ctx, 0)
	if err != nil {
		return nil, err
	}
	for _, k := range dks {
		raw, err := s.box.Open(k.keySealed, "datakey:"+k.KeyID)
		if err != nil {
			return nil, fmt.Errorf("consumer: unseal %s: %w", k.KeyID, err)
		}
		dk := &gateway.DataKey{ID: k.KeyID, ConsumerID: k.ConsumerID, Key: raw, Revoked: k.Status != "active"}
		if k.ExpiresAt != nil {
			dk.ExpiresAt = *k.ExpiresAt
		}
		snap.DataKeys[k.KeyID] = dk
	}
	apis, _, err := s.store.APIs(ctx, "", 0, 0)
	if err != nil {
		return nil, err
	}
	for _, a := range apis {
		if a.Status != "published" {
			continue
		}
		u, err := url.Parse(a.UpstreamURL)
		if err != nil {
			return nil, err
		}
		snap.APIs[a.Method+" "+a.Path] = &gateway.API{ID: a.ID, Code: a.Code, Method: a.Method, Path: a.Path, Upstream: u,
			Timeout: time.Duration(a.TimeoutMS) * time.Millisecond, Retries: a.Retries, Fields: a.Fields}
	}
	grants, _, err := s.store.Grants(ctx, GrantFilter{})
	if err != nil {
		return nil, err
	}
	for _, g := range grants {
		gg := &gateway.Grant{ID: g.ID, ConsumerCode: g.ConsumerCode, APICode: g.APICode, Fields: g.Fields, Plain: map[string]bool{}, Rate: g.RatePerSec, Burst: g.Burst,
			QuotaDay: g.QuotaDay, QuotaMonth: g.QuotaMonth, Active: g.Status == "active", Methods: map[string]bool{}}
		for _, p := range g.Plaintext {
			gg.Plain[p] = true
		}
		for _, m := range g.Methods {
			gg.Methods[m] = true
		}
		for _, ip := range g.IPAllowlist {
			p, err := parsePrefix(ip)
			if err != nil {
				return nil, err
			}
			gg.Allow = append(gg.Allow, p.Masked())
		}
		if g.ValidFrom != nil {
			gg.ValidFrom = *g.ValidFrom
		}
		if g.ValidTo != nil {
			gg.ValidTo = *g.ValidTo
		}
		for _, a := range snap.APIs {
			if a.ID == g.APIID {
				gg.Shaper = gateway.NewShaper(a, gg)
			}
		}
		snap.Grants[gateway.GrantKey{ConsumerID: g.ConsumerID, APIID: g.APIID}] = gg
	}
	pks, err := s.store.PlatformKeys(ctx)
	if err != nil {
		return nil, err
	}
	for _, k := range pks {
		if k.Status != "active" {
			continue
		}
		pem, err := s.box.Open(k.privateSealed, "platform:"+k.KeyID)
		if err != nil {
			return nil, fmt.Errorf("consumer: unseal platform key: %w", err)
		}
		priv, err := gm.ParsePrivatePEM(string(pem))
		if err != nil {
			return nil, err
		}
		snap.Platform = &gateway.PlatformKey{ID: k.KeyID, Priv: priv}
	}
	if snap.Platform == nil {
		return nil, errNoPlatformKey
	}
	return snap, nil
}
