package cph

import (
	"bytes"
	"context"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"reflect"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// printVerbs are the fmt verbs a user may print any value with.
var printVerbs = []string{"%v", "%+v", "%#v", "%s", "%q", "%x", "%X", "%d", "%T", "%p", "%10.3s"}

// holder is a user's own struct holding a value of the package in an
// exported and an unexported field.
type holder struct {
	Name  string
	Value any
	value any
}

// exportedHolder holds a value in an exported field only.
type exportedHolder struct {
	Name  string
	Value any
}

// printedEverywhere returns v as every fmt verb and both slog handlers
// print it, alone and as a field of the user's own struct (exported and
// unexported), keyed by how it was printed.
func printedEverywhere(v any) map[string]string {
	return printedIn(v, func(v any) (any, any) {
		h := holder{Name: "svc", Value: v, value: v}
		return h, &h
	})
}

// printedIn is printedEverywhere with the user's struct made by wrap.
// wrap returns the struct and a pointer to it.
func printedIn(v any, wrap func(any) (any, any)) map[string]string {
	out := map[string]string{}
	for _, verb := range printVerbs {
		out[verb] = fmt.Sprintf(verb, v)
		h, ptr := wrap(v)
		out[verb+" in a struct"] = fmt.Sprintf(verb, h)
		out[verb+" in a pointer to a struct"] = fmt.Sprintf(verb, ptr)
		out[verb+" in a slice"] = fmt.Sprintf(verb, []any{v})
		out[verb+" in a map"] = fmt.Sprintf(verb, map[string]any{"v": v})
	}
	for name, newHandler := range map[string]func(*bytes.Buffer) slog.Handler{
		"slog text": func(b *bytes.Buffer) slog.Handler { return slog.NewTextHandler(b, nil) },
		"slog json": func(b *bytes.Buffer) slog.Handler { return slog.NewJSONHandler(b, nil) },
	} {
		var b bytes.Buffer
		l := slog.New(newHandler(&b))
		l.Info("value", "v", v)
		h, ptr := wrap(v)
		l.Info("holder", "h", h)
		l.Info("pointer", slog.Any("h", ptr))
		l.Info("group", slog.Group("g", slog.Any("v", v)))
		out[name] = b.String()
	}
	return out
}

// assertPrintsNoSecret checks that v prints none of secrets, however it is
// printed.
func assertPrintsNoSecret(t *testing.T, v any, secrets ...string) {
	t.Helper()
	assertNoneIn(t, printedEverywhere(v), secrets)
}

// assertNoneIn checks that no printed text holds a secret, as it is or hex
// encoded.
func assertNoneIn(t *testing.T, printed map[string]string, secrets []string) {
	t.Helper()
	for how, s := range printed {
		for _, secret := range secrets {
			require.NotEmpty(t, secret)
			for _, form := range []string{secret, hex.EncodeToString([]byte(secret)), strings.ToUpper(hex.EncodeToString([]byte(secret)))} {
				assert.NotContains(t, s, form, "printed with %s: %s", how, s)
			}
		}
	}
}

// copyOf returns a copy of *p as an interface, the way a user's struct that
// holds the value (not the pointer) would carry it.
func copyOf(p any) any { return reflect.ValueOf(p).Elem().Interface() }

func TestClientPrintsNoSecret(t *testing.T) {
	isolateEnv(t)
	creds := testTempCreds
	tests := map[string][]Option{
		"fixed credentials":         {WithCredentials(creds)},
		"credentials as a provider": {WithCredentialsProvider(creds)},
		"the environment's":         nil,
	}
	for name, opts := range tests {
		t.Run(name, func(t *testing.T) {
			if opts == nil {
				t.Setenv(envAccessKey, testAK)
				t.Setenv(envSecretKey, testSK)
				t.Setenv(envSecurityToken, testToken)
			}
			c, err := NewClient(append([]Option{WithRegion("cn-north-4"), WithProjectID(testProjectID)}, opts...)...)
			require.NoError(t, err)

			assertPrintsNoSecret(t, c, testSK, testToken)
			assertPrintsNoSecret(t, copyOf(c), testSK, testToken)
			assert.Contains(t, fmt.Sprint(c), `Region:"cn-north-4"`)
			assert.Contains(t, fmt.Sprint(c), testProjectID)
			var b bytes.Buffer
			slog.New(slog.NewJSONHandler(&b, nil)).Info("made", "client", c)
			assert.Contains(t, b.String(), `"region":"cn-north-4"`, "slog shows what the client is")
		})
	}
}

// The metadata provider's printing is tested against cphtest's metadata
// fake: TestMetadataProviderPrintsNoSecretOnTheFake.

func TestProvidersPrintNoSecret(t *testing.T) {
	isolateEnv(t)
	t.Setenv(envAccessKey, testAK)
	t.Setenv(envSecretKey, testSK)
	t.Setenv(envSecurityToken, testToken)
	profile := ProfileCredentials(writeProfile(t, "[basic]\nak = "+testAK+"\nsk = "+testSK+"\nsecurity_token = "+testToken+"\n"))
	tests := map[string]CredentialsProvider{
		"EnvCredentials":                       EnvCredentials(),
		"ProfileCredentials":                   profile,
		"ChainCredentials":                     ChainCredentials(profile, EnvCredentials()),
		"ChainCredentials holding Credentials": ChainCredentials(testTempCreds),
	}
	for name, p := range tests {
		t.Run(name, func(t *testing.T) {
			creds, err := p.Retrieve(context.Background())
			require.NoError(t, err)
			require.Equal(t, testSK, creds.SecretKey, "precondition: the provider has read the secrets")
			assertPrintsNoSecret(t, p, testSK, testToken)
			// fmt cannot call the methods of a Credentials value in an
			// unexported field (it prints such fields by reflection), so
			// Credentials promises redaction alone and in exported fields.
			printed := printedIn(creds, func(v any) (any, any) {
				h := exportedHolder{Name: "svc", Value: v}
				return h, &h
			})
			// %p of a value holding Credentials: fmt formats %p before it
			// looks for any method, and calls none on what it holds, so no
			// type can redact it there (documented).
			assert.Contains(t, printed["%p"], "%!p(cph.Credentials=", "the documented exception")
			for how := range printed {
				if strings.HasPrefix(how, "%p") {
					delete(printed, how)
				}
			}
			assertNoneIn(t, printed, []string{testSK, testToken})
		})
	}
}

func TestOptionsPrintNoSecret(t *testing.T) {
	creds := testTempCreds
	for name, opt := range map[string]Option{
		"WithCredentials":         WithCredentials(creds),
		"WithCredentialsProvider": WithCredentialsProvider(creds),
	} {
		t.Run(name, func(t *testing.T) {
			assertPrintsNoSecret(t, opt, testSK, testToken)
		})
	}
}

// TestErrorsPrintNoSecret prints the errors of calls whose server echoes
// the request's secrets back, in every shape an answer can take.
func TestErrorsPrintNoSecret(t *testing.T) {
	echo := func(code int) faultHandler {
		return func(w http.ResponseWriter, r *http.Request, _ int) {
			w.Header().Set("X-Request-Id", r.Header.Get("X-Security-Token")+" "+r.Header.Get("Authorization"))
			w.WriteHeader(code)
			fmt.Fprintf(w, "Authorization: %s\nX-Security-Token: %s\n", r.Header.Get("Authorization"), r.Header.Get("X-Security-Token"))
		}
	}
	tests := map[string]faultHandler{
		"400 echo":         echo(400),
		"503 echo":         echo(503),
		"200 echo":         echo(200),
		"307 echo":         echo(307),
		"reset connection": resetConn,
	}
	for name, h := range tests {
		t.Run(name, func(t *testing.T) {
			s := newFaultServer(t, always(h), false)
			var logs bytes.Buffer
			c := newFaultClient(t, s.URL, WithLogger(slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))))

			_, err := c.ListPhoneImages(context.Background())

			require.Error(t, err)
			sig := signatureOf(t, s.Requests()[0].Header)
			assertPrintsNoSecret(t, err, testSK, testToken, sig)
			for e := err; e != nil; e = errors.Unwrap(e) {
				assertPrintsNoSecret(t, e, testSK, testToken, sig)
			}
			assert.NotContains(t, logs.String(), testToken)
			assert.NotContains(t, logs.String(), sig)
		})
	}
}

// signatureOf returns the signature a request with header h carried.
func signatureOf(t *testing.T, h http.Header) string {
	t.Helper()
	auth := h.Get("Authorization")
	i := bytes.Index([]byte(auth), []byte("Signature="))
	require.GreaterOrEqual(t, i, 0, "a signed request: %q", auth)
	return auth[i+len("Signature="):]
}
