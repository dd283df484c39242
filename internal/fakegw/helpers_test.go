package fakegw_test

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/cph-go/cph/internal/fakegw"
	"github.com/cph-go/cph/internal/sigv"
)

// Keys of the tests: demo values, not secrets.
var testCreds = fakegw.Credentials{AccessKey: "FAKEGWTESTAK", SecretKey: "fakegw-test-secret"}

// newServer starts a server that is closed when the test ends.
func newServer(t *testing.T, cfg fakegw.Config) *fakegw.Server {
	t.Helper()
	s := fakegw.New(cfg)
	t.Cleanup(s.Close)
	return s
}

// answer is what a client got.
type answer struct {
	status int
	header http.Header
	body   string
}

// call is a request to send.
type call struct {
	method string // GET if empty
	path   string
	body   string
	creds  *fakegw.Credentials // signs the request when set
	date   time.Time           // X-Sdk-Date when signed; time.Now if zero
	token  string              // X-Security-Token to send, unsigned
}

// do sends c to s with s's own client and returns the answer.
func (c call) do(t *testing.T, s *fakegw.Server) answer {
	t.Helper()
	a, err := c.try(t, s.Client(), s.URL)
	require.NoError(t, err)
	return a
}

// try sends c to the server at base with hc.
func (c call) try(t *testing.T, hc *http.Client, base string) (answer, error) {
	t.Helper()
	if c.method == "" {
		c.method = http.MethodGet
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	var body io.Reader
	if c.body != "" {
		body = strings.NewReader(c.body)
	}
	req, err := http.NewRequestWithContext(ctx, c.method, base+c.path, body)
	require.NoError(t, err)
	if c.creds != nil {
		sign(t, req, *c.creds, c.date)
	}
	if c.token != "" {
		req.Header.Set("X-Security-Token", c.token)
	}
	resp, err := hc.Do(req)
	if err != nil {
		return answer{}, err
	}
	b, err := io.ReadAll(resp.Body)
	if cerr := resp.Body.Close(); err == nil {
		err = cerr
	}
	return answer{status: resp.StatusCode, header: resp.Header, body: string(b)}, err
}

// sign signs req with creds at date (now if zero), Host and X-Sdk-Date
// signed.
func sign(t *testing.T, req *http.Request, creds fakegw.Credentials, date time.Time) {
	t.Helper()
	if date.IsZero() {
		date = time.Now()
	}
	d := date.UTC().Format(sigv.DateFormat)
	req.Header.Set(sigv.HeaderDate, d)
	query, err := url.ParseQuery(req.URL.RawQuery)
	require.NoError(t, err)
	auth, err := sigv.Sign(sigv.HMACSHA256, sigv.Request{
		Method:  req.Method,
		Host:    req.URL.Host,
		Path:    req.URL.Path,
		Query:   query,
		Headers: []sigv.Header{{Name: "Host", Value: req.URL.Host}, {Name: sigv.HeaderDate, Value: d}},
	}, creds.AccessKey, creds.SecretKey)
	require.NoError(t, err)
	req.Header.Set(sigv.HeaderAuthorization, auth)
}

// text answers with body as text/plain.
func text(body string) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "text/plain")
		_, _ = io.WriteString(w, body)
	})
}

// syncWriter serialises writes to w and reads of it.
type syncWriter struct {
	mu sync.Mutex
	w  *bytes.Buffer
}

func (s *syncWriter) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.w.Write(p)
}

func (s *syncWriter) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.w.String()
}
