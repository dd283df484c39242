package bufpool

import (
	"bytes"
	"errors"
	"io"
	"strconv"
	"strings"
	"testing"
	"testing/iotest"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/cph-go/cph/internal/alloctest"
)

func TestReadCapped(t *testing.T) {
	body := func(n int) []byte { return bytes.Repeat([]byte("0123456789abcdef"), n/16+1)[:n] }
	tests := map[string]struct {
		body          []byte
		contentLength int64 // -1: unknown (chunked)
		limit         int64
		reader        func(io.Reader) io.Reader // wraps the body; nil: as is
		wantLen       int
		wantErr       error
	}{
		"sized":                      {body: body(836), contentLength: 836, limit: 1 << 20, wantLen: 836},
		"empty":                      {body: nil, contentLength: 0, limit: 1 << 20, wantLen: 0},
		"unknown length, small":      {body: body(300), contentLength: -1, limit: 1 << 20, wantLen: 300},
		"unknown length, large":      {body: body(300_000), contentLength: -1, limit: 1 << 20, wantLen: 300_000},
		"length too small":           {body: body(10_000), contentLength: 100, limit: 1 << 20, wantLen: 10_000},
		"one byte at a time":         {body: body(5000), contentLength: 5000, limit: 1 << 20, reader: iotest.OneByteReader, wantLen: 5000},
		"exactly the limit":          {body: body(4096), contentLength: 4096, limit: 4096, wantLen: 4096},
		"exactly the limit, unknown": {body: body(4096), contentLength: -1, limit: 4096, wantLen: 4096},
		"over the limit":             {body: body(4097), contentLength: 4097, limit: 4096, wantLen: 4096, wantErr: ErrLimit},
		"over the limit, unknown":    {body: body(100_000), contentLength: -1, limit: 4096, wantLen: 4096, wantErr: ErrLimit},
		"far over a small limit":     {body: body(100_000), contentLength: 100_000, limit: 10, wantLen: 10, wantErr: ErrLimit},
		"negative limit: 0":          {body: body(10), contentLength: 10, limit: -1, wantLen: 0, wantErr: ErrLimit},
		"empty, negative limit":      {body: nil, contentLength: 0, limit: -1, wantLen: 0},
		"larger than the pools":      {body: body(17 << 20), contentLength: 17 << 20, limit: 32 << 20, wantLen: 17 << 20},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			var r io.Reader = bytes.NewReader(tc.body)
			if tc.reader != nil {
				r = tc.reader(r)
			}
			got, err := ReadCapped(r, tc.contentLength, tc.limit)
			if tc.wantErr != nil {
				require.Equal(t, tc.wantErr, err)
			} else {
				require.NoError(t, err)
			}
			require.Len(t, got, tc.wantLen)
			assert.True(t, bytes.Equal(tc.body[:tc.wantLen], got), "body differs")
			Release(got)
		})
	}
}

func TestReadCappedReadError(t *testing.T) {
	boom := errors.New("connection reset")
	got, err := ReadCapped(io.MultiReader(strings.NewReader("partial"), iotest.ErrReader(boom)), 100, 1<<20)
	require.ErrorIs(t, err, boom)
	assert.NotErrorIs(t, err, ErrLimit)
	assert.Equal(t, "partial", string(got))
}

func TestBuffersArePooledBySize(t *testing.T) {
	tests := map[string]struct {
		n       int64
		wantCap int
	}{
		"tiny":            {n: 1, wantCap: 512},
		"smallest class":  {n: 512, wantCap: 512},
		"next class":      {n: 513, wantCap: 1024},
		"sample":          {n: 837, wantCap: 1024},
		"large list":      {n: 1_600_001, wantCap: 2 << 20},
		"16 MiB":          {n: 16 << 20, wantCap: 16 << 20},
		"over 16 MiB":     {n: 16<<20 + 1, wantCap: 32 << 20},
		"largest class":   {n: 32 << 20, wantCap: 32 << 20},
		"past the pools":  {n: 32<<20 + 1, wantCap: 32<<20 + 1},
		"exactly 64 KiB":  {n: 64 << 10, wantCap: 64 << 10},
		"just over 64KiB": {n: 64<<10 + 1, wantCap: 128 << 10},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			b := Get(tc.n)
			assert.Empty(t, b)
			assert.Equal(t, tc.wantCap, cap(b))
			Release(append(b, 'x'))
			again := Get(tc.n)
			assert.Empty(t, again, "a released buffer comes back empty")
			assert.GreaterOrEqual(t, int64(cap(again)), tc.n)
		})
	}
}

// TestReadCappedAllocationPacedByArrival: whatever length a body declares,
// ReadCapped allocates at most the length hint (256 KiB) plus a small
// multiple of the bytes that actually arrive.
func TestReadCappedAllocationPacedByArrival(t *testing.T) {
	alloctest.SkipIfRacing(t)
	const declared, limit = 30 << 20, 32 << 20
	for _, sent := range []int{0, 10, 100 << 10, 300 << 10, 3 << 20} {
		t.Run(strconv.Itoa(sent)+" bytes sent", func(t *testing.T) {
			body := bytes.Repeat([]byte("x"), sent)
			var got []byte
			var err error
			n := alloctest.Allocated(func() {
				r := io.MultiReader(bytes.NewReader(body), iotest.ErrReader(io.ErrUnexpectedEOF))
				got, err = ReadCapped(r, declared, limit)
			})
			require.ErrorIs(t, err, io.ErrUnexpectedEOF)
			require.Len(t, got, sent)
			t.Logf("allocated %d bytes", n)
			bound := uint64(256<<10 + 10*sent + 64<<10)
			assert.LessOrEqual(t, n, bound, "bytes allocated for %d bytes received", sent)
			Release(got)
		})
	}
}

