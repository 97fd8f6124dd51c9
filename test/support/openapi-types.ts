import { writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import openapiTS, { astToString, type OpenAPI3 } from 'openapi-typescript';
import { openApiDocument } from '../../shared/http/openapi.js';

/** Where the typed client's types live; committed, and checked against a fresh generation by a test. */
export const openApiTypesFile = fileURLToPath(new URL('./openapi.d.ts', import.meta.url));

/** The `paths`/`components` types of the OpenAPI document, as openapi-typescript writes them. */
export async function generateOpenApiTypes(): Promise<string> {
  const ast = await openapiTS(openApiDocument() as unknown as OpenAPI3);
  return `// Generated from openApiDocument() by \`npm run openapi:types\`: do not edit.\n\n${astToString(ast)}`;
}

// `npm run openapi:types` runs this file.
if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  await writeFile(openApiTypesFile, await generateOpenApiTypes());
  console.log(`wrote ${openApiTypesFile}`);
}
