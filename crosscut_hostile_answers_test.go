package cph

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"unicode/utf8"

	"github.com/cph-go/cph/internal/redact"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/cph-go/cph/internal/fakegw"
)

// Hostile answers: servers and proxies that echo the request's secrets,
// lie about lengths, cut bodies, send huge headers or redirect elsewhere.

// echoSecrets writes the request's security token and Authorization header
// (with its signature) into the body, after pad bytes of filler.
func echoSecrets(status, pad int) faultHandler {
	return func(w http.ResponseWriter, r *http.Request, _ int) {
		w.WriteHeader(status)
		fmt.Fprintf(w, "%sX-Security-Token: %s Authorization: %s", strings.Repeat("x", pad), r.Header.Get("X-Security-Token"), r.Header.Get("Authorization"))
	}
}

// assertNoSecretPart checks that s holds no part of 6 bytes or more of the
// fault client's secret key, token or the signature sig.
func assertNoSecretPart(t *testing.T, s, sig string) {
	t.Helper()
	for _, secret := range []string{testSK, testToken, sig} {
		for k := 6; k <= len(secret); k++ {
			if !assert.NotContains(t, s, secret[:k]) {
				return
			}
		}
	}
}

// TestInvalidSuccessBodyQuoteRedacted: a 200 whose body echoes the request
// (a misconfigured proxy) is an error quoting the body's start, with no
// part of a secret in it, wherever the quote's cut falls.
func TestInvalidSuccessBodyQuoteRedacted(t *testing.T) {
	for _, pad := range []int{0, 10, 30, 40, 50, 60, 63, 64} {
		t.Run(fmt.Sprint("pad ", pad), func(t *testing.T) {
			s := newFaultServer(t, always(echoSecrets(200, pad)), false)
			c := newFaultClient(t, s.URL)

			_, err := c.ListPhoneImages(context.Background())

			require.ErrorIs(t, err, ErrInvalidResponse)
			var ire *InvalidResponseError
			require.ErrorAs(t, err, &ire)
			sig := signatureOf(t, s.Requests()[0].Header)
			assert.Contains(t, err.Error(), "body starts")
			assertNoSecretPart(t, err.Error(), sig)
			assertNoSecretPart(t, ire.BodyStart, sig)
			if pad <= 30 {
				assert.Contains(t, ire.BodyStart, redacted, "the token stood within the quote")
			}
		})
	}
}

// TestInvalidSuccessBodyQuoteHidesASecretsFirstBytes: a secret that
// starts in the last bytes the quote shows is redacted whole before the
// quote is cut, so that not even its first byte shows (redact.Cut alone
// leaves a start of under 4 bytes).
func TestInvalidSuccessBodyQuoteHidesASecretsFirstBytes(t *testing.T) {
	prefix := len("X-Security-Token: ")
	for _, start := range []int{maxBodyStart - 3, maxBodyStart - 2, maxBodyStart - 1} {
		t.Run(fmt.Sprint("token at ", start), func(t *testing.T) {
			s := newFaultServer(t, always(echoSecrets(200, start-prefix)), false)
			c := newFaultClient(t, s.URL)

			_, err := c.ListPhoneImages(context.Background())

			var ire *InvalidResponseError
			require.ErrorAs(t, err, &ire)
			head, cut := strings.CutSuffix(ire.BodyStart, "…")
			require.True(t, cut, "the quote is cut: %q", ire.BodyStart)
			assert.Equal(t, strings.Repeat("x", start-prefix)+"X-Security-Token: "+redacted[:maxBodyStart-start], head, "the token's place shows the start of "+redacted)
		})
	}
}

