package cph

import (
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestSealed(t *testing.T) {
	secret := "sealed-secret-value-0123456789"
	s := seal(&Credentials{SecretKey: secret})
	assert.Equal(t, secret, s.open().SecretKey, "open gives the sealed value back")

	var zero sealed[*Credentials]
	assert.Nil(t, zero.open(), "a zero sealed opens to the zero value")

	type holder struct{ s sealed[*Credentials] }
	for _, verb := range printVerbs {
		assert.NotContains(t, fmt.Sprintf(verb, s), secret, verb)
		assert.NotContains(t, fmt.Sprintf(verb, holder{s}), secret, verb)
		assert.NotContains(t, fmt.Sprintf(verb, &holder{s}), secret, verb)
	}
}
