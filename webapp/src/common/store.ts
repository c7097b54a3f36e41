// A minimal observable value: the room model publishes immutable snapshots, the views subscribe.
import { useEffect, useState } from 'preact/hooks';

export class Store<T> {
  private listeners = new Set<(value: T) => void>();
  constructor(private value: T) {}

  get(): T { return this.value; }

  set(next: T): void {
    if (next === this.value) return;
    this.value = next;
    for (const l of [...this.listeners]) l(next);
  }

  update(patch: Partial<T>): void { this.set({ ...this.value, ...patch }); }

  subscribe(listener: (value: T) => void): () => void {
    this.listeners.add(listener);
    return () => { this.listeners.delete(listener); };
  }
}

/** Preact hook: the store's current value, re-rendering on every change. */
export function useStore<T>(store: Store<T>): T {
  const [value, setValue] = useState(store.get());
  useEffect(() => {
    setValue(store.get());
    return store.subscribe(setValue);
  }, [store]);
  return value;
}
