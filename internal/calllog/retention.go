package calllog

import (
	"context"
	"fmt"
	"time"

	"github.com/xietong/xietong/internal/db"
)

// pruneBatch is how many rows one transaction of Prune deletes: small
// enough that the write lock the ingester and the console wait for is held
// for milliseconds, not for the whole of an old month.
const pruneBatch = 5000

// Prune deletes the calls made before cutoff from gateway_calls, oldest
// first, pruneBatch rows per transaction, and returns how many it deleted.
// Cancelling ctx stops it between batches; what was deleted stays deleted
// (every batch is whole), and the next run goes on from there.
func Prune(ctx context.Context, d *db.DB, cutoff time.Time) (int64, error) {
	return prune(ctx, d, cutoff, pruneBatch)
}

func prune(ctx context.Context, d *db.DB, cutoff time.Time, batch int) (int64, error) {
	// The subquery walks the index on at from its start; ids, not a range
	// of at, so that a batch is exactly batch rows however many share a time.
	q := d.Rebind(`DELETE FROM gateway_calls WHERE id IN (SELECT id FROM gateway_calls WHERE at < ? ORDER BY at LIMIT ?)`)
	var total int64
	for {
		if err := ctx.Err(); err != nil {
			return total, err
		}
		var n int64
		err := d.WithTx(ctx, func(ctx context.Context) error {
			res, err := d.Exec(ctx, q, cutoff.UTC(), batch)
			if err != nil {
				return err
			}
			n, err = res.RowsAffected()
			return err
		})
		if err != nil {
			return total, fmt.Errorf("calllog: prune: %w", err)
		}
		total += n
		if n < int64(batch) {
			return total, nil
		}
	}
}

// HasBefore reports whether gateway_calls holds a call made before cutoff.
func HasBefore(ctx context.Context, d *db.DB, cutoff time.Time) (bool, error) {
	rows, err := d.Query(ctx, "SELECT 1 FROM gateway_calls WHERE at < ? LIMIT 1", cutoff.UTC())
	if err != nil {
		return false, fmt.Errorf("calllog: %w", err)
	}
	defer rows.Close()
	found := rows.Next()
	return found, rows.Err()
}
