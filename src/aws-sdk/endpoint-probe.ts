/**
 * scheme://host[:port] of the endpoint a client would call for `command` (region, partition,
 * FIPS and AWS_ENDPOINT_URL_<SERVICE> all applied by the SDK's own endpoint rules), found as the
 * AWS CLI finds a service's base URL: the call is started and stopped once its request is built,
 * before anything is sent. For the browser URLs of a login, which the SDK does not build.
 */
export async function resolvedEndpoint(send: (command: ProbeCommand) => Promise<unknown>, command: ProbeCommand): Promise<string> {
  let found: string | undefined;
  command.middlewareStack.add(
    () => (args: { request: unknown }) => {
      const request = args.request as { protocol?: string; hostname?: string; port?: number };
      found = `${request.protocol ?? 'https:'}//${request.hostname ?? ''}${request.port ? `:${String(request.port)}` : ''}`;
      return Promise.reject(Object.assign(new Error('endpoint probe'), { [ENDPOINT_PROBE]: true }));
    },
    { step: 'build', priority: 'low', name: 'awskeysEndpointProbe' },
  );
  try {
    await send(command);
  } catch (err) {
    if (!(err as Record<symbol, unknown>)[ENDPOINT_PROBE]) throw err;
  }
  if (found === undefined) throw new Error('could not resolve the service endpoint');
  return found;
}

const ENDPOINT_PROBE = Symbol('endpoint-probe');

/** What the probe needs of an SDK command: its middleware stack. */
export interface ProbeCommand {
  middlewareStack: {
    add(middleware: (next: unknown) => (args: { request: unknown }) => Promise<never>, options: { step: 'build'; priority: 'low'; name: string }): void;
  };
}
