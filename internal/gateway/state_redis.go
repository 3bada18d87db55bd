package gateway

import (
	"context"
	"math"
	"time"

	"github.com/go-redis/redis_rate/v10"
	"github.com/redis/go-redis/v9"
)

// RedisState is State shared by every gateway node through Redis.
type RedisState struct {
	rdb     *redis.Client
	limiter *redis_rate.Limiter
	prefix  string
}

var _ State = (*RedisState)(nil)

// NewRedisState uses rdb; prefix separates deployments sharing a Redis.
func NewRedisState(rdb *redis.Client, prefix string) *RedisState {
	return &RedisState{rdb: rdb, limiter: redis_rate.NewLimiter(rdb), prefix: prefix}
}

// FirstUse implements State with SET NX EX.
func (r *RedisState) FirstUse(ctx context.Context, key string, ttl time.Duration) (bool, error) {
	return r.rdb.SetNX(ctx, r.prefix+"nonce:"+key, 1, ttl).Result()
}

// Allow implements State with redis_rate's GCRA.
func (r *RedisState) Allow(ctx context.Context, key string, perSec float64, burst int) (bool, time.Duration, error) {
	if burst < 1 {
		burst = 1
	}
	// redis_rate counts whole requests per period: express a fractional
	// rate as one request per 1/rate seconds.
	limit := redis_rate.Limit{Rate: int(math.Round(perSec)), Burst: burst, Period: time.Second}
	if perSec < 1 {
		limit = redis_rate.Limit{Rate: 1, Burst: burst, Period: time.Duration(float64(time.Second) / perSec)}
	}
	res, err := r.limiter.Allow(ctx, r.prefix+"rate:"+key, limit)
	if err != nil {
		return false, 0, err
	}
	return res.Allowed > 0, res.RetryAfter, nil
}

// takeScript counts one use unless the limit is reached, atomically.
var takeScript = redis.NewScript(`
local n = tonumber(redis.call('GET', KEYS[1]) or '0')
if n >= tonumber(ARGV[1]) then return 0 end
redis.call('INCR', KEYS[1])
redis.call('PEXPIREAT', KEYS[1], ARGV[2])
return 1`)

// Take implements State.
func (r *RedisState) Take(ctx context.Context, key string, limit int64, expires time.Time) (bool, error) {
	n, err := takeScript.Run(ctx, r.rdb, []string{r.prefix + "quota:" + key}, limit, expires.UnixMilli()).Int()
	return n == 1, err
}

// Used implements State.
func (r *RedisState) Used(ctx context.Context, key string) (int64, error) {
	n, err := r.rdb.Get(ctx, r.prefix+"quota:"+key).Int64()
	if err == redis.Nil {
		return 0, nil
	}
	return n, err
}
