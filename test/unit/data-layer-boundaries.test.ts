import { readFile, readdir } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { renderTableDesign, tableDesignFile } from '../../docs/tools/table-design.js';

const root = fileURLToPath(new URL('../..', import.meta.url));

async function sourceFiles(dir: string): Promise<string[]> {
  const found: string[] = [];
  for (const entry of await readdir(join(root, dir), { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) found.push(...(await sourceFiles(path)));
    else if (entry.name.endsWith('.ts')) found.push(path);
  }
  return found;
}

/** Where DynamoDB's own vocabulary may appear: the data layer and the entity declarations. */
const isDataLayer = (file: string) => file.startsWith(join('shared', 'db')) || /(^|\/)entit(y|ies)\.ts$/.test(file);

const plumbing = [
  /TableName/,
  /(Update|Condition|KeyCondition|Filter)Expression/,
  /ExpressionAttribute(Names|Values)/,
  /\bgsi\d(pk|sk)?\b/,
  /\b(Get|Put|Update|Delete|Query|Scan|TransactWrite|BatchGet|BatchWrite)Command\b/,
  /['"`]A#/,
];

describe('DynamoDB is spoken only by the data layer', () => {
  it('has no table name, expression string, physical index name, command or key literal outside shared/db and the entity declarations', async () => {
    const files = [...(await sourceFiles('shared')), ...(await sourceFiles('functions'))].filter((f) => !isDataLayer(f));
    const found: string[] = [];
    for (const file of files) {
      const lines = (await readFile(join(root, file), 'utf8')).split('\n');
      lines.forEach((line, i) => {
        if (plumbing.some((p) => p.test(line))) found.push(`${relative(root, join(root, file))}:${i + 1}: ${line.trim()}`);
      });
    }
    expect(found).toEqual([]);
  });
});

describe('The table design document', () => {
  it('lists exactly the entities the code declares', async () => {
    expect(await readFile(tableDesignFile, 'utf8')).toBe(await renderTableDesign());
  });
});
