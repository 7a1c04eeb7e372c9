import 'vitest';

// Values global-setup.ts provides to every test file through inject().
declare module 'vitest' {
  export interface ProvidedContext {
    motoUrl: string;
    /** The folder the run's temp homes live in (removed when the run ends). */
    tempRoot: string;
  }
}
