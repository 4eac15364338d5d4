'use strict';

/**
 * Upper-cases the first character of a string and leaves the rest as it is.
 *
 * @param {string} text
 * @returns {string}
 * @example capitalize('hello world') // 'Hello world'
 */
function capitalize(text) {
  if (text.length === 0) {
    return text;
  }
  return text[0].toUpperCase() + text.slice(1);
}

/**
 * Shortens a string to at most `maxLength` characters, ending it with `suffix` when cut.
 *
 * @param {string} text
 * @param {number} maxLength the longest result allowed, suffix included
 * @param {string} [suffix='…']
 * @returns {string}
 * @example truncate('The quick brown fox', 10) // 'The quick…'
 */
function truncate(text, maxLength, suffix = '…') {
  if (!Number.isInteger(maxLength) || maxLength < 0) {
    throw new RangeError('maxLength must be a non-negative integer');
  }
  if (text.length <= maxLength) {
    return text;
  }
  if (suffix.length >= maxLength) {
    return suffix.slice(0, maxLength);
  }
  return text.slice(0, maxLength - suffix.length).trimEnd() + suffix;
}

module.exports = { capitalize, truncate };
