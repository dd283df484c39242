package sigv

import (
	"bytes"
	"crypto/hmac"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/hex"
	"fmt"
	"hash"
	"io"
	"net/http"
	"slices"
	"strings"

	"github.com/tjfoc/gmsm/sm3"
)

// scheme is what a signature scheme hashes with, and the header by which a
// client may send the body's hash in place of the body.
type scheme struct {
	newHash       func() hash.Hash
	contentHeader string
}

func newSM3() hash.Hash { return sm3.New() }

func lookupScheme(name string) (scheme, error) {
	switch name {
	case HMACSHA256:
		return scheme{sha256.New, "X-Sdk-Content-Sha256"}, nil
	case HMACSM3:
		return scheme{newSM3, "X-Sdk-Content-Sm3"}, nil
	}
	return scheme{}, fmt.Errorf("%w: %q", ErrUnsupportedAlgorithm, name)
}

func (s scheme) hexHash(data []byte) string {
	h := s.newHash()
	h.Write(data)
	return hex.EncodeToString(h.Sum(nil))
}

// signature returns the hex HMAC, with key sk, of the string to sign:
// "scheme\ndate\n" and the hex hash of the canonical request.
func (s scheme) signature(name, date, canonical, sk string) string {
	m := hmac.New(s.newHash, []byte(sk))
	io.WriteString(m, name+"\n"+date+"\n"+s.hexHash([]byte(canonical)))
	return hex.EncodeToString(m.Sum(nil))
}

// Verify checks the signature of r, a request as a server received it,
// against the secret key sk of the access key in its Authorization header,
// parsed into a. The signature is recomputed by this package's own
// canonical request over exactly the headers a lists, in its order (the
// core signer is used on the client side only):
//
//   - the method as received;
//   - the decoded path, each "/"-separated segment escaped (RFC 3986
//     unreserved characters kept, every other byte %XY), ending in "/";
//     an escaped slash (%2F) separates segments like "/";
//   - the query decoded ("+" is a space), every key=value escaped the same
//     way, sorted by key then value (as decoded bytes), joined by "&",
//     "=" kept for an empty value;
//   - for each listed header, one "name:value" line per value it has in r,
//     values sorted and trimmed, none for a header r does not carry; "host"
//     is r.Host;
//   - the listed names joined by ";";
//   - the hex hash of the body, or the value of X-Sdk-Content-Sha256
//     (X-Sdk-Content-Sm3 for SDK-HMAC-SM3) when r carries it.
//
// Listed names must be lower case and include x-sdk-date, whose value must
// have the form of DateFormat; otherwise Verify returns ErrMalformed.
// Verify reads r's body and puts an unread copy back. It compares in
// constant time and returns ErrMismatch for any other signature.
func Verify(r *http.Request, a Authorization, sk string) error {
	s, err := lookupScheme(a.Scheme)
	if err != nil {
		return err
	}
	for _, name := range a.SignedHeaders {
		if name == "" || name != strings.ToLower(name) {
			return fmt.Errorf("%w: signed header %q is not a lower-case name", ErrMalformed, name)
		}
	}
	if !slices.Contains(a.SignedHeaders, "x-sdk-date") {
		return fmt.Errorf("%w: %s is not signed", ErrMalformed, HeaderDate)
	}
	t, err := Date(r)
	if err != nil {
		return fmt.Errorf("%w: %s: %w", ErrMalformed, HeaderDate, err)
	}
	if err := checkQuery(r.URL.RawQuery); err != nil {
		return fmt.Errorf("%w: query: %w", ErrMalformed, err)
	}
	payload, err := payloadHash(r, s)
	if err != nil {
		return err
	}
	canonical := canonicalRequest(r, a.SignedHeaders, payload)
	want := s.signature(a.Scheme, t.UTC().Format(DateFormat), canonical, sk)
	if subtle.ConstantTimeCompare([]byte(want), []byte(a.Signature)) != 1 {
		return ErrMismatch
	}
	return nil
}

// payloadHash returns what stands for r's body in its canonical request:
// the value of the scheme's content header if r carries one, else the hex
// hash of the body, which it reads and puts back unread.
func payloadHash(r *http.Request, s scheme) (string, error) {
	if vs, ok := r.Header[s.contentHeader]; ok && len(vs) > 0 {
		return vs[0], nil
	}
	if r.Body == nil || r.Body == http.NoBody {
		return s.hexHash(nil), nil
	}
	body, err := io.ReadAll(r.Body)
	r.Body.Close()
	r.Body = io.NopCloser(bytes.NewReader(body))
	if err != nil {
		return "", fmt.Errorf("read body: %w", err)
	}
	return s.hexHash(body), nil
}
