import { Cron } from 'croner';
import { localCronExpressions } from '../shared/workers.js';

/** Runs each schedule locally on the cadence EventBridge runs it in AWS. */
export function startScheduleTicks(run: (name: string) => Promise<unknown>): { stop: () => void } {
  const jobs = Object.entries(localCronExpressions).map(
    ([name, expression]) =>
      new Cron(expression, { protect: true }, async () => {
        try {
          const result = await run(name);
          console.log(JSON.stringify({ schedule: name, result }));
        } catch (err) {
          console.error(`schedule ${name} failed`, err);
        }
      }),
  );
  return {
    stop: () => {
      for (const job of jobs) job.stop();
    },
  };
}
