package main

import (
	"runtime/debug"
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/cph-go/cph"
)

func TestVersion(t *testing.T) {
	info := func(v string, ok bool) func() (*debug.BuildInfo, bool) {
		return func() (*debug.BuildInfo, bool) {
			if !ok {
				return nil, false
			}
			return &debug.BuildInfo{Main: debug.Module{Path: "github.com/cph-go/cph", Version: v}}, true
		}
	}
	tests := map[string]struct {
		buildInfo func() (*debug.BuildInfo, bool)
		want      string
	}{
		"go install at a version": {info("v1.2.3", true), "v1.2.3"},
		"a pseudo-version":        {info("v0.0.0-20261201105153-f700900e1a2b", true), "v0.0.0-20261201105153-f700900e1a2b"},
		"a build in a checkout":   {info("(devel)", true), cph.Version},
		"no module version":       {info("", true), cph.Version},
		"no build information":    {info("", false), cph.Version},
	}
	for name, tt := range tests {
		t.Run(name, func(t *testing.T) {
			assert.Equal(t, tt.want, version(tt.buildInfo))
		})
	}
}