// TestInvalidSuccessBodyQuoteRedactedAfterTags: HTML tags before an echoed
// secret are stripped from the quote, which brings text from past the
// first bytes of the body into it, and so a secret that the client's
// read window cuts short. No part of it may show, wherever the cut falls.
func TestInvalidSuccessBodyQuoteRedactedAfterTags(t *testing.T) {
	for name, header := range map[string]string{"token": "X-Security-Token", "signature": "Authorization"} {
		for tags := 0; tags <= 50; tags++ {
			t.Run(fmt.Sprint(name, " after ", tags, " tags"), func(t *testing.T) {
				s := newFaultServer(t, always(func(w http.ResponseWriter, r *http.Request, _ int) {
					secret := r.Header.Get(header)
					if header == "Authorization" {
						secret = secret[strings.Index(secret, "Signature=")+len("Signature="):]
					}
					fmt.Fprintf(w, "%s%s and more text after it", strings.Repeat("<i>", tags), secret)
				}), false)
				c := newFaultClient(t, s.URL)

				_, err := c.ListPhoneImages(context.Background())

				var ire *InvalidResponseError
				require.ErrorAs(t, err, &ire)
				sig := signatureOf(t, s.Requests()[0].Header)
				assertNoSecretPart(t, err.Error(), sig)
				assertNoSecretPart(t, ire.BodyStart, sig)
			})
		}
	}
}

// discoverFrom calls ListPhoneImages on a client that must discover its
// project ID from a fake gateway whose every answer h makes, and returns
// the gateway and the error.
func discoverFrom(t *testing.T, h faultHandler) (*fakegw.Server, error) {
	t.Helper()
	s := newFaultServer(t, always(h), false)
	c, err := NewClient(WithRegion(testRegion), WithEndpoint(s.URL), WithIAMEndpoint(s.URL),
		WithCredentials(testTempCreds))
	require.NoError(t, err)
	_, err = c.ListPhoneImages(context.Background())
	return s, err
}

// TestDiscoveryInvalidBodyQuoteRedacted: the same for IAM's answer to
// project-ID discovery.
func TestDiscoveryInvalidBodyQuoteRedacted(t *testing.T) {
	isolateEnv(t)
	s, err := discoverFrom(t, echoSecrets(200, 5))

	require.ErrorIs(t, err, ErrInvalidResponse)
	var ire *InvalidResponseError
	require.ErrorAs(t, err, &ire)
	assert.Equal(t, opKeystoneListProjects, ire.Operation)
	assert.Contains(t, err.Error(), "body starts")
	assert.Contains(t, err.Error(), redacted)
	assertNoSecretPart(t, err.Error(), signatureOf(t, s.Requests()[0].Header))
}

// TestDiscoveryErrorNamesNoSecret: when IAM lists no project of the
// region, the error names the projects it did list; a hostile IAM that
// names them after the request's secrets gets them redacted.
func TestDiscoveryErrorNamesNoSecret(t *testing.T) {
	isolateEnv(t)
	s, err := discoverFrom(t, func(w http.ResponseWriter, r *http.Request, _ int) {
		fmt.Fprintf(w, `{"projects":[{"id":"p1","name":%q},{"id":"p2","name":%q}]}`, "t "+r.Header.Get("X-Security-Token"), signatureOf(t, r.Header))
	})

	require.ErrorIs(t, err, ErrMissingProjectID)
	assert.Contains(t, err.Error(), "only \"t "+redacted+"\", \""+redacted+"\"", "the names are quoted, redacted")
	assert.NotContains(t, err.Error(), testToken)
	assert.NotContains(t, err.Error(), signatureOf(t, s.Requests()[0].Header))
}

// TestDiscoveryCutNameHidesSecret: IAM's error quotes project names cut
// to 64 bytes; a secret that the cut falls inside shows no part of itself.
func TestDiscoveryCutNameHidesSecret(t *testing.T) {
	isolateEnv(t)
	for _, pad := range []int{20, 40, 50, 60} {
		s, err := discoverFrom(t, func(w http.ResponseWriter, r *http.Request, _ int) {
			fmt.Fprintf(w, `{"projects":[{"id":"p1","name":%q}]}`, strings.Repeat("x", pad)+" "+r.Header.Get("X-Security-Token"))
		})

		require.ErrorIs(t, err, ErrMissingProjectID)
		assertNoSecretPart(t, err.Error(), signatureOf(t, s.Requests()[0].Header))
	}
}

// errDecodeBody is the Err of invalidResponseErrors.
var errDecodeBody = errors.New("decode body: unexpected end of JSON input")

