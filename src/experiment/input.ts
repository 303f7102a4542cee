// The first gate for what a user writes: bytes to text, text to a plain value, with
// fixed limits so that no input can hang, exhaust memory or overflow the stack, and
// no key can reach Object.prototype. Every refusal is a SpecError naming the file,
// the place and the limit.
//
// Limits (README "Limits of a spec"):
// - a spec file is at most MAX_SPEC_BYTES (2 MiB), checked before it is read, and
//   holds at most MAX_VALUES (25,000) values (lines and flow entries, counted by a
//   linear scan before parsing): the YAML parser costs 5 to 20 microseconds a value,
//   so this bounds parsing to under half a second; a big state table belongs in a CSV
//   file (tables.ts reads those linearly, to 256 MiB);
// - it is UTF-8 text: no NUL byte, no UTF-16 byte-order mark, no invalid byte;
// - mappings and lists nest at most MAX_DEPTH (64) levels;
// - a field name is a plain scalar, unique in its mapping, and never __proto__,
//   constructor or prototype (in a spec, a --set path or a state table's header);
// - YAML aliases expand at most MAX_ALIASES (100) times, and the spec with every alias
//   written out is at most MAX_EXPANDED (4 million) characters and values (twice the
//   file limit: an alias may repeat, not multiply, what the file holds).
import YAML, { type Document, isAlias, isMap, isPair, isScalar, isSeq } from 'yaml';
import { SpecError, type SpecProblem, quote, truncate } from './errors.ts';

// TextDecoder, not node:buffer's isUtf8, so that this module also runs in a browser (the demo validates specs with it)
const STRICT_UTF8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
function isUtf8(bytes: Uint8Array): boolean {
  try {
    STRICT_UTF8.decode(bytes);
    return true;
  } catch {
    return false;
  }
}

export const MAX_SPEC_BYTES = 2 * 1024 * 1024;
export const MAX_DEPTH = 64;
export const MAX_ALIASES = 100;
export const MAX_EXPANDED = 4_000_000;
export const MAX_VALUES = 25_000;
/** Field names that would reach Object.prototype or a constructor when assigned. */
export const FORBIDDEN_KEYS: ReadonlySet<string> = new Set(['__proto__', 'constructor', 'prototype']);

const FORBIDDEN_ALLOWED = 'any field name but __proto__, constructor and prototype (they would change every object in the program)';
const TEXT_ALLOWED = 'a YAML or JSON text file in UTF-8';
const YAML_ALLOWED = 'a YAML or JSON mapping of spec fields';
/** The cheap scan before parsing refuses far deeper text than MAX_DEPTH, to keep the YAML parser's recursion safe; the exact check follows. */
const SCAN_DEPTH = 200;
/** Parts of a value at least this big are measured once however often they are shared. */
const MEMO_SIZE = 1024;

function refuse(file: string, problem: SpecProblem): never {
  throw new SpecError(file, [problem]);
}

/** Where a byte offset lies: "byte offset 12 (line 2, column 3)". */
export function byteWhere(bytes: Uint8Array, offset: number): string {
  let line = 1;
  let start = 0;
  for (let i = 0; i < offset; i++) {
    if (bytes[i] === 0x0a) {
      line++;
      start = i + 1;
    }
  }
  return `byte offset ${offset} (line ${line}, column ${offset - start + 1})`;
}

/** The offset of the first byte that is not part of valid UTF-8, or -1. */
export function firstInvalidUtf8(b: Uint8Array, from = 0, to = b.length): number {
  let i = from;
  while (i < to) {
    const c = b[i];
    if (c < 0x80) {
      i++;
      continue;
    }
    let n: number;
    let min: number;
    let cp: number;
    if (c >= 0xc2 && c <= 0xdf) [n, min, cp] = [1, 0x80, c & 0x1f];
    else if (c >= 0xe0 && c <= 0xef) [n, min, cp] = [2, 0x800, c & 0x0f];
    else if (c >= 0xf0 && c <= 0xf4) [n, min, cp] = [3, 0x10000, c & 0x07];
    else return i;
    for (let k = 1; k <= n; k++) {
      const d = i + k < to ? b[i + k] : -1;
      if (d < 0 || (d & 0xc0) !== 0x80) return i;
      cp = (cp << 6) | (d & 0x3f);
    }
    if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return i;
    i += n + 1;
  }
  return -1;
}

