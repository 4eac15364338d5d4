import * as assert from 'node:assert/strict';
import { DisposableStore } from '../../../src/vscode/disposables.js';

function recorder(log: string[], name: string, fail = false) {
  return {
    dispose: () => {
      log.push(name);
      if (fail) throw new Error(`${name} failed to dispose`);
    },
  };
}

describe('DisposableStore', () => {
  it('disposes everything it holds once, newest first', () => {
    const log: string[] = [];
    const store = new DisposableStore();
    store.add(recorder(log, 'emitter'));
    store.add(recorder(log, 'listener'));
    store.dispose();
    store.dispose();
    assert.deepEqual(log, ['listener', 'emitter']);
    assert.equal(store.isDisposed, true);
  });

  it('still disposes the rest when one throws, then reports the failure', () => {
    const log: string[] = [];
    const store = new DisposableStore();
    store.add(recorder(log, 'first'));
    store.add(recorder(log, 'broken', true));
    store.add(recorder(log, 'last'));
    assert.throws(() => store.dispose(), /broken failed to dispose/);
    assert.deepEqual(log, ['last', 'broken', 'first']);
  });

  it('disposes at once what is added after it was disposed', () => {
    const log: string[] = [];
    const store = new DisposableStore();
    store.dispose();
    const late = store.add(recorder(log, 'late'));
    assert.deepEqual(log, ['late']);
    assert.equal(typeof late.dispose, 'function');
  });

  it('lets go of an item that ended on its own without disposing it again', () => {
    const log: string[] = [];
    const store = new DisposableStore();
    const panel = store.add(recorder(log, 'panel'));
    store.forget(panel);
    store.dispose();
    assert.deepEqual(log, []);
  });
});
