'use strict';

const { test } = require('node:test');
const assert = require('node:assert/strict');
const { capitalize, truncate } = require('../src/index.js');

test('capitalize upper-cases the first character only', () => {
  assert.equal(capitalize('hello world'), 'Hello world');
  assert.equal(capitalize('hELLO'), 'HELLO');
});

test('capitalize leaves an empty string alone', () => {
  assert.equal(capitalize(''), '');
});

test('truncate keeps short strings as they are', () => {
  assert.equal(truncate('short', 10), 'short');
  assert.equal(truncate('exactly10!', 10), 'exactly10!');
});

test('truncate cuts long strings and appends the suffix', () => {
  assert.equal(truncate('The quick brown fox', 10), 'The quick…');
  assert.equal(truncate('The quick brown fox', 12, '...'), 'The quick...');
});

test('truncate rejects a negative or fractional length', () => {
  assert.throws(() => truncate('text', -1), RangeError);
  assert.throws(() => truncate('text', 2.5), RangeError);
});
