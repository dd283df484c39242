package cph

import (
	"bytes"
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"math"
	"net"
	"net/http"
	"net/url"
	"os"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/cph-go/cph/internal/sigv"
)

func TestBackoffFullJitter(t *testing.T) {
	c := &Client{backoffBase: 100 * time.Millisecond, backoffMax: time.Second}
	var asked []int64
	c.setJitter(func(n int64) int64 { asked = append(asked, n); return n - 1 })

	var got []time.Duration
	for i := range 6 {
		got = append(got, c.backoff(i))
	}
	got = append(got, c.backoff(100)) // 2^100 overflows: the max

	ms := time.Millisecond
	want := []time.Duration{100 * ms, 200 * ms, 400 * ms, 800 * ms, time.Second, time.Second, time.Second}
	for i := range want {
		assert.Equal(t, want[i]-1, got[i], "retry %d: the top of [0, ceiling)", i)
		assert.Equal(t, int64(want[i]), asked[i], "retry %d: the jitter source is asked for [0, ceiling)", i)
	}

	c.setJitter(func(int64) int64 { return 0 })
	assert.Equal(t, time.Duration(0), c.backoff(3), "full jitter reaches down to 0")

	c.backoffBase, c.backoffMax = 0, 0
	c.setJitter(func(int64) int64 { panic("not asked for an empty range") })
	assert.Equal(t, time.Duration(0), c.backoff(2), "zero backoff waits nothing")

	// A zero base with a maximum: 0·2^i is 0 for every i, also past the
	// 62 retries at which 2^i would overflow.
	c.backoffBase, c.backoffMax = 0, time.Hour
	c.setJitter(func(n int64) int64 { return n - 1 })
	for _, i := range []int{0, 1, 61, 62, 63, 64, 100, math.MaxInt} {
		assert.Equal(t, time.Duration(0), c.backoff(i), "retry %d", i)
	}
	c.backoffBase, c.backoffMax = 1, math.MaxInt64
	assert.Equal(t, time.Duration(1<<62-1), c.backoff(62), "1 ns·2^62 is under the max")
	assert.Equal(t, time.Duration(math.MaxInt64-1), c.backoff(63), "1 ns·2^63 is over it")
}

// TestZeroBaseBackoffNeverWaits: through calls, WithBackoff(0, max)
// retries without waiting however many attempts it is given.
func TestZeroBaseBackoffNeverWaits(t *testing.T) {
	s := newFaultServer(t, always(status(503, "")), false)
	c := newFaultClient(t, s.URL, WithMaxAttempts(80), WithBackoff(0, time.Hour))
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()

	_, err := c.ListPhoneImages(ctx)

	var apiErr *APIError
	require.ErrorAs(t, err, &apiErr)
	assert.Equal(t, 80, apiErr.Attempts)
	assert.NotErrorIs(t, err, context.DeadlineExceeded, "no wait came near the deadline")
	assert.Equal(t, 80, s.Served())
}

func TestDefaultJitterInRange(t *testing.T) {
	c, err := NewClient(WithEndpoint("http://127.0.0.1:1"), WithProjectID(testProjectID),
		WithCredentials(testCreds))
	require.NoError(t, err)
	for i := range 200 {
		d := c.backoff(i % 4)
		ceiling := min(defaultBackoffMax, defaultBackoffBase<<(i%4))
		assert.GreaterOrEqual(t, d, time.Duration(0))
		assert.Less(t, d, ceiling)
	}
}

func TestRetryAfter(t *testing.T) {
	now := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	tests := map[string]struct {
		value  string
		want   time.Duration
		wantOK bool
	}{
		"absent":           {value: "", wantOK: false},
		"seconds":          {value: "7", want: 7 * time.Second, wantOK: true},
		"zero":             {value: "0", want: 0, wantOK: true},
		"spaces":           {value: " 3 ", want: 3 * time.Second, wantOK: true},
		"negative":         {value: "-1", wantOK: false},
		"garbage":          {value: "soon", wantOK: false},
		"fraction":         {value: "1.5", wantOK: false},
		"huge":             {value: "99999999999999999", want: time.Duration(1<<63 - 1), wantOK: true},
		"past int64":       {value: "99999999999999999999999", want: time.Duration(1<<63 - 1), wantOK: true},
		"plus sign":        {value: "+5", wantOK: false},
		"HTTP date ahead":  {value: now.Add(90 * time.Second).Format(http.TimeFormat), want: 90 * time.Second, wantOK: true},
		"HTTP date passed": {value: now.Add(-time.Hour).Format(http.TimeFormat), want: 0, wantOK: true},
		"RFC 850 date":     {value: now.Add(time.Minute).Format(time.RFC850), want: time.Minute, wantOK: true},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			h := http.Header{}
			if tc.value != "" {
				h.Set("Retry-After", tc.value)
			}
			got, ok := retryAfter(h, now)
			assert.Equal(t, tc.wantOK, ok)
			assert.Equal(t, tc.want, got)
		})
	}
}

