import type { NoticeStreamEvent } from '../../../domain/notice.ts';

/** One open event stream of an account. */
export type StreamListener = (event: NoticeStreamEvent) => void;

/**
 * The in-process fan-out of live notice events to the accounts connected on /api/notices/stream.
 * Events are only ever pushed after the rows they describe are committed, so a client that misses
 * one (not connected, network cut) finds the same state in its inbox.
 */
export class NoticeHub {
  private readonly listeners = new Map<number, Set<StreamListener>>();
  private readonly closers = new Set<() => void>();

  /** Adds a listener for an account; returns the function that removes it. */
  subscribe(accountId: number, listener: StreamListener, close?: () => void): () => void {
    let set = this.listeners.get(accountId);
    if (!set) {
      set = new Set();
      this.listeners.set(accountId, set);
    }
    set.add(listener);
    if (close) this.closers.add(close);
    return () => {
      set.delete(listener);
      if (!set.size) this.listeners.delete(accountId);
      if (close) this.closers.delete(close);
    };
  }

  /** Accounts with at least one open stream. */
  connectedAccountIds(): number[] {
    return [...this.listeners.keys()];
  }

  get connections(): number {
    let n = 0;
    for (const set of this.listeners.values()) n += set.size;
    return n;
  }

  /** Pushes an event to every stream of the account; returns how many streams got it. */
  publish(accountId: number, event: NoticeStreamEvent): number {
    const set = this.listeners.get(accountId);
    if (!set) return 0;
    for (const listener of set) listener(event);
    return set.size;
  }

  /** Ends every open stream (server shutdown). */
  closeAll(): void {
    for (const close of [...this.closers]) close();
    this.closers.clear();
    this.listeners.clear();
  }
}
