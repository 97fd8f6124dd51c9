import { describe, expect, it } from 'vitest';

// The Lambdas run on `nodejs24.x` (infra/stack.ts). `npm ci` installs the same major into
// node_modules/.bin (the `node` devDependency) and npm scripts put that first on PATH, so this file,
// run in one of vitest's forked workers, fails if anything fell back to the machine's own Node.
const lambdaNodeMajor = 24;

describe('The local system and its tests run on the Node.js major of the Lambdas', () => {
  it(`runs on Node ${lambdaNodeMajor}`, () => {
    const major = Number(process.versions.node.split('.')[0]);
    expect(major, `Node ${process.version} at ${process.execPath}: run through npm scripts or npx`).toBe(lambdaNodeMajor);
  });
});