func TestRetryWait(t *testing.T) {
	c := &Client{backoffBase: time.Second, backoffMax: 10 * time.Second, maxRetryAfter: 10 * time.Second, rand: func(n int64) int64 { return n / 2 }}
	tests := map[string]struct {
		retryAfter string
		i          int
		want       time.Duration
		wantOK     bool
	}{
		"backoff without Retry-After":      {i: 1, want: time.Second, wantOK: true},
		"Retry-After replaces the backoff": {retryAfter: "7", i: 0, want: 7 * time.Second, wantOK: true},
		"Retry-After at the max":           {retryAfter: "10", want: 10 * time.Second, wantOK: true},
		"Retry-After past the max":         {retryAfter: "11", want: 11 * time.Second, wantOK: false},
		"unreadable Retry-After":           {retryAfter: "later", i: 2, want: 2 * time.Second, wantOK: true},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			h := http.Header{}
			if tc.retryAfter != "" {
				h.Set("Retry-After", tc.retryAfter)
			}
			got, tooLong := c.retryWait(tc.i, result{header: h, received: time.Now()})
			assert.Equal(t, tc.wantOK, !tooLong)
			assert.Equal(t, tc.want, got)
		})
	}
}

// timeoutError is a net.Error that timed out.
type timeoutError struct{}

func (timeoutError) Error() string   { return "i/o timeout" }
func (timeoutError) Timeout() bool   { return true }
func (timeoutError) Temporary() bool { return true }

func TestTransientReason(t *testing.T) {
	urlErr := func(err error) error { return &url.Error{Op: "Get", URL: "https://127.0.0.1/x", Err: err} }
	opErr := func(errno error) error {
		return urlErr(&net.OpError{Op: "dial", Net: "tcp", Err: &os.SyscallError{Syscall: "connect", Err: errno}})
	}
	tests := map[string]struct {
		err  error
		want string
	}{
		"refused":                {err: opErr(syscall.ECONNREFUSED), want: "connection refused"},
		"reset":                  {err: opErr(syscall.ECONNRESET), want: "connection reset"},
		"broken pipe":            {err: opErr(syscall.EPIPE), want: "connection reset"},
		"EOF":                    {err: urlErr(io.EOF), want: "connection closed before the response"},
		"unexpected EOF":         {err: urlErr(io.ErrUnexpectedEOF), want: "response cut off"},
		"body cut":               {err: fmt.Errorf("read response: %w", io.ErrUnexpectedEOF), want: "response cut off"},
		"timeout":                {err: urlErr(timeoutError{}), want: "attempt timed out"},
		"temporary DNS":          {err: urlErr(&net.DNSError{Err: "timeout", Name: "x", IsTimeout: true}), want: "temporary DNS failure"},
		"no such host":           {err: urlErr(&net.DNSError{Err: "no such host", Name: "x", IsNotFound: true}), want: ""},
		"unknown authority":      {err: urlErr(&tls.CertificateVerificationError{Err: x509.UnknownAuthorityError{}}), want: ""},
		"bare unknown authority": {err: urlErr(x509.UnknownAuthorityError{}), want: ""},
		"wrong host":             {err: urlErr(x509.HostnameError{Host: "x", Certificate: &x509.Certificate{}}), want: ""},
		"expired certificate":    {err: urlErr(x509.CertificateInvalidError{Reason: x509.Expired}), want: ""},
		"TLS to a plain server":  {err: urlErr(tls.RecordHeaderError{Msg: "first record does not look like a TLS handshake"}), want: ""},
		"TLS alert":              {err: urlErr(tls.AlertError(40)), want: ""},
		"too large":              {err: fmt.Errorf("read response: %w", ErrResponseTooLarge), want: ""},
		"canceled":               {err: urlErr(context.Canceled), want: ""},
		"anything else":          {err: errors.New("net/http: malformed response"), want: ""},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			assert.Equal(t, tc.want, transientReason(tc.err))
		})
	}
}

