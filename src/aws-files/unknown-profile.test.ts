import { describe, expect, it } from 'vitest';
import { ExitCode } from '../errors/cli-error.js';
import { unknownProfileError } from './unknown-profile.js';

const paths = { config: '/h/.aws/config', credentials: '/h/.aws/credentials' };

describe('unknownProfileError: the one "no such profile" (exit 5)', () => {
  it('names the profile and both files, config first, and is exit 5', () => {
    const err = unknownProfileError('dev', paths, 'flag');
    expect(err.message).toBe('No profile named dev in /h/.aws/config or /h/.aws/credentials.');
    expect(err.exitCode).toBe(ExitCode.NotFound);
    expect(err.hint).toBe('check the name with: aws configure list-profiles');
  });

  it('offers the way to create it when the caller knows one', () => {
    expect(unknownProfileError('dev', paths, 'flag', 'awskeys sso login --profile dev').hint).toBe(
      'check the name with: aws configure list-profiles, or create it: awskeys sso login --profile dev',
    );
  });

  it('says when the name came from AWS_PROFILE, and that unsetting it is a fix', () => {
    const err = unknownProfileError('old', paths, 'env', 'aws configure --profile old');
    expect(err.message).toBe('No profile named old (from AWS_PROFILE) in /h/.aws/config or /h/.aws/credentials.');
    expect(err.hint).toBe('unset AWS_PROFILE, or set it to one of the profiles that aws configure list-profiles lists');
  });

  it('for the `default` nobody named, says how to name one (no placeholder)', () => {
    expect(unknownProfileError('default', paths, 'default').hint).toBe(
      'pass --profile (or set AWS_PROFILE) with one of the profiles that aws configure list-profiles lists',
    );
  });
});
