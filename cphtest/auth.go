package cphtest

import (
	"crypto/subtle"
	"fmt"
	"net/http"

	"github.com/cph-go/cph/internal/sigv"
)

// Messages of the gateway's APIGW.0301 answers.
const (
	msgSignatureFail = "Incorrect IAM authentication information: verify aksk signature fail"
	msgExpired       = "Incorrect IAM authentication information: signature expired"
	msgTokenFail     = "Incorrect IAM authentication information: decrypt token fail"
	msgUnknownKey    = "Incorrect IAM authentication information: Get secretKey failed,ak:%s,err:ak not exist"
)

// signed refuses a request that is not signed with the server's
// credentials, with 401 APIGW.0301.
func (s *Server) signed(next http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if msg := s.authenticate(r); msg != "" {
			s.writeError(w, http.StatusUnauthorized, CodeAuthFailed, msg)
			return
		}
		next(w, r)
	}
}

// authenticate checks r's AK/SK signature as the gateway does and returns
// the message of the refusal, or "" if r is signed with the server's
// credentials. The signature is recomputed by sigv.Verify over exactly the
// headers that SignedHeaders lists. When the server's credentials have a
// security token, r must carry it in X-Security-Token, signed or not (a
// client may add it after signing, as the Terraform provider's library
// does); a token the server does not need is ignored.
func (s *Server) authenticate(r *http.Request) string {
	a, err := sigv.ParseAuthorization(r.Header.Get(sigv.HeaderAuthorization))
	if err != nil {
		return msgSignatureFail
	}
	if a.AccessKey != s.creds.AccessKey {
		return fmt.Sprintf(msgUnknownKey, a.AccessKey)
	}
	date, err := sigv.Date(r)
	if err != nil {
		return msgSignatureFail
	}
	if skew := s.now().Sub(date); skew > MaxClockSkew || skew < -MaxClockSkew {
		return msgExpired
	}
	if want := s.creds.SecurityToken; want != "" {
		got := r.Header.Get("X-Security-Token")
		if subtle.ConstantTimeCompare([]byte(got), []byte(want)) != 1 {
			return msgTokenFail
		}
	}
	if err := sigv.Verify(r, a, s.creds.SecretKey); err != nil {
		return msgSignatureFail
	}
	return ""
}