func TestRetryReason(t *testing.T) {
	api := func(status int, code string) result {
		return result{err: &APIError{StatusCode: status, Code: code}, sent: true, reached: true}
	}
	notReached := func(err error) result { return result{err: err, sent: true, reached: false} }
	reached := func(err error) result { return result{err: err, sent: true, reached: true} }
	refused := &net.OpError{Op: "dial", Net: "tcp", Err: &os.SyscallError{Syscall: "connect", Err: syscall.ECONNREFUSED}}
	get := call{op: "Get", method: http.MethodGet, idempotent: true}
	post := call{op: "Post", method: http.MethodPost}
	tests := map[string]struct {
		r        result
		want     string // an idempotent operation
		wantPost string // one that is not
	}{
		"429":                     {r: api(429, ""), want: "throttled (status 429)", wantPost: "throttled (status 429)"},
		"APIGW.0308 on 429":       {r: api(429, "APIGW.0308"), want: "throttled (status 429)", wantPost: "throttled (status 429)"},
		"APIG.0308 on 400":        {r: api(400, "APIG.0308"), want: "throttled (APIG.0308)", wantPost: "throttled (APIG.0308)"},
		"500":                     {r: api(500, ""), want: "status 500"},
		"502":                     {r: api(502, ""), want: "status 502"},
		"503":                     {r: api(503, ""), want: "status 503"},
		"504":                     {r: api(504, ""), want: "status 504"},
		"501":                     {r: api(501, ""), want: ""},
		"505":                     {r: api(505, ""), want: ""},
		"400":                     {r: api(400, "CPS.0005"), want: ""},
		"401":                     {r: api(401, "APIGW.0301"), want: ""},
		"403":                     {r: api(403, "APIGW.0302"), want: ""},
		"404":                     {r: api(404, ""), want: ""},
		"302":                     {r: api(302, ""), want: ""},
		"reset":                   {r: reached(syscall.ECONNRESET), want: "connection reset"},
		"cut after sending":       {r: reached(io.ErrUnexpectedEOF), want: "response cut off"},
		"timed out after sending": {r: reached(timeoutError{}), want: "attempt timed out"},
		"refused":                 {r: notReached(refused), want: "connection refused", wantPost: "connection refused"},
		"temporary DNS failure":   {r: notReached(&net.DNSError{Err: "timeout", IsTimeout: true}), want: "temporary DNS failure", wantPost: "temporary DNS failure"},
		"certificate":             {r: notReached(x509.UnknownAuthorityError{}), want: "", wantPost: ""},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			assert.Equal(t, tc.want, retryReason(get, tc.r, nil), "idempotent")
			assert.Equal(t, tc.wantPost, retryReason(post, tc.r, nil), "not idempotent")
		})
	}

	for _, cl := range []call{get, post} {
		assert.Equal(t, "", retryReason(cl, api(503, ""), context.Canceled), "nothing is retried once the context is done")
		assert.Equal(t, "", retryReason(cl, api(429, ""), context.DeadlineExceeded))
		assert.Equal(t, "", retryReason(cl, notReached(refused), context.Canceled))
	}
}

func TestMayHaveReached(t *testing.T) {
	urlErr := func(err error) error { return &url.Error{Op: "Post", URL: "https://127.0.0.1/x", Err: err} }
	tests := map[string]struct {
		err  error
		want bool
	}{
		"dial refused":      {err: urlErr(&net.OpError{Op: "dial", Net: "tcp", Err: &os.SyscallError{Syscall: "connect", Err: syscall.ECONNREFUSED}}), want: false},
		"dial timed out":    {err: urlErr(&net.OpError{Op: "dial", Net: "tcp", Err: timeoutError{}}), want: false},
		"DNS":               {err: urlErr(&net.OpError{Op: "dial", Net: "tcp", Err: &net.DNSError{Err: "no such host", IsNotFound: true}}), want: false},
		"proxy connect":     {err: urlErr(&net.OpError{Op: "proxyconnect", Net: "tcp", Err: syscall.ECONNREFUSED}), want: false},
		"TLS certificate":   {err: urlErr(&tls.CertificateVerificationError{Err: x509.UnknownAuthorityError{}}), want: false},
		"TLS record header": {err: urlErr(tls.RecordHeaderError{Msg: "first record does not look like a TLS handshake"}), want: false},
		"reset on read":     {err: urlErr(&net.OpError{Op: "read", Net: "tcp", Err: syscall.ECONNRESET}), want: true},
		"EOF":               {err: urlErr(io.EOF), want: true},
		"cut":               {err: urlErr(io.ErrUnexpectedEOF), want: true},
		"timeout":           {err: urlErr(timeoutError{}), want: true},
		"anything else":     {err: errors.New("net/http: malformed response"), want: true},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			assert.Equal(t, tc.want, mayHaveReached(tc.err))
		})
	}
}

