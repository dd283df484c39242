package cph

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestListOptionsFirstBadOptionWins: when several options are bad, the
// first one's error is returned, and a later good one does not clear it.
func TestListOptionsFirstBadOptionWins(t *testing.T) {
	p := applyListOptions([]ListOption{WithLimit(1000), WithOffset(-1), WithLimit(10)})

	err := p.check(opListImages, customImagesOptions)

	require.ErrorIs(t, err, ErrInvalidParameter)
	assert.Equal(t, "cph: ListImages: invalid parameter: limit 1000 is outside 1..100", err.Error())
}

// TestListOptionsBadValueBeforeNotTaken: a bad value is reported before an
// option the operation does not take; of several options not taken, the
// first in the table of list_options.go is named.
func TestListOptionsBadValueBeforeNotTaken(t *testing.T) {
	p := applyListOptions([]ListOption{WithOffset(3), WithImageStatus(ImageStatusFailed), WithImageType("bogus")})
	err := p.check(opListPhoneImages, phoneImagesOptions)
	require.ErrorIs(t, err, ErrInvalidParameter)
	assert.Contains(t, err.Error(), `image type "bogus"`)

	p = applyListOptions([]ListOption{WithOffset(3), WithImageStatus(ImageStatusFailed)})
	err = p.check(opListPhoneImages, phoneImagesOptions)
	require.ErrorIs(t, err, ErrInvalidParameter)
	assert.Equal(t, "cph: ListPhoneImages: invalid parameter: WithImageStatus is not an option of ListPhoneImages", err.Error())
}

// TestListOptionNamesCoverEveryOption: each option bit has its name.
func TestListOptionNamesCoverEveryOption(t *testing.T) {
	all := customImagesOptions
	assert.Equal(t, listOption(1<<len(listOptionNames)-1), all, "every option has a name, and ListImages takes them all")
}
