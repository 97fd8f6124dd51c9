import { Logger } from '@aws-lambda-powertools/logger';

/** Structured JSON logs. Level from POWERTOOLS_LOG_LEVEL (tests run SILENT). */
export const logger = new Logger({ serviceName: 'desk-admin' });