/** Why these bytes are not UTF-8 text (a UTF-16 byte-order mark, a NUL byte, an invalid byte), or undefined if they are. */
export function notUtf8Text(bytes: Uint8Array): string | undefined {
  if (bytes.length >= 2 && ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff))) {
    return `it starts with a UTF-16 byte-order mark (0x${hex(bytes[0])} 0x${hex(bytes[1])}): save it as UTF-8`;
  }
  const nul = bytes.indexOf(0);
  if (nul >= 0) return `a NUL byte at ${byteWhere(bytes, nul)} (a binary or UTF-16 file?)`;
  if (isUtf8(bytes)) return undefined;
  const bad = firstInvalidUtf8(bytes);
  return `byte 0x${hex(bytes[bad])} at ${byteWhere(bytes, bad)} is not valid UTF-8`;
}

function hex(b: number): string {
  return b.toString(16).padStart(2, '0');
}

/** Refuses a spec file over MAX_SPEC_BYTES (called with its size before it is read). */
export function checkSpecSize(file: string, bytes: number): void {
  if (bytes > MAX_SPEC_BYTES) {
    refuse(file, { field: '', message: `is ${bytes} bytes`, allowed: `a spec file of at most ${MAX_SPEC_BYTES} bytes (2 MiB); a large state table goes in a CSV file named by params.states.table` });
  }
}

/** The text of a spec file's bytes; a file that is not UTF-8 text is refused, naming the first bad byte (never echoed whole). */
export function specText(file: string, bytes: Uint8Array): string {
  checkSpecSize(file, bytes.length);
  const why = notUtf8Text(bytes);
  if (why) refuse(file, { field: '', message: `is not a UTF-8 text file: ${why}`, allowed: TEXT_ALLOWED });
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8');
}

/**
 * Parses YAML (JSON is YAML too) into a plain value, within the limits above. A
 * syntax error names the line and column.
 */
export function parseYaml(file: string, text: string, what = 'the file'): unknown {
  const label = (m: string): SpecProblem => ({ field: '', message: what === 'the file' ? m : `${what}: ${m}`, allowed: YAML_ALLOWED });
  if (text.length > MAX_SPEC_BYTES) refuse(file, { ...label(`is ${text.length} characters`), allowed: `at most ${MAX_SPEC_BYTES} characters (2 MiB)` });
  const nul = text.indexOf('\0');
  if (nul >= 0) refuse(file, { ...label(`is not text: a NUL character at character ${nul}`), allowed: TEXT_ALLOWED });
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  const scan = scanNesting(text, SCAN_DEPTH, MAX_VALUES);
  if (scan.deepAt) refuse(file, { ...label(`nests deeper than ${MAX_DEPTH} levels (at line ${scan.deepAt})`), allowed: `mappings and lists nested at most ${MAX_DEPTH} levels deep` });
  if (scan.values > MAX_VALUES) {
    refuse(file, { ...label(`has more than ${MAX_VALUES} values (lines and list entries)`), allowed: `at most ${MAX_VALUES} values in a spec; a big population belongs in a state table (CSV) named by params.states.table` });
  }

  const doc = YAML.parseDocument(text, { prettyErrors: true, uniqueKeys: false, logLevel: 'error' });
  if (doc.errors.length > 0) {
    const err = doc.errors[0];
    const pos = err.linePos?.[0];
    const at = pos ? ` at line ${pos.line}, column ${pos.col}` : '';
    const why = /call stack/i.test(err.message) ? `nests deeper than ${MAX_DEPTH} levels` : truncate(err.message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, ''), 200);
    refuse(file, label(`malformed YAML${at}: ${why}`));
  }
  checkDocument(file, doc, text);
  let value: unknown;
  try {
    value = doc.toJS({ maxAliasCount: MAX_ALIASES });
  } catch (e) {
    const m = (e as Error).message;
    if (/alias/i.test(m)) refuse(file, { ...label(`expands its aliases too often (${truncate(m.split('\n')[0], 120)})`), allowed: `at most ${MAX_ALIASES} alias expansions (*name)` });
    refuse(file, label(`malformed YAML: ${truncate(m.split('\n')[0], 200)}`));
  }
  inspectValue(file, value, { what });
  return value;
}

