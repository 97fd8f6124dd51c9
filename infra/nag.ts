import { Stack, Token } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';

/**
 * The stack's region and account as cdk-nag writes them in a finding's resource: the value when the
 * stack has one (a deployment's environment, or the CLI's default), else the pseudo parameter (as in
 * the tests' environment-agnostic stacks). Acknowledgements built with it match in both.
 */
export function nagEnvironment(scope: IConstruct): { region: string; account: string } {
  const stack = Stack.of(scope);
  return {
    region: Token.isUnresolved(stack.region) ? '<AWS::Region>' : stack.region,
    account: Token.isUnresolved(stack.account) ? '<AWS::AccountId>' : stack.account,
  };
}