// TestReadCappedUnknownLengthNearTheLimitAllocation: a body of unknown
// length right at the limit, as a gzip body is once the transport has
// decompressed it, is read with at most about twice the limit allocated
// (the buffers it grows through), never a buffer past the limit.
func TestReadCappedUnknownLengthNearTheLimitAllocation(t *testing.T) {
	alloctest.SkipIfRacing(t)
	const limit = 4 << 20
	for name, size := range map[string]int{"at the limit": limit, "one byte under": limit - 1, "one byte over": limit + 1} {
		t.Run(name, func(t *testing.T) {
			body := bytes.Repeat([]byte("x"), size)
			var got []byte
			var err error
			n := alloctest.Allocated(func() {
				got, err = ReadCapped(bytes.NewReader(body), -1, limit)
			})
			if size > limit {
				require.ErrorIs(t, err, ErrLimit)
			} else {
				require.NoError(t, err)
			}
			assert.Len(t, got, min(size, limit))
			assert.LessOrEqual(t, cap(got), limit, "a buffer past the limit")
			t.Logf("allocated %d bytes", n)
			assert.LessOrEqual(t, n, uint64(2*limit+64<<10), "bytes allocated")
			Release(got)
		})
	}
}

// TestLargeBufferIsPooled: a buffer between 16 MiB and MaxPooled, from
// Get or from ReadCapped, goes back to its pool, so the next one of its
// size allocates (almost) nothing.
//
// A buffer given back waits in the pool of the P (the scheduler's
// processor) it was given back on, where a goroutine that has moved to
// another P does not always find it: each check tries a few times, and a
// buffer that is not pooled fails every try.
func TestLargeBufferIsPooled(t *testing.T) {
	alloctest.SkipIfRacing(t)
	const size, tries = 20 << 20, 5
	t.Run("Get", func(t *testing.T) {
		b := Get(size)
		require.GreaterOrEqual(t, cap(b), size)
		reused := false
		for range tries {
			Release(b)
			// b stays reachable, so a new buffer cannot take its place.
			again := Get(size)
			if reused = &again[:1][0] == &b[:1][0]; reused {
				break
			}
			b = again
		}
		assert.True(t, reused, "a released buffer came back from its pool")
	})
	t.Run("ReadCapped", func(t *testing.T) {
		body := bytes.Repeat([]byte("x"), size)
		read := func() {
			got, err := ReadCapped(bytes.NewReader(body), size, MaxPooled)
			require.NoError(t, err)
			require.Len(t, got, size)
			Release(got)
		}
		read()
		n := alloctest.LeastAllocated(tries, read)
		t.Logf("allocated %d bytes", n)
		assert.Less(t, n, uint64(1<<20), "bytes allocated by a read after the first")
	})
}

// TestReadCappedNeverNeedsMoreThanTheLimit: a body of exactly the limit
// fits a buffer of the limit's size (over it is found with a read into a
// small buffer of its own), so a limit that is a pool class is read in a
// buffer of that class.
func TestReadCappedNeverNeedsMoreThanTheLimit(t *testing.T) {
	for _, limit := range []int64{512, 4 << 10, 64 << 10, 32 << 20} {
		for name, contentLength := range map[string]int64{"Content-Length": limit, "unknown length": -1} {
			t.Run(strconv.FormatInt(limit, 10)+", "+name, func(t *testing.T) {
				body := bytes.Repeat([]byte("x"), int(limit))
				got, err := ReadCapped(bytes.NewReader(body), contentLength, limit)
				require.NoError(t, err)
				assert.Len(t, got, int(limit))
				assert.Equal(t, int(limit), cap(got), "buffer size")
				Release(got)
			})
		}
	}
}

// firstReads records the size of the buffer each Read of r is given.
type firstReads struct {
	r     io.Reader
	sizes []int
}

func (f *firstReads) Read(p []byte) (int, error) {
	f.sizes = append(f.sizes, len(p))
	return f.r.Read(p)
}

// TestReadCappedTakesAFreeBufferOfTheDeclaredSize: a body declared longer
// than the length hint is read straight into a pooled buffer of its whole
// size when one is free (as between calls of the same size), so an honest
// large body is not copied from a smaller first buffer.
func TestReadCappedTakesAFreeBufferOfTheDeclaredSize(t *testing.T) {
	alloctest.SkipIfRacing(t)
	body := bytes.Repeat([]byte("x"), 1_690_000)
	var reads *firstReads
	for range 5 { // the pool of another P may hold the buffer (see TestLargeBodyBufferIsPooled)
		Release(Get(int64(len(body))))
		reads = &firstReads{r: bytes.NewReader(body)}
		got, err := ReadCapped(reads, int64(len(body)), MaxPooled)
		require.NoError(t, err)
		require.Equal(t, body, got)
		Release(got)
		if reads.sizes[0] >= len(body) {
			break
		}
	}
	assert.GreaterOrEqual(t, reads.sizes[0], len(body), "the first read's buffer")
}
