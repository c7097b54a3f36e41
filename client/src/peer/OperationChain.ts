// A FIFO of async operations: each starts after the previous settled, so SDP operations on one
// RTCPeerConnection never interleave.

export class OperationChain {
  private tail: Promise<unknown> = Promise.resolve();
  private closed = false;

  run<T>(op: () => Promise<T>): Promise<T> {
    const next = this.tail.then(() => {
      if (this.closed) throw new Error('closed');
      return op();
    });
    // The chain continues whatever the outcome; callers see the error.
    this.tail = next.catch(() => undefined);
    return next;
  }

  close(): void { this.closed = true; }
}
