// Owns a group of disposables: register each as it is made, dispose them all at once, newest
// first (a listener goes before the emitter it listens to). No vscode import, so the rules are
// tested on plain Node; vscode.Disposable matches the shape.
export interface Disposable {
  dispose(): unknown;
}

export class DisposableStore implements Disposable {
  private readonly items: Disposable[] = [];
  private disposed = false;

  /** Registers `item`; once the store is disposed, anything added is disposed at once. */
  add<T extends Disposable>(item: T): T {
    if (this.disposed) item.dispose();
    else this.items.push(item);
    return item;
  }

  /** For an item that ends on its own (a closed panel): forgets it without disposing it. */
  forget(item: Disposable): void {
    const index = this.items.indexOf(item);
    if (index >= 0) this.items.splice(index, 1);
  }

  get isDisposed(): boolean {
    return this.disposed;
  }

  /** Disposes every item even when one throws; the first error is rethrown after the rest. */
  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    const errors: unknown[] = [];
    while (this.items.length > 0) {
      try {
        this.items.pop()?.dispose();
      } catch (error) {
        errors.push(error);
      }
    }
    if (errors.length > 0) throw errors[0];
  }
}
