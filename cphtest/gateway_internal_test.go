package cphtest

import (
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/cph-go/cph/internal/fakegw"
)

// The constants are spelled out for the documentation; the gateway
// (internal/fakegw) answers with its own, which must be the same.
func TestConstantsAreTheGateways(t *testing.T) {
	assert.Equal(t, fakegw.CodeAuthFailed, CodeAuthFailed)
	assert.Equal(t, fakegw.CodeAPINotFound, CodeAPINotFound)
	assert.Equal(t, fakegw.MaxClockSkew, MaxClockSkew)
}
