/**
 * Conditions and updates as data. Entities and concepts describe what must hold and what changes;
 * only this module turns that into DynamoDB's expression strings, names and placeholders, so no
 * caller ever writes one (and none can get a placeholder or a reserved word wrong).
 */

/** A reference to another attribute, to compare two attributes of one item (`seatsUsed.m < seatLimits.m`). */
export class AttributeRef {
  constructor(readonly path: string) {}
}

export const attribute = (path: string): AttributeRef => new AttributeRef(path);

type Operand = string | number | boolean | AttributeRef;

/**
 * What must hold of the item for a write to happen. `path` is an attribute name, with dots for a
 * key inside a map (`seatsUsed.remote_support`).
 */
export type Condition =
  /** The item exists (true) or does not (false). */
  | { itemExists: boolean }
  | { path: string; exists: boolean }
  | { path: string; eq: Operand }
  | { path: string; ne: Operand }
  | { path: string; lt: Operand }
  | { path: string; le: Operand }
  | { path: string; gt: Operand }
  | { path: string; ge: Operand }
  /** A string set or list holds the value. */
  | { path: string; contains: string }
  | { path: string; sizeGt: number }
  | { and: Condition[] }
  | { or: Condition[] }
  | { not: Condition };

/** What an update changes. Undefined values in `set` are removed, as a document would drop them. */
export interface Changes {
  set?: Record<string, unknown>;
  /** Set only where the attribute is missing (`if_not_exists`). */
  setIfMissing?: Record<string, unknown>;
  /** Numbers added to (a missing number counts as 0), or members added to a string set. */
  add?: Record<string, number | Set<string>>;
  /** Numbers added to existing numbers, also inside maps (`seatsUsed.remote_support`), where ADD cannot reach. */
  increment?: Record<string, number>;
  /** Members taken out of a string set. */
  delete?: Record<string, Set<string>>;
  remove?: string[];
  /** Values appended to a list (a missing list counts as empty). */
  append?: Record<string, unknown[]>;
}

export interface Expression {
  expression: string;
  names: Record<string, string>;
  values: Record<string, unknown>;
}

const comparators = { eq: '=', ne: '<>', lt: '<', le: '<=', gt: '>', ge: '>=' } as const;

/** Builds one command's expressions; names and values are shared across them. */
export class ExpressionBuilder {
  readonly names: Record<string, string> = {};
  readonly values: Record<string, unknown> = {};
  private readonly nameIds = new Map<string, string>();
  private valueCount = 0;

  constructor(private readonly itemKey: string) {}

  name(path: string): string {
    return path
      .split('.')
      .map((part) => {
        let id = this.nameIds.get(part);
        if (!id) {
          id = `#n${this.nameIds.size}`;
          this.nameIds.set(part, id);
          this.names[id] = part;
        }
        return id;
      })
      .join('.');
  }

  value(value: unknown): string {
    const id = `:v${this.valueCount++}`;
    this.values[id] = value;
    return id;
  }

  private operand(operand: Operand): string {
    return operand instanceof AttributeRef ? this.name(operand.path) : this.value(operand);
  }

  condition(c: Condition): string {
    if ('itemExists' in c) return `${c.itemExists ? 'attribute_exists' : 'attribute_not_exists'}(${this.name(this.itemKey)})`;
    if ('and' in c) return `(${c.and.map((x) => this.condition(x)).join(' AND ')})`;
    if ('or' in c) return `(${c.or.map((x) => this.condition(x)).join(' OR ')})`;
    if ('not' in c) return `(NOT ${this.condition(c.not)})`;
    if ('exists' in c) return `${c.exists ? 'attribute_exists' : 'attribute_not_exists'}(${this.name(c.path)})`;
    if ('contains' in c) return `contains(${this.name(c.path)}, ${this.value(c.contains)})`;
    if ('sizeGt' in c) return `size(${this.name(c.path)}) > ${this.value(c.sizeGt)}`;
    const [op, operand] = Object.entries(c).find(([key]) => key !== 'path') as [keyof typeof comparators, Operand];
    return `${this.name(c.path)} ${comparators[op]} ${this.operand(operand)}`;
  }

  update(changes: Changes): string {
    const sets: string[] = [];
    const removes: string[] = [...(changes.remove ?? []).map((p) => this.name(p))];
    for (const [path, value] of Object.entries(changes.set ?? {})) {
      if (value === undefined) removes.push(this.name(path));
      else sets.push(`${this.name(path)} = ${this.value(value)}`);
    }
    for (const [path, value] of Object.entries(changes.setIfMissing ?? {})) {
      const name = this.name(path);
      sets.push(`${name} = if_not_exists(${name}, ${this.value(value)})`);
    }
    for (const [path, value] of Object.entries(changes.increment ?? {})) {
      const name = this.name(path);
      sets.push(`${name} = ${name} + ${this.value(value)}`);
    }
    for (const [path, value] of Object.entries(changes.append ?? {})) {
      const name = this.name(path);
      sets.push(`${name} = list_append(if_not_exists(${name}, ${this.value([])}), ${this.value(value)})`);
    }
    const adds = Object.entries(changes.add ?? {}).map(([path, value]) => `${this.name(path)} ${this.value(value)}`);
    const deletes = Object.entries(changes.delete ?? {}).map(([path, value]) => `${this.name(path)} ${this.value(value)}`);
    const clauses = [
      sets.length && `SET ${sets.join(', ')}`,
      removes.length && `REMOVE ${removes.join(', ')}`,
      adds.length && `ADD ${adds.join(', ')}`,
      deletes.length && `DELETE ${deletes.join(', ')}`,
    ].filter(Boolean);
    if (clauses.length === 0) throw new Error('An update changes nothing');
    return clauses.join(' ');
  }

  /** Names and values for a command, omitted when empty (DynamoDB refuses empty maps). */
  attributes(): { ExpressionAttributeNames?: Record<string, string>; ExpressionAttributeValues?: Record<string, unknown> } {
    return {
      ...(Object.keys(this.names).length > 0 && { ExpressionAttributeNames: this.names }),
      ...(Object.keys(this.values).length > 0 && { ExpressionAttributeValues: this.values }),
    };
  }
}

/** All of several conditions (undefined ones are left out); undefined when none is left. */
export function allOf(...conditions: (Condition | undefined)[]): Condition | undefined {
  const present = conditions.filter((c): c is Condition => c !== undefined);
  if (present.length <= 1) return present[0];
  return { and: present };
}
