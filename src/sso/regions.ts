import { awsEndpointFunctions } from '@aws-sdk/core/client';
import { UsageError } from '../errors/cli-error.js';

/**
 * A region the AWS SDK's own partition data knows (every partition: aws, aws-cn, aws-us-gov,
 * aws-eusc such as eusc-de-east-1, the ISO partitions), so the list grows with the SDK instead of
 * a hand-written pattern. `flag` names the option in the message.
 */
export function assertRegion(region: string, flag = '--region'): void {
  if (!isKnownRegion(region)) {
    throw new UsageError(`Invalid ${flag} ${JSON.stringify(region)}: not a region the AWS SDK knows.`, {
      hint: 'for example: us-east-1, eu-west-2, us-gov-west-1, eusc-de-east-1',
    });
  }
}

/** The SDK's partition lookup names a region it knows (and only those get a description). */
export function isKnownRegion(region: string): boolean {
  const partition = awsEndpointFunctions.partition as (value: string) => { description?: string };
  return partition(region).description !== undefined;
}
