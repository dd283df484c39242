package alloctest

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

var sink []byte

func TestAllocated(t *testing.T) {
	SkipIfRacing(t)
	n := Allocated(func() { sink = make([]byte, 1<<20) })
	assert.GreaterOrEqual(t, n, uint64(1<<20))
	assert.Less(t, n, uint64(2<<20))
	least := LeastAllocated(3, func() {})
	assert.Less(t, least, uint64(1<<10), "a function that allocates nothing")
}
