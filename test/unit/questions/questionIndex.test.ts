import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { QuestionIndex, scanRules, skippedContent, skippedPath } from '../../../src/core/questions/questionIndex.js';
import { scanFolder } from '../../../src/node/questionScan.js';

describe('the open-questions index', () => {
  it('adds, changes and removes a file, saying when its questions changed', () => {
    const index = new QuestionIndex();
    assert.equal(index.update('src/a.ts', '// TODO(architect): one'), true);
    assert.equal(index.update('src/a.ts', '// TODO(architect): one'), false, 'same text, nothing to redraw');
    assert.equal(index.update('src/a.ts', 'x();\n// TODO(architect): one'), true, 'the marker moved a line');
    assert.equal(index.update('src/b.py', '# TODO(architect): two\n# TODO(architect): three'), true);
    assert.deepEqual(index.files(), ['src/a.ts', 'src/b.py']);
    assert.equal(index.questionCount, 3);
    assert.equal(index.update('src/a.ts', 'no more questions'), true);
    assert.deepEqual(index.files(), ['src/b.py']);
    assert.equal(index.update('src/c.ts', 'nothing here'), false);
    assert.equal(index.remove('src/b.py'), true);
    assert.equal(index.remove('src/b.py'), false);
    assert.equal(index.questionCount, 0);
  });

  it('forgets every file under a deleted folder, and only those', () => {
    const index = new QuestionIndex();
    index.update('lib/x.ts', '// TODO(architect): x');
    index.update('lib/deep/y.ts', '// TODO(architect): y');
    index.update('library.ts', '// TODO(architect): z');
    assert.equal(index.remove('lib'), true);
    assert.deepEqual(index.files(), ['library.ts']);
  });

  it('keys paths the same however they are spelled', () => {
    const index = new QuestionIndex();
    index.update('.\\src\\a.ts', '// TODO(architect): q');
    assert.equal(index.markers('src/a.ts').length, 1);
  });

  it('skips node_modules and .git at any depth, the artifacts folder, and paths outside', () => {
    const rules = scanRules('.dual-model');
    assert.match(skippedPath(rules, 'node_modules/x/index.js') ?? '', /node_modules/);
    assert.match(skippedPath(rules, 'packages/app/node_modules') ?? '', /node_modules/);
    assert.match(skippedPath(rules, '.git/HEAD') ?? '', /\.git/);
    assert.match(skippedPath(rules, '.dual-model/brain/r1/code_spec.md') ?? '', /artifacts/);
    assert.match(skippedPath(rules, '../elsewhere.ts') ?? '', /outside/);
    assert.equal(skippedPath(rules, 'src/node_modules.ts'), undefined);
    assert.equal(skippedPath(rules, '.dual-modelling/notes.md'), undefined);
    assert.equal(skippedPath(scanRules('../outside-root'), 'src/a.ts'), undefined, 'an artifacts root outside the folder skips nothing inside it');
  });

  it('skips files over the size limit and binary files', () => {
    const rules = scanRules(undefined, 100);
    assert.match(skippedContent(rules, 101, new Uint8Array()) ?? '', /larger/);
    assert.equal(skippedContent(rules, 3, new Uint8Array([97, 98, 99])), undefined);
    assert.equal(skippedContent(rules, 3, new Uint8Array([97, 0, 99])), 'binary');
  });

  describe('scanning a real folder', () => {
    let root: string;
    before(async () => {
      root = await fs.mkdtemp(path.join(os.tmpdir(), 'dm-questions-'));
      const write = async (file: string, text: string | Buffer): Promise<void> => {
        await fs.mkdir(path.dirname(path.join(root, file)), { recursive: true });
        await fs.writeFile(path.join(root, file), text);
      };
      await write('src/a.ts', '// TODO(architect): kept');
      await write('node_modules/pkg/index.js', '// TODO(architect): skipped');
      await write('.git/hooks/x', '# TODO(architect): skipped');
      await write('.dual-model/brain/r1/code_report.md', '<!-- TODO(architect): skipped -->');
      await write('big.txt', `# TODO(architect): too big\n${'x'.repeat(2_000)}`);
      await write('image.bin', Buffer.from([0, 1, 2, ...Buffer.from('// TODO(architect): binary')]));
      const outside = await fs.mkdtemp(path.join(os.tmpdir(), 'dm-outside-'));
      await fs.writeFile(path.join(outside, 'secret.ts'), '// TODO(architect): outside');
      await fs.symlink(outside, path.join(root, 'linked'));
    });
    after(() => fs.rm(root, { recursive: true, force: true }));

    it('indexes what the rules allow and nothing else, without following links out', async () => {
      const index = new QuestionIndex();
      const summary = await scanFolder(root, index, scanRules('.dual-model', 1_000));
      assert.deepEqual(index.files(), ['src/a.ts']);
      assert.deepEqual(summary, { filesRead: 1, filesSkipped: 2 });
    });

    it('reads each file whole and only its own bytes: a large file, a short one after it, text beyond ASCII', async () => {
      const other = await fs.mkdtemp(path.join(os.tmpdir(), 'dm-questions-sizes-'));
      try {
        // 200 KB with its marker at the very end (longer than one read buffer), then a short file
        // without a marker read into the same buffer: the long file's marker must not show through.
        await fs.writeFile(path.join(other, 'a-large.py'), `${'x = 1\n'.repeat(40_000)}# TODO(architect): at the end?\n`);
        await fs.writeFile(path.join(other, 'b-short.py'), 'y = 2\n');
        await fs.writeFile(path.join(other, 'c-accents.md'), '<!-- TODO(architect): crème brûlée ou œufs ? -->\n');
        const index = new QuestionIndex();
        const summary = await scanFolder(other, index, scanRules('.dual-model', 1_000_000));
        assert.deepEqual(summary, { filesRead: 3, filesSkipped: 0 });
        assert.deepEqual(index.files(), ['a-large.py', 'c-accents.md']);
        assert.deepEqual(index.markers('a-large.py').map((marker) => [marker.line, marker.question]), [[40_000, 'at the end?']]);
        assert.deepEqual(index.markers('c-accents.md').map((marker) => marker.question), ['crème brûlée ou œufs ?']);
      } finally {
        await fs.rm(other, { recursive: true, force: true });
      }
    });
  });
});
