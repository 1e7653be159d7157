import { Composer, isAlias, isMap, isPair, isScalar, isSeq, Lexer, LineCounter, Parser } from 'yaml';
import type { Alias, Document, Node, Pair, YAMLMap } from 'yaml';
import { LIMITS } from './limits';
import type { PathSegment, PlanIssue } from './plan-issue';
import { formatJsonPath } from './plan-issue';
import { anchorTargets, yamlToPlain } from './yaml-to-plain';

/** A position in the source, 1-based. */
export interface SourcePosition {
  line: number;
  column: number;
}

/** The plain value of a plan file plus a way back from a JSON path to a line and column. */
export type ParsedSource =
  | {
      ok: true;
      value: unknown;
      locate: (path: readonly PathSegment[], atKey?: boolean) => SourcePosition | undefined;
    }
  | { ok: false; issues: PlanIssue[] };

const decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false });

function fail(rule: string, message: string, position?: SourcePosition): ParsedSource {
  return { ok: false, issues: [{ rule, path: '$', message, severity: 'error', ...position }] };
}

/**
 * Lexes, parses and composes in one pass (as `parseDocument` does), watching an upper bound of the
 * nesting depth on the way: indentation levels, block indicators on one line (`- - - x`) and open flow
 * brackets. The YAML composer recurses per level and can exhaust the stack (or worse) on a crafted
 * file, so a file past the bound stops before composing; the exact depth is checked on the tree later.
 */
function composeDocument(
  text: string,
  lineCounter: LineCounter,
  limit: number,
): { docs: Document.Parsed[]; tooDeepAt?: number } {
  const parser = new Parser((offset) => lineCounter.addNewLine(offset));
  // Duplicate keys are found by yamlToPlain with a map per YAML map: the library's own check compares
  // every key with every earlier one, which a map of 50,000 keys turns into minutes.
  const composer = new Composer({ prettyErrors: false, uniqueKeys: false, strict: true });
  const docs: Document.Parsed[] = [];
  const indents: number[] = [];
  let offset = 0;
  let atLineStart = true;
  let lineIndicators = 0;
  let flowDepth = 0;
  lineCounter.addNewLine(0);
  for (const token of new Lexer().lex(text)) {
    for (const cst of parser.next(token)) docs.push(...composer.next(cst));
    // Document, scalar and flow-end markers are the lexer's own; they are not in the source.
    if (token === '\x02' || token === '\x1f' || token === '\x18') continue;
    const start = offset;
    offset += token.length;
    if (token.endsWith('\n')) {
      atLineStart = true;
      lineIndicators = 0;
      continue;
    }
    if (/^[ \t]+$/.test(token)) {
      if (atLineStart && flowDepth === 0) {
        const width = token.length;
        while (indents.length > 0 && (indents[indents.length - 1] ?? 0) >= width) indents.pop();
        indents.push(width);
        atLineStart = false;
      }
      continue;
    }
    if (atLineStart && flowDepth === 0) {
      indents.length = 0;
      atLineStart = false;
    }
    // Block indicators only nest outside flow collections; inside them ':' and ',' are punctuation.
    if (flowDepth === 0 && (token === '-' || token === '?' || token === ':')) lineIndicators++;
    else if (token === '[' || token === '{') flowDepth++;
    else if (token === ']' || token === '}') flowDepth = Math.max(0, flowDepth - 1);
    if (indents.length + lineIndicators + flowDepth > limit) return { docs: [], tooDeepAt: start };
  }
  for (const cst of parser.end()) docs.push(...composer.next(cst));
  docs.push(...composer.end(true, text.length));
  return { docs };
}

function position(lineCounter: LineCounter, offset: number): SourcePosition {
  const { line, col } = lineCounter.linePos(offset);
  return { line, column: col };
}

/** Exact depth of the composed tree, stopping at the first node past the limit. */
function tooDeep(node: unknown, depth: number, limit: number): Node | undefined {
  if (depth > limit) return node as Node;
  if (isMap(node) || isSeq(node)) {
    for (const item of node.items) {
      const found = isPair(item)
        ? (tooDeep(item.key, depth + 1, limit) ?? tooDeep(item.value, depth + 1, limit))
        : tooDeep(item, depth + 1, limit);
      if (found) return found;
    }
  }
  return undefined;
}

/** A map's pairs by key, built on first use so locating many issues in one big map stays linear. */
function pairIndex(cache: WeakMap<YAMLMap, Map<string, Pair>>, map: YAMLMap): Map<string, Pair> {
  let index = cache.get(map);
  if (!index) {
    index = new Map();
    for (const pair of map.items) {
      const key = isScalar(pair.key) ? String(pair.key.value) : String(pair.key);
      if (!index.has(key)) index.set(key, pair);
    }
    cache.set(map, index);
  }
  return index;
}

