package fakegw

import (
	"context"
	"crypto/subtle"
	"errors"
	"fmt"
	"net/http"
	"time"

	"github.com/cph-go/cph/internal/sigv"
)

// Credentials are keys a server accepts. Their fields are
// cph.Credentials', so that one converts to the other.
type Credentials struct {
	AccessKey     string
	SecretKey     string
	SecurityToken string // when set, requests must carry it in X-Security-Token
}

// MaxClockSkew is how far a request's X-Sdk-Date may be from the server's
// clock, either way, before the signature counts as expired.
const MaxClockSkew = 15 * time.Minute

// Messages of the gateway's APIGW.0301 answers.
const (
	msgSignatureFail = "Incorrect IAM authentication information: verify aksk signature fail"
	msgExpired       = "Incorrect IAM authentication information: signature expired"
	msgTokenFail     = "Incorrect IAM authentication information: decrypt token fail"
	msgUnknownKey    = "Incorrect IAM authentication information: Get secretKey failed,ak:%s,err:ak not exist"
)

// Reasons for refusing a signature, besides sigv's ErrMalformed and
// ErrMismatch.
var (
	ErrUnknownKey = errors.New("unknown access key")
	ErrExpired    = errors.New("X-Sdk-Date too far from the server's clock")
	ErrToken      = errors.New("missing or wrong security token")
)

// AuthError is why a Signed route refused a request: Message is the
// error_msg of the gateway's 401, Err the reason (sigv.ErrMalformed,
// sigv.ErrMismatch, ErrUnknownKey, ErrExpired or ErrToken).
type AuthError struct {
	Message string
	Err     error
}

func (e *AuthError) Error() string { return e.Message + " (" + e.Err.Error() + ")" }

// Unwrap returns e.Err.
func (e *AuthError) Unwrap() error { return e.Err }

// Accept makes the server accept c too, in place of the credentials it
// had for c's access key, if any.
func (s *Server) Accept(c Credentials) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.keys[c.AccessKey] = c
}

// Refusals returns why Signed routes refused requests, in order: one
// *AuthError a refusal.
func (s *Server) Refusals() []error {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]error(nil), s.refusals...)
}

// accessKeyKey is the context key of the access key a request was
// verified with.
type accessKeyKey struct{}

// AccessKey returns the access key whose credentials a Signed route
// verified r's signature with, for the handlers behind the route (to
// tell whose request it is); "" for a request no Signed route verified.
func AccessKey(r *http.Request) string {
	ak, _ := r.Context().Value(accessKeyKey{}).(string)
	return ak
}

// signed refuses a request that is not signed with credentials the server
// accepts, with 401 APIGW.0301, and records why. It tells next the access
// key it verified the request with (AccessKey).
func (s *Server) signed(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ak, err := s.authenticate(r)
		if err != nil {
			s.mu.Lock()
			s.refusals = append(s.refusals, err)
			s.mu.Unlock()
			WriteError(w, http.StatusUnauthorized, CodeAuthFailed, err.Message)
			return
		}
		next.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), accessKeyKey{}, ak)))
	})
}

// authenticate checks r's AK/SK signature as the gateway does and returns
// why it refuses it, or the access key and nil if r is signed with
// credentials the server accepts. The signature is recomputed by sigv.Verify over exactly the
// headers that SignedHeaders lists. When the credentials have a security
// token, r must carry it in X-Security-Token, signed or not (a client may
// add it after signing, as the Terraform provider's library does); a
// token the server does not need is ignored.
func (s *Server) authenticate(r *http.Request) (string, *AuthError) {
	a, err := sigv.ParseAuthorization(r.Header.Get(sigv.HeaderAuthorization))
	if err != nil {
		return "", &AuthError{msgSignatureFail, err}
	}
	s.mu.Lock()
	creds, known := s.keys[a.AccessKey]
	s.mu.Unlock()
	if !known {
		return "", &AuthError{fmt.Sprintf(msgUnknownKey, a.AccessKey), ErrUnknownKey}
	}
	date, err := sigv.Date(r)
	if err != nil {
		return "", &AuthError{msgSignatureFail, fmt.Errorf("%w: %w", sigv.ErrMalformed, err)}
	}
	if skew := s.now().Sub(date); skew > MaxClockSkew || skew < -MaxClockSkew {
		return "", &AuthError{msgExpired, ErrExpired}
	}
	if want := creds.SecurityToken; want != "" {
		got := r.Header.Get("X-Security-Token")
		if subtle.ConstantTimeCompare([]byte(got), []byte(want)) != 1 {
			return "", &AuthError{msgTokenFail, ErrToken}
		}
	}
	if err := sigv.Verify(r, a, creds.SecretKey); err != nil {
		return "", &AuthError{msgSignatureFail, err}
	}
	return a.AccessKey, nil
}