// invalidResponseErrors are *InvalidResponseError values with all their
// parts or some left out; their messages are in TestErrorMessagesGolden.
var invalidResponseErrors = map[string]*InvalidResponseError{
	"all parts":    {Operation: "ListPhoneImages", StatusCode: 200, RequestID: "r1", BodyStart: `{"phone_`, Attempts: 1, Err: errDecodeBody},
	"no Err":       {Operation: "ListPhoneImages", StatusCode: 200},
	"no operation": {Err: errDecodeBody},
}

// TestInvalidResponseErrorWrapsSentinel: an *InvalidResponseError is
// ErrInvalidResponse and its Err, whatever Err is (its messages, which
// leave out the parts it does not have, are in TestErrorMessagesGolden).
func TestInvalidResponseErrorWrapsSentinel(t *testing.T) {
	for name, e := range invalidResponseErrors {
		t.Run(name, func(t *testing.T) {
			var err error = e
			assert.ErrorIs(t, err, ErrInvalidResponse)
			if e.Err != nil {
				assert.ErrorIs(t, err, errDecodeBody)
			}
		})
	}
}

// TestInvalidSuccessBodyKeepsRequestID: the error for a 200 whose body is
// not the documented document carries the request ID, from the body if
// decoding read it, else from X-Request-Id, in its message and on the
// typed value.
func TestInvalidSuccessBodyKeepsRequestID(t *testing.T) {
	tests := map[string]struct {
		body, header, want string
	}{
		"from the body":                       {body: `{"request_id":"r-body","phone_images":5}`, header: "r-header", want: "r-body"},
		"from the body, by encoding/json":     {body: `{"request_id":"r-body","phone_images":[{"image_id":"a"}],"phone_images":[{"image_id":1}]}`, header: "r-header", want: "r-body"},
		"from the header, body has none":      {body: `{"phone_images":5,"request_id":"r-late"}`, header: "r-header", want: "r-header"},
		"from the header, body is HTML":       {body: `<html>proxy</html>`, header: "r-header", want: "r-header"},
		"from the header, body is cut":        {body: `{"request_id":"r-bo`, header: "r-header", want: "r-header"},
		"none":                                {body: `[]`, want: ""},
		"from the body, cleaned and capped":   {body: `{"request_id":"` + strings.Repeat("r\\t", 200) + `","phone_images":5}`, want: strings.Repeat("r ", 63) + "r…"},
		"from the header, cleaned and capped": {body: `nope`, header: strings.Repeat("h", 300), want: strings.Repeat("h", maxRequestID) + "…"},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			s := newFaultServer(t, always(func(w http.ResponseWriter, _ *http.Request, _ int) {
				if tc.header != "" {
					w.Header().Set("X-Request-Id", tc.header)
				}
				_, _ = io.WriteString(w, tc.body)
			}), false)
			c := newFaultClient(t, s.URL)

			_, err := c.ListPhoneImages(context.Background())

			require.ErrorIs(t, err, ErrInvalidResponse)
			var ire *InvalidResponseError
			require.ErrorAs(t, err, &ire)
			assert.Equal(t, tc.want, ire.RequestID)
			assert.Equal(t, opListPhoneImages, ire.Operation)
			assert.Equal(t, http.StatusOK, ire.StatusCode)
			assert.Equal(t, 1, ire.Attempts)
			assert.True(t, strings.HasPrefix(err.Error(), "cph: ListPhoneImages: invalid response"), err.Error())
			if tc.want != "" {
				assert.Contains(t, err.Error(), "(request id "+tc.want+")")
			} else {
				assert.NotContains(t, err.Error(), "request id")
			}
			assert.Equal(t, 1, s.Served(), "an invalid body is not retried")
		})
	}
}

