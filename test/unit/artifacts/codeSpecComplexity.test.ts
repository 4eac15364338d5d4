// The spec's optional **Complexity:** (the seed's Swarm Fields: trivial/simple/medium/complex/
// expert), so the Architect can tell a swarm run how hard a spec is. Optional: every spec written
// before it, and every spec of a run that is not a swarm, reads and writes exactly as before.
import assert from 'node:assert/strict';
import { parseCodeSpec, renderCodeSpec } from '../../../src/core/artifacts/codeSpec.js';
import { baseSpec, expectError, expectValue, lineOf } from './artifactFixtures.js';

describe("a Code Spec's optional Complexity", () => {
  it('is absent, and not written, when the spec does not give one (the seed format as it was)', () => {
    const markdown = renderCodeSpec(baseSpec());
    assert.doesNotMatch(markdown, /Complexity/);
    const value = expectValue(parseCodeSpec(markdown));
    assert.equal(value.complexity, undefined);
    assert.deepEqual(value, baseSpec());
  });

  it('is written under the Priority and read back', () => {
    const markdown = renderCodeSpec({ ...baseSpec(), complexity: 'complex' });
    assert.match(markdown, /\*\*Priority:\*\* P1\n\*\*Complexity:\*\* complex\n/);
    assert.equal(expectValue(parseCodeSpec(markdown)).complexity, 'complex');
  });

  it('reads any case, as people write it', () => {
    const markdown = renderCodeSpec(baseSpec()).replace('**Priority:** P1', '**Priority:** P1\n**Complexity:** Medium');
    assert.equal(expectValue(parseCodeSpec(markdown)).complexity, 'medium');
  });

  it('refuses a tier that is not one, saying which are', () => {
    const markdown = renderCodeSpec(baseSpec()).replace('**Priority:** P1', '**Priority:** P1\n**Complexity:** hard');
    expectError(parseCodeSpec(markdown), 'Header', lineOf(markdown, '**Complexity:**'), /invalid \*\*Complexity:\*\* "hard": must be trivial, simple, medium, complex or expert/);
  });

  it('refuses it twice', () => {
    const markdown = renderCodeSpec({ ...baseSpec(), complexity: 'simple' }).replace('**Complexity:** simple', '**Complexity:** simple\n**Complexity:** expert');
    expectError(parseCodeSpec(markdown), 'Header', lineOf(markdown, '**Complexity:** expert'), /has \*\*Complexity:\*\* twice/);
  });
});
