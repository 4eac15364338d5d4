import assert from 'node:assert/strict';
import { answerReplacements, decisionText } from '../../../src/core/questions/answerEdit.js';
import { findMarkers } from '../../../src/core/questions/markers.js';

/** The text after the replacements, applied from the end so offsets stay valid. */
function applied(text: string, answer: string, withCode = false): string {
  const [marker] = findMarkers(text);
  assert.ok(marker, 'the fixture has a marker');
  let result = text;
  for (const edit of [...answerReplacements(text, marker, answer, withCode)].sort((a, b) => b.start - a.start)) {
    result = result.slice(0, edit.start) + edit.text + result.slice(edit.end);
  }
  return result;
}

describe('applying an Architect answer', () => {
  it('writes the decision in the line comment\'s own style, continuing further lines', () => {
    assert.equal(applied('  x(); // TODO(architect): which?\ny();', 'Use A.'), '  x(); // Architect: Use A.\ny();');
    assert.equal(applied('# TODO(architect): which?\n', 'Use A.\nBecause B.'), '# Architect: Use A.\n# Because B.\n');
    assert.equal(applied('-- TODO(architect): q', 'One.\n\nTwo.'), '-- Architect: One.\n--\n-- Two.');
  });

  it('keeps a block comment and its closer, and a JSDoc star on further lines', () => {
    assert.equal(applied('/* TODO(architect): q */ x();', 'Use A.'), '/* Architect: Use A. */ x();');
    assert.equal(applied('/**\n * TODO(architect): q\n */', 'Use A.\nThen B.'), '/**\n * Architect: Use A.\n * Then B.\n */');
    assert.equal(applied('<!-- TODO(architect): q -->', 'Keep it -->'), '<!-- Architect: Keep it --\\> -->');
    assert.equal(applied('def f():\n    """TODO(architect): q"""', 'Return """x"""'), 'def f():\n    """Architect: Return \\"\\"\\"x\\"\\"\\""""');
    assert.equal(applied('/* TODO(architect): q */', 'a */ b'), '/* Architect: a *\\/ b */');
  });

  it('keeps CRLF line ends', () => {
    assert.equal(applied('# TODO(architect): q\r\nx\r\n', 'A.\nB.'), '# Architect: A.\r\n# B.\r\nx\r\n');
  });

  it('leaves code blocks out of the decision, and inserts the one block below the comment, indented', () => {
    const answer = 'Transliterate.\n\n```js\ntext = text.normalize("NFKD");\n```';
    assert.equal(decisionText(answer), 'Transliterate.');
    assert.equal(applied('function f(text) {\n  // TODO(architect): accents?\n  return text;\n}', answer, true), 'function f(text) {\n  // Architect: Transliterate.\n  text = text.normalize("NFKD");\n  return text;\n}');
    assert.equal(applied('# TODO(architect): q', 'Do.\n```py\nx = 1\n```', true), '# Architect: Do.\nx = 1\n');
  });

  it('refuses to apply code when the answer has none or several blocks', () => {
    const [marker] = findMarkers('// TODO(architect): q');
    assert.ok(marker);
    assert.throws(() => answerReplacements('// TODO(architect): q', marker, 'no code', true), /0 code blocks/);
    assert.throws(() => answerReplacements('// TODO(architect): q', marker, '```\na\n```\n```\nb\n```', true), /2 code blocks/);
  });

  it('writes something even for an answer with only code', () => {
    assert.equal(applied('// TODO(architect): q', '```\nx\n```'), '// Architect: (no decision given)');
  });
});