/**
 * The checks a parsed value cannot show any more: keys that are plain scalars, unique in
 * their mapping (a linear check: yaml's own uniqueKeys is quadratic), none forbidden, and
 * nesting at most MAX_DEPTH deep. Walks the document with an explicit stack.
 */
function checkDocument(file: string, doc: Document, text: string): void {
  type Frame = { node: unknown; depth: number; path: string[] };
  const stack: Frame[] = [{ node: doc.contents, depth: 0, path: [] }];
  while (stack.length > 0) {
    const { node, depth, path } = stack.pop()!;
    if (isMap(node) || isSeq(node)) {
      if (depth >= MAX_DEPTH) refuse(file, { field: fieldOf(path), message: `nests deeper than ${MAX_DEPTH} levels`, allowed: `mappings and lists nested at most ${MAX_DEPTH} levels deep` });
    }
    if (isMap(node)) {
      const seen = new Set<string>();
      for (const item of node.items) {
        if (!isPair(item)) continue;
        const key = item.key;
        if (!isScalar(key) && key !== null) {
          const line = lineOf(text, key);
          refuse(file, { field: fieldOf(path), message: `has a ${isAlias(key) ? 'alias' : isMap(key) ? 'mapping' : 'list'} as a field name${line}`, allowed: 'field names that are plain words' });
        }
        if (key !== null && key.value !== null && typeof key.value === 'object') {
          refuse(file, { field: fieldOf(path), message: `has a tagged value (${truncate(String(key.tag), 40)}) as a field name${lineOf(text, key)}`, allowed: 'field names that are plain words' });
        }
        const name = key === null || key.value === null ? '' : String(key.value);
        const at = [...path, name];
        if (FORBIDDEN_KEYS.has(name)) refuse(file, { field: fieldOf(at), message: `field name ${quote(name)} is not allowed${lineOf(text, key)}`, allowed: FORBIDDEN_ALLOWED });
        if (seen.has(name)) refuse(file, { field: fieldOf(at), message: `appears twice in one mapping${lineOf(text, key)}`, allowed: 'each field once per mapping' });
        seen.add(name);
        stack.push({ node: item.value, depth: depth + 1, path: at });
      }
    } else if (isSeq(node)) {
      node.items.forEach((item, i) => stack.push({ node: item, depth: depth + 1, path: [...path, String(i)] }));
    }
  }
}

/** " (line 3)" for a node of the parsed text. */
function lineOf(text: string, node: unknown): string {
  const start = (node as { range?: [number, number, number] } | null)?.range?.[0];
  if (start === undefined) return '';
  let line = 1;
  for (let i = text.indexOf('\n'); i >= 0 && i < start; i = text.indexOf('\n', i + 1)) line++;
  return ` (line ${line})`;
}

/** A dotted field path for messages (each part cut short). */
export function fieldOf(path: readonly PropertyKey[]): string {
  return path.map((k) => truncate(String(k), 64)).join('.');
}

/**
 * A cheap look at the text before the YAML parser sees it: an upper estimate of how
 * deep it nests (indentation levels, block indicators "- " and "? " at a line's start,
 * flow brackets outside quotes and comments; it may overestimate a little, never by
 * much for real specs) and a count of its values (lines with content, and entries of
 * flow lists and mappings). Stops at the first line where the depth passes `limit`
 * (`deepAt`, else 0) or the count passes `maxValues`.
 */