func TestSleepCtx(t *testing.T) {
	assert.NoError(t, sleepCtx(context.Background(), 0))
	assert.NoError(t, sleepCtx(context.Background(), time.Millisecond))

	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	assert.ErrorIs(t, sleepCtx(ctx, time.Hour), context.Canceled, "a done context ends an hour's wait at once")
	assert.ErrorIs(t, sleepCtx(ctx, 0), context.Canceled)
}

// TestFreshSignaturePerAttempt checks that every attempt carries its own
// X-Sdk-Date and a signature that verifies for it.
func TestFreshSignaturePerAttempt(t *testing.T) {
	start := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	s := newSignedServer(t, testTempCreds,
		handleFaults(failFirst(2, status(503, ""))), func() time.Time { return start })
	c := newFaultClient(t, s.URL)
	clock := start
	c.setClock(func() time.Time { clock = clock.Add(time.Second); return clock })

	_, err := c.ListPhoneImages(context.Background())
	require.NoError(t, err)

	reqs := s.Requests()
	require.Len(t, reqs, 3)
	assert.Empty(t, s.Refusals(), "every attempt's signature verifies")
	dates := map[string]bool{}
	sigs := map[string]bool{}
	for i, r := range reqs {
		dates[r.Header.Get(sigv.HeaderDate)] = true
		auth, err := sigv.ParseAuthorization(r.Header.Get(sigv.HeaderAuthorization))
		require.NoError(t, err, "request %d", i+1)
		sigs[auth.Signature] = true
		assert.Equal(t, testToken, r.Header.Get(headerSecurityToken))
	}
	assert.Len(t, dates, 3, "a new X-Sdk-Date per attempt")
	assert.Len(t, sigs, 3, "a new signature per attempt")
}

// infiniteBody is a body that never ends, counting what was read of it.
type infiniteBody struct{ read int64 }

func (b *infiniteBody) Read(p []byte) (int, error) {
	for i := range p {
		p[i] = 'x'
	}
	b.read += int64(len(p))
	return len(p), nil
}

func (b *infiniteBody) Close() error { return nil }

// TestReadCappedBounded checks that an endless body is read no further
// than the cap (plus the one byte that shows it is over).
func TestReadCappedBounded(t *testing.T) {
	for name, tc := range map[string]struct {
		limit         int64
		contentLength int64
	}{
		"no Content-Length":             {limit: 100 << 10, contentLength: -1},
		"Content-Length under the body": {limit: 100 << 10, contentLength: 10},
		"Content-Length over the cap":   {limit: 1000, contentLength: 1 << 40},
		"tiny cap":                      {limit: 1, contentLength: -1},
	} {
		t.Run(name, func(t *testing.T) {
			body := &infiniteBody{}
			got, err := readCapped(&http.Response{Body: body, ContentLength: tc.contentLength}, tc.limit)
			require.ErrorIs(t, err, ErrResponseTooLarge)
			assert.Len(t, got, int(tc.limit))
			assert.LessOrEqual(t, body.read, tc.limit+1, "read past the cap")
			assert.LessOrEqual(t, int64(cap(got)), 2*tc.limit+1024, "memory bounded by the cap")
		})
	}
}

func TestReadCappedExact(t *testing.T) {
	body := []byte("0123456789")
	for name, limit := range map[string]int64{"at the cap": 10, "under the cap": 11} {
		t.Run(name, func(t *testing.T) {
			got, err := readCapped(&http.Response{Body: io.NopCloser(bytes.NewReader(body)), ContentLength: -1}, limit)
			require.NoError(t, err)
			assert.Equal(t, body, got)
		})
	}
	_, err := readCapped(&http.Response{Body: io.NopCloser(bytes.NewReader(body)), ContentLength: 10}, 9)
	assert.ErrorIs(t, err, ErrResponseTooLarge, "one byte over")
}
