import { describe, expect, it } from 'vitest';
import { defaultDestination, federationEndpoint } from './federation-endpoint.js';
import { federatedUserName } from './federation-token.js';

describe('federationEndpoint', () => {
  it.each([
    [undefined, 'aws', 'https://signin.aws.amazon.com/federation', 'https://console.aws.amazon.com/console/home'],
    ['eu-west-1', 'aws', 'https://signin.aws.amazon.com/federation', 'https://console.aws.amazon.com/console/home?region=eu-west-1'],
    ['cn-north-1', 'aws-cn', 'https://signin.amazonaws.cn/federation', 'https://console.amazonaws.cn/console/home?region=cn-north-1'],
    [
      'us-gov-west-1',
      'aws-us-gov',
      'https://signin.amazonaws-us-gov.com/federation',
      'https://console.amazonaws-us-gov.com/console/home?region=us-gov-west-1',
    ],
  ])('region %s: partition %s, sign-in at %s, lands on %s', (region, partition, federationUrl, destination) => {
    const endpoint = federationEndpoint(region, {});
    expect([endpoint.partition, endpoint.federationUrl, defaultDestination(endpoint, region)]).toEqual([partition, federationUrl, destination]);
  });

  it('AWSKEYS_FEDERATION_URL replaces the sign-in URL only (an empty one does not)', () => {
    expect(federationEndpoint('cn-north-1', { AWSKEYS_FEDERATION_URL: 'http://127.0.0.1:9/federation' })).toEqual({
      partition: 'aws-cn',
      federationUrl: 'http://127.0.0.1:9/federation',
      consoleUrl: 'https://console.amazonaws.cn/',
    });
    expect(federationEndpoint(undefined, { AWSKEYS_FEDERATION_URL: '' }).federationUrl).toBe('https://signin.aws.amazon.com/federation');
  });
});

describe('federatedUserName', () => {
  it.each([
    ['arn:aws:iam::123456789012:user/alice', 'alice'],
    ['arn:aws:iam::123456789012:user/division/team/bob', 'bob'],
    ['arn:aws:iam::123456789012:user/a-very-long-user-name-that-goes-past-32', 'a-very-long-user-name-that-goes-'],
    ['arn:aws:iam::123456789012:user/x', 'awskeys'],
  ])('%s -> %s', (arn, name) => {
    expect(federatedUserName(arn)).toBe(name);
  });
});