export function scanNesting(text: string, limit: number, maxValues = Infinity): { deepAt: number; values: number } {
  const n = text.length;
  let values = 0;
  const indents: number[] = [];
  let flow = 0;
  let line = 1;
  let i = 0;
  let quoteChar = 0; // 34 " or 39 ' while inside a quoted scalar
  let blockScalar = -1; // indentation of the line that opened a | or > block scalar
  while (i < n) {
    // the start of a line
    let ind = 0;
    while (i + ind < n && text.charCodeAt(i + ind) === 32) ind++;
    const first = text.charCodeAt(i + ind);
    const blank = i + ind >= n || first === 10 || first === 13;
    if (blockScalar >= 0) {
      if (blank || ind > blockScalar) {
        i = skipLine(text, i);
        line++;
        continue;
      }
      blockScalar = -1;
    }
    let j = i + ind;
    let depth: number;
    if (quoteChar === 0 && flow === 0 && !blank && first !== 35) {
      while (indents.length > 0 && indents[indents.length - 1] >= ind) indents.pop();
      indents.push(ind);
      depth = indents.length;
      // "- - a", "? x": each indicator opens a level
      while (j + 1 < n && (text.charCodeAt(j) === 45 || text.charCodeAt(j) === 63) && (text.charCodeAt(j + 1) === 32 || text.charCodeAt(j + 1) === 10)) {
        depth++;
        j += text.charCodeAt(j + 1) === 10 ? 1 : 2;
        while (j < n && text.charCodeAt(j) === 32) j++;
      }
    } else {
      depth = indents.length;
    }
    if (depth + flow > limit) return { deepAt: line, values };
    if (!blank && first !== 35 && quoteChar === 0 && ++values > maxValues) return { deepAt: 0, values };
    let prev = 0; // last non-space character on this line (0: none yet)
    let lastContent = 0;
    for (; j < n; j++) {
      const c = text.charCodeAt(j);
      if (c === 10) break;
      if (quoteChar !== 0) {
        if (c === quoteChar) {
          if (quoteChar === 39 && text.charCodeAt(j + 1) === 39) j++;
          else quoteChar = 0;
        } else if (c === 92 && quoteChar === 34) j++;
        prev = 1;
        lastContent = c;
        continue;
      }
      if (c === 35 && (prev === 0 || text.charCodeAt(j - 1) === 32 || text.charCodeAt(j - 1) === 9)) {
        while (j < n && text.charCodeAt(j) !== 10) j++;
        break;
      }
      const opensHere = prev === 0 || prev === 58 || prev === 45 || prev === 63 || prev === 44 || prev === 91 || prev === 123;
      if ((c === 91 || c === 123) && (flow > 0 || opensHere)) {
        flow++;
        if (depth + flow > limit) return { deepAt: line, values };
      } else if ((c === 93 || c === 125) && flow > 0) flow--;
      else if (c === 44 && flow > 0 && ++values > maxValues) return { deepAt: 0, values };
      else if ((c === 34 || c === 39) && opensHere) quoteChar = c;
      if (c !== 32 && c !== 9 && c !== 13) {
        prev = c;
        lastContent = c;
      }
    }
    if (quoteChar === 0 && flow === 0 && (lastContent === 124 || lastContent === 62 || /[|>][+-]?\d?[+-]?\s*(#.*)?$/.test(text.slice(Math.max(i, j - 8), j)))) blockScalar = ind;
    i = j + 1;
    line++;
  }
  return { deepAt: 0, values };
}

function skipLine(text: string, i: number): number {
  const nl = text.indexOf('\n', i);
  return nl < 0 ? text.length : nl + 1;
}

/**
 * Checks a spec value built in memory (parsed, or an object given to the API): only
 * null, booleans, numbers, strings, lists and plain mappings; no forbidden key; no
 * cycle; nesting at most MAX_DEPTH; and, written out, at most MAX_EXPANDED characters
 * and values (shared parts, as YAML aliases give, counted each time they are used).
 * An explicit stack, no recursion; shared parts are measured once.
 */
export function inspectValue(file: string, root: unknown, opts: { what?: string; maxExpanded?: number } = {}): void {
  const maxExpanded = opts.maxExpanded ?? MAX_EXPANDED;
  const size = new Map<object, number>();
  const height = new Map<object, number>();
  const onPath = new Set<object>();
  type Frame = { value: object; keys: string[]; next: number; size: number; height: number; key: string };
  const frames: Frame[] = [];
  const path = (): string[] => frames.slice(1).map((f) => f.key);
  const bad = (field: string[], message: string, allowed: string): never => refuse(file, { field: fieldOf(field), message, allowed });
  const KINDS = 'null, a boolean, a number, a string, a list or a mapping';

  const leaf = (v: unknown, at: () => string[]): number => {
    if (v === null || v === undefined || typeof v === 'boolean' || typeof v === 'number') return 1;
    if (typeof v === 'string') return 1 + v.length;
    return bad(at(), `got ${typeof v === 'function' ? 'a function' : typeof v === 'symbol' ? 'a symbol' : typeof v === 'bigint' ? 'a bigint' : 'an unknown value'}`, KINDS);
  };
  const open = (v: object, key: string): Frame | number => {
    const known = size.get(v);
    if (known !== undefined) return known;
    if (onPath.has(v)) return bad([...path(), key], 'refers to itself (a cycle)', 'a tree of values: a list or mapping may not contain itself');
    const proto = Object.getPrototypeOf(v) as unknown;
    const isArray = Array.isArray(v);
    if (!isArray && proto !== Object.prototype && proto !== null) {
      const name = (proto as { constructor?: { name?: string } }).constructor?.name || 'object';
      return bad([...path(), key], `got a ${truncate(name, 40)}`, KINDS);
    }
    let keys: string[];
    try {
      keys = isArray ? [] : Object.keys(v);
    } catch {
      return bad([...path(), key], 'cannot be read', KINDS);
    }
    return { value: v, keys, next: 0, size: 1, height: 1, key };
  };

  const top = root !== null && typeof root === 'object' ? open(root, '') : leaf(root, () => []);
  if (typeof top === 'number') return;
  frames.push(top);
  onPath.add(top.value);
  while (frames.length > 0) {
    const f = frames[frames.length - 1];
    const isArray = Array.isArray(f.value);
    const count = isArray ? (f.value as unknown[]).length : f.keys.length;
    if (f.next >= count) {
      frames.pop();
      onPath.delete(f.value);
      // only big parts are remembered: small shared ones cost little to walk again, and a
      // table of millions of small rows then needs no map of millions of entries
      if (f.size >= MEMO_SIZE) {
        size.set(f.value, f.size);
        height.set(f.value, f.height);
      }
      const parent = frames[frames.length - 1];
      if (parent) {
        parent.size += f.size;
        parent.height = Math.max(parent.height, f.height + 1);
        checkTotals(parent);
      }
      continue;
    }
    const k = isArray ? String(f.next) : f.keys[f.next];
    f.next++;
    if (!isArray && FORBIDDEN_KEYS.has(k)) bad([...path(), k], `field name ${quote(k)} is not allowed`, FORBIDDEN_ALLOWED);
    let v: unknown;
    try {
      v = (f.value as Record<string, unknown>)[k];
    } catch {
      return bad([...path(), k], 'cannot be read', KINDS);
    }
    if (v !== null && typeof v === 'object') {
      if (frames.length >= MAX_DEPTH) bad([...path(), k], `nests deeper than ${MAX_DEPTH} levels`, `mappings and lists nested at most ${MAX_DEPTH} levels deep`);
      const child = open(v, k);
      if (typeof child === 'number') {
        f.size += child;
        f.height = Math.max(f.height, (height.get(v) ?? 1) + 1);
        if (frames.length + (height.get(v) ?? 1) > MAX_DEPTH + 1) bad([...path(), k], `nests deeper than ${MAX_DEPTH} levels`, `mappings and lists nested at most ${MAX_DEPTH} levels deep`);
      } else {
        frames.push(child);
        onPath.add(v);
      }
    } else {
      f.size += leaf(v, () => [...path(), k]);
    }
    checkTotals(f);
  }

  function checkTotals(f: Frame): void {
    if (f.size <= maxExpanded) return;
    refuse(file, {
      field: '',
      message: `${opts.what && opts.what !== 'the file' ? `${opts.what}: ` : ''}is more than ${maxExpanded} characters and values with its aliases written out`,
      allowed: `at most ${maxExpanded} (use fewer or smaller YAML aliases)`,
    });
  }
}
