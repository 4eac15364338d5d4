import assert from 'node:assert/strict';
import { findMarkers } from '../../../src/core/questions/markers.js';

const only = (text: string) => {
  const found = findMarkers(text);
  assert.equal(found.length, 1, `one marker in ${JSON.stringify(text)}, found ${JSON.stringify(found.map((m) => m.question))}`);
  const [marker] = found;
  assert.ok(marker);
  return marker;
};

describe('TODO(architect) markers', () => {
  for (const [opener, sample] of [
    ['//', 'const x = 1; // TODO(architect): which cache?'],
    ['#', 'x = 1  # TODO(architect): which cache?'],
    ['--', 'SELECT 1; -- TODO(architect): which cache?'],
    [';', '(setq x 1) ; TODO(architect): which cache?'],
  ] as const) {
    it(`finds a ${opener} line comment with its question, column and range`, () => {
      const marker = only(`first line\n${sample}\nlast line`);
      assert.deepEqual(marker.style, { kind: 'line', opener });
      assert.equal(marker.line, 1);
      assert.equal(marker.column, sample.indexOf('TODO'));
      assert.equal(marker.question, 'which cache?');
      assert.deepEqual(marker.range, { start: { line: 1, character: sample.indexOf('TODO') }, end: { line: 1, character: sample.length } });
      assert.equal(marker.lead, sample.slice(0, sample.indexOf('TODO')));
    });
  }

  it('keeps the decoration of doc comments such as /// and #!', () => {
    assert.deepEqual(only('/// TODO(architect): a').style, { kind: 'line', opener: '//' });
    assert.equal(only('  ## TODO(architect) - b').question, 'b');
  });

  it('reads a one-line /* */ comment up to its closer', () => {
    const marker = only('int x; /* TODO(architect): signed? */ int y;');
    assert.deepEqual(marker.style, { kind: 'block', open: '/*', close: '*/' });
    assert.equal(marker.question, 'signed?');
    assert.equal(marker.range.end.character, 'int x; /* TODO(architect): signed?'.length);
  });

  it('continues a multi-line /* */ comment until it closes, dropping the * decoration', () => {
    const text = ['/**', ' * Parses input.', ' * TODO(architect): should this', ' *   accept NaN?', ' */', 'function parse() {}'].join('\n');
    const marker = only(text);
    assert.deepEqual(marker.style, { kind: 'block', open: '/*', close: '*/' });
    assert.equal(marker.line, 2);
    assert.equal(marker.question, 'should this accept NaN?');
    assert.deepEqual(marker.range.end, { line: 3, character: ' *   accept NaN?'.length });
  });

  it('finds a marker that opens a multi-line block on its own line', () => {
    const marker = only('/* TODO(architect): one\n   two */\nx();');
    assert.equal(marker.question, 'one two');
  });

  it('reads <!-- --> comments, one line and several', () => {
    assert.equal(only('<p>hi</p> <!-- TODO(architect): which heading level? -->').question, 'which heading level?');
    const multi = only('<!--\n  TODO(architect): keep the\n  legacy banner?\n-->\n<main/>');
    assert.deepEqual(multi.style, { kind: 'block', open: '<!--', close: '-->' });
    assert.equal(multi.question, 'keep the legacy banner?');
  });

  it('reads docstrings with """ and \'\'\'', () => {
    const doubled = only('def f():\n    """Compute.\n\n    TODO(architect): memoise?\n    """\n    return 1\n');
    assert.deepEqual(doubled.style, { kind: 'block', open: '"""', close: '"""' });
    assert.equal(doubled.question, 'memoise?');
    const single = only("def g():\n    '''TODO(architect): raise or return None?'''\n");
    assert.deepEqual(single.style, { kind: 'block', open: "'''", close: "'''" });
    assert.equal(single.question, 'raise or return None?');
  });

  it('does not count a marker after a docstring has closed', () => {
    assert.deepEqual(findMarkers('"""doc"""\nx = "TODO(architect)"\n'), []);
  });

  it('does not count markers inside string literals that are not docstrings', () => {
    assert.deepEqual(findMarkers('const s = "// TODO(architect): not a question";'), []);
    assert.deepEqual(findMarkers("const s = '# TODO(architect): no';"), []);
    assert.deepEqual(findMarkers('const s = `-- TODO(architect): no`;'), []);
    assert.deepEqual(findMarkers('log("TODO(architect)")'), []);
    assert.deepEqual(findMarkers('const s = "a \\" // TODO(architect): escaped quote keeps the string open";'), []);
  });

  it('counts a comment after a closed string on the same line', () => {
    assert.equal(only('const s = "// not"; // TODO(architect): yes').question, 'yes');
  });

  it('ignores a marker in plain code or after a closed block comment', () => {
    assert.deepEqual(findMarkers('TODO(architect) is a word here'), []);
    assert.deepEqual(findMarkers('/* done */\nlet TODO(architect) = 1'), []);
  });

  it('handles CRLF line ends: lines, columns and questions without \\r', () => {
    const text = 'a\r\n// TODO(architect): first\r\nb\r\n  # TODO(architect): second\r\n';
    const found = findMarkers(text);
    assert.deepEqual(found.map((m) => [m.line, m.column, m.question]), [[1, 3, 'first'], [3, 4, 'second']]);
    assert.equal(found[0]?.range.end.character, '// TODO(architect): first'.length);
    const block = only('/*\r\n TODO(architect): a\r\n b\r\n*/\r\n');
    assert.equal(block.question, 'a b');
  });

  it('gives an empty question for a bare marker', () => {
    const marker = only('// TODO(architect)');
    assert.equal(marker.question, '');
    assert.equal(only('// TODO(architect):   ').question, '');
    assert.equal(only('/* TODO(architect) */').question, '');
  });

  it('finds several markers on one line and splits one comment between them', () => {
    const found = findMarkers('/* TODO(architect): a */ x(); /* TODO(architect): b */');
    assert.deepEqual(found.map((m) => [m.column, m.question]), [[3, 'a'], [33, 'b']]);
    const shared = findMarkers('// TODO(architect): first TODO(architect): second');
    assert.deepEqual(shared.map((m) => m.question), ['first', 'second']);
    assert.equal(shared[0]?.offsets.end, '// TODO(architect): first'.length);
  });

  it('finds many markers in a big file, on the right lines', () => {
    const lines: string[] = [];
    for (let i = 0; i < 5_000; i += 1) lines.push(i % 10 === 0 ? `  // TODO(architect): q${i}` : `  const v${i} = ${i};`);
    const found = findMarkers(lines.join('\n'));
    assert.equal(found.length, 500);
    assert.deepEqual(found.slice(0, 2).map((m) => [m.line, m.question]), [[0, 'q0'], [10, 'q10']]);
    assert.deepEqual(found.at(-1)?.line, 4990);
  });

  it('reads an unclosed block comment to the end of the text', () => {
    assert.equal(only('/* TODO(architect): never closed\nstill').question, 'never closed still');
  });
});