/** Finds the node at a path, following aliases; falls back to the deepest node that exists. */
function locator(doc: Document, lineCounter: LineCounter, targets: Map<Alias, Node>) {
  const cache = new WeakMap<YAMLMap, Map<string, Pair>>();
  return (path: readonly PathSegment[], atKey = false): SourcePosition | undefined => {
    let node: unknown = doc.contents;
    let range: readonly number[] | undefined = (node as Node | null)?.range ?? undefined;
    for (let i = 0; i < path.length; i++) {
      if (isAlias(node)) node = targets.get(node);
      const segment = path[i];
      let next: unknown;
      if (isMap(node)) {
        const pair = pairIndex(cache, node).get(String(segment));
        if (!pair) break;
        const keyRange = (pair.key as Node | null)?.range;
        if (atKey && i === path.length - 1 && keyRange) return position(lineCounter, keyRange[0] ?? 0);
        next = pair.value;
        range = (next as Node | null)?.range ?? keyRange ?? range;
      } else if (isSeq(node) && typeof segment === 'number') {
        next = node.items[segment];
        range = (next as Node | null)?.range ?? range;
      } else break;
      if (next === undefined || next === null) break;
      node = next;
    }
    return range ? position(lineCounter, range[0] ?? 0) : undefined;
  };
}

/**
 * Turns plan file bytes or text into a plain value: size, encoding, YAML syntax, duplicate keys,
 * alias bombs and nesting depth are checked here. JSON is YAML, so JSON files work unchanged.
 */
export function parseSource(source: string | Uint8Array): ParsedSource {
  let text: string;
  if (typeof source === 'string') {
    if (source.length > LIMITS.maxSourceBytes) return fail('limits/file-size', tooBig(source.length));
    text = source;
  } else {
    if (source.byteLength > LIMITS.maxSourceBytes) return fail('limits/file-size', tooBig(source.byteLength));
    try {
      text = decoder.decode(source);
    } catch {
      return fail('source/encoding', 'the file is not valid UTF-8; save it as UTF-8');
    }
  }
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  if (new TextEncoder().encode(text).byteLength > LIMITS.maxSourceBytes) {
    return fail('limits/file-size', tooBig(new TextEncoder().encode(text).byteLength));
  }
  const lineCounter = new LineCounter();
  const { docs, tooDeepAt } = composeDocument(text, lineCounter, LIMITS.maxDepth * 2);
  if (tooDeepAt !== undefined) {
    return fail(
      'limits/depth',
      `nesting is deeper than ${LIMITS.maxDepth} levels`,
      position(lineCounter, tooDeepAt),
    );
  }
  const [doc, second] = docs;
  if (!doc) return fail('source/not-a-map', 'the file is empty; a plan file is a YAML or JSON map');
  if (second) {
    const at = second.range[0];
    return fail(
      'source/yaml',
      'the file holds more than one YAML document (---); a plan file holds one',
      position(lineCounter, at),
    );
  }
  if (doc.errors.length > 0) {
    const issues = doc.errors.slice(0, 20).map((error): PlanIssue => {
      const at = position(lineCounter, error.pos[0]);
      const duplicate = error.code === 'DUPLICATE_KEY';
      const message = duplicate ? 'a key appears twice in the same map' : error.message.split('\n')[0];
      return {
        rule: duplicate ? 'source/duplicate-key' : 'source/yaml',
        path: '$',
        message: message ?? 'invalid YAML',
        severity: 'error',
        ...at,
      };
    });
    return { ok: false, issues };
  }
  const deepNode = tooDeep(doc.contents, 1, LIMITS.maxDepth);
  if (deepNode) {
    const at = deepNode.range ? position(lineCounter, deepNode.range[0] ?? 0) : undefined;
    return fail('limits/depth', `nesting is deeper than ${LIMITS.maxDepth} levels`, at);
  }
  const targets = anchorTargets(doc);
  const plain = yamlToPlain(doc, targets);
  if (!plain.ok) {
    const issues = plain.issues.map((issue): PlanIssue => ({
      rule: issue.rule,
      path: formatJsonPath(issue.path),
      message: issue.message,
      severity: 'error',
      ...(issue.offset !== undefined ? position(lineCounter, issue.offset) : {}),
    }));
    return { ok: false, issues };
  }
  const value = plain.value;
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    return fail(
      'source/not-a-map',
      'a plan file must be a YAML or JSON map with apiVersion, kind, metadata, …',
    );
  }
  return {
    ok: true,
    value,
    locate: locator(doc, lineCounter, targets),
  };
}

function tooBig(bytes: number): string {
  return `the file is ${(bytes / 1024 / 1024).toFixed(1)} MiB; plan files may be at most ${LIMITS.maxSourceBytes / 1024 / 1024} MiB`;
}

export { formatJsonPath };
