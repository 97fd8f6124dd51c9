import { LogLevel, OutputFormat, type BundlingOptions } from 'aws-cdk-lib/aws-lambda-nodejs';

/**
 * How every function is bundled, in one place: the stack uses it, and so does the benchmark that
 * reports bundle sizes. The AWS SDK v3 is left to the Lambda runtime (nodejs24.x ships it), which
 * keeps bundles small and cold starts short.
 */
export const externalModules = ['@aws-sdk/*'];

export const bundling: BundlingOptions = {
  minify: true,
  sourceMap: false,
  target: 'node24',
  format: OutputFormat.ESM,
  mainFields: ['module', 'main'],
  externalModules,
  logLevel: LogLevel.ERROR,
  // Some CommonJS dependencies call require(); give the ESM bundle one.
  banner: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);",
};
