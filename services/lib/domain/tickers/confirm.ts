/**
 * Post-level confirmation: candidates left without local context (a
 * word-like symbol, a name that is also a word) still count when the rest of
 * the post vouches for them:
 *  - the same stock is named another way ("ON … $ON", "Ford … F is a
 *    disaster", "Visa … V never goes on sale", "U … unity");
 *  - they are listed with companies already found ("NVDA, AMD, ON and MU",
 *    "Apple, Costco and Visa", "Archer and Joby").
 * A word-like symbol lists with tickers in capitals and with company names
 * that counted on their own.
 */
import { RULE_CONFIRMED, RULE_LISTED } from './context.ts';
import { CASE_UPPER, KIND_WORD, keyOf, type Token } from './tokenizer.ts';

export const STATE_ACCEPTED = 0;
/** a symbol that is an English word, waiting for confirmation */
export const STATE_SYMBOL_PENDING = 1;
/** a name that is a word, waiting for confirmation */
export const STATE_NAME_PENDING = 3;
/** a name in lower case that is a word ("unity", "bank of america"): the same stock named otherwise, or a list, confirms it */
export const STATE_LOWER_NAME_PENDING = 5;
/** rejected for good: no confirmation can save it ("(DD)", "at Target") */
export const STATE_REJECTED = 4;

export const KIND_OF_CASHTAG = 0;
export const KIND_OF_SYMBOL = 1;
export const KIND_OF_LOWER_SYMBOL = 2;
export const KIND_OF_NAME = 3;

/** The candidates of one post, as parallel arrays reused from post to post: entries past `count` are stale. */
export interface Candidates {
  count: number;
  symbol: string[];
  /** first and last token of the mention */
  start: number[];
  end: number[];
  state: number[];
  /** the RULE_* (context.ts) or MATCH_* reason, for --explain */
  rule: number[];
  kind: number[];
}

export function createCandidates(): Candidates {
  return { count: 0, symbol: [], start: [], end: [], state: [], rule: [], kind: [] };
}

export function clearCandidates(c: Candidates): void {
  c.count = 0;
}

export function addCandidate(c: Candidates, symbol: string, start: number, end: number, state: number, rule: number, kind: number): void {
  const k = c.count++;
  c.symbol[k] = symbol;
  c.start[k] = start;
  c.end[k] = end;
  c.state[k] = state;
  c.rule[k] = rule;
  c.kind[k] = kind;
}

const CH_COMMA = 44;
const CH_SLASH = 47;
const CH_AMP = 38;

/** a list separator between token a and a later token b: "," "/" "&" or the word "and"/"or" */
function listJoined(tokens: readonly Token[], a: number, b: number): boolean {
  if (b === a + 1) {
    const p = tokens[b]!.punctBefore;
    return p === CH_COMMA || p === CH_SLASH || p === CH_AMP;
  }
  if (b === a + 2) {
    const m = tokens[a + 1]!;
    if (m.kind !== KIND_WORD) return false;
    const k = keyOf(m);
    return (k === 'and' || k === 'or' || k === 'vs' || k === 'versus') && (tokens[b]!.punctBefore === 0 || tokens[b]!.punctBefore === 46) &&
      (m.punctBefore === 0 || m.punctBefore === CH_COMMA);
  }
  return false;
}

function listedWith(c: Candidates, tokens: readonly Token[], k: number): boolean {
  const isName = c.kind[k] === KIND_OF_NAME;
  for (let o = 0; o < c.count; o++) {
    if (c.state[o] !== STATE_ACCEPTED) continue;
    // a symbol lists with tickers written as tickers or with company names ("GM and Ford", "UPS and FedEx"),
    // not with a lower-case symbol ("ON and amd" is no list of tickers)
    if (!isName && c.kind[o] !== KIND_OF_NAME && tokens[c.start[o]!]!.letterCase !== CASE_UPPER) continue;
    const joined = c.start[o]! > c.end[k]! ? listJoined(tokens, c.end[k]!, c.start[o]!) : listJoined(tokens, c.end[o]!, c.start[k]!);
    if (joined) return true;
  }
  return false;
}

/** the same stock named another way: by an accepted candidate, or by a pending one of the other kind */
function confirmedElsewhere(c: Candidates, k: number, accepted: ReadonlySet<string>): boolean {
  const s = c.symbol[k]!;
  if (accepted.has(s)) return true;
  const isName = c.state[k] !== STATE_SYMBOL_PENDING;
  for (let o = 0; o < c.count; o++) {
    if (o === k || c.symbol[o] !== s) continue;
    const other = c.state[o];
    if (isName ? other === STATE_SYMBOL_PENDING : other === STATE_NAME_PENDING || other === STATE_LOWER_NAME_PENDING) return true;
  }
  return false;
}

export function confirmPending(c: Candidates, tokens: readonly Token[]): void {
  const accepted = new Set<string>();
  for (let k = 0; k < c.count; k++) if (c.state[k] === STATE_ACCEPTED) accepted.add(c.symbol[k]!);
  let changed = true;
  while (changed) {
    changed = false;
    for (let k = 0; k < c.count; k++) {
      const state = c.state[k];
      if (state === STATE_ACCEPTED || state === STATE_REJECTED) continue;
      let rule = 0;
      if (confirmedElsewhere(c, k, accepted)) rule = RULE_CONFIRMED;
      else if (listedWith(c, tokens, k)) rule = RULE_LISTED;
      if (rule !== 0) {
        c.state[k] = STATE_ACCEPTED;
        c.rule[k] = rule;
        accepted.add(c.symbol[k]!);
        changed = true;
      }
    }
  }
  // "HP" is both a listed symbol (Helmerich & Payne) and the name people give HP Inc.: when both
  // readings of one word were confirmed, the name is the one people mean
  for (let k = 0; k < c.count; k++) {
    if (c.state[k] !== STATE_ACCEPTED || c.kind[k] !== KIND_OF_SYMBOL) continue;
    for (let o = 0; o < c.count; o++) {
      if (o !== k && c.state[o] === STATE_ACCEPTED && c.kind[o] === KIND_OF_NAME && c.start[o] === c.start[k]) {
        c.state[k] = STATE_REJECTED;
        break;
      }
    }
  }
}