// TestHeaderRequestIDCleanedCappedRedacted: X-Request-Id may be up to the
// transport's header cap (1 MiB), hold control characters or echo a
// secret. Wherever the client shows it (the output, the error, the log),
// it is cleaned, capped and redacted.
func TestHeaderRequestIDCleanedCappedRedacted(t *testing.T) {
	for name, status := range map[string]int{"200": 200, "503": 503, "404": 404} {
		t.Run(name, func(t *testing.T) {
			s := newFaultServer(t, always(func(w http.ResponseWriter, r *http.Request, _ int) {
				id := "id\t\xff\t " + r.Header.Get("X-Security-Token") + strings.Repeat("z", 900<<10)
				w.Header().Set("X-Request-Id", id)
				w.WriteHeader(status)
				if status == 200 {
					_, _ = io.WriteString(w, `{"phone_images":[]}`)
				}
			}), false)
			var logs bytes.Buffer
			c := newFaultClient(t, s.URL, WithMaxAttempts(1),
				WithLogger(slog.New(slog.NewJSONHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))))

			out, err := c.ListPhoneImages(context.Background())

			var id string
			if status == 200 {
				require.NoError(t, err)
				id = out.RequestID
			} else {
				var apiErr *APIError
				require.ErrorAs(t, err, &apiErr)
				id = apiErr.RequestID
				assert.LessOrEqual(t, len(err.Error()), 512, "the error message stays short")
			}
			assert.Equal(t, "id "+redacted+strings.Repeat("z", maxRequestID-len("id ")-len(redacted))+"…", id)
			assert.True(t, utf8.ValidString(id))
			assert.LessOrEqual(t, logs.Len(), 2048, "the log record stays short")
			assert.NotContains(t, logs.String(), testToken)
			assert.Contains(t, logs.String(), `"request_id":"id `+redacted)
		})
	}
}

// TestHugeTransportErrorCapped: net/http quotes a malformed header line
// whole in its error; the client's error and log stay short and redacted.
func TestHugeTransportErrorCapped(t *testing.T) {
	s := newFaultServer(t, always(hijack(func(c *net.TCPConn) {
		fmt.Fprintf(c, "HTTP/1.1 200 OK\r\nX-Request-Id: a\x00 %s%s\r\n\r\n", testToken, strings.Repeat("z", 500<<10))
	})), false)
	var logs bytes.Buffer
	c := newFaultClient(t, s.URL, WithMaxAttempts(1),
		WithLogger(slog.New(slog.NewJSONHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))))

	_, err := c.ListPhoneImages(context.Background())

	require.Error(t, err)
	assert.Contains(t, err.Error(), "malformed MIME header")
	assert.LessOrEqual(t, len(err.Error()), 2*redact.MaxErrorText, err.Error())
	assert.NotContains(t, err.Error(), testToken)
	assert.LessOrEqual(t, logs.Len(), 2*redact.MaxErrorText)
	assert.NotContains(t, logs.String(), testToken)
}

// TestRedirectNotFollowedWithCallersClient: a caller's *http.Client
// follows redirects, and net/http strips Authorization but not
// X-Security-Token when a redirect changes host. The client never follows
// one, whatever client it is given: nothing of the request reaches the
// other host, the 3xx comes back as an *APIError, and the caller's client
// is left as it was.
func TestRedirectNotFollowedWithCallersClient(t *testing.T) {
	var elsewhere atomic.Int32
	other := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		elsewhere.Add(1)
		serveOK(w)
	}))
	defer other.Close()
	_, port, err := net.SplitHostPort(other.Listener.Addr().String())
	require.NoError(t, err)
	target := "http://localhost:" + port + "/v1/" + testProjectID + "/cloud-phone/phone-images" // another host name

	for _, code := range []int{301, 302, 303, 307, 308} {
		t.Run(fmt.Sprint(code), func(t *testing.T) {
			s := newFaultServer(t, always(func(w http.ResponseWriter, r *http.Request, _ int) {
				http.Redirect(w, r, target, code)
			}), false)
			var followed atomic.Int32
			mine := &http.Client{CheckRedirect: nil} // net/http's default: follow up to 10
			mine.Transport = &countingTransport{next: http.DefaultTransport, n: &followed}
			c := newFaultClient(t, s.URL, WithHTTPClient(mine))

			_, err := c.ListPhoneImages(context.Background())

			var apiErr *APIError
			require.ErrorAs(t, err, &apiErr)
			assert.Equal(t, code, apiErr.StatusCode)
			assert.Equal(t, 1, apiErr.Attempts, "a redirect is not retried")
			assert.Zero(t, elsewhere.Load(), "no request reached the other host")
			assert.Equal(t, 1, int(followed.Load()), "the transport sent one request only")
			assert.Nil(t, mine.CheckRedirect, "the caller's client is unchanged")

			// The caller's client itself still follows redirects.
			resp, err := mine.Get(s.URL)
			require.NoError(t, err)
			_ = resp.Body.Close()
			assert.Equal(t, 1, int(elsewhere.Load()), "the caller's own client still follows, as it did")
			elsewhere.Store(0)
		})
	}
}

