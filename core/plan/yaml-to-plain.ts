import { isAlias, isMap, isPair, isScalar, isSeq, visit } from 'yaml';
import type { Alias, Document, Node } from 'yaml';
import { LIMITS } from './limits';
import type { PathSegment } from './plan-issue';

// Turns a composed YAML document into plain JSON-like values. The yaml library's own toJS() would
// read unknown tags as strings, turn `!!binary` into a Buffer, drop `__proto__` keys and look up each
// alias by walking the whole document; this converter refuses the first three with a rule and a path,
// and resolves aliases through one index built in a single pass.

/** A problem found while converting, with the source offset of the node it is about. */
export interface PlainIssue {
  rule: string;
  path: PathSegment[];
  message: string;
  offset?: number;
}

export type PlainResult = { ok: true; value: unknown } | { ok: false; issues: PlainIssue[] };

/** Tags of the YAML 1.2 core schema; `!` is the non-specific tag (a plain string). */
const CORE_TAGS = new Set(
  ['str', 'int', 'float', 'bool', 'null', 'map', 'seq'].map((t) => `tag:yaml.org,2002:${t}`).concat('!'),
);

/**
 * NUL and other control characters (tab and line breaks aside) and lone UTF-16 surrogates: they cannot
 * be stored, logged or compared reliably anywhere, so no string in a plan may hold them.
 */
const INVALID_CHARACTER =
  // eslint-disable-next-line no-control-regex -- matching control characters is the point
  /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** Each alias's target: the last node before it with that anchor (YAML lets anchors be redefined). */
export function anchorTargets(doc: Document): Map<Alias, Node> {
  const current = new Map<string, Node>();
  const targets = new Map<Alias, Node>();
  visit(doc, {
    Node: (_key, node) => {
      if (isAlias(node)) {
        const target = current.get(node.source);
        if (target) targets.set(node, target);
      } else if (node.anchor) current.set(node.anchor, node);
    },
  });
  return targets;
}

/** Stops the conversion once the alias budget is spent: the rest of the tree is not worth reading. */
class AliasBudgetSpent extends Error {}

function describeChar(text: string): string {
  const match = INVALID_CHARACTER.exec(text);
  const code = match?.[0].charCodeAt(0) ?? 0;
  const name = code === 0 ? 'NUL' : code >= 0xd800 ? 'a lone surrogate' : 'a control character';
  return `${name} (U+${code.toString(16).toUpperCase().padStart(4, '0')})`;
}

/** Converts `doc` to plain values, or returns every problem found on the way. */
export function yamlToPlain(doc: Document, targets: Map<Alias, Node>): PlainResult {
  const issues: PlainIssue[] = [];
  const path: PathSegment[] = [];
  const converting = new Set<Node>();
  let expansions = 0;
  let copied = 0;
  let aliasDepth = 0;

  const issue = (rule: string, message: string, node: unknown, at: PathSegment[] = path) => {
    const offset = (node as Node | null)?.range?.[0];
    issues.push({ rule, path: [...at], message, ...(offset !== undefined ? { offset } : {}) });
  };

  const checkTag = (node: Node): boolean => {
    const tag = node.tag;
    if (tag === undefined || CORE_TAGS.has(tag)) return true;
    const shown = tag.replace(/^tag:yaml\.org,2002:/, '!!');
    issue(
      'source/unsupported-tag',
      `the YAML tag ${shown} is not supported; plans hold plain strings, numbers, booleans, lists and maps`,
      node,
    );
    return false;
  };

  const text = (value: string, node: unknown, what: string): string => {
    if (INVALID_CHARACTER.test(value))
      issue('source/invalid-character', `${what} contains ${describeChar(value)}; remove it`, node);
    return value;
  };

  const keyOf = (key: unknown): string | undefined => {
    if (isScalar(key)) {
      if (!checkTag(key)) return undefined;
      const value: unknown = key.value;
      return value === null ? '' : typeof value === 'string' ? value : JSON.stringify(value);
    }
    if (key === null || key === undefined) return '';
    issue('source/yaml', 'a map key must be a plain value, not a list, map or alias', key);
    return undefined;
  };

  const convert = (node: unknown): unknown => {
    if (aliasDepth > 0 && ++copied > LIMITS.maxAliasValues) throw new AliasBudgetSpent();
    if (isAlias(node)) return expand(node);
    if (isScalar(node)) {
      if (!checkTag(node)) return null;
      return typeof node.value === 'string' ? text(node.value, node, 'a text') : node.value;
    }
    if (isSeq(node)) {
      if (!checkTag(node)) return null;
      return node.items.map((item, i) => {
        path.push(i);
        const value = convert(item);
        path.pop();
        return value;
      });
    }
    if (isMap(node)) {
      if (!checkTag(node)) return null;
      return convertMap(node.items, node);
    }
    return node === null || node === undefined ? null : undefined;
  };

  const convertMap = (pairs: unknown[], node: Node): Record<string, unknown> => {
    const out: Record<string, unknown> = {};
    const merges: unknown[] = [];
    let seenProto = false;
    for (const pair of pairs) {
      if (!isPair(pair)) continue;
      // `<<` written plainly is a merge key; quoted ("<<") it is an ordinary key.
      if (isScalar(pair.key) && pair.key.value === '<<' && pair.key.type === 'PLAIN' && !pair.key.tag) {
        merges.push(pair.value);
        continue;
      }
      const key = keyOf(pair.key);
      if (key === undefined) continue;
      path.push(key);
      text(key, pair.key, 'a key');
      if (Object.hasOwn(out, key) || (key === '__proto__' && seenProto)) {
        issue('source/duplicate-key', `the key "${key}" appears twice in the same map`, pair.key);
      } else if (key === '__proto__') {
        seenProto = true;
        issue(
          'source/reserved-key',
          'the key "__proto__" is not allowed (JavaScript would drop it silently)',
          pair.key,
        );
      } else out[key] = convert(pair.value);
      path.pop();
    }
    // Explicit keys win over merged ones; of several merged maps, the first that has a key wins.
    for (const source of merges.flatMap((m) => (isSeq(m) ? m.items : [m]))) {
      const merged = convert(source);
      if (merged === null || typeof merged !== 'object' || Array.isArray(merged)) {
        issue('source/yaml', 'a merge key (<<) takes a map or a list of maps', source ?? node);
        continue;
      }
      for (const [key, value] of Object.entries(merged)) if (!Object.hasOwn(out, key)) out[key] = value;
    }
    return out;
  };

  const expand = (alias: Alias): unknown => {
    const target = targets.get(alias);
    if (!target) {
      issue('source/yaml', `the alias *${alias.source} has no anchor &${alias.source} before it`, alias);
      return null;
    }
    if (converting.has(target)) {
      issue('source/yaml', `the alias *${alias.source} refers to a value that contains it`, alias);
      return null;
    }
    if (++expansions > LIMITS.maxAliasCount) throw new AliasBudgetSpent();
    converting.add(target);
    aliasDepth++;
    try {
      return convert(target);
    } finally {
      aliasDepth--;
      converting.delete(target);
    }
  };

  try {
    const value = convert(doc.contents);
    return issues.length > 0 ? { ok: false, issues } : { ok: true, value };
  } catch (error) {
    if (!(error instanceof AliasBudgetSpent)) throw error;
    return {
      ok: false,
      issues: [
        {
          rule: 'limits/aliases',
          path: [],
          message: `YAML aliases expand too much (more than ${LIMITS.maxAliasCount} expansions or ${LIMITS.maxAliasValues.toLocaleString('en-US')} copied values); write the values out or use fewer aliases`,
        },
      ],
    };
  }
}
