package scenario

import (
	"errors"
	"testing"

	"github.com/goccy/go-yaml/ast"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestParseWithSection(t *testing.T) {
	src := "clients: {count: 10}\ndrill:\n  question: what?\nduration: 1m\n"
	sc, key, value, err := ParseWithSection("d.yaml", []byte(src), "drill")
	require.NoError(t, err)
	assert.Equal(t, 10, sc.Clients.Count)
	assert.Equal(t, Duration(60e9), sc.Duration)
	require.NotNil(t, key)
	assert.Equal(t, 2, key.GetToken().Position.Line)
	m, ok := value.(ast.MapNode)
	require.True(t, ok, "%T", value)
	it := m.MapRange()
	require.True(t, it.Next())
	assert.Equal(t, "question", it.Key().GetToken().Value)

	// Without the section the key is unknown to Parse, as before.
	_, err = Parse("d.yaml", []byte(src))
	require.Error(t, err)
	assert.Contains(t, err.Error(), "d.yaml:2:1: drill: unknown key")
}

func TestParseWithSectionScenarioErrors(t *testing.T) {
	src := "clients: {count: 0}\ndrill: {question: x}\ndurtion: 1m\n"
	sc, key, value, err := ParseWithSection("d.yaml", []byte(src), "drill")
	require.Nil(t, sc)
	require.NotNil(t, key, "the section comes back with the scenario's problems")
	require.NotNil(t, value)
	var list Errors
	require.True(t, errors.As(err, &list))
	assert.Equal(t, "d.yaml:1:18: clients.count: 0 is out of range 1..1000000", list[0].Error())
	require.Len(t, list, 2)
	assert.Contains(t, list[1].Error(), "d.yaml:3:1: durtion: unknown key")

	// Only the top level sets the section aside.
	_, _, value, err = ParseWithSection("d.yaml", []byte("clients: {drill: 1}\n"), "drill")
	require.Error(t, err)
	assert.Nil(t, value)
	assert.Contains(t, err.Error(), "clients.drill: unknown key")

	// No section, no node; a syntax error, no node.
	_, key, _, err = ParseWithSection("d.yaml", []byte("duration: 1m\n"), "drill")
	require.NoError(t, err)
	assert.Nil(t, key)
	_, key, _, err = ParseWithSection("d.yaml", []byte("drill: [\n"), "drill")
	require.Error(t, err)
	assert.Nil(t, key)
}
