package app

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/redis/go-redis/v9"

	"github.com/xietong/xietong/internal/config"
	"github.com/xietong/xietong/internal/gateway"
	"github.com/xietong/xietong/internal/gm"
)

// masterKey loads the master key from the configuration or from
// <data_dir>/master.key, making that file on first start. It returns the
// box sealing secrets at rest and the key of the call log's subject index.
func masterKey(cfg *config.Config) (*gm.Box, []byte, error) {
	hexKey := cfg.MasterKey
	if hexKey == "" {
		path := filepath.Join(cfg.DataDir, "master.key")
		b, err := os.ReadFile(path)
		switch {
		case errors.Is(err, os.ErrNotExist):
			raw := make([]byte, gm.SM4KeySize)
			if _, err := rand.Read(raw); err != nil {
				return nil, nil, err
			}
			hexKey = hex.EncodeToString(raw)
			if err := os.WriteFile(path, []byte(hexKey+"\n"), 0o600); err != nil {
				return nil, nil, fmt.Errorf("app: write master key: %w", err)
			}
		case err != nil:
			return nil, nil, fmt.Errorf("app: read master key: %w", err)
		default:
			hexKey = strings.TrimSpace(string(b))
		}
	}
	raw, err := hex.DecodeString(hexKey)
	if err != nil || len(raw) != gm.SM4KeySize {
		return nil, nil, fmt.Errorf("app: master key must be 32 hex digits")
	}
	box, err := gm.NewBox(raw)
	if err != nil {
		return nil, nil, err
	}
	return box, gm.HMACSM3(raw, []byte("xietong subject index v1")), nil
}

// gatewayState is the shared state: Redis when configured, else memory.
func gatewayState(ctx context.Context, cfg *config.Config) (gateway.State, func(), error) {
	if cfg.RedisURL == "" {
		return gateway.NewMemoryState(), func() {}, nil
	}
	opts, err := redis.ParseURL(cfg.RedisURL)
	if err != nil {
		return nil, nil, fmt.Errorf("app: redis_url: %w", err)
	}
	rdb := redis.NewClient(opts)
	if err := rdb.Ping(ctx).Err(); err != nil {
		rdb.Close()
		return nil, nil, fmt.Errorf("app: redis: %w", err)
	}
	return gateway.NewRedisState(rdb, cfg.RedisPrefix), func() { rdb.Close() }, nil
}
