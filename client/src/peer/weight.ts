// Skylink's offerer rule: the peer with the higher `weight` (server tieBreaker + priority scheme)
// makes the offer. On top of it we use perfect negotiation: the lower weight is the *polite* peer,
// which rolls back its own offer when offers cross.
import { PRIORITY_WEIGHT_SCHEME } from '../constants.js';

export function computeWeight(tieBreaker: number, scheme: string): number {
  if (scheme === PRIORITY_WEIGHT_SCHEME.ENFORCE_OFFERER) return tieBreaker + 2e15;
  if (scheme === PRIORITY_WEIGHT_SCHEME.ENFORCE_ANSWERER) return tieBreaker - 2e15;
  return tieBreaker;
}

/** True when we start the offer after a welcome (SkylinkJS: `ourWeight > theirWeight`). */
export function shouldOffer(ourWeight: number, theirWeight: number): boolean {
  return ourWeight > theirWeight;
}

/** The polite side of perfect negotiation: the one that would not offer first. */
export function isPolite(ourWeight: number, theirWeight: number): boolean {
  return !shouldOffer(ourWeight, theirWeight);
}
