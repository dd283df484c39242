package main

import (
	"runtime/debug"

	"github.com/cph-go/cph"
)

// version returns the version --version prints: the main module's version
// in the binary's build information, as go install pkg@version records it
// (or the VCS's, for a build in a checkout), when there is one; else, for
// a build that records none ("(devel)" or no build information), the
// library's cph.Version. buildInfo is debug.ReadBuildInfo but in tests.
func version(buildInfo func() (*debug.BuildInfo, bool)) string {
	if info, ok := buildInfo(); ok && info.Main.Version != "" && info.Main.Version != "(devel)" {
		return info.Main.Version
	}
	return cph.Version
}