// countingTransport counts the requests it sends.
type countingTransport struct {
	next http.RoundTripper
	n    *atomic.Int32
}

func (t *countingTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	t.n.Add(1)
	return t.next.RoundTrip(r)
}

// TestCutErrorBodyIsAPIError: a non-2xx answer whose body is cut off (a
// 404 that declares 400 bytes and sends 50) is an *APIError with its
// status, retried only if its status is.
func TestCutErrorBodyIsAPIError(t *testing.T) {
	cut := func(code int) faultHandler {
		return hijack(func(c *net.TCPConn) {
			body := `{"error_code":"CPS.0016","error_msg":"image not fo`
			fmt.Fprintf(c, "HTTP/1.1 %d %s\r\nContent-Type: application/json\r\nX-Request-Id: r-cut\r\nContent-Length: 400\r\n\r\n%s",
				code, http.StatusText(code), body)
		})
	}
	tests := map[string]struct {
		code         int
		wantRequests int
		check        func(error) bool
	}{
		"404 not retried": {code: 404, wantRequests: 1, check: IsNotFound},
		"400 not retried": {code: 400, wantRequests: 1, check: func(err error) bool { return !IsThrottled(err) }},
		"503 retried":     {code: 503, wantRequests: 3, check: func(err error) bool { return true }},
		"429 retried":     {code: 429, wantRequests: 3, check: IsThrottled},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			s := newFaultServer(t, always(cut(tc.code)), false)
			c := newFaultClient(t, s.URL)

			_, err := c.ListPhoneImages(context.Background())

			var apiErr *APIError
			require.ErrorAs(t, err, &apiErr)
			assert.Equal(t, tc.code, apiErr.StatusCode)
			assert.Equal(t, "r-cut", apiErr.RequestID)
			assert.Equal(t, tc.wantRequests, apiErr.Attempts)
			assert.Equal(t, tc.wantRequests, s.Served())
			assert.True(t, tc.check(err), err.Error())
			assert.False(t, errors.Is(err, io.ErrUnexpectedEOF), "the cut is not what the error is about: %v", err)
		})
	}
}

// TestCancelWhileReadingErrorBody: a non-2xx answer whose body stops
// coming is still an *APIError when it is cut off (see
// TestCutErrorBodyIsAPIError), but when the caller cancels while the body
// is being read, the error wraps context.Canceled, as every call promises.
func TestCancelWhileReadingErrorBody(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	s := newFaultServer(t, always(func(w http.ResponseWriter, r *http.Request, _ int) {
		w.Header().Set("Content-Length", "400")
		w.WriteHeader(http.StatusServiceUnavailable)
		_, _ = io.WriteString(w, `{"error_code":"CPS.0001","error_msg":"bu`)
		w.(http.Flusher).Flush()
		<-r.Context().Done()
	}), false)
	// The caller gives up once the headers are in, while the body is on
	// its way.
	hc := &http.Client{Transport: cancelAfterHeaders{next: http.DefaultTransport, cancel: cancel}}
	c := newFaultClient(t, s.URL, WithHTTPClient(hc))

	_, err := c.ListPhoneImages(ctx)

	require.Error(t, err)
	assert.ErrorIs(t, err, context.Canceled)
	assert.True(t, strings.HasPrefix(err.Error(), "cph: ListPhoneImages: "), err.Error())
	assert.Equal(t, 1, s.Served(), "not retried")
}

// cancelAfterHeaders is a transport that calls cancel once an answer's
// headers have come.
type cancelAfterHeaders struct {
	next   http.RoundTripper
	cancel context.CancelFunc
}

func (t cancelAfterHeaders) RoundTrip(r *http.Request) (*http.Response, error) {
	resp, err := t.next.RoundTrip(r)
	t.cancel()
	return resp, err
}
